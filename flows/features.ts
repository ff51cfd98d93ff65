import { aboutFeature } from './about.js';
import type { Feature } from './feature.js';
import { languageFeature } from './language.js';

/** Every feature, in the order the bot asks them and the menu lists them. */
export function allFeatures(): Feature[] {
  return [aboutFeature, languageFeature];
}
