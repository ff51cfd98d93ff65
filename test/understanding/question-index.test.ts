import { describe, expect, it } from 'vitest';
import {
  dominantEntry,
  QuestionIndex,
  type Match,
} from '../../src/understanding/question-index.js';

const index = new QuestionIndex([
  {
    id: 'theme',
    questions: {
      vi: ['Chủ đề năm nay là gì?', 'Khẩu hiệu của tuần lễ'],
      en: ['What is the theme?'],
    },
  },
  {
    id: 'dates',
    questions: {
      vi: ['Tuần lễ diễn ra khi nào?', 'Thời gian tổ chức tuần lễ'],
      en: ['When is the week?'],
    },
  },
  {
    id: 'opening',
    questions: { vi: ['Lễ khai mạc diễn ra khi nào?'], en: ['When is the opening ceremony?'] },
  },
  {
    id: 'safe-internet',
    questions: {
      vi: ['Có lớp tập huấn an toàn mạng không?', 'Lớp tập huấn sử dụng internet an toàn'],
      en: ['Is there safe internet training?'],
    },
    context: ['Các lớp tập huấn, hướng dẫn về kỹ năng tìm kiếm thông tin trên mạng Internet'],
  },
]);

describe('QuestionIndex', () => {
  it.each([
    ['chủ đề năm nay là gì', 'theme'],
    ['chu de nam nay la gi', 'theme'],
    ['chur ddeef nawm nay laf gif', 'theme'],
    ['what is the theme', 'theme'],
    ['tuan le dien ra khi nao', 'dates'],
    ['tuần lễ diễn ra bao giờ', 'dates'],
    ['khai mac khi nao', 'opening'],
    ['co lop tap huan an toan mang ko', 'safe-internet'],
    ['lop tap huan internt an toan', 'safe-internet'],
  ])('answers %j with %s', (text, id) => {
    const match = index.match(text);
    expect(match.kind).toBe('answer');
    expect(match.kind === 'answer' && match.id).toBe(id);
  });

  it('offers the closest intents when a question is ambiguous', () => {
    const match = index.analyse('diễn ra khi nào');
    expect(match.kind).toBe('suggest');
    expect(match.kind === 'suggest' && [...match.ids].sort()).toEqual(['dates', 'opening']);
  });

  it('gives up on what it does not know', () => {
    expect(index.match('qwerty zxcv').kind).toBe('none');
    expect(index.match('giá vàng').kind).toBe('none');
    expect(index.match('').kind).toBe('none');
    expect(index.match('😀').words).toBe(0);
  });

  it('tells which language a question is clearly written in', () => {
    expect(index.match('what is the theme').lang).toBe('en');
    expect(index.match('chu de nam nay').lang).toBe('vi');
    expect(index.match('chủ đề').lang).toBe('vi');
  });

  it('counts meaningful words, not fillers', () => {
    expect(index.match('cho mình hỏi chủ đề là gì ạ').words).toBe(2);
  });

  it('remembers recent messages and returns the same answer', () => {
    expect(index.match('chủ đề năm nay là gì')).toBe(index.match('chủ đề năm nay là gì'));
  });

  it('settles a near tie for the one entry that holds a word telling of it', () => {
    const held = new QuestionIndex([
      { id: 'purpose', questions: { vi: ['Tuần lễ tổ chức để làm gì?'], en: [] } },
      { id: 'organisers', questions: { vi: ['Ai tổ chức tuần lễ?'], en: [] } },
      { id: 'dates', questions: { vi: ['Tuần lễ tổ chức khi nào?'], en: [] } },
      {
        id: 'format',
        questions: {
          vi: [
            'Tuần lễ tổ chức trực tiếp hay trực tuyến?',
            'Dịch COVID có ảnh hưởng đến tuần lễ không?',
          ],
          en: [],
        },
      },
    ]);
    const telling = held.analyse('dịch covid thì tuần lễ có tổ chức không');
    expect(telling.kind === 'answer' && telling.id).toBe('format');
    // Without a telling word the same near tie is asked back.
    expect(held.analyse('tuần lễ có tổ chức không').kind).toBe('suggest');
  });
});

describe('dominantEntry (a question sentence inside a story)', () => {
  const story = (lead: number, coverage = 0.33, held = 1): Match => ({
    kind: 'none',
    lang: 'vi',
    words: 12,
    candidates: [
      { id: 'audience', score: 100 * lead, coverage, held },
      { id: 'take-part', score: 100, coverage, held },
    ],
  });

  it('answers the entry that leads the runner-up twice over', () => {
    expect(dominantEntry(story(2.2))).toBe('audience');
  });

  it('does not answer a closer lead, or a sentence that holds too little of the entry', () => {
    expect(dominantEntry(story(1.8))).toBeUndefined();
    expect(dominantEntry(story(5, 0.1, 0.5))).toBeUndefined();
  });
});
