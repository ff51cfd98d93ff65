import { ContentError } from './errors.js';

/**
 * What an unfinished field looks like: sample markers, organiser instructions, "not yet
 * available" stand-ins and example links. None of it may reach a citizen.
 */
const PLACEHOLDERS: ReadonlyArray<[RegExp, string]> = [
  [/[([]\s*m[ẫa]u\b|\bm[ẫa]u\s*:|(dữ liệu|thông tin|địa điểm) mẫu/iu, 'a “mẫu” (sample) marker'],
  [/\bsample\b|\bplaceholder\b|\blorem ipsum\b/i, 'a sample marker'],
  [
    /chưa cập nhật|not yet available|to be updated|\bTBD\b|\bTODO\b/iu,
    'a “not yet updated” stand-in',
  ],
  [/\bexample\.(org|com|net)\b|\.invalid\b|\blocalhost\b/i, 'an example link'],
  [
    /thay bằng|ban tổ chức (thay|điền|cập nhật|bổ sung)|ghi địa chỉ|\bput the address\b|organi[sz]ers? (replace|fill|update)|\breplace (it|this|with)\b/iu,
    'an instruction to the organiser',
  ],
  [/\((tên tỉnh|province name|địa chỉ|address)\)/iu, 'a blank to fill in'],
];

/** Keys whose values no citizen reads (organiser notes, where an answer comes from, ids). */
const UNREAD_KEYS = new Set(['note', 'source', 'questions', 'id', 'payload', 'sections']);

/** Why a text looks unfinished, or undefined when it does not. */
export function placeholderIn(text: string): string | undefined {
  return PLACEHOLDERS.find(([pattern]) => pattern.test(text))?.[1];
}

function* strings(node: unknown, at: string[]): Generator<[string[], string]> {
  if (typeof node === 'string') yield [at, node];
  else if (Array.isArray(node))
    for (const [i, v] of node.entries()) yield* strings(v, [...at, String(i)]);
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node))
      if (!UNREAD_KEYS.has(key)) yield* strings(value, [...at, key]);
}

/** The first field citizens read that is still a placeholder: where, its text, and why. */
export function firstPlaceholder(
  data: unknown,
): { at: string[]; text: string; why: string } | undefined {
  for (const [at, text] of strings(data, [])) {
    const why = placeholderIn(text);
    if (why) return { at, text, why };
  }
  return undefined;
}

/** Stops start-up at the first field of a content file that is still a placeholder. */
export function assertNoPlaceholders(file: string, data: unknown): void {
  const found = firstPlaceholder(data);
  if (found)
    throw new ContentError(
      file,
      `field ${found.at.join('.')}: "${found.text.slice(0, 80)}" is ${found.why}, not real information; write the real value or leave the field out.`,
    );
}

/** The path of the first `"sample": true` in a content file, if any. */
export function firstSample(node: unknown, at: string[] = []): string[] | undefined {
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) {
      const found = firstSample(v, [...at, String(i)]);
      if (found) return found;
    }
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'sample' && value === true) return [...at, key];
      const found = firstSample(value, [...at, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Refuses demonstration content (`"sample": true`) in a file meant for citizens. */
export function assertNoSample(file: string, data: unknown, setting: string): void {
  const at = firstSample(data);
  if (at)
    throw new ContentError(
      file,
      `field ${at.join('.')}: demonstration content ("sample": true) cannot go live with NODE_ENV=production; replace it with the real information and remove "sample", or set ${setting}=on for a staging bot.`,
    );
}
