import type { PromptValidatorContext } from 'botbuilder-dialogs';
import { matchProvince, PROVINCES, provinceName } from '../../src/registration/provinces.js';
import { normaliseName, normalisePhone } from '../../src/registration/validate.js';
import { turnOf } from '../turn.js';
import { retryOrGiveUp } from './prompts.js';

/** Payload of a province candidate button (offered when a typed name is ambiguous). */
const PROVINCE_PAYLOAD = 'REG_PROVINCE:';

/** Full name: re-asks with the reason it was refused; the value becomes the tidied name. */
export async function nameValidator(pc: PromptValidatorContext<string>): Promise<boolean> {
  const result = normaliseName(pc.recognized.value ?? '');
  if (result.ok) {
    pc.recognized.value = result.name;
    return true;
  }
  if (retryOrGiveUp(pc)) return true;
  const turn = turnOf(pc.context);
  await turn.say(turn.t(`registration:badName.${result.problem}`));
  return false;
}

/** Phone: re-asks with the reason; the value becomes the +84 form. */
export async function phoneValidator(pc: PromptValidatorContext<string>): Promise<boolean> {
  const result = normalisePhone(pc.recognized.value ?? '');
  if (result.ok) {
    pc.recognized.value = result.phone;
    return true;
  }
  if (retryOrGiveUp(pc)) return true;
  const turn = turnOf(pc.context);
  await turn.say(turn.t(`registration:badPhone.${result.problem}`));
  return false;
}

/** Province: current or former name, typo-tolerant; the value becomes the unit id. */
export async function provinceValidator(pc: PromptValidatorContext<string>): Promise<boolean> {
  const turn = turnOf(pc.context);
  const text = pc.recognized.value ?? '';
  // A tapped candidate, or its number typed (the bot maps numbers to the last buttons).
  const picked = [text, turn.payload].find((p) => p?.startsWith(PROVINCE_PAYLOAD));
  const match = matchProvince(picked ? picked.slice(PROVINCE_PAYLOAD.length) : text);
  if (match.kind === 'found') {
    pc.recognized.value = match.province.id;
    return true;
  }
  if (retryOrGiveUp(pc)) return true;
  if (match.kind === 'ambiguous') {
    await turn.say(
      turn.t('registration:ambiguousProvince'),
      match.candidates.map((p) => ({
        title: provinceName(p.id, turn.locale),
        payload: `${PROVINCE_PAYLOAD}${p.id}`,
      })),
      { numbered: true },
    );
    return false;
  }
  await turn.say(
    turn.t('registration:badProvince', {
      text: [...text].slice(0, 40).join(''),
      list: PROVINCES.map((p) => provinceName(p.id, turn.locale)).join(', '),
    }),
  );
  return false;
}
