import { describe, expect, it } from 'vitest';
import {
  confirmationCode,
  displayPhone,
  normaliseName,
  normalisePhone,
} from '../../src/registration/validate.js';

describe('Vietnamese mobile numbers', () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['0912 345 678', '+84912345678'],
    ['091.234.5678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    ['+84912345678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['(+84) 38-123-4567', '+84381234567'],
    ['０９１２３４５６７８', '+84912345678'],
  ])('normalises %j to %s', (typed, phone) => {
    expect(normalisePhone(typed)).toEqual({ ok: true, phone });
  });

  it.each([
    ['', 'empty'],
    ['không có', 'letters'],
    ['09123', 'length'],
    ['091234567890', 'length'],
    ['12345678901', 'length'],
    ['0241234567', 'not-mobile'],
    ['+84 24 1234 567', 'not-mobile'],
  ])('refuses %j (%s)', (typed, problem) => {
    expect(normalisePhone(typed)).toEqual({ ok: false, problem });
  });

  it('displays the national form', () => {
    expect(displayPhone('+84912345678')).toBe('0912 345 678');
  });
});

describe('full names', () => {
  it.each([
    ['Nguyễn Văn An', 'Nguyễn Văn An'],
    ['  trần   thị  bình ', 'trần thị bình'],
    ['Nguye\u0302\u0303n Thi\u0323 Ha\u0300', 'Nguyễn Thị Hà'],
    ["Đặng O'Neil", "Đặng O'Neil"],
  ])('accepts %j', (typed, name) => {
    expect(normaliseName(typed)).toEqual({ ok: true, name });
  });

  it.each([
    ['An', 'short'],
    ['Nguyen', 'one-word'],
    ['Nguyễn Văn 2', 'characters'],
    ['0912345678', 'characters'],
    ['a'.repeat(81) + ' b', 'long'],
  ])('refuses %j (%s)', (typed, problem) => {
    expect(normaliseName(typed)).toEqual({ ok: false, problem });
  });
});

describe('confirmation codes', () => {
  it('are 6 unambiguous characters and differ', () => {
    const codes = new Set(Array.from({ length: 200 }, () => confirmationCode()));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
  });
});
