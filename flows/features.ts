import { aboutFeature } from './about.js';
import type { Feature } from './feature.js';
import { languageFeature } from './language.js';
import { registrationFeature } from './registration/feature.js';
import type { FlowServices } from './turn.js';

/** Every feature, in the order the bot asks them and the menu lists them. */
export function allFeatures(services: FlowServices): Feature[] {
  return [aboutFeature, registrationFeature(services.registration), languageFeature];
}
