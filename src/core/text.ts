/**
 * Folds Vietnamese text for matching: NFC, lower case, diacritics removed (with đ -> d, which
 * Unicode decomposition does not split), punctuation and emoji dropped, spaces collapsed.
 */
export function fold(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The characters of a text as platforms count them (code points: `[...text].length`), counted
 * without building the array of characters that spreading the string would. Every outgoing
 * message is measured against the platforms' limits; spreading a reply of a thousand Vietnamese
 * characters made a thousand strings each time.
 */
export function codePointCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/** Cuts text to at most `max` characters without splitting a word or a combining mark. */
export function truncateWords(text: string, max: number, ellipsis = '…'): string {
  const nfc = text.normalize('NFC');
  if (codePointCount(nfc) <= max) return nfc;
  const chars = [...nfc];
  const room = max - codePointCount(ellipsis);
  const head = chars.slice(0, room + 1).join('');
  const cut = head.lastIndexOf(' ');
  const base = cut > room / 2 ? head.slice(0, cut) : chars.slice(0, room).join('');
  return base.replace(/[\s,.;:–-]+$/u, '') + ellipsis;
}

/** Splits long text into parts of at most `max` characters, at paragraph, line or word breaks. */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text.normalize('NFC');
  while (codePointCount(rest) > max) {
    const window = [...rest].slice(0, max).join('');
    let cut = window.lastIndexOf('\n\n');
    if (cut < max / 3) cut = window.lastIndexOf('\n');
    if (cut < max / 3) cut = window.lastIndexOf(' ');
    if (cut < max / 3) cut = window.length;
    parts.push(window.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/**
 * A word table without the keys every object inherits: looking up what a citizen wrote
 * ("constructor", "toString") finds only the table's own words.
 */
export function wordTable(words: Record<string, string>): Readonly<Record<string, string>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, string>, words));
}
