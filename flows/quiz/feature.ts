import { fold } from '../../src/core/text.js';
import type { QuizService } from '../../src/quiz/service.js';
import type { Feature } from '../feature.js';
import type { Turn } from '../turn.js';
import { boardText } from './describe.js';
import { ANSWER_PAYLOAD, QUIZ_DIALOG, QuizDialog } from './quiz-dialog.js';

/** Payload of the quiz's menu entry. */
export const QUIZ = 'QUIZ';
/** Payload of the leaderboard button. */
export const QUIZ_BOARD = 'QUIZ_BOARD';

// Whole messages only (folded): "cuộc thi công dân học tập là gì" stays a question for the FAQ.
const QUIZ_WORDS =
  /^((toi )?(muon )?(du thi|tham gia (cuoc )?thi|thi thu|lam bai thi|vao thi|bat dau thi|choi)( trac nghiem| tim hieu)?( nhe| a)?|thi|cuoc thi|cuoc thi tim hieu|thi trac nghiem|thi tim hieu|quiz|(take|start|play)( the)? quiz|quiz contest)$/;
const BOARD_WORDS =
  /^((xem )?(bang )?xep hang( cuoc thi| thi)?|ket qua (cuoc )?thi|leaderboard|(show )?(the )?leaderboard|ranking)$/;
const PAYLOAD_TEXT = /^(QUIZ|QUIZ_BOARD|QZ:\d{1,2}:\d)$/;

async function begin(turn: Turn): Promise<boolean> {
  await turn.dc.cancelAllDialogs();
  await turn.dc.beginDialog(QUIZ_DIALOG);
  return true;
}

/** The leaderboard of the latest round for the person's province (from their attempt). */
async function showBoard(turn: Turn, service: QuizService): Promise<boolean> {
  const round = service.latestRound(turn.services.clock.now());
  if (!round) {
    await turn.showMenu(turn.t('quiz:boardNoRound'));
    return true;
  }
  const mine = await service.repo.find(
    service.key(round, turn.context.activity.channelId, turn.contact.userId),
  );
  const province = mine?.province ?? turn.contact.province;
  if (!province) {
    await turn.say(turn.t('quiz:boardNoProvince'), [
      { title: turn.t('quiz:takeQuiz'), payload: QUIZ },
    ]);
    return true;
  }
  await turn.say(await boardText(turn, service, round, province, mine), [
    { title: turn.t('quiz:takeQuiz'), payload: QUIZ },
    { title: turn.t('common:about.backToMenu'), payload: 'MENU' },
  ]);
  return true;
}

/** The quiz contest: menu entry, "thi" / "dự thi" / "quiz", the leaderboard, ref `quiz`. */
export function quizFeature(service: QuizService): Feature {
  async function onPayload(turn: Turn, payload: string): Promise<boolean> {
    // An answer button tapped after the dialog ended resumes the attempt at its next question.
    if (payload === QUIZ || payload.startsWith(ANSWER_PAYLOAD)) return begin(turn);
    if (payload === QUIZ_BOARD) return showBoard(turn, service);
    return false;
  }
  return {
    name: 'quiz',
    menu: [{ payload: QUIZ, titleKey: 'quiz:menu.quiz' }],
    dialogs: [new QuizDialog(service)],
    onPayload,
    async onText(turn) {
      const raw = turn.text.trim();
      if (PAYLOAD_TEXT.test(raw)) return onPayload(turn, raw);
      const text = fold(raw);
      if (QUIZ_WORDS.test(text)) return begin(turn);
      if (BOARD_WORDS.test(text)) return showBoard(turn, service);
      return false;
    },
    async onRef(turn, ref) {
      return ref === 'quiz' ? begin(turn) : false;
    },
  };
}
