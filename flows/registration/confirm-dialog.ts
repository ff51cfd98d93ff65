import {
  ComponentDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { ReaskableWaterfall } from '../reask.js';
import { turnOf, type Turn } from '../turn.js';
import { confirmOptions, confirmPrompt, giveUp } from './prompts.js';

/** The question of a confirm-then-act dialog, or a reason to stop before asking. */
export type Question = { ask: string; retry: string; yes: string; no: string } | { stop: string };

/**
 * A small dialog for actions that ask first (cancel a registration, delete my data, withdraw
 * consent): `question` builds the question (or stops), `act` runs on "yes", `kept` on "no".
 */
export abstract class ConfirmThenDialog<O extends object> extends ComponentDialog {
  constructor(id: string) {
    super(id);
    this.addDialog(confirmPrompt('confirm'));
    this.addDialog(new ReaskableWaterfall('steps', [(s) => this.ask(s), (s) => this.answer(s)]));
    this.initialDialogId = 'steps';
  }

  protected abstract question(turn: Turn, options: O): Promise<Question>;
  protected abstract act(turn: Turn, options: O): Promise<void>;
  protected abstract kept(turn: Turn, options: O): Promise<void>;

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const q = await this.question(turn, step.options as O);
    if ('stop' in q) {
      await turn.showMenu(q.stop);
      return step.endDialog();
    }
    return step.prompt('confirm', confirmOptions(q.ask, q.retry, { yes: q.yes, no: q.no }));
  }

  private async answer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const yes = step.result as boolean | undefined;
    if (yes === undefined) return giveUp(step);
    if (yes) await this.act(turn, step.options as O);
    else await this.kept(turn, step.options as O);
    return step.endDialog();
  }
}
