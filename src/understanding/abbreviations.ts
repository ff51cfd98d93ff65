import { wordTable } from '../core/text.js';
import { regionalWord } from './regional.js';

/**
 * Chat abbreviations Vietnamese users type, in folded form, and what they stand for. A few are
 * ambiguous and decided by their neighbours (see `expandAbbreviations`).
 */
export const ABBREVIATIONS: Readonly<Record<string, string>> = wordTable({
  // không
  ko: 'khong',
  k: 'khong',
  kh: 'khong',
  khg: 'khong',
  kg: 'khong',
  k0: 'khong',
  hok: 'khong',
  hk: 'khong',
  hem: 'khong',
  khum: 'khong',
  hong: 'khong',
  // được, đăng ký
  dc: 'duoc',
  dk: 'dang ky',
  dky: 'dang ky',
  dki: 'dang ky',
  dangky: 'dang ky',
  // question words
  ntn: 'nhu the nao',
  j: 'gi',
  ji: 'gi',
  gj: 'gi',
  bh: 'bao gio',
  bjo: 'bao gio',
  bgio: 'bao gio',
  bnhieu: 'bao nhieu',
  bnh: 'bao nhieu',
  // days and time
  t2: 'thu hai',
  t3: 'thu ba',
  t4: 'thu tu',
  t5: 'thu nam',
  t6: 'thu sau',
  t7: 'thu bay',
  cn: 'chu nhat',
  hnay: 'hom nay',
  hqua: 'hom qua',
  tg: 'thoi gian',
  tgian: 'thoi gian',
  // people and bodies
  ng: 'nguoi',
  mn: 'moi nguoi',
  mng: 'moi nguoi',
  ngta: 'nguoi ta',
  hs: 'hoc sinh',
  sv: 'sinh vien',
  gv: 'giao vien',
  ph: 'phu huynh',
  ubnd: 'uy ban nhan dan',
  gd: 'giao duc',
  gddt: 'giao duc va dao tao',
  gdtx: 'giao duc thuong xuyen',
  bgddt: 'bo giao duc va dao tao',
  sgddt: 'so giao duc va dao tao',
  cntt: 'cong nghe thong tin',
  // the Week
  htsd: 'hoc tap suot doi',
  cds: 'chuyen doi so',
  onl: 'online',
  // everyday chat
  tl: 'tra loi',
  sn: 'sinh nhat',
  tt: 'thong tin',
  ttin: 'thong tin',
  vs: 'voi',
  r: 'roi',
  z: 'vay',
  zay: 'vay',
  dzay: 'vay',
  lm: 'lam',
  bik: 'biet',
  bjk: 'biet',
  bk: 'biet',
  dnghiep: 'doanh nghiep',
  wa: 'qua',
  ms: 'moi',
  nx: 'nua',
  cx: 'cung',
  trc: 'truoc',
  ns: 'noi',
  nhiu: 'nhieu',
  thui: 'thoi',
  mk: 'minh',
  mik: 'minh',
  ad: 'admin',
  // English chat
  u: 'you',
  ur: 'your',
  pls: 'please',
  plz: 'please',
  wat: 'what',
  wht: 'what',
  whn: 'when',
  tmr: 'tomorrow',
  tmrw: 'tomorrow',
  tdy: 'today',
  whats: 'what',
  bc: 'bao cao',
  fb: 'facebook',
});

/** Words after which "bn" means "bao nhiêu" (how many) rather than "bạn" (you). */
const COUNTED = new Set([
  'ngay',
  'tuan',
  'thang',
  'nam',
  'gio',
  'phut',
  'tien',
  'nguoi',
  'lau',
  'khoa',
  'lop',
  'su',
  'hoat',
  'buoi',
  'dong',
  'lan',
  'cau',
  'chi',
]);
/** Words after which a chat "r" is "are" rather than "rồi" (it also is at the start). */
const BEFORE_ARE = new Set(['there', 'they', 'we', 'you', 'u', 'the', 'any', 'these', 'those']);
/** Words after which a chat "hok" is "học" (học tập, học sinh, học viên) rather than "không". */
const AFTER_HOC = new Set(['tap', 'sinh', 'vien', 'online', 'truc']);

/** Words after which a chat "tl" is "tuần lễ" (the Week's name follows) rather than "trả lời". */
const AFTER_TUAN_LE = new Set(['hoc', 'htsd', 'nay', 'nam', 'dien', 'bat', 'ket', 'keo']);

/** Words before which "bn" at the end means "bao nhiêu" ("còn bn", "mất bn", "hết bn"). */
const BEFORE_COUNT = new Set(['con', 'mat', 'het', 'la', 'duoc', 'tra']);

/**
 * Expands abbreviations in a list of folded words. Ambiguous ones use their neighbours:
 * "bn" is "bao nhiêu" before a counted noun or after "còn/mất/hết", else "bạn"; "v" is "vậy" at
 * the end and "về" elsewhere.
 */
export function expandAbbreviations(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    const next = words[i + 1];
    const prev = words[i - 1];
    let expanded: string | undefined;
    if (word === 'bn') {
      const counting =
        (next !== undefined && COUNTED.has(next)) ||
        (next === undefined && prev !== undefined && BEFORE_COUNT.has(prev));
      expanded = counting ? 'bao nhieu' : 'ban';
    } else if (
      word === 'r' &&
      (prev === undefined || (next !== undefined && BEFORE_ARE.has(next)))
    ) {
      expanded = 'are'; // "r there awards", "r companies allowed": English chat
    } else if (word === 'hok' && next !== undefined && AFTER_HOC.has(next)) {
      expanded = 'hoc'; // "hok tập" is học tập; elsewhere "hok" is "không"
    } else if (word === 'tl' && next !== undefined && AFTER_TUAN_LE.has(next)) {
      expanded = 'tuan le'; // "tl học tập suốt đời", "tl htsd"; elsewhere "tl" is "trả lời"
    } else if (word === 'tt' && next !== undefined && /^\d/.test(next)) {
      expanded = 'thong tu'; // "tt 07" is a circular; elsewhere "tt" is "thông tin"
    } else if (word === 'v') {
      expanded = next === undefined ? 'vay' : 've';
    } else {
      expanded = ABBREVIATIONS[word] ?? regionalWord(word, prev, next);
    }
    if (expanded === undefined) out.push(word);
    else out.push(...expanded.split(' '));
  }
  return out;
}
