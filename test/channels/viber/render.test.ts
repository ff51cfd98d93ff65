import { describe, expect, it } from 'vitest';
import { isPayload } from '../../../src/channels/viber/parse.js';
import {
  MAX_TEXT_CHARS,
  renderKeyboard,
  renderMessages,
  renderWelcome,
  senderFrom,
} from '../../../src/channels/viber/render.js';
import type { Choice } from '../../../src/core/events.js';

const sender = senderFrom({ botName: 'Tuần lễ Học tập suốt đời' });
const choice = (title: string, payload = title.toUpperCase().replace(/\W/g, '_')): Choice => ({
  title,
  payload,
});

describe('renderMessages', () => {
  it('renders plain text without keyboard, tracking data or min_api_version', () => {
    expect(renderMessages({ text: 'Xin chào' }, sender)).toEqual([
      { type: 'text', text: 'Xin chào', sender: { name: 'Tuần lễ Học tập suốt đời' } },
    ]);
  });

  it('renders the menu as a reply keyboard whose ActionBodies are the payloads', () => {
    const [body] = renderMessages(
      {
        text: 'Bạn muốn tìm hiểu gì?\n1. Giới thiệu Tuần lễ\n2. English',
        choices: [
          { title: 'Giới thiệu Tuần lễ', payload: 'ABOUT' },
          { title: 'English', payload: 'LANG:TOGGLE' },
        ],
        numbered: true,
      },
      sender,
    );
    expect(body).toEqual({
      type: 'text',
      text: 'Bạn muốn tìm hiểu gì?\n1. Giới thiệu Tuần lễ\n2. English',
      sender: { name: 'Tuần lễ Học tập suốt đời' },
      min_api_version: 1,
      tracking_data: 'llw1:["ABOUT","LANG:TOGGLE"]',
      keyboard: {
        Type: 'keyboard',
        Buttons: [
          {
            Columns: 6,
            Rows: 1,
            ActionType: 'reply',
            ActionBody: 'ABOUT',
            Text: 'Giới thiệu Tuần lễ',
            Silent: true,
          },
          {
            Columns: 6,
            Rows: 1,
            ActionType: 'reply',
            ActionBody: 'LANG:TOGGLE',
            Text: 'English',
            Silent: true,
          },
        ],
      },
    });
  });

  it('the tracking data makes exactly the offered payloads count as taps', () => {
    const [body] = renderMessages(
      { text: 'x', choices: [choice('Có', 'YES'), choice('Không', 'NO')] },
      sender,
    );
    expect(isPayload('YES', body!.tracking_data)).toBe(true);
    expect(isPayload('NO', body!.tracking_data)).toBe(true);
    expect(isPayload('MAYBE', body!.tracking_data)).toBe(false);
  });

  it('puts two short captions per row, and an odd last one on a full row', () => {
    const keyboard = renderKeyboard(
      ['Chủ đề', 'Thời gian', 'Mục đích', 'Các hoạt động', 'Về menu chính'].map((t) => choice(t)),
    );
    expect(keyboard!.Buttons.map((b) => b.Columns)).toEqual([3, 3, 3, 3, 6]);
  });

  it('keeps one button per row when a caption is long', () => {
    const keyboard = renderKeyboard([choice('Có'), choice('Đăng ký khóa học kỹ năng số cơ bản')]);
    expect(keyboard!.Buttons.map((b) => b.Columns)).toEqual([6, 6]);
  });

  it('shows at most 24 buttons', () => {
    const keyboard = renderKeyboard(
      Array.from({ length: 30 }, (_, i) => choice(`Mục ${i + 1}`, `ITEM:${i + 1}`)),
    );
    expect(keyboard!.Buttons).toHaveLength(24);
    expect(keyboard!.Buttons.at(-1)!.ActionBody).toBe('ITEM:24');
  });

  it('renders a link choice as an open-url button, left out of the tracked taps', () => {
    const [body] = renderMessages(
      {
        text: 'Xem thêm',
        choices: [
          { title: 'Trang web', payload: 'https://moet.gov.vn', url: 'https://moet.gov.vn' },
          { title: 'Menu', payload: 'MENU' },
        ],
      },
      sender,
    );
    expect(body!.keyboard!.Buttons[0]).toEqual({
      Columns: 3,
      Rows: 1,
      ActionType: 'open-url',
      ActionBody: 'https://moet.gov.vn',
      Text: 'Trang web',
    });
    expect(body!.tracking_data).toBe('llw1:["MENU"]');
  });

  it('splits text longer than 7,000 characters and puts the keyboard on the last part', () => {
    const text = Array.from({ length: 1600 }, (_, i) => `câu ${i}.`).join(' ');
    const bodies = renderMessages({ text, choices: [choice('Menu', 'MENU')] }, sender);
    expect(bodies.length).toBeGreaterThan(1);
    for (const b of bodies) expect([...b.text].length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(bodies.map((b) => b.keyboard !== undefined)).toEqual(
      bodies.map((_, i) => i === bodies.length - 1),
    );
    expect(bodies.map((b) => b.text).join(' ')).toBe(text);
  });

  it('sends nothing for empty text without choices, and a caption for a keyboard alone', () => {
    expect(renderMessages({ text: '  ' }, sender)).toEqual([]);
    expect(renderMessages({ text: '', choices: [choice('Menu', 'MENU')] }, sender)[0]!.text).toBe(
      '…',
    );
  });
});

describe('senderFrom', () => {
  it('cuts the name to 28 characters and adds the avatar when configured', () => {
    expect(senderFrom({ botName: 'Đ'.repeat(40), botAvatar: 'https://x/a.png' })).toEqual({
      name: 'Đ'.repeat(28),
      avatar: 'https://x/a.png',
    });
  });
});

describe('renderWelcome', () => {
  it('is one message even when the text is long', () => {
    const welcome = renderWelcome(
      { text: 'a '.repeat(8000), choices: [choice('Menu', 'MENU')] },
      sender,
    );
    expect([...welcome.text].length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(welcome.keyboard?.Buttons).toHaveLength(1);
    expect(welcome).not.toHaveProperty('receiver');
  });
});
