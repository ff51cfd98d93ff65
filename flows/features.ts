import { aboutFeature } from './about.js';
import { campaignFeature } from './campaigns.js';
import { eventsFeature } from './events.js';
import { faqFeature } from './faq.js';
import type { Feature } from './feature.js';
import { languageFeature } from './language.js';
import { nominationsFeature } from './nominations/feature.js';
import { placesFeature } from './places/feature.js';
import { questionIndexFor } from './questions.js';
import { quizFeature } from './quiz/feature.js';
import { registrationFeature } from './registration/feature.js';
import { subscriptionsFeature } from './subscriptions.js';
import type { FlowServices } from './turn.js';

/** Every feature, in the order the bot asks them and the menu lists them. */
export function allFeatures(services: FlowServices): Feature[] {
  questionIndexFor(services.content); // built at start-up rather than on the first question
  // Registration and subscriptions before questions: their words ("đăng ký", "xóa dữ liệu",
  // "hủy nhận tin") must not be taken for FAQ questions.
  const features: Feature[] = [];
  // Campaign links first: their `c-<ref>` refs and typed codes open another feature's flow.
  if (services.campaigns) features.push(campaignFeature(services.campaigns, () => features));
  features.push(
    aboutFeature,
    registrationFeature(services.registration),
    subscriptionsFeature,
    // Before questions: "thi", "dự thi" start the quiz; longer questions still reach the FAQ.
    quizFeature(services.quiz),
    nominationsFeature(services.nominations, services.registration.retentionDays),
    placesFeature(services.places),
    faqFeature,
    eventsFeature,
    languageFeature,
  );
  return features;
}
