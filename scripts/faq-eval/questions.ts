/**
 * Scores citizens' questions through the real bot (the rule of test/faq/README.md): after lower
 * case and folding (đ -> d), the replies of the turn (texts and button titles) must hold one
 * alternative of every `any` group and none of `not`.
 */
import { fold } from '../../src/core/text.js';
import type { EvalBot, Reply } from './bot.js';

/** One question of a citizen-*.json file. */
export interface CitizenItem {
  q: string;
  any?: string[][] | null;
  not?: string[];
  /** Comma-separated kinds: vi, no-diacritics, teencode, telex, english, mixed, short... */
  kind?: string;
  expect?: 'no-answer' | 'clarify';
}

/** How the bot took a question: answered it, asked back, said honestly it cannot, or gave up. */
export type Outcome = 'answer' | 'clarify' | 'honest' | 'fallback';

/** The result of one question. */
export interface ItemResult {
  item: CitizenItem;
  ok: boolean;
  outcome: Outcome;
  /** A direct answer that fails the check: worse than asking back. */
  wrong: boolean;
  replies: Reply[];
  ms: number;
}

/** Totals of one file. */
export interface SideReport {
  total: number;
  ok: number;
  wrong: number;
  /** Questions the letter cannot answer, and how many got the honest reply. */
  noAnswer: number;
  honest: number;
  byKind: Record<string, { total: number; ok: number }>;
  results: ItemResult[];
}

/** Lower case, diacritics folded, punctuation kept (the scoring rule's view of a text). */
export function scoringFold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

function replyText(replies: Reply[]): string {
  return scoringFold(
    replies.map((r) => [r.text, ...(r.choices ?? []).map((c) => c.title)].join('\n')).join('\n'),
  );
}

/** What kind of reply the bot gave, told by the texts it uses for asking back and giving up. */
export function outcomeOf(bot: EvalBot, replies: Reply[]): Outcome {
  const t = bot.services.t;
  const first = fold(replies[0]?.text ?? '');
  const has = (key: string) =>
    (['vi', 'en'] as const).some((l) => {
      // The text up to its first placeholder ({{year}}...): the part every reply shares.
      const text = fold(t(l, key).split('{{')[0]!);
      return text !== '' && first.includes(text);
    });
  if (has('faq:notInLetter')) return 'honest';
  if (has('faq:didYouMean')) return 'clarify';
  if (has('common:fallback') || has('common:empty')) return 'fallback';
  return 'answer';
}

/** Checks one item against the replies of its turn. */
export function check(item: CitizenItem, replies: Reply[]): boolean {
  const text = replyText(replies);
  if ((item.not ?? []).some((n) => text.includes(scoringFold(n)))) return false;
  if (item.expect === 'no-answer') return true;
  return (item.any ?? []).every((group) => group.some((alt) => text.includes(scoringFold(alt))));
}

/** Asks every question as a new person and scores the replies. */
export async function scoreQuestions(
  bot: EvalBot,
  items: readonly CitizenItem[],
  prefix: string,
): Promise<SideReport> {
  const report: SideReport = {
    total: 0,
    ok: 0,
    wrong: 0,
    noAnswer: 0,
    honest: 0,
    byKind: {},
    results: [],
  };
  for (const [i, item] of items.entries()) {
    const started = performance.now();
    const replies = await bot.send(`${prefix}-${i}`, { text: item.q });
    const ms = performance.now() - started;
    const outcome = outcomeOf(bot, replies);
    let ok = check(item, replies);
    if (item.expect === 'clarify' && outcome === 'clarify') ok = true;
    const wrong = !ok && outcome === 'answer';
    report.total += 1;
    if (ok) report.ok += 1;
    if (wrong) report.wrong += 1;
    if (item.expect === 'no-answer') {
      report.noAnswer += 1;
      if (outcome === 'honest') report.honest += 1;
    }
    for (const kind of (item.kind ?? 'other').split(',').map((k) => k.trim())) {
      const k = (report.byKind[kind] ??= { total: 0, ok: 0 });
      k.total += 1;
      if (ok) k.ok += 1;
    }
    report.results.push({ item, ok, outcome, wrong, replies, ms });
  }
  return report;
}
