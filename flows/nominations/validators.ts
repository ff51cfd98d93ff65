import type { PromptValidatorContext } from 'botbuilder-dialogs';
import {
  normaliseCommune,
  normaliseContact,
  normaliseNomineeName,
  normaliseStory,
  STORY_MAX,
  STORY_MIN,
} from '../../src/nominations/validate.js';
import { retryOrGiveUp } from '../registration/prompts.js';
import { turnOf } from '../turn.js';

type Normalise = (text: string) => string | undefined;

/** A text prompt validator: the value becomes the tidied text, or the re-ask says why. */
function validator(normalise: Normalise, retryKey: (text: string) => string) {
  return async (pc: PromptValidatorContext<string>): Promise<boolean> => {
    const text = pc.recognized.value ?? '';
    const value = normalise(text);
    if (value !== undefined) {
      pc.recognized.value = value;
      return true;
    }
    if (retryOrGiveUp(pc)) return true;
    const turn = turnOf(pc.context);
    await turn.say(turn.t(retryKey(text), { min: STORY_MIN, max: STORY_MAX }));
    return false;
  };
}

/** The nominee's full name; nonsense gets its own re-ask. */
export const nomineeNameValidator = validator(
  (text) => {
    const r = normaliseNomineeName(text);
    return r.ok ? r.name : undefined;
  },
  (text) => {
    const r = normaliseNomineeName(text);
    return `nominations:badName.${r.ok ? 'nonsense' : r.problem}`;
  },
);

/** Commune or ward. */
export const communeValidator = validator(normaliseCommune, () => 'nominations:badCommune');

/** Phone or e-mail. */
export const contactValidator = validator(normaliseContact, () => 'nominations:badContact');

/** The story: too short is asked again; too long is kept cut, and the person is told. */
export async function storyValidator(pc: PromptValidatorContext<string>): Promise<boolean> {
  const result = normaliseStory(pc.recognized.value ?? '');
  const turn = turnOf(pc.context);
  if (result.ok) {
    pc.recognized.value = result.story;
    if (result.cut) await turn.say(turn.t('nominations:storyCut', { max: STORY_MAX }));
    return true;
  }
  if (retryOrGiveUp(pc)) return true;
  await turn.say(turn.t('nominations:shortStory', { min: STORY_MIN }));
  return false;
}
