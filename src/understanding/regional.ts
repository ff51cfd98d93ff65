/**
 * Central and Southern words for what the questions say in standard Vietnamese: "tuần lễ ni tổ
 * chức bữa mô rứa" is "tuần lễ này tổ chức hôm nào vậy". With diacritics they are told apart
 * from look-alikes ("mô" from "mở", "đặng" from "đang", "thiệt" from "thiết"); without them only
 * the words that cannot be something else, or that their neighbours decide, are read.
 */
const ACCENTED: Readonly<Record<string, string>> = {
  ni: 'này',
  nớ: 'đó',
  tê: 'kia',
  mô: 'nào',
  răng: 'sao',
  rứa: 'vậy',
  dzậy: 'vậy',
  zậy: 'vậy',
  vầy: 'vậy',
  hông: 'không',
  hổng: 'không',
  bữa: 'hôm',
  hổm: 'hôm',
  đặng: 'được',
  tui: 'tôi',
  tụi: 'chúng',
  xài: 'dùng',
  thiệt: 'thật',
  mần: 'làm',
  chừng: 'khi',
  nà: '',
  hen: '',
  nghen: '',
  hỉ: '',
};

const WORD = new RegExp(
  `(?<=^|[\\s,.!?])(${Object.keys(ACCENTED).join('|')})(?=$|[\\s,.!?])`,
  'gu',
);
/** "hè", "bây", "o" closing a question are particles ("có thi chi không hè?"), not summer or you. */
const CLOSING = /(?<=\S)\s+(hè|bây|o)(?=\s*[?!.]*\s*$)/gu;

/** Rewrites regional words of a lower-case NFC text, before it is folded. */
export function standardAccented(text: string): string {
  return text.replace(CLOSING, '').replace(WORD, (w) => ACCENTED[w] ?? w);
}

/** Words before which a folded "mo" asks "which" ("bữa mô", "năm mô") rather than "open". */
const BEFORE_WHICH = new Set([
  'hom',
  'bua',
  'ngay',
  'nam',
  'thang',
  'tuan',
  'luc',
  'khi',
  'cho',
  'o',
  'ai',
  'cai',
  'nguoi',
  'lop',
  'truong',
]);
/** Words after which a folded "chi" asks "what" ("thi chi không") rather than "only" or "spend". */
const AFTER_WHAT = new Set(['khong', 'ko', 'k', 'vay', 'v', 'z', 'rua', 'ha', 'he', 'nua', 'ca']);

/** Words a folded "chi" ends as a word of its own: báo chí, tạp chí, ý chí, đồng chí. */
const CHI_WORDS = new Set(['bao', 'tap', 'y', 'dong']);

/** The standard word for a folded regional one in its neighbours' company, if it is one. */
export function regionalWord(
  word: string,
  prev: string | undefined,
  next: string | undefined,
): string | undefined {
  switch (word) {
    case 'mo':
      return (prev !== undefined && BEFORE_WHICH.has(prev)) || next === undefined
        ? 'nao'
        : undefined;
    case 'ni':
      return prev !== undefined ? 'nay' : undefined;
    case 'rua':
      return next === undefined || next === 'o' ? 'vay' : undefined;
    case 'chi':
      if (prev !== undefined && CHI_WORDS.has(prev)) return undefined;
      return next === undefined || AFTER_WHAT.has(next) ? 'gi' : undefined;
    case 'tui':
      return 'toi';
    case 'xai':
      return 'dung';
    case 'bua':
      return 'hom';
    default:
      return undefined;
  }
}
