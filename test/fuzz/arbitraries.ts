import fc from 'fast-check';

/** Strings that break parsers: empty, NUL, lone surrogates, RTL marks, combining marks, emoji. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\u202E',
  '\uFEFF',
  'e\u0301\u0301\u0301',
  '👨‍👩‍👧‍👦',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'Hà Nội',
  'xóa dữ liệu',
  '__proto__',
  'constructor',
  '0',
  '-1',
  '1e309',
  'NaN',
  'Infinity',
  '9007199254740993',
  '18446744073709551616',
  'true',
  'null',
  '[]',
  '{}',
  '%',
  '%zz',
  '2020-13-45',
  '9999-99-99',
  '2020-02-30',
  '0000-00-00',
  '2020-10-01',
  'x'.repeat(5000),
];

/** Any string a client might send: nasty constants, every kind of unicode, numbers as text. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.bigInt().map(String),
  fc.double().map(String),
);

/** JSON-ish values including 64-bit integers beyond 2^53 and deep or wide shapes. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  fc.jsonValue(),
  anyText,
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map((n) => Number(n)),
  fc.array(fc.constantFrom(0, 'a', null, {}, []), { maxLength: 2000 }),
);

/** A date-like string with every field out of range now and then. */
export const roughDay: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: 12000 }), fc.nat(99), fc.nat(99))
  .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`);

/** An ISO-time-like string with out-of-range fields and offsets (+25:00, -14:60...). */
export const roughInstant: fc.Arbitrary<string> = fc
  .tuple(
    roughDay,
    fc.nat(30),
    fc.nat(70),
    fc.nat(70),
    fc.constantFrom('+', '-'),
    fc.nat(30),
    fc.nat(70),
    fc.constantFrom('', 'Z', 'offset', '.123', '.123456789'),
  )
  .map(([day, h, mi, s, sign, oh, om, tail]) => {
    const base = `${day}T${pad(h)}:${pad(mi)}:${pad(s)}`;
    if (tail === 'offset') return `${base}${sign}${pad(oh)}:${pad(om)}`;
    return `${base}${tail}`;
  });

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Percent-encodes a string (lone surrogates become U+FFFD first): always a valid URL part. */
export function encodeAll(s: string): string {
  // The round trip through UTF-8 replaces lone surrogates, which encodeURIComponent refuses.
  return encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));
}
