import { fold } from '../src/core/text.js';
import type { Locale } from '../src/core/events.js';

/** Words recognised anywhere in a conversation, even in the middle of a dialog. */
export type GlobalIntent =
  | { kind: 'greeting' }
  | { kind: 'menu' }
  | { kind: 'cancel' }
  | { kind: 'thanks' }
  | { kind: 'language'; locale: Locale };

const GREETING =
  /^(xin chao|chao|chao ban|chao bot|alo|hi|hello|hey|good (morning|afternoon|evening)|chao buoi (sang|chieu|toi))( (ban|bot|ad|admin|em|anh|chi|a|ạ))*$/;
const MENU =
  /^(menu|bat dau|start|get started|help|giup|giup do|tro giup|huong dan|danh muc|main menu|ve menu|quay lai)$/;
const CANCEL = /^(huy|huy bo|thoat|cancel|quit|exit|thoi|khong lam nua)$/;
const THANKS =
  /^(cam on|cam on ban|cam on nhieu|cam on ban nhieu|thanks|thank you|thank you very much|tks|thank|ok cam on)$/;
const VIETNAMESE = /^(tieng viet|vietnamese|viet|vi)$/;
const ENGLISH = /^(english|tieng anh|en|eng)$/;

/** Recognises the global words in what a user typed (diacritics and case ignored). */
export function globalIntent(text: string): GlobalIntent | undefined {
  const folded = fold(text);
  if (!folded) return undefined;
  if (GREETING.test(folded)) return { kind: 'greeting' };
  if (MENU.test(folded)) return { kind: 'menu' };
  if (CANCEL.test(folded)) return { kind: 'cancel' };
  if (THANKS.test(folded)) return { kind: 'thanks' };
  if (VIETNAMESE.test(folded)) return { kind: 'language', locale: 'vi' };
  if (ENGLISH.test(folded)) return { kind: 'language', locale: 'en' };
  return undefined;
}
