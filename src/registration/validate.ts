import { randomInt } from 'node:crypto';

/** Why a phone number was refused (each gets its own helpful re-ask). */
export type PhoneProblem = 'empty' | 'letters' | 'length' | 'not-mobile';

/**
 * Reads a Vietnamese mobile number typed as 0xxxxxxxxx, +84xxxxxxxxx or 84xxxxxxxxx (spaces,
 * dots, dashes and brackets allowed) and returns it normalised to +84xxxxxxxxx. Mobile numbers
 * have 9 digits after the country code and start with 3, 5, 7, 8 or 9.
 */
export function normalisePhone(
  text: string,
): { ok: true; phone: string } | { ok: false; problem: PhoneProblem } {
  const trimmed = text.normalize('NFKC').trim();
  if (!trimmed) return { ok: false, problem: 'empty' };
  if (/[^\d\s.+()-]/.test(trimmed)) return { ok: false, problem: 'letters' };
  const compact = trimmed.replace(/[\s.()-]/g, '');
  const match = /^(?:\+84|84|0)(\d+)$/.exec(compact);
  const national = match?.[1];
  if (national === undefined) return { ok: false, problem: 'length' };
  if (national.length !== 9) return { ok: false, problem: 'length' };
  if (!/^[35789]/.test(national)) return { ok: false, problem: 'not-mobile' };
  return { ok: true, phone: `+84${national}` };
}

/** "+84912345678" -> "0912 345 678" (how people write it in Vietnam). */
export function displayPhone(phone: string): string {
  const national = phone.replace(/^\+84/, '0');
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}

/** Why a full name was refused. */
export type NameProblem = 'short' | 'long' | 'characters' | 'one-word';

/**
 * Checks a full name: letters (any script, with diacritics), spaces, apostrophes, dots and
 * hyphens, 2 words or more, at most 80 characters. Returns it in NFC with single spaces.
 */
export function normaliseName(
  text: string,
): { ok: true; name: string } | { ok: false; problem: NameProblem } {
  const name = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  if ([...name].length < 3) return { ok: false, problem: 'short' };
  if ([...name].length > 80) return { ok: false, problem: 'long' };
  if (!/^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u.test(name)) return { ok: false, problem: 'characters' };
  if (name.split(' ').filter((w) => /\p{L}/u.test(w)).length < 2)
    return { ok: false, problem: 'one-word' };
  return { ok: true, name };
}

// No 0/O, 1/I/L: a code read aloud or copied by hand stays unambiguous.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A random 6-character confirmation code such as "K7Q3XM". */
export function confirmationCode(): string {
  let code = '';
  for (let i = 0; i < 6; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}
