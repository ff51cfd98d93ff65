import { z } from 'zod';
import { resultRows, RESULT_COLUMNS, toXlsx } from '../quiz/export.js';
import { toCsv } from '../registration/csv.js';
import { matchProvince } from '../registration/provinces.js';
import { adminDocs, files, json, refusal } from './docs.js';
import type { AdminRoutes } from './routes.js';

const roundId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a round id from content/quiz.json');

const resultsQuery = z
  .object({
    round: roundId.optional(),
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  })
  .strict();

const boardQuery = z.object({ round: roundId, province: z.string().min(1).max(100) }).strict();

function problem(error: z.ZodError, allowed: string): string {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys')
    return `Unknown query parameter ${issue.keys.join(', ')}; use ${allowed}.`;
  return `Query parameter ${issue.path.join('.')}: ${issue.message}.`;
}

/** Admin API of the quiz: results (JSON, CSV, XLSX), a province's leaderboard, report figures. */
export const quizRoutes: AdminRoutes = (scope, services) => {
  const quiz = services.quiz;
  const unknownRound = (id: string) => ({
    error: 'Not Found',
    message: `There is no round "${id}" in the ${quiz.bank.edition} bank of content/quiz.json.`,
  });

  const noRound = refusal('No such round in this edition of content/quiz.json');
  const resultsDocs = adminDocs('quiz', "Every player's results, as JSON, CSV or XLSX", {
    querystring: resultsQuery,
    responses: {
      200: files('The results (format=json), or a file', ['csv', 'xlsx'], {
        type: 'object',
        description: 'edition, demonstration, items',
      }),
      404: noRound,
    },
  });
  scope.get('/quiz/results', { schema: resultsDocs }, async (req, reply) => {
    const parsed = resultsQuery.safeParse(req.query ?? {});
    if (!parsed.success)
      return reply
        .code(400)
        .send({ error: 'Bad Request', message: problem(parsed.error, 'round, format') });
    const { round, format } = parsed.data;
    if (round && !quiz.round(round)) return reply.code(404).send(unknownRound(round));
    const rows = await resultRows(quiz, services.config.timezone, round);
    if (format === 'csv')
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="quiz-results.csv"')
        .send(toCsv([...RESULT_COLUMNS], rows));
    if (format === 'xlsx')
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="quiz-results.xlsx"')
        .send(await toXlsx(RESULT_COLUMNS, rows));
    return {
      edition: quiz.bank.edition,
      demonstration: quiz.bank.demonstration,
      items: rows.map((r) => Object.fromEntries(RESULT_COLUMNS.map((c, i) => [c, r[i] ?? null]))),
    };
  });

  const boardDocs = adminDocs('quiz', "A round's leaderboard in one province (top 50)", {
    querystring: boardQuery,
    responses: { 200: json('round, province and the lines of the board'), 404: noRound },
  });
  scope.get('/quiz/leaderboard', { schema: boardDocs }, async (req, reply) => {
    const parsed = boardQuery.safeParse(req.query ?? {});
    if (!parsed.success)
      return reply
        .code(400)
        .send({ error: 'Bad Request', message: problem(parsed.error, 'round, province') });
    const round = quiz.round(parsed.data.round);
    if (!round) return reply.code(404).send(unknownRound(parsed.data.round));
    const match = matchProvince(parsed.data.province);
    if (match.kind !== 'found')
      return reply.code(400).send({
        error: 'Bad Request',
        message: `Query parameter province: "${parsed.data.province}" is not one of the 34 provincial-level units.`,
      });
    return {
      round: round.id,
      province: match.province.id,
      lines: await quiz.board(round, match.province.id, 50),
    };
  });

  const figuresDocs = adminDocs('quiz', 'Quiz figures for the report', {
    responses: { 200: json('Players, answers and scores per round') },
  });
  scope.get('/quiz/figures', { schema: figuresDocs }, async () => quiz.figures());
};
