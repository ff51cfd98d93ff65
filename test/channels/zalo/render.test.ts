import { describe, expect, it } from 'vitest';
import { renderZalo } from '../../../src/channels/zalo/render.js';
import { fixture } from './helpers.js';

const choices = [
  { title: 'Giới thiệu Tuần lễ', payload: 'ABOUT' },
  { title: 'English', payload: 'LANG:TOGGLE' },
];

describe('renderZalo', () => {
  it('renders plain text exactly as the documented CS request', () => {
    const expected: unknown = JSON.parse(
      fixture('api/message_cs_text.request.official-docs.json').toString('utf8'),
    );
    expect(renderZalo('2512523625412515', { text: 'hello, world!' }, { buttons: true })).toEqual([
      expected,
    ]);
  });

  it('puts choices as oa.query.show buttons whose payload is #payload', () => {
    const [body, ...rest] = renderZalo(
      'u1',
      { text: 'Bạn muốn tìm hiểu gì?\n1. Giới thiệu Tuần lễ\n2. English', choices, numbered: true },
      { buttons: true },
    );
    expect(rest).toEqual([]);
    expect(body).toEqual({
      recipient: { user_id: 'u1' },
      message: {
        text: 'Bạn muốn tìm hiểu gì?\n1. Giới thiệu Tuần lễ\n2. English',
        attachment: {
          type: 'template',
          payload: {
            buttons: [
              { title: 'Giới thiệu Tuần lễ', type: 'oa.query.show', payload: '#ABOUT' },
              { title: 'English', type: 'oa.query.show', payload: '#LANG:TOGGLE' },
            ],
          },
        },
      },
    });
  });

  it('renders a link choice as oa.open.url', () => {
    const [body] = renderZalo(
      'u1',
      { text: 'Xem', choices: [{ title: 'Trang', payload: 'x', url: 'https://example.org' }] },
      { buttons: true },
    );
    expect(body?.message.attachment?.payload.buttons).toEqual([
      { title: 'Trang', type: 'oa.open.url', payload: { url: 'https://example.org' } },
    ]);
  });

  it('with buttons off, appends a numbered menu unless the text is numbered already', () => {
    expect(renderZalo('u1', { text: 'Chọn:', choices }, { buttons: false })).toEqual([
      {
        recipient: { user_id: 'u1' },
        message: { text: 'Chọn:\n1. Giới thiệu Tuần lễ\n2. English' },
      },
    ]);
    expect(
      renderZalo('u1', { text: 'Chọn:\n1. A\n2. B', choices, numbered: true }, { buttons: false }),
    ).toEqual([{ recipient: { user_id: 'u1' }, message: { text: 'Chọn:\n1. A\n2. B' } }]);
  });

  it('falls back to the numbered menu beyond five choices', () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ title: `Mục ${i + 1}`, payload: `P${i}` }));
    const [body] = renderZalo('u1', { text: 'Chọn:', choices: many }, { buttons: true });
    expect(body?.message.attachment).toBeUndefined();
    expect(body?.message.text.split('\n')).toHaveLength(7);
  });

  it('splits text beyond 2,000 characters and puts the buttons on the last part', () => {
    const paragraph = 'Học tập suốt đời giúp mọi người thích ứng với chuyển đổi số. ';
    const text = paragraph.repeat(80).trim();
    const bodies = renderZalo('u1', { text, choices }, { buttons: true });
    expect(bodies.length).toBe(3);
    for (const b of bodies) expect([...b.message.text].length).toBeLessThanOrEqual(2000);
    expect(bodies.map((b) => b.message.text).join(' ')).toBe(text.normalize('NFC'));
    expect(bodies.slice(0, -1).every((b) => b.message.attachment === undefined)).toBe(true);
    expect(bodies.at(-1)?.message.attachment?.payload.buttons).toHaveLength(2);
  });

  it('keeps button titles within 100 characters', () => {
    const [body] = renderZalo(
      'u1',
      { text: 'x', choices: [{ title: 'dài '.repeat(60), payload: 'L' }] },
      { buttons: true },
    );
    expect([...body!.message.attachment!.payload.buttons[0]!.title].length).toBeLessThanOrEqual(
      100,
    );
  });

  it('sends nothing for an empty message and lists choices when only they are given', () => {
    expect(renderZalo('u1', { text: '  ' }, { buttons: true })).toEqual([]);
    const [body] = renderZalo('u1', { text: '', choices }, { buttons: true });
    expect(body?.message.text).toBe('1. Giới thiệu Tuần lễ\n2. English');
  });
});
