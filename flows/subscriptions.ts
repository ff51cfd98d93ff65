import { SUBSCRIPTION_TOPICS, type SubscriptionTopic } from '../src/broadcast/topics.js';
import type { Choice } from '../src/core/events.js';
import { SubscriptionsRepo } from '../src/store/subscriptions-repo.js';
import type { Feature } from './feature.js';
import { MENU } from './menu.js';
import type { Turn } from './turn.js';

/** Payload of the menu entry (offer / current state) and prefix of a topic choice. */
export const SUBSCRIBE = 'SUBSCRIBE';
/** Payload that turns announcements off. */
export const UNSUBSCRIBE = 'UNSUBSCRIBE';

/** The topics in words, in the turn's language ("all" when none or every topic). */
export function topicNames(turn: Turn, topics: readonly string[]): string {
  const known = topics.filter((t): t is SubscriptionTopic =>
    SUBSCRIPTION_TOPICS.includes(t as SubscriptionTopic),
  );
  const shown = known.length === 0 || known.includes('all') ? ['all' as const] : known;
  return shown.map((t) => turn.t(`subscriptions:topics.${t}`)).join(', ');
}

function topicChoices(turn: Turn): Choice[] {
  return SUBSCRIPTION_TOPICS.map((t) => ({
    title: turn.t(`subscriptions:choice.${t}`),
    payload: `${SUBSCRIBE}:${t}`,
  }));
}

async function save(turn: Turn, optedIn: boolean, topics: string[]): Promise<void> {
  const { contact, services } = turn;
  await new SubscriptionsRepo(services.store.db).set(
    contact.channel,
    contact.userId,
    { optedIn, topics },
    services.clock.now(),
  );
  contact.optedIn = optedIn;
  contact.topics = optedIn ? topics : [];
}

/** Shows the offer (not subscribed) or the current topics with a way to change or stop. */
async function offer(turn: Turn): Promise<void> {
  if (turn.contact.optedIn) {
    await turn.say(
      turn.t('subscriptions:current', { topics: topicNames(turn, turn.contact.topics) }),
      [...topicChoices(turn), { title: turn.t('subscriptions:choice.stop'), payload: UNSUBSCRIBE }],
      { numbered: true },
    );
    return;
  }
  await turn.say(
    turn.t('subscriptions:offer'),
    [
      ...topicChoices(turn),
      { title: turn.t('subscriptions:choice.no'), payload: `${SUBSCRIBE}:NO` },
    ],
    { numbered: true },
  );
}

async function subscribe(turn: Turn, topics: SubscriptionTopic[]): Promise<void> {
  await save(turn, true, topics);
  await turn.say(
    turn.t('subscriptions:subscribed', { topics: topicNames(turn, topics) }),
    // In the middle of a dialog the answer goes without buttons: the dialog's question follows.
    turn.inDialog
      ? []
      : [
          { title: turn.t('subscriptions:choice.change'), payload: SUBSCRIBE },
          { title: turn.t('subscriptions:choice.menu'), payload: MENU },
        ],
  );
}

async function unsubscribe(turn: Turn): Promise<void> {
  if (!turn.contact.optedIn) {
    await turn.say(turn.t('subscriptions:notSubscribed'));
    return;
  }
  await save(turn, false, []);
  await turn.say(turn.t('subscriptions:unsubscribed'));
}

/** A topic of a `SUBSCRIBE:<topic>` payload, if it is one. */
function topicOf(payload: string): SubscriptionTopic | undefined {
  const topic = payload.startsWith(`${SUBSCRIBE}:`) ? payload.slice(SUBSCRIBE.length + 1) : '';
  return SUBSCRIPTION_TOPICS.includes(topic as SubscriptionTopic)
    ? (topic as SubscriptionTopic)
    : undefined;
}

/**
 * Announcements: explicit opt-in with topics (silence is not consent), offered from the menu.
 * The way out works at any moment, in the middle of any dialog too (withdrawing consent must be
 * as easy as giving it): "hủy nhận tin" / "unsubscribe" turn announcements off and the dialog
 * asks its question again; a bare "dừng" / "stop" also ends the dialog, since the person may
 * well mean that too. "bật thông báo" / "subscribe" turn them on, also at any moment.
 */
export const subscriptionsFeature: Feature = {
  name: 'subscriptions',
  menu: [{ payload: SUBSCRIBE, titleKey: 'subscriptions:menu' }],
  async global(turn) {
    const { payload } = turn;
    if (payload !== undefined) {
      // Buttons of an earlier message (a Zalo or Viber chat keeps them) can be tapped any time.
      if (payload === UNSUBSCRIBE) {
        await unsubscribe(turn);
        return 'resume';
      }
      if (payload === `${SUBSCRIBE}:NO`) {
        await turn.say(turn.t('subscriptions:declined'));
        return 'resume';
      }
      const topic = topicOf(payload);
      if (!topic) return undefined;
      await subscribe(turn, [topic]);
      return 'resume';
    }
    const kind = turn.command?.kind;
    if (kind === 'stop') {
      // Not subscribed: "stop" was about the dialog only; without one, say there is nothing to stop.
      if (!turn.contact.optedIn && turn.inDialog) return 'end';
      await unsubscribe(turn);
      return 'end';
    }
    if (kind === 'optout') {
      await unsubscribe(turn);
      return 'resume';
    }
    if (kind === 'optin') {
      // Asked for in words: everything, with the way to narrow it down in the answer.
      await subscribe(
        turn,
        turn.contact.optedIn && turn.contact.topics.length > 0
          ? (turn.contact.topics as SubscriptionTopic[])
          : ['all'],
      );
      return 'resume';
    }
    return undefined;
  },
  async onPayload(turn, payload) {
    if (payload !== SUBSCRIBE) return false;
    await offer(turn);
    return true;
  },
};
