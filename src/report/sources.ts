import type { SectionSource } from './section.js';
import { broadcastsSection } from './sections/broadcasts.js';
import { messagesSection } from './sections/messages.js';
import { questionsSection } from './sections/questions.js';
import { reachSection } from './sections/reach.js';
import { registrationsSection, trainingSection } from './sections/registrations.js';

/**
 * Every section a snapshot holds, in report order. Nominations, contest results and campaign
 * figures add their source here (each names the part of section II it belongs to).
 */
export const SECTION_SOURCES: SectionSource[] = [
  reachSection,
  messagesSection,
  questionsSection,
  broadcastsSection,
  registrationsSection,
  trainingSection,
];
