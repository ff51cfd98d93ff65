import { describe, expect, it } from 'vitest';
import { expandAbbreviations } from '../../src/understanding/abbreviations.js';
import { detectLanguage } from '../../src/understanding/language.js';
import {
  accentedVocabularyOf,
  baseWords,
  FOREIGN,
  Normaliser,
  stem,
  vocabularyOf,
} from '../../src/understanding/normalise.js';
import { canonical } from '../../src/understanding/synonyms.js';
import { decodeTelex, decodeVni } from '../../src/understanding/telex.js';

describe('Telex and VNI leftovers', () => {
  it.each([
    ['tuaanf', 'tuan'],
    ['chur', 'chu'],
    ['ddeef', 'de'],
    ['nawm', 'nam'],
    ['hocj', 'hoc'],
    ['hojc', 'hoc'],
    ['khoas', 'khoa'],
    ['suoots', 'suot'],
    ['ddowif', 'doi'],
    ['dduowcj', 'duoc'],
    ['nguowif', 'nguoi'],
    ['truwowngf', 'truong'],
    ['twf', 'tu'],
    ['nhwng', 'nhung'],
    ['tuan', 'tuan'],
    ['online', 'online'],
  ])('decodes %s as %s', (typed, folded) => {
    expect(decodeTelex(typed)).toBe(folded);
  });

  it('decodes VNI digits and leaves plain numbers alone', () => {
    expect(decodeVni('tua6n2')).toBe('tuan');
    expect(decodeVni('ho5c')).toBe('hoc');
    expect(decodeVni('2020')).toBe('2020');
  });
});

describe('abbreviations', () => {
  it.each([
    ['ko', 'khong'],
    ['k', 'khong'],
    ['hok', 'khong'],
    ['kh', 'khong'],
    ['dc', 'duoc'],
    ['ntn', 'nhu the nao'],
    ['j', 'gi'],
    ['t7', 'thu bay'],
    ['cn', 'chu nhat'],
    ['tl', 'tra loi'],
    ['dk', 'dang ky'],
  ])('expands %s to %s', (short, long) => {
    expect(expandAbbreviations([short]).join(' ')).toBe(long);
  });

  it('reads "bn" as "bao nhiêu" before a counted noun or after "còn", else as "bạn"', () => {
    expect(expandAbbreviations(['con', 'bn', 'ngay']).join(' ')).toBe('con bao nhieu ngay');
    expect(expandAbbreviations(['con', 'bn']).join(' ')).toBe('con bao nhieu');
    expect(expandAbbreviations(['bn', 'oi']).join(' ')).toBe('ban oi');
  });

  it('reads "v" as "vậy" at the end and "về" elsewhere', () => {
    expect(expandAbbreviations(['la', 'gi', 'v']).join(' ')).toBe('la gi vay');
    expect(expandAbbreviations(['v', 'que']).join(' ')).toBe('ve que');
  });

  it('reads "r", "hok", "tl" and "tt" by their neighbours', () => {
    expect(expandAbbreviations(['r', 'there', 'awards']).join(' ')).toBe('are there awards');
    expect(expandAbbreviations(['r', 'companies']).join(' ')).toBe('are companies');
    expect(expandAbbreviations(['xong', 'r']).join(' ')).toBe('xong roi');
    expect(expandAbbreviations(['hok', 'tap']).join(' ')).toBe('hoc tap');
    expect(expandAbbreviations(['di', 'hok']).join(' ')).toBe('di khong');
    expect(expandAbbreviations(['tl', 'hoc', 'tap']).join(' ')).toBe('tuan le hoc tap');
    expect(expandAbbreviations(['tl', 'giup']).join(' ')).toBe('tra loi giup');
    expect(expandAbbreviations(['tt', '07']).join(' ')).toBe('thong tu 07');
    expect(expandAbbreviations(['tt', 've']).join(' ')).toBe('thong tin ve');
  });

  it('expands "đc" once folded (đ -> d)', () => {
    expect(baseWords('đc ko')).toEqual(['duoc', 'khong']);
  });
});

describe('base words', () => {
  it('folds diacritics, đ, case, punctuation and emoji, and drops particles and "may I ask"', () => {
    expect(baseWords('Cho mình hỏi: CHỦ ĐỀ năm nay là gì ạ?? 🙏')).toEqual([
      'chu',
      'de',
      'nam',
      'nay',
      'la',
      'gi',
    ]);
  });

  it('drops "thì" (then) by its diacritics but keeps "thi" (contest)', () => {
    expect(baseWords('dịch covid thì sao')).toEqual(['dich', 'covid', 'sao']);
    expect(baseWords('có cuộc thi không')).toContain('thi');
  });
});

describe('regional words', () => {
  it.each([
    ['tuần lễ ni tổ chức bữa mô rứa', ['tuan', 'le', 'nay', 'to', 'chuc', 'hom', 'nao', 'vay']],
    ['có thi thố chi không hè?', ['co', 'thi', 'tho', 'gi', 'khong']],
    ['tui có đặng tham gia hông', ['toi', 'co', 'duoc', 'tham', 'gia', 'khong']],
    ['tuan le ni to chuc nam mo', ['tuan', 'le', 'nay', 'to', 'chuc', 'nam', 'nao']],
    ['day chi vay', ['day', 'gi', 'vay']],
  ])('reads %j in standard words', (text, words) => {
    expect(baseWords(text)).toEqual(words);
  });

  it.each([
    ['mở đăng ký chưa', ['mo', 'dang', 'ky', 'chua']],
    ['mo dang ky chua', ['mo', 'dang', 'ky', 'chua']],
    ['tuyên truyền trên báo chí', ['tuyen', 'truyen', 'tren', 'bao', 'chi']],
    ['chỉ dành cho học sinh', ['chi', 'danh', 'cho', 'hoc', 'sinh']],
    ['đang tổ chức', ['dang', 'to', 'chuc']],
  ])('leaves the look-alikes in %j alone', (text, words) => {
    expect(baseWords(text)).toEqual(words);
  });
});

describe('stem', () => {
  it.each([
    ['organizing', 'organise'],
    ['organisers', 'organise'],
    ['organised', 'organise'],
    ['libraries', 'librari'],
    ['library', 'librari'],
    ['courses', 'course'],
    ['events', 'event'],
    ['this', 'this'],
    ['class', 'class'],
    ['ngay', 'ngay'],
    ['nguoi', 'nguoi'],
  ])('%s -> %s', (word, stemmed) => {
    expect(stem(word)).toBe(stemmed);
  });
});

describe('question expressions', () => {
  it('turns "khi nào", "bao giờ", "when" into one token, longest phrase first', () => {
    expect(canonical(['dien', 'ra', 'khi', 'nao'])).toEqual(['dienra', 'khinao']);
    expect(canonical(['bao', 'gio'])).toEqual(['khinao']);
    expect(canonical(['when'])).toEqual(['khinao']);
    expect(canonical(['nhu', 'the', 'nao'])).toEqual(['thenao']);
  });
});

describe('Normaliser', () => {
  const vocabulary = vocabularyOf(['tuần lễ diễn ra khi nào', 'chủ đề là gì', 'tham gia thế nào']);
  const accented = accentedVocabularyOf(['tuần lễ diễn ra khi nào', 'chủ đề', 'tham gia']);
  const normaliser = new Normaliser(vocabulary, accented);

  it('repairs Telex leftovers only into words the index knows', () => {
    expect(normaliser.terms('chur ddeef laf gif').unigrams).toEqual(['chu', 'de']);
    expect(normaliser.terms('tuaanf lex dieenx ra khi naof').unigrams).toEqual([
      'tuan',
      'le',
      'dienra',
      'khinao',
    ]);
    // "class" looks like Telex ("cla" + s) but "cla" is unknown: the word stays.
    expect(normaliser.terms('class').unigrams).toEqual(['class']);
  });

  it('shortens a letter held down, in a word the index does not know', () => {
    expect(normaliser.terms('chu dee la giii vayyy').unigrams).toEqual(['chu', 'de']);
    expect(normaliser.terms('tuaanf lee dienrakhinaooo').unigrams).toEqual([
      'tuan',
      'le',
      'dienra',
      'khinao',
    ]);
    // A double letter the index knows is kept; an unknown English word is not shortened.
    expect(normaliser.terms('free').unigrams).toEqual(['free']);
  });

  it('keeps word pairs of meaningful words only', () => {
    expect(normaliser.terms('chủ đề là gì').bigrams).toEqual(['chu_de']);
  });

  it('marks a word typed with other diacritics than the index knows as foreign', () => {
    expect(normaliser.terms('giá').unigrams).toEqual([`${FOREIGN}gia`]);
    expect(normaliser.terms('tham gia').unigrams).toEqual(['tham', 'gia']);
    expect(normaliser.terms('gia').unigrams).toEqual(['gia']);
  });
});

describe('detectLanguage', () => {
  const vi = new Set(['chu', 'de', 'nam', 'nay', 'the']);
  const en = new Set(['what', 'is', 'the', 'theme']);
  it('says Vietnamese when diacritics are present', () => {
    expect(detectLanguage('chủ đề', ['chu', 'de'], vi, en)).toBe('vi');
  });
  it('says English when only English words are present', () => {
    expect(detectLanguage('what is the theme', ['what', 'is', 'the', 'theme'], vi, en)).toBe('en');
  });
  it('says Vietnamese for Vietnamese without diacritics', () => {
    expect(detectLanguage('chu de nam nay', ['chu', 'de', 'nam', 'nay'], vi, en)).toBe('vi');
  });
  it('says English for a long English message holding one word Vietnamese also spells', () => {
    const words = ['what', 'is', 'the', 'theme', 'what', 'is', 'the', 'theme', 'chu'];
    expect(detectLanguage('what is the theme, what is the theme chu', words, vi, en)).toBe('en');
  });
  it('says nothing when both or neither are present', () => {
    expect(detectLanguage('the', ['the'], vi, en)).toBeUndefined();
    expect(detectLanguage('chu theme', ['chu', 'theme'], vi, en)).toBeUndefined();
    expect(detectLanguage('xyz', ['xyz'], vi, en)).toBeUndefined();
  });
});
