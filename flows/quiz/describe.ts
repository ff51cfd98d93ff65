import type { Locale } from '../../src/core/events.js';
import type { QuizRound } from '../../src/quiz/bank.js';
import type { Attempt } from '../../src/quiz/repo.js';
import type { QuizService } from '../../src/quiz/service.js';
import { provinceName } from '../../src/registration/provinces.js';
import type { Turn } from '../turn.js';

/** "2 phút 5 giây" / "2 min 5 s". */
export function duration(turn: Turn, seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? turn.t('quiz:minutes', { m, s }) : turn.t('quiz:seconds', { s });
}

/** The round's title in the turn's language. */
export function roundTitle(round: QuizRound, locale: Locale): string {
  return round.title[locale];
}

/** The leaderboard of the attempt's province, with the person's own place. */
export async function boardText(
  turn: Turn,
  service: QuizService,
  round: QuizRound,
  province: string,
  mine?: Attempt,
): Promise<string> {
  const lines = await service.board(round, province);
  const where = provinceName(province, turn.locale);
  const parts = [
    lines.length === 0
      ? turn.t('quiz:boardEmpty', { province: where })
      : [
          turn.t('quiz:boardTitle', { title: roundTitle(round, turn.locale), province: where }),
          ...lines.map((l) =>
            turn.t('quiz:boardLine', {
              rank: l.rank,
              nickname: l.nickname,
              score: l.score,
              total: l.total,
              time: duration(turn, l.seconds),
            }),
          ),
        ].join('\n'),
  ];
  if (mine) {
    const rank = await service.rankInProvince(mine);
    if (rank !== undefined) parts.push(turn.t('quiz:yourRank', { rank, province: where }));
  }
  return parts.join('\n\n');
}
