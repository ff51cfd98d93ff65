import { fold, wordTable } from '../core/text.js';
import { repairCommandWord } from './command-lexicon.js';

/** Chat spellings of the words commands are made of (folded), on top of the question table. */
const SPELLINGS: Readonly<Record<string, string>> = wordTable({
  ko: 'khong',
  k: 'khong',
  kh: 'khong',
  khg: 'khong',
  kg: 'khong',
  k0: 'khong',
  hok: 'khong',
  hk: 'khong',
  hong: 'khong',
  hem: 'khong',
  khum: 'khong',
  hông: 'khong',
  mun: 'muon',
  mu0n: 'muon',
  tb: 'thong bao',
  tbao: 'thong bao',
  tn: 'tin nhan',
  dl: 'du lieu',
  sdt: 'sdt',
  dt: 'sdt',
  tt: 'thong tin',
  ttin: 'thong tin',
  dc: 'duoc',
  dk: 'dang ky',
  dky: 'dang ky',
  dki: 'dang ky',
  nx: 'nua',
  z: 'vay',
  v: 'vay',
  r: 'roi',
  e: 'em',
  mk: 'minh',
  mik: 'minh',
  ad: 'admin',
  pls: 'please',
  plz: 'please',
  u: 'you',
  ur: 'your',
  eng: 'english',
  thanks: 'thanks',
  thank: 'thanks',
  tks: 'thanks',
  thks: 'thanks',
  thx: 'thanks',
  tk: 'thanks',
  tkс: 'thanks',
  ty: 'thanks',
  tku: 'thanks',
  camon: 'cam on',
  cmon: 'cam on',
  unsub: 'unsubscribe',
  gium: 'giup',
  dum: 'giup',
  giùm: 'giup',
  thui: 'thoi',
  j: 'gi',
  ji: 'gi',
  dug: 'dung',
  nt: 'tin nhan',
  nhiu: 'nhieu',
  nghe: 'nhe',
  nghen: 'nhe',
  hen: 'nhe',
  tui: 'toi',
});

/** English word families, cut to their stem ("messages", "messaging" -> "messag"). */
const STEMS: ReadonlyArray<[RegExp, string]> = [
  [/^unsubscri/, 'unsubscribe'],
  [/^subscri/, 'subscribe'],
  [/^messag/, 'messag'],
  [/^notif/, 'notif'],
  [/^announc/, 'announc'],
  [/^receiv/, 'receiv'],
  [/^(send|sending|sends)$/, 'send'],
  [/^(texts|texting|texted)$/, 'text'],
  [/^(updates)$/, 'update'],
  [/^(alerts)$/, 'alert'],
  [/^(spamming|spams)$/, 'spam'],
  [/^(deleting|deleted)$/, 'delete'],
  [/^(erasing|erased)$/, 'erase'],
  [/^(removing|removed)$/, 'remove'],
  [/^(details)$/, 'detail'],
  [/^(records)$/, 'record'],
];

/** Word pairs read as one word, so that "thông tin" is no "tin" and "tiếng Anh" one language. */
export const PAIRS: ReadonlyArray<[RegExp, string]> = [
  [/\bso dien thoai\b|\bdien thoai\b/g, 'sdt'],
  [/\bnhu the nao\b/g, 'the nao'],
  [/\bthong tin\b/g, 'thongtin'],
  [/\bnhan biet\b/g, 'nhanbiet'],
  [/\btin gia\b/g, 'tingia'],
  [/\bthong b(?:ao|au|oa|o)\b/g, 'thongbao'],
  [/\btin nhan\b/g, 'tinnhan'],
  [/\btin tuc\b/g, 'tintuc'],
  [/\btin moi\b/g, 'tinmoi'],
  [/\bdu lieu\b/g, 'dulieu'],
  [/\bdang k[yi]\b/g, 'dangky'],
  [/\btieng anh\b|\banh ngu\b|\benglish\b/g, 'tienganh'],
  [/\btieng viet\b|\bviet ngu\b|\bvietnamese\b/g, 'tiengviet'],
  [/\bcam on\b|\bcam ta\b/g, 'camon'],
  [/\bthank you\b|\bthanks you\b/g, 'thanks'],
  [/\bxin chao\b/g, 'xinchao'],
  [/\bca nhan\b/g, 'canhan'],
  [/\bdong y\b/g, 'dongy'],
  [/\btai khoan\b/g, 'taikhoan'],
  [/\bho so\b/g, 'hoso'],
  [/\bkiem tra\b/g, 'kiemtra'],
  [/\bthu thap\b/g, 'thuthap'],
  [/\bkhi nao\b/g, 'khinao'],
  [/\bbao gio\b/g, 'baogio'],
  [/\bbao lau\b/g, 'baolau'],
  [/\bo dau\b/g, 'odau'],
  [/\btu dong\b/g, 'tudong'],
  [/\btra loi\b/g, 'traloi'],
  [/\bngon ngu\b/g, 'ngonngu'],
  [/\bopt out\b/g, 'optout'],
  [/\bopt in\b/g, 'optin'],
  [/\bgo bo\b/g, 'gobo'],
  [/\bdanh sach\b/g, 'danhsach'],
  [/\bdanh muc\b/g, 'danhmuc'],
  [/\bbo qua\b/g, 'boqua'],
  [/\bxoa bo\b/g, 'xoabo'],
  // Compounds whose second syllable folds to a person word ("thông minh" is no "mình").
  [/\b(thong|chung|van|thuyet|binh|lien) minh\b/g, '$1minh'],
  [/\bminh (hoa|bach)\b/g, 'minh$1'],
  [/\btre em\b/g, 'treem'],
  [/\bbuoi toi\b/g, 'buoitoi'],
];

/** "dùng" (use), "đúng" (right), "dụng": they fold like "dừng" / "đừng" but stop nothing. */
const NOT_STOP = /(?<![\p{L}\p{M}])(dùng|đúng|dụng|dũng)(?![\p{L}\p{M}])/gu;
const INVISIBLE = /[\u200b-\u200f\u2060\ufeff\u00ad]/g;

/**
 * The words of a message as command rules read them: zero-width characters dropped, NFC, "n't"
 * joined ("dont"), folded, chat spellings expanded, Telex leftovers repaired and run-together
 * words split (`repairCommandWord`), English families stemmed, word pairs joined.
 */
export function commandTokens(raw: string): string[] {
  const marked = raw
    .replace(INVISIBLE, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(NOT_STOP, 'dungx')
    .replace(/n['’]t\b/g, 'nt')
    .replace(/['’](s|m|re|ll|d|ve)\b/g, '');
  const words = fold(marked).split(' ').filter(Boolean).flatMap(wordTokens);
  return joinPairs(words.join(' ')).split(' ').filter(Boolean);
}

/**
 * One folded word as command tokens (chat spelling, repair, stem), remembered: citizens write the
 * same few thousand words again and again, and repairing one costs more than the rest of a rule.
 */
const WORD_TOKENS = new Map<string, readonly string[]>();
const WORD_TOKENS_MAX = 20_000;

function wordTokens(word: string): readonly string[] {
  let tokens = WORD_TOKENS.get(word);
  if (tokens) return tokens;
  tokens = (SPELLINGS[word]?.split(' ') ?? repairCommandWord(word).map((r) => SPELLINGS[r] ?? r))
    .flatMap((w) => w.split(' '))
    .map((w) => STEMS.find(([re]) => re.test(w))?.[1] ?? w);
  // A flood of made-up words must not grow the heap without bound.
  if (WORD_TOKENS.size >= WORD_TOKENS_MAX) WORD_TOKENS.clear();
  WORD_TOKENS.set(word, tokens);
  return tokens;
}

/**
 * A text every match of `re` contains: for each top-level alternative, its longest run of plain
 * characters outside groups, classes and optional parts ("thong b" for /\bthong b(?:ao|o)\b/).
 * Undefined when some alternative has none (the pair is then always tried).
 */
function requiredTexts(re: RegExp): string[] | undefined {
  const alternatives: string[] = [];
  let depth = 0;
  let start = 0;
  const source = re.source;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '|' && depth === 0) {
      alternatives.push(source.slice(start, i));
      start = i + 1;
    }
  }
  alternatives.push(source.slice(start));
  const required: string[] = [];
  for (const alternative of alternatives) {
    let best = '';
    let run = '';
    let level = 0;
    const endRun = () => {
      if (run.length > best.length) best = run;
      run = '';
    };
    for (let i = 0; i < alternative.length; i++) {
      const c = alternative[i]!;
      if (c === '\\') {
        i++;
        endRun();
      } else if (c === '(' || c === '[') {
        level++;
        endRun();
      } else if (c === ')' || c === ']') {
        level--;
        endRun();
      } else if ('?*+{'.includes(c)) {
        // The character before a quantifier may be missing (or repeated): not required as is.
        run = run.slice(0, -1);
        endRun();
      } else if (level === 0 && /[a-z ]/.test(c)) run += c;
      else endRun();
    }
    endRun();
    if (!best) return undefined;
    required.push(best);
  }
  return required;
}

/** The pairs, each with the texts one of which a text must contain for the pair to apply. */
const PAIR_CHECKS = PAIRS.map(([re, joined]) => ({ re, joined, needs: requiredTexts(re) }));

/** Joins the word pairs of a folded text (PAIRS, in order), skipping pairs it cannot contain. */
export function joinPairs(folded: string): string {
  let text = folded;
  for (const { re, joined, needs } of PAIR_CHECKS)
    if (!needs || needs.some((n) => text.includes(n))) text = text.replace(re, joined);
  return text;
}
