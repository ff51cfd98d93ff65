import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { simulate, startTestApp, type TestApp } from '../helpers/app.js';

describe('greeting, menu, about, language (simulator)', () => {
  let t: TestApp;
  beforeEach(async () => {
    // December 2026: the 2020 Week is an archive and this year has no edition yet.
    t = await startTestApp({ clock: new ManualClock(Date.parse('2026-12-01T10:00:00+07:00')) });
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers "xin chào" with the greeting and the numbered menu with buttons', async () => {
    const replies = await simulate(t.app, { userId: 'u1', text: 'xin chào' });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain('Chuyển đổi số thúc đẩy Học tập suốt đời');
    expect(replies[0]!.text).toMatch(/1\. Giới thiệu Tuần lễ/);
    const payloads = replies[0]!.choices?.map((c) => c.payload) ?? [];
    expect(payloads[0]).toBe('ABOUT');
    expect(payloads.at(-1)).toBe('LANG:TOGGLE');
  });

  it.each(['xin chao', 'XIN CHÀO!!', 'chào bạn', 'hello', 'Hi'])(
    'recognises the greeting %j',
    async (text) => {
      const replies = await simulate(t.app, { userId: 'u2', text });
      expect(replies[0]!.choices?.[0]?.payload).toBe('ABOUT');
    },
  );

  it('a typed number picks the button of the last menu', async () => {
    await simulate(t.app, { userId: 'u3', text: 'menu' });
    const about = await simulate(t.app, { userId: 'u3', text: '1' });
    expect(about[0]!.text).toContain('01/10/2020');
    const dates = await simulate(t.app, { userId: 'u3', text: '2' });
    expect(dates[0]!.text).toBe(
      'Thông tin Tuần lễ năm nay sẽ được cập nhật khi có văn bản hướng dẫn. Tuần lễ năm 2020 đã được tổ chức từ ngày 01/10/2020 đến ngày 07/10/2020, trong đó Lễ khai mạc được tổ chức vào ngày 01/10/2020.',
    );
  });

  it('switches to English, remembers it, and answers in English', async () => {
    const switched = await simulate(t.app, { userId: 'u4', text: 'English' });
    expect(switched[0]!.text).toContain('Switched to English.');
    expect(switched[0]!.choices?.[0]?.title).toBe('About the Week');
    const theme = await simulate(t.app, { userId: 'u4', payload: 'ABOUT:THEME' });
    expect(theme[0]!.text).toContain('Digital Transformation Drives Lifelong Learning');
    const back = await simulate(t.app, { userId: 'u4', text: 'tiếng việt' });
    expect(back[0]!.text).toContain('Đã chuyển sang tiếng Việt.');
  });

  it('answers what it does not understand with an apology and the menu', async () => {
    const replies = await simulate(t.app, { userId: 'u5', text: 'qwerty zxcv' });
    expect(replies[0]!.text).toContain('chưa hiểu');
    expect(replies[0]!.choices?.length).toBeGreaterThan(0);
  });

  it.each([
    ['empty text', ''],
    ['emoji only', '👍🎉'],
    ['5,000 characters', 'a'.repeat(5000)],
  ])('gives a friendly answer to %s', async (_name, text) => {
    const replies = await simulate(t.app, { userId: 'u6', text });
    expect(replies.length).toBeGreaterThan(0);
    expect(replies[0]!.choices?.length).toBeGreaterThan(0);
  });

  it('lists the activities of the letter', async () => {
    const replies = await simulate(t.app, { userId: 'u7', payload: 'ABOUT:ACTIVITIES' });
    expect(replies[0]!.text).toContain('tủ sách lớp học');
    expect(replies[0]!.text).toContain('Tập huấn sử dụng Internet an toàn');
  });
});
