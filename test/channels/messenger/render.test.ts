import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../../src/channels/messenger/render.js';
import type { Choice } from '../../../src/core/events.js';

const choices = (n: number): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ title: `Mục ${i + 1}`, payload: `P${i + 1}` }));

describe('renderMessage', () => {
  it('sends plain text as one message', () => {
    expect(renderMessage({ text: 'Xin chào' })).toEqual([{ text: 'Xin chào' }]);
  });

  it('splits text longer than 2,000 characters at word breaks, in order', () => {
    const words = Array.from({ length: 700 }, (_, i) => `từ${i}`).join(' ');
    const parts = renderMessage({ text: words });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts)
      expect([...(p as { text: string }).text].length).toBeLessThanOrEqual(2000);
    expect(parts.map((p) => (p as { text: string }).text).join(' ')).toBe(words);
  });

  it('puts the quick replies on the last part of a long text only', () => {
    const parts = renderMessage({ text: 'a '.repeat(1500), choices: choices(2) });
    expect(parts).toHaveLength(2);
    expect(parts[0]).not.toHaveProperty('quick_replies');
    expect(parts[1]).toHaveProperty('quick_replies');
  });

  it('renders choices as quick replies with payloads', () => {
    expect(renderMessage({ text: 'Chọn:', choices: choices(2) })).toEqual([
      {
        text: 'Chọn:',
        quick_replies: [
          { content_type: 'text', title: 'Mục 1', payload: 'P1' },
          { content_type: 'text', title: 'Mục 2', payload: 'P2' },
        ],
      },
    ]);
  });

  it('cuts a Vietnamese title to 20 characters at a word boundary, never inside a letter', () => {
    // Decomposed input (base letter + combining marks), as some keyboards produce it.
    const title = 'Đăng ký khóa học trực tuyến miễn phí'.normalize('NFD');
    const [message] = renderMessage({ text: 'x', choices: [{ title, payload: 'REG' }] });
    const cut = (message as { quick_replies: Array<{ title: string }> }).quick_replies[0]!.title;
    expect(cut).toBe('Đăng ký khóa học…');
    expect([...cut].length).toBeLessThanOrEqual(20);
    expect(cut).toBe(cut.normalize('NFC'));
  });

  it('allows 13 quick replies', () => {
    const [message] = renderMessage({ text: 'Chọn:', choices: choices(13) });
    expect((message as { quick_replies: unknown[] }).quick_replies).toHaveLength(13);
  });

  it('falls back to numbered text beyond 13 choices', () => {
    const parts = renderMessage({ text: 'Chọn:', choices: choices(14) });
    expect(parts).toHaveLength(1);
    expect(parts[0]).not.toHaveProperty('quick_replies');
    const text = (parts[0] as { text: string }).text;
    expect(text.split('\n')).toEqual([
      'Chọn:',
      ...choices(14).map((c, i) => `${i + 1}. ${c.title}`),
    ]);
  });

  it('does not number the list again when the text is already numbered', () => {
    const text = ['Chọn:', ...choices(14).map((c, i) => `${i + 1}. ${c.title}`)].join('\n');
    const parts = renderMessage({ text, choices: choices(14), numbered: true });
    expect(parts).toEqual([{ text }]);
  });

  it('falls back to numbered text when a payload is longer than 1,000 characters', () => {
    const parts = renderMessage({
      text: 'Chọn:',
      choices: [{ title: 'Dài', payload: 'x'.repeat(1001) }],
    });
    expect(parts).toEqual([{ text: 'Chọn:\n1. Dài' }]);
  });

  it('renders link choices as a button template', () => {
    const parts = renderMessage({
      text: 'Xem thêm:',
      choices: [
        {
          title: 'Trang của Sở Giáo dục và Đào tạo',
          payload: 'https://example.vn',
          url: 'https://example.vn',
        },
        { title: 'Về menu', payload: 'MENU' },
      ],
    });
    expect(parts).toEqual([
      {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            text: 'Xem thêm:',
            buttons: [
              { type: 'web_url', title: 'Trang của Sở Giáo…', url: 'https://example.vn' },
              { type: 'postback', title: 'Về menu', payload: 'MENU' },
            ],
          },
        },
      },
    ]);
  });

  it('falls back to text with the addresses for more than 3 link buttons or text over 640', () => {
    const links = Array.from({ length: 4 }, (_, i) => ({
      title: `Trang ${i + 1}`,
      payload: `https://e.vn/${i}`,
      url: `https://e.vn/${i}`,
    }));
    expect(renderMessage({ text: 'Liên kết:', choices: links })).toEqual([
      { text: ['Liên kết:', ...links.map((l, i) => `${i + 1}. ${l.title}: ${l.url}`)].join('\n') },
    ]);
    const long = renderMessage({ text: 'a'.repeat(641), choices: links.slice(0, 1) });
    expect(long).toEqual([{ text: `${'a'.repeat(641)}\n1. Trang 1: https://e.vn/0` }]);
  });
});
