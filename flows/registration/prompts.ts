import type { Activity } from 'botbuilder-core';
import {
  ChoicePrompt,
  ConfirmPrompt,
  ListStyle,
  type Choice as BotChoice,
  type ChoiceFactoryOptions,
  type DialogTurnResult,
  type FoundChoice,
  type PromptOptions,
  type PromptValidator,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { messageWithChoices } from '../../src/core/activities.js';
import { fold } from '../../src/core/text.js';
import { numberedText, turnOf } from '../turn.js';

/** Bad answers a prompt accepts before it gives up and shows the menu. */
export const MAX_TRIES = 3;

/** A button a prompt offers: tapped (payload), typed by number, or typed as its title / a synonym. */
export interface Option {
  title: string;
  payload: string;
  synonyms?: string[];
}

// botbuilder has no Vietnamese: list formatting for both languages, stated explicitly.
const LIST_STYLE: Record<'vi-vn' | 'en-us', ChoiceFactoryOptions> = {
  'vi-vn': {
    inlineSeparator: ', ',
    inlineOr: ' hoặc ',
    inlineOrMore: ', hoặc ',
    includeNumbers: true,
  },
  'en-us': { inlineSeparator: ', ', inlineOr: ' or ', inlineOrMore: ', or ', includeNumbers: true },
};

const YES_WORDS = new Set([
  'yes',
  'y',
  'yep',
  'yeah',
  'ok',
  'okay',
  'oke',
  'sure',
  'agree',
  'i agree',
  'confirm',
  'co',
  'co a',
  'coa',
  'dong y',
  'toi dong y',
  'vang',
  'vang a',
  'da',
  'da co',
  'u',
  'uh',
  'um',
  'duoc',
  'dc',
  'xac nhan',
  'chac chan',
  'dung',
  'dung roi',
  'xoa',
  'xoa du lieu',
  'delete',
  'delete my data',
  'huy dang ky',
  'rut lai',
  'da dong y',
  'yes they agreed',
]);
const NO_WORDS = new Set([
  'no',
  'n',
  'nope',
  'disagree',
  'i do not agree',
  'i dont agree',
  'dont',
  'keep',
  'keep it',
  'khong',
  'ko',
  'k',
  'kg',
  'hong',
  'hok',
  'khong a',
  'khong dong y',
  'toi khong dong y',
  'khong dau',
  'giu lai',
  'giu',
  'huy bo',
  'chua',
  'chua a',
  'chua dong y',
  'not yet',
]);

/** Yes / no for both languages (ConfirmPrompt's own defaults know no Vietnamese). */
const CONFIRM_DEFAULTS = {
  'vi-vn': {
    choices: [
      { value: 'Có', synonyms: ['có', 'co', 'đồng ý', 'dong y', 'vâng', 'ok'] },
      { value: 'Không', synonyms: ['không', 'khong', 'ko', 'không đồng ý'] },
    ],
    options: LIST_STYLE['vi-vn'],
  },
  'en-us': {
    choices: [
      { value: 'Yes', synonyms: ['yes', 'ok', 'agree'] },
      { value: 'No', synonyms: ['no', 'disagree'] },
    ],
    options: LIST_STYLE['en-us'],
  },
};

/** A prompt message: numbered text plus the same choices as buttons (suggested actions). */
export function promptActivity(text: string, options: Option[]): Partial<Activity> {
  if (options.length === 0) return messageWithChoices(text);
  const activity = messageWithChoices(
    numberedText(text, options),
    options.map((o) => ({ title: o.title, payload: o.payload })),
  );
  activity.channelData = { numbered: true };
  return activity;
}

/** Options for a ChoicePrompt made of our own buttons (the prompt itself renders nothing). */
export function choiceOptions(text: string, retry: string, options: Option[]): PromptOptions {
  const choices: BotChoice[] = options.map((o) => ({
    value: o.payload,
    synonyms: [o.title, fold(o.title), ...(o.synonyms ?? [])],
  }));
  return {
    prompt: promptActivity(text, options),
    retryPrompt: promptActivity(retry, options),
    choices,
    style: ListStyle.none,
  };
}

/** Options for a ConfirmPrompt with "yes"/"no" buttons titled for the question. */
export function confirmOptions(
  text: string,
  retry: string,
  titles: { yes: string; no: string },
): PromptOptions {
  const options = [
    { title: titles.yes, payload: 'YES' },
    { title: titles.no, payload: 'NO' },
  ];
  return {
    prompt: promptActivity(text, options),
    retryPrompt: promptActivity(retry, options),
    style: ListStyle.none,
  };
}

/**
 * After MAX_TRIES bad answers the prompt ends with no value: the next step sees `undefined`
 * and gives up to the menu (see `giveUp`).
 */
export function retryOrGiveUp<T>(pc: PromptValidatorContext<T>): boolean {
  if (pc.attemptCount < MAX_TRIES) return false;
  pc.recognized.succeeded = false;
  pc.recognized.value = undefined;
  return true;
}

function exactChoice(text: string, choices: BotChoice[]): FoundChoice | undefined {
  const trimmed = text.normalize('NFC').trim();
  const byPayload = choices.findIndex((c) => c.value === trimmed);
  if (byPayload >= 0) return { value: choices[byPayload]!.value, index: byPayload, score: 1 };
  const number = /^(\d{1,2})[.)]?$/.exec(trimmed);
  if (number) {
    const index = Number(number[1]) - 1;
    const choice = choices[index];
    return choice ? { value: choice.value, index, score: 1 } : undefined;
  }
  const folded = fold(trimmed);
  if (!folded) return undefined;
  const bySynonym = choices.findIndex((c) => (c.synonyms ?? []).some((s) => fold(s) === folded));
  return bySynonym >= 0
    ? { value: choices[bySynonym]!.value, index: bySynonym, score: 1 }
    : undefined;
}

/** Validator for our choice prompts: exact tap / number / title first, then botbuilder's match. */
export const choiceValidator: PromptValidator<FoundChoice> = async (pc) => {
  const exact = exactChoice(
    pc.context.activity.text ?? '',
    (pc.options.choices ?? []) as BotChoice[],
  );
  if (exact) {
    pc.recognized.succeeded = true;
    pc.recognized.value = exact;
    return true;
  }
  if (pc.recognized.succeeded) return true;
  return retryOrGiveUp(pc);
};

/** Validator for yes/no prompts: our buttons, numbers and words in both languages first. */
export const confirmValidator: PromptValidator<boolean> = async (pc) => {
  const text = fold(pc.context.activity.text ?? '');
  let value: boolean | undefined;
  if (text === '1' || YES_WORDS.has(text)) value = true;
  else if (text === '2' || NO_WORDS.has(text)) value = false;
  if (value !== undefined) {
    pc.recognized.succeeded = true;
    pc.recognized.value = value;
    return true;
  }
  if (pc.recognized.succeeded) return true;
  return retryOrGiveUp(pc);
};

/** A ChoicePrompt with explicit vi-vn / en-us defaults and our validator. */
export function choicePrompt(id: string): ChoicePrompt {
  const prompt = new ChoicePrompt(id, choiceValidator, 'vi-vn', LIST_STYLE);
  prompt.style = ListStyle.none;
  return prompt;
}

/** A ConfirmPrompt with explicit vi-vn / en-us yes/no and our validator. */
export function confirmPrompt(id: string): ConfirmPrompt {
  const prompt = new ConfirmPrompt(id, confirmValidator, 'vi-vn', CONFIRM_DEFAULTS);
  prompt.style = ListStyle.none;
  return prompt;
}

/** Ends the dialog after too many bad answers, with an explanation and the menu. */
export async function giveUp(step: WaterfallStepContext): Promise<DialogTurnResult> {
  const turn = turnOf(step.context);
  await turn.showMenu(turn.t('registration:gaveUp'));
  return step.endDialog();
}

/** Ends the dialog with a message and the main menu. */
export async function endWithMenu(
  step: WaterfallStepContext,
  text: string,
): Promise<DialogTurnResult> {
  await turnOf(step.context).showMenu(text);
  return step.endDialog();
}
