import { isSyllable } from './segment.js';
import { phraseRules, rewritePhrases, type PhraseRule } from './synonyms.js';

/**
 * English words citizens drop into Vietnamese sentences ("deadline nộp report lên Bộ"), with the
 * Vietnamese the questions use for them (folded).
 */
const ENGLISH_IN_VIETNAMESE: Readonly<Record<string, string>> = {
  report: 'bao cao',
  deadline: 'han chot',
  theme: 'chu de',
  topic: 'chu de',
  contest: 'cuoc thi',
  competition: 'cuoc thi',
  opening: 'khai mac',
  'opening ceremony': 'le khai mac',
  library: 'thu vien',
  address: 'dia chi',
  community: 'cong dong',
  'school year': 'nam hoc',
  student: 'sinh vien',
  register: 'dang ky',
  registration: 'dang ky',
  course: 'khoa hoc',
  start: 'bat dau',
  end: 'ket thuc',
  award: 'khen thuong',
  'social media': 'mang xa hoi',
  event: 'tuan le',
  school: 'truong hoc',
  activity: 'hoat dong',
  join: 'tham gia',
  free: 'mien phi',
  schedule: 'lich',
  plan: 'ke hoach',
  share: 'chia se',
  'digital transformation': 'chuyen doi so',
  'lifelong learning': 'hoc tap suot doi',
  ministry: 'bo',
  province: 'tinh',
  organiser: 'ban to chuc',
  organise: 'to chuc',
  role: 'vai tro',
  list: 'danh sach',
  budget: 'kinh phi',
  funding: 'kinh phi',
  purpose: 'muc dich',
  online: 'truc tuyen',
};

let rules: PhraseRule[] | undefined;

/**
 * The rules, longest first; built on first use. A stem that is also a Vietnamese syllable
 * ("banner" -> "ban") is left out: it would rewrite Vietnamese words.
 */
function ruleList(): PhraseRule[] {
  rules ??= phraseRules(Object.entries(ENGLISH_IN_VIETNAMESE)).filter(
    (r) => !r.from.some(isSyllable),
  );
  return rules;
}

/** True when some words of the list are English ones a Vietnamese sentence may borrow. */
export function hasBorrowedEnglish(words: readonly string[]): boolean {
  const rules = ruleList();
  return words.some((w) => rules.some((r) => r.from[0] === w));
}

/** Replaces the borrowed English words of a (folded, stemmed) word list by their Vietnamese. */
export function bridged(words: readonly string[]): string[] {
  return rewritePhrases(words, ruleList());
}
