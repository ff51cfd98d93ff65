import { aboutFeature } from './about.js';
import type { Feature } from './feature.js';
import { languageFeature } from './language.js';
import { subscriptionsFeature } from './subscriptions.js';
import type { FlowServices } from './turn.js';

/** Every feature, in the order the bot asks them and the menu lists them. */
export function allFeatures(_services: FlowServices): Feature[] {
  return [aboutFeature, subscriptionsFeature, languageFeature];
}
