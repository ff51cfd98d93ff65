import { stem } from './normalise.js';

/**
 * Question expressions of several words, folded into one token each, in both languages: "khi
 * nào", "bao giờ", "ngày nào" and "when" all become `khinao`. The token is searched like a word,
 * so "what" questions and "when" questions stay apart without word pairs made of filler words.
 */
const PHRASES: Readonly<Record<string, readonly string[]>> = {
  khinao: [
    'khi nao',
    'bao gio',
    'luc nao',
    'ngay nao',
    'hom nao',
    'thoi diem nao',
    'thang may',
    'when',
  ],
  thenao: [
    'nhu the nao',
    'lam the nao',
    'bang cach nao',
    'cach nao',
    'the nao',
    'ra sao',
    'lam sao',
    'how',
  ],
  taisao: ['tai sao', 'vi sao', 'sao lai', 'why'],
  odau: ['o dau', 'cho nao', 'noi nao', 'where'],
  baonhieu: ['bao nhieu', 'may ngay', 'how many', 'how much'],
  baolau: ['bao lau', 'how long'],
  homnay: ['hom nay', 'today'],
  tuannay: ['tuan nay', 'this week'],
  namnay: ['nam nay', 'this year'],
  dienra: ['dien ra', 'take place', 'happen', 'held'],
  // Concepts people name in many ways (general synonyms, both languages).
  mucdich: [
    'muc dich',
    'muc tieu',
    'y nghia',
    'de lam gi',
    'purpose',
    'point',
    'aim',
    'goal',
    'objective',
  ],
  danhsach: ['danh sach', 'nhung gi', 'nhung nao', 'co nhung', 'gom nhung', 'list', 'which'],
  trolyao: [
    'tro ly ao',
    'nguoi that',
    'la bot',
    'bot hay',
    'chatbot',
    'robot',
    'real person',
    'human',
    'may tra loi',
  ],
  ngaymai: ['ngay mai', 'tomorrow'],
  congvan: ['cong van', 'van ban', 'chi thi', 'official letter', 'document'],
  covid: ['dich benh', 'dich covid', 'mua dich', 'covid', 'pandemic', 'epidemic'],
  khauhieu: ['khau hieu', 'slogan', 'motto'],
  phuhuynh: ['phu huynh', 'cha me', 'bo me', 'parent'],
  taphuan: ['tap huan', 'boi duong', 'training', 'train'],
  truonghoc: ['nha truong', 'truong hoc', 'co so giao duc', 'cac truong', 'truong minh', 'school'],
  doanhnghiep: ['doanh nghiep', 'cong ty', 'business', 'company', 'enterprise'],
  doituong: ['doi tuong', 'danh cho ai', 'audience', 'who is it for'],
};

/** A phrase of folded, stemmed words and the words that replace it. */
export interface PhraseRule {
  from: string[];
  to: string[];
}

/** Phrase rules stemmed as the words they meet are, longest phrase first. */
export function phraseRules(pairs: Iterable<[phrase: string, to: string]>): PhraseRule[] {
  return [...pairs]
    .map(([phrase, to]) => ({ from: phrase.split(' ').map(stem), to: to.split(' ') }))
    .sort((a, b) => b.from.length - a.from.length);
}

/** Replaces every phrase of the rules found in a list of words, left to right. */
export function rewritePhrases(words: readonly string[], rules: readonly PhraseRule[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length;) {
    const rule = rules.find((r) => r.from.every((w, k) => words[i + k] === w));
    if (rule) {
      out.push(...rule.to);
      i += rule.from.length;
    } else {
      out.push(words[i]!);
      i += 1;
    }
  }
  return out;
}

let rules: PhraseRule[] | undefined;

/**
 * The rules, stemmed as the words they meet are ("libraries" and "library" both "librari"),
 * longest phrases first so "nhu the nao" wins over "the nao". Built on first use: the stemmer's
 * module imports this one.
 */
function ruleList(): PhraseRule[] {
  rules ??= phraseRules(
    Object.entries(PHRASES).flatMap(([to, phrases]) =>
      phrases.map((p): [string, string] => [p, to]),
    ),
  );
  return rules;
}

/** Rewrites known question expressions in a list of folded (stemmed) words to their token. */
export function canonical(words: readonly string[]): string[] {
  return rewritePhrases(words, ruleList());
}
