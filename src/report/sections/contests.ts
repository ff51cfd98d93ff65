import { provinceName } from '../../registration/provinces.js';
import { QuizService } from '../../quiz/service.js';
import type { Cell } from '../model.js';
import { both, type SectionSource } from '../section.js';

const COUNTS = ['entrants', 'finished', 'passed'] as const;

/**
 * The quiz contest of the edition: entrants, finishers and passes per round and per province
 * (attempts: a person taking two rounds counts in each). Rounds come from content/quiz.json; an
 * edition whose bank holds no rounds shows zeros.
 */
export const contestsSection: SectionSource = {
  id: 'contests',
  async collect({ db, edition, quizBank, t }) {
    const bank =
      quizBank && String(quizBank.edition) === edition.id
        ? quizBank
        : { edition: Number(edition.id), demonstration: false, rounds: [] };
    // The snapshot's own read: the quiz's figures through its transaction.
    const figures = await new QuizService(db, bank).figures();
    const provinces = new Map<string, Record<(typeof COUNTS)[number], number>>();
    for (const round of figures.rounds)
      for (const [id, p] of Object.entries(round.byProvince)) {
        const sum = provinces.get(id) ?? { entrants: 0, finished: 0, passed: 0 };
        for (const k of COUNTS) sum[k] += p[k];
        provinces.set(id, sum);
      }
    const columns = COUNTS.map((k) => ({ key: k, title: both(t, `contests.col.${k}`) }));
    const total: Record<string, Cell> = { ...figures.totals };
    return {
      id: 'contests',
      part: 'contests',
      title: both(t, 'contests.title'),
      figures: [
        { key: 'rounds', label: both(t, 'contests.rounds'), value: bank.rounds.length },
        ...COUNTS.map((k) => ({
          key: k,
          label: both(t, `contests.col.${k}`),
          value: figures.totals[k],
        })),
      ],
      tables: [
        {
          id: 'contests-by-round',
          title: both(t, 'contests.byRound'),
          columns: [{ key: 'round', title: both(t, 'contests.col.round') }, ...columns],
          rows: figures.rounds.map((r) => ({
            round: bank.rounds.find((b) => b.id === r.roundId)?.title ?? r.roundId,
            entrants: r.entrants,
            finished: r.finished,
            passed: r.passed,
          })),
          total: { round: both(t, 'col.total'), ...total },
        },
        {
          id: 'contests-by-province',
          title: both(t, 'contests.byProvince'),
          columns: [{ key: 'province', title: both(t, 'col.province') }, ...columns],
          rows: [...provinces.entries()]
            .sort((a, b) => a[0].localeCompare(b[0]))
            .map(([id, p]) => ({
              province:
                id === 'unknown'
                  ? both(t, 'channel.unknown')
                  : { vi: provinceName(id, 'vi'), en: provinceName(id, 'en') },
              ...p,
            })),
          total: { province: both(t, 'col.total'), ...total },
          small: true,
        },
      ],
      notes: [both(t, 'contests.note')],
    };
  },
};
