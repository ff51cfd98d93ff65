import { describe, expect, it } from 'vitest';
import { fold } from '../../src/core/text.js';
import { joinPairs, PAIRS } from '../../src/understanding/command-words.js';
import { understandingCorpus } from '../helpers/understanding-corpus.js';

/** Every pair applied in order, as before the pairs were checked for their words first. */
const everyPair = (text: string) => PAIRS.reduce((t, [re, joined]) => t.replace(re, joined), text);

/** Texts to compare on: the string literals of the understanding tests and the FAQ's wordings. */
function corpus(): string[] {
  const texts = understandingCorpus();
  // Each pair at least once, with the spellings its pattern allows.
  for (const t of [
    'so dien thoai cua toi',
    'dien thoai',
    'lam nhu the nao',
    'thong tin ca nhan',
    'nhan biet tin gia',
    'thong bao thong bau thong boa thong bo',
    'tin nhan tin tuc tin moi',
    'du lieu dang ky dang ki',
    'tieng anh anh ngu english tieng viet viet ngu vietnamese',
    'cam on cam ta thank you thanks you xin chao',
    'dong y tai khoan ho so kiem tra thu thap',
    'khi nao bao gio bao lau o dau tu dong tra loi ngon ngu',
    'opt out opt in go bo danh sach danh muc bo qua xoa bo',
    'thong minh chung minh van minh thuyet minh binh minh lien minh minh hoa minh bach',
    'tre em buoi toi',
    'thongtin tin nhanh',
    '',
  ])
    texts.add(t);
  return [...texts].map((t) => fold(t.toLowerCase()));
}

describe('word pairs', () => {
  it('join exactly as applying every pair in order does', () => {
    const texts = corpus();
    expect(texts.length).toBeGreaterThan(300);
    for (const text of texts) expect(joinPairs(text), text).toBe(everyPair(text));
  });

  it('are joined where they occur', () => {
    expect(joinPairs('xin chao ban')).toBe('xinchao ban');
    expect(joinPairs('so dien thoai cua toi')).toBe('sdt cua toi');
    expect(joinPairs('thong boa')).toBe('thongbao');
    expect(joinPairs('binh minh')).toBe('binhminh');
  });
});
