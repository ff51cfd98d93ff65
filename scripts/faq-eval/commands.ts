/**
 * Scores commands through the real bot by their effect in storage and state (test/faq/README.md):
 * an opt-out really turns announcements off, an erase asks first and then erases, "none" changes
 * nothing.
 */
import { fold } from '../../src/core/text.js';
import { SubscriptionsRepo } from '../../src/store/subscriptions-repo.js';
import type { EvalBot, Reply } from './bot.js';

/** What a command item expects. */
export type CommandExpect =
  | 'optout'
  | 'optin'
  | 'erase'
  | 'show-data'
  | 'lang-en'
  | 'lang-vi'
  | 'cancel'
  | 'menu'
  | 'thanks'
  | 'greeting'
  | 'none';

/** One item of a commands-*.json file. */
export interface CommandItem {
  q: string;
  expect: CommandExpect;
  kind?: string;
}

/** The result of one command item. */
export interface CommandResult {
  item: CommandItem;
  ok: boolean;
  why: string;
}

/** Totals of one commands file. */
export interface CommandsReport {
  total: number;
  ok: number;
  byExpect: Record<string, { total: number; ok: number }>;
  results: CommandResult[];
  /** Opt-in phrasings that turned announcements off for a person already subscribed. */
  optInsThatUnsubscribed: CommandItem[];
}

const CHANNEL = 'simulator' as const;

function all(replies: Reply[]): string {
  return fold(replies.map((r) => r.text).join('\n'));
}

function hasText(replies: Reply[], text: string): boolean {
  return all(replies).includes(fold(text));
}

/** Runs one item as a new person in the state its expectation needs; returns why it failed. */
async function run(bot: EvalBot, item: CommandItem, userId: string): Promise<string | undefined> {
  const { services } = bot;
  // A command written in English is answered in English: a reply may be in either language.
  const texts = (key: string) => (['vi', 'en'] as const).map((l) => services.t(l, key));
  const hasAny = (replies: Reply[], key: string) =>
    texts(key).some((text) => hasText(replies, text.split('{{')[0]!));
  const now = services.clock.now();
  await services.contacts.touch(CHANNEL, userId, now);
  const subscribed = item.expect !== 'optin';
  if (subscribed)
    await new SubscriptionsRepo(services.store.db).set(
      CHANNEL,
      userId,
      { optedIn: true, topics: ['all'] },
      now,
    );
  if (item.expect === 'lang-vi') await services.contacts.setLocale(CHANNEL, userId, 'en');
  else await services.contacts.setLocale(CHANNEL, userId, 'vi');
  // Cancel needs something to cancel: a registration under way.
  if (item.expect === 'cancel') await bot.send(userId, { text: 'REGISTER', payload: 'REGISTER' });

  const replies = await bot.send(userId, { text: item.q });
  const contact = await services.contacts.get(CHANNEL, userId);
  if (!contact) return 'the contact was erased without a confirmation';
  if (item.expect === 'optout') return contact.optedIn ? 'still subscribed' : undefined;
  if (item.expect === 'optin' && !contact.optedIn) return 'not subscribed';
  if (contact.optedIn !== (item.expect === 'optin' || subscribed))
    return contact.optedIn ? 'subscribed without asking' : 'unsubscribed without asking';
  const wantLocale =
    item.expect === 'lang-en' ? 'en' : item.expect === 'lang-vi' ? 'vi' : undefined;
  if (contact.locale !== (wantLocale ?? 'vi')) return `language is ${contact.locale ?? 'unset'}`;
  const deleteYes = texts('registration:delete.yes');
  const asksDelete = replies.some((r) =>
    (r.choices ?? []).some((c) => deleteYes.includes(c.title)),
  );
  switch (item.expect) {
    case 'erase': {
      if (!asksDelete) return 'no confirmation asked';
      await bot.send(userId, { text: '1' });
      return (await services.contacts.get(CHANNEL, userId)) ? 'not erased after yes' : undefined;
    }
    case 'show-data':
      return hasAny(replies, 'registration:data.intro') ? undefined : 'data not shown';
    case 'cancel':
      return hasAny(replies, 'common:cancelled') ? undefined : 'not cancelled';
    case 'menu':
    case 'greeting': {
      const menu = ((await services.welcome('vi')).choices ?? []).map((c) => c.payload);
      const last = replies.at(-1)?.choices?.map((c) => c.payload) ?? [];
      if (!menu.every((p) => last.includes(p))) return 'no main menu';
      if (item.expect === 'greeting' && !hasAny(replies, 'common:greeting')) return 'no greeting';
      return undefined;
    }
    case 'thanks':
      return hasAny(replies, 'common:thanks') ? undefined : 'no thanks';
    case 'none':
      return asksDelete ? 'asked to delete' : undefined;
    default:
      return undefined;
  }
}

/** True when an opt-in phrasing, written by a person already subscribed, leaves them subscribed. */
async function keepsSubscribed(bot: EvalBot, item: CommandItem, userId: string): Promise<boolean> {
  const { services } = bot;
  const now = services.clock.now();
  await services.contacts.touch(CHANNEL, userId, now);
  await new SubscriptionsRepo(services.store.db).set(
    CHANNEL,
    userId,
    { optedIn: true, topics: ['all'] },
    now,
  );
  await bot.send(userId, { text: item.q });
  return (await services.contacts.get(CHANNEL, userId))?.optedIn === true;
}

/** Runs every item and counts the effects that happened as expected. */
export async function scoreCommands(
  bot: EvalBot,
  items: readonly CommandItem[],
  prefix: string,
): Promise<CommandsReport> {
  const report: CommandsReport = {
    total: 0,
    ok: 0,
    byExpect: {},
    results: [],
    optInsThatUnsubscribed: [],
  };
  for (const [i, item] of items.entries()) {
    const why = await run(bot, item, `${prefix}-${i}`);
    const ok = why === undefined;
    report.total += 1;
    if (ok) report.ok += 1;
    const e = (report.byExpect[item.expect] ??= { total: 0, ok: 0 });
    e.total += 1;
    if (ok) e.ok += 1;
    report.results.push({ item, ok, why: why ?? '' });
    if (item.expect === 'optin' && !(await keepsSubscribed(bot, item, `${prefix}-${i}-again`)))
      report.optInsThatUnsubscribed.push(item);
  }
  return report;
}
