import type { SectionSource } from './section.js';
import { broadcastsSection } from './sections/broadcasts.js';
import { campaignsSection } from './sections/campaigns.js';
import { contestsSection } from './sections/contests.js';
import { messagesSection } from './sections/messages.js';
import { nominationsSection } from './sections/nominations.js';
import { questionsSection } from './sections/questions.js';
import { reachSection } from './sections/reach.js';
import { registrationsSection, trainingSection } from './sections/registrations.js';

/**
 * Every section a snapshot holds, in report order; a feature with figures for the Ministry adds
 * its source here (each names the part of section II it belongs to).
 */
export const SECTION_SOURCES: SectionSource[] = [
  reachSection,
  messagesSection,
  questionsSection,
  broadcastsSection,
  registrationsSection,
  trainingSection,
  campaignsSection,
  contestsSection,
  nominationsSection,
];
