import {
  ComponentDialog,
  DialogReason,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';

/** Where a waterfall keeps the input of each step, to run a step again (dialog state only). */
const INPUTS = '__stepInputs';

/**
 * A waterfall that can ask its current question again from scratch: it remembers what each step
 * was given, so after a language switch the step runs again and builds its prompt in the new
 * language (a plain reprompt would repeat the stored text in the old one).
 */
export class ReaskableWaterfall extends WaterfallDialog {
  protected override async onStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as Record<string, unknown>;
    const inputs = (values[INPUTS] ??= {}) as Record<string, unknown>;
    inputs[String(step.index)] = step.result ?? null;
    return super.onStep(step);
  }

  /** Runs the current step again with the input it had (the waterfall is `dc`'s active dialog). */
  async reask(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as { stepIndex: number; values: Record<string, unknown> };
    const inputs = (state.values[INPUTS] ?? {}) as Record<string, unknown>;
    const input = inputs[String(state.stepIndex)];
    return this.runStep(dc, state.stepIndex, DialogReason.nextCalled, input ?? undefined);
  }
}

/**
 * Asks the active dialog's question again in the turn's (possibly new) language: a component
 * whose waterfall waits on a prompt runs that step again; anything else is reprompted.
 */
export async function reaskDialog(dc: DialogContext): Promise<void> {
  const active = dc.activeDialog;
  if (!active) return;
  const dialog = dc.findDialog(active.id);
  if (dialog instanceof ComponentDialog) {
    const inner = dialog.createChildContext(dc);
    // The stack grows at its end: the prompt last, the waterfall that asked it just before.
    const below = inner.stack.length >= 2 ? inner.stack[inner.stack.length - 2] : undefined;
    const waterfall = below ? inner.findDialog(below.id) : undefined;
    if (waterfall instanceof ReaskableWaterfall) {
      inner.stack.pop(); // the prompt goes; its step asks anew
      const result = await waterfall.reask(inner);
      if (result.status === DialogTurnStatus.complete) await dc.endDialog(result.result);
      return;
    }
  }
  await dc.repromptDialog();
}
