/** Announcement topics a citizen can subscribe to, and a broadcast can be about. */
export const TOPICS = ['events', 'courses'] as const;
/** One announcement topic. */
export type Topic = (typeof TOPICS)[number];
/** What a subscription can hold: a topic, or every topic. */
export type SubscriptionTopic = Topic | 'all';
/** Every value a subscription's topic list may contain. */
export const SUBSCRIPTION_TOPICS: readonly SubscriptionTopic[] = [...TOPICS, 'all'];

/**
 * True when a subscriber with `subscribed` topics wants a broadcast about `about`. A broadcast
 * without topics is a general announcement for every subscriber; a subscription without topics
 * (or with "all") takes everything.
 */
export function wantsTopics(subscribed: readonly string[], about: readonly string[]): boolean {
  if (about.length === 0 || subscribed.length === 0 || subscribed.includes('all')) return true;
  return about.some((topic) => subscribed.includes(topic));
}
