import { fold } from '../core/text.js';

/** Words that make a piece of a message a question (folded). */
const ASKS =
  /(^| )(gi|j|nao|sao|dau|mo|ai|may|bao nhieu|bn|bao gio|bh|khi nao|khong|ko|k|hok|hong|chua|ntn|the nao|what|whats|when|where|who|why|which|how|is there|are there|can|could|do|does|will|should|any)( |$)/;
/** True when a text asks something: a question word or a question mark. */
export function asksSomething(text: string): boolean {
  return /\?/.test(text) || ASKS.test(fold(text));
}

/** "và", "and", "với lại": joining two questions in one sentence. */
const JOINED = /\s+(?:và|va|and|với lại|voi lai|còn|con)\s+/iu;

/**
 * "chủ đề là gì và khai mạc ngày nào": a sentence joining questions, split when every piece asks
 * on its own ("học tập và chuyển đổi số là gì" stays whole: its first piece asks nothing).
 */
function splitJoined(sentence: string): string[] {
  const pieces = sentence.split(JOINED).map((s) => s.trim());
  if (pieces.length < 2 || pieces.some((p) => !ASKS.test(fold(p)))) return [sentence];
  return pieces;
}

/** How many words make a message long enough to look for its question sentences. */
const LONG = 14;

/**
 * The pieces of a message that ask something: sentences, and comma-separated pieces when each
 * asks on its own ("kinh phí theo thông tư nào, báo cáo hạn khi nào"), at most three, last
 * first (a long message usually ends with its question). Empty when there is nothing to split.
 */
export function questionParts(text: string): string[] {
  // Each piece keeps the mark that closed it: "khai mạc ngày nào, hình thức trực tiếp hay
  // online?" asks twice, the second time only by its question mark.
  const sentences = (text.match(/(?:[^.?!;\n,]|,(?!\s))+(?:[.?!;\n]+|,\s+|$)/gu) ?? [])
    .flatMap((s) => s.split(/\s+-\s+/u))
    .map((s) => s.replace(/^[\s,]+|[\s,]+$/gu, ''))
    .filter((s) => fold(s).length > 0)
    .flatMap(splitJoined);
  if (sentences.length < 2) return [];
  const asking = sentences.filter((s) => ASKS.test(fold(s)) || /\?/.test(s));
  const words = fold(text).split(' ').length;
  if (asking.length === 0) return words >= LONG ? sentences.slice(-2).reverse() : [];
  return asking.reverse().slice(0, 3);
}
