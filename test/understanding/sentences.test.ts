import { describe, expect, it } from 'vitest';
import { asksSomething, questionParts } from '../../src/understanding/sentences.js';

describe('questionParts', () => {
  it.each([
    // Asked twice, the second time only by its question mark.
    [
      'khai mac ngay nao, hinh thuc truc tiep hay online?',
      ['hinh thuc truc tiep hay online?', 'khai mac ngay nao'],
    ],
    ['chủ đề là gì và khai mạc ngày nào', ['khai mạc ngày nào', 'chủ đề là gì']],
    // A comma inside a number does not split it.
    [
      'kinh phí 10,5 triệu lấy ở đâu, báo cáo hạn khi nào',
      ['báo cáo hạn khi nào', 'kinh phí 10,5 triệu lấy ở đâu'],
    ],
    ['Chào ad. Tuần lễ khi nào?', ['Tuần lễ khi nào?']],
  ])('finds the questions of %j', (text, parts) => {
    expect(questionParts(text)).toEqual(parts);
  });

  it('leaves one plain question, and "học tập và chuyển đổi số là gì", whole', () => {
    expect(questionParts('chủ đề năm nay là gì')).toEqual([]);
    expect(questionParts('học tập và chuyển đổi số là gì')).toEqual([]);
  });

  it('tells a question from a statement', () => {
    expect(asksSomething('tuần lễ diễn ra khi nào')).toBe(true);
    expect(asksSomething('is there a contest')).toBe(true);
    expect(asksSomething('cảm ơn ad')).toBe(false);
  });
});
