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

/** Cuts text to at most `max` characters without splitting a word or a combining mark. */
export function truncateWords(text: string, max: number, ellipsis = '…'): string {
  const nfc = text.normalize('NFC');
  const chars = [...nfc];
  if (chars.length <= max) return nfc;
  const room = max - [...ellipsis].length;
  const head = chars.slice(0, room + 1).join('');
  const cut = head.lastIndexOf(' ');
  const base = cut > room / 2 ? head.slice(0, cut) : chars.slice(0, room).join('');
  return base.replace(/[\s,.;:–-]+$/u, '') + ellipsis;
}

/** Splits long text into parts of at most `max` characters, at paragraph, line or word breaks. */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text.normalize('NFC');
  while ([...rest].length > max) {
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
