import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type FoundChoice,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { QuizRound } from '../../src/quiz/bank.js';
import type { QuizService } from '../../src/quiz/service.js';
import { formatDateTime } from '../../src/registration/time.js';
import { MENU } from '../menu.js';
import {
  choiceOptions,
  choicePrompt,
  confirmOptions,
  confirmPrompt,
  endWithMenu,
  promptActivity,
  retryOrGiveUp,
} from '../registration/prompts.js';
import { provinceValidator } from '../registration/validators.js';
import { turnOf, type Turn } from '../turn.js';
import { boardText, duration, roundTitle } from './describe.js';

/** Id of the quiz dialog. */
export const QUIZ_DIALOG = 'quiz.take';
/** Prefix of an answer button: `QZ:<question index>:<choice index>`, nothing about correctness. */
export const ANSWER_PAYLOAD = 'QZ:';

const STEPS = 'steps';
const QUESTIONS = 'quiz.questions';
const PROVINCE = 'province';
const ANSWER = 'answer';
const BOARD = 'board';
const NICKNAME = 'nickname';

interface Values {
  roundId?: string;
  attemptId?: number;
}

/** Nickname: 2-20 letters, digits, spaces, dots, dashes; no phone number or e-mail address. */
export function normaliseNickname(text: string): string | undefined {
  const nick = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  const length = [...nick].length;
  if (length < 2 || length > 20) return undefined;
  if (!/^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} ._-]*$/u.test(nick)) return undefined;
  if ((nick.match(/\d/g) ?? []).length >= 6) return undefined;
  return nick;
}

async function nicknameValidator(pc: PromptValidatorContext<string>): Promise<boolean> {
  const nick = normaliseNickname(pc.recognized.value ?? '');
  if (nick) {
    pc.recognized.value = nick;
    return true;
  }
  if (retryOrGiveUp(pc)) return true;
  const turn = turnOf(pc.context);
  await turn.say(turn.t('quiz:badNickname'));
  return false;
}

function when(turn: Turn, epoch: number): string {
  return formatDateTime(epoch, turn.locale, turn.services.timezone);
}

/**
 * One attempt at the open round: province ▸ each question (answer, feedback, micro-lesson) ▸
 * score and certificate ▸ consent to be shown ▸ nickname ▸ the province's leaderboard. Every
 * answer is stored as it comes, so leaving and coming back resumes at the next question.
 */
export class QuizDialog extends ComponentDialog {
  constructor(private readonly service: QuizService) {
    super(QUIZ_DIALOG);
    this.addDialog(new TextPrompt(PROVINCE, provinceValidator));
    this.addDialog(choicePrompt(ANSWER));
    this.addDialog(confirmPrompt(BOARD));
    this.addDialog(new TextPrompt(NICKNAME, nicknameValidator));
    this.addDialog(
      new WaterfallDialog(STEPS, [
        (s) => this.intro(s),
        (s) => this.begin(s),
        (s) => this.score(s),
        (s) => this.askNickname(s),
        (s) => this.finish(s),
      ]),
    );
    this.addDialog(new WaterfallDialog(QUESTIONS, [(s) => this.ask(s), (s) => this.record(s)]));
    this.initialDialogId = STEPS;
  }

  private roundOf(step: WaterfallStepContext): QuizRound | undefined {
    const id = (step.values as Values).roundId ?? (step.options as Values | undefined)?.roundId;
    return id ? this.service.round(id) : undefined;
  }

  private async intro(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const now = turn.services.clock.now();
    const round = this.service.openRound(now);
    if (!round) {
      const next = this.service.nextRound(now);
      return endWithMenu(
        step,
        next
          ? turn.t('quiz:next', {
              title: roundTitle(next, turn.locale),
              opens: when(turn, next.opensAt),
            })
          : turn.t('quiz:none'),
      );
    }
    (step.values as Values).roundId = round.id;
    const channel = turn.context.activity.channelId;
    const existing = await this.service.repo.find(
      this.service.key(round, channel, turn.contact.userId),
    );
    if (existing?.finishedAt != null) {
      const text = turn.t('quiz:already', {
        title: roundTitle(round, turn.locale),
        score: existing.score,
        total: existing.total,
      });
      const board = existing.province
        ? await boardText(turn, this.service, round, existing.province, existing)
        : '';
      return endWithMenu(step, [text, board].filter(Boolean).join('\n\n'));
    }
    if (existing) {
      (step.values as Values).attemptId = existing.id;
      await turn.say(
        turn.t('quiz:resume', {
          answered: existing.answered,
          total: existing.total,
          next: existing.answered + 1,
        }),
      );
      if (existing.province) return step.next(existing.province);
    } else {
      const intro = turn.t('quiz:intro', {
        title: roundTitle(round, turn.locale),
        count: round.questions.length,
        closes: when(turn, round.closesAt),
      });
      await turn.say(round.demonstration ? `${intro}\n\n${turn.t('quiz:demonstration')}` : intro);
    }
    return step.prompt(PROVINCE, { prompt: promptActivity(turn.t('quiz:askProvince'), []) });
  }

  private async begin(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const province = step.result as string | undefined;
    const round = this.roundOf(step);
    if (province === undefined || !round) return endWithMenu(step, turn.t('quiz:paused'));
    const v = step.values as Values;
    if (v.attemptId === undefined) {
      const { attempt } = await this.service.start(
        round,
        {
          channel: turn.context.activity.channelId,
          userId: turn.contact.userId,
          locale: turn.locale,
          province,
        },
        turn.services.clock.now(),
      );
      v.attemptId = attempt.id;
    } else await this.service.repo.setProvince(v.attemptId, province);
    return step.beginDialog(QUESTIONS, { roundId: round.id, attemptId: v.attemptId });
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const { attemptId } = step.options as Values;
    const round = this.roundOf(step);
    const attempt = attemptId === undefined ? undefined : await this.service.repo.byId(attemptId);
    if (!round || !attempt) return step.endDialog({ finished: false });
    if (attempt.finishedAt !== null) return step.endDialog({ finished: true });
    const index = attempt.answered;
    const question = round.questions[index]!;
    const options = question.choices.map((c, i) => ({
      title: c[turn.locale],
      payload: `${ANSWER_PAYLOAD}${index}:${i}`,
    }));
    const text = turn.t('quiz:question', {
      n: index + 1,
      total: round.questions.length,
      text: question.text[turn.locale],
    });
    return step.prompt(ANSWER, choiceOptions(text, turn.t('quiz:retry'), options));
  }

  private async record(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const picked = step.result as FoundChoice | undefined;
    const round = this.roundOf(step);
    const { attemptId } = step.options as Values;
    const attempt = attemptId === undefined ? undefined : await this.service.repo.byId(attemptId);
    if (!picked || !round || !attempt) {
      await turn.say(turn.t('quiz:paused'));
      return step.endDialog({ finished: false });
    }
    const [, q, c] = picked.value.split(':');
    const outcome = await this.service.answer(
      round,
      attempt,
      Number(q),
      Number(c),
      turn.services.clock.now(),
    );
    if (outcome.kind === 'closed') {
      await turn.say(turn.t('quiz:closed', { closes: when(turn, round.closesAt) }));
      return step.endDialog({ finished: false });
    }
    if (outcome.kind === 'recorded') {
      const question = round.questions[Number(q)]!;
      const verdict = outcome.correct
        ? turn.t('quiz:right')
        : turn.t('quiz:wrong', { answer: question.choices[question.answer]![turn.locale] });
      await turn.say(
        `${verdict}\n${turn.t('quiz:lesson', { lesson: question.lesson[turn.locale] })}`,
      );
      if (outcome.attempt.finishedAt !== null) return step.endDialog({ finished: true });
    }
    return step.replaceDialog(QUESTIONS, step.options);
  }

  private async score(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const result = step.result as { finished?: boolean } | undefined;
    const round = this.roundOf(step);
    const attemptId = (step.values as Values).attemptId;
    const attempt = attemptId === undefined ? undefined : await this.service.repo.byId(attemptId);
    if (!result?.finished || !round || !attempt || attempt.finishedAt === null) {
      await turn.showMenu();
      return step.endDialog();
    }
    const seconds = Math.round((attempt.finishedAt - attempt.startedAt) / 1000);
    const lines = [
      turn.t('quiz:score', {
        score: attempt.score,
        total: attempt.total,
        time: duration(turn, seconds),
      }),
    ];
    const vars = {
      passMark: round.passMark,
      total: attempt.total,
      title: roundTitle(round, turn.locale),
    };
    if (this.service.passed(round, attempt))
      lines.push(turn.t(round.demonstration ? 'quiz:certificateDemo' : 'quiz:certificate', vars));
    else lines.push(turn.t('quiz:notPassed', vars));
    await turn.say(lines.join('\n\n'));
    return step.prompt(
      BOARD,
      confirmOptions(turn.t('quiz:askBoard'), turn.t('quiz:retryBoard'), {
        yes: turn.t('quiz:boardYes'),
        no: turn.t('quiz:boardNo'),
      }),
    );
  }

  private async askNickname(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    if (step.result !== true) {
      await this.service.repo.setBoard((step.values as Values).attemptId!, false, null);
      await turn.say(turn.t('quiz:boardHidden'));
      return step.next(undefined);
    }
    return step.prompt(NICKNAME, { prompt: promptActivity(turn.t('quiz:askNickname'), []) });
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const id = (step.values as Values).attemptId!;
    const nickname = step.result as string | undefined;
    if (nickname !== undefined) await this.service.repo.setBoard(id, true, nickname);
    const round = this.roundOf(step);
    const attempt = await this.service.repo.byId(id);
    if (!round || !attempt?.province) return endWithMenu(step, turn.t('quiz:boardNoProvince'));
    const board = await boardText(turn, this.service, round, attempt.province, attempt);
    await turn.say(board, [
      { title: turn.t('quiz:menu.board'), payload: 'QUIZ_BOARD' },
      { title: turn.t('common:about.backToMenu'), payload: MENU },
    ]);
    return step.endDialog();
  }
}
