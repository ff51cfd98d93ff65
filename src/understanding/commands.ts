import type { Locale } from '../core/events.js';
import { commandTokens } from './command-words.js';

/** What a message asks the bot to do, rather than to answer. */
export type Command =
  | { kind: 'optout' }
  /** A bare "dừng" / "stop": announcements off, and whatever dialog was running ends too. */
  | { kind: 'stop' }
  | { kind: 'optin' }
  | { kind: 'erase' }
  | { kind: 'show-data' }
  | { kind: 'withdraw' }
  | { kind: 'language'; locale: Locale }
  | { kind: 'cancel' }
  | { kind: 'menu' }
  | { kind: 'thanks' }
  | { kind: 'greeting' };

// Everything below works on the tokens of `commandTokens`: folded, abbreviations expanded and
// common word pairs joined ("thongbao", "dulieu", "tienganh"), "đừng" written `dung` and the
// unrelated "dùng" / "đúng" written `dungx`.
const W = (words: string) => `(?:${words})`;
/** Messages, announcements: what an opt-out or opt-in is about. */
const MESSAGES = W(
  'thongbao|tinnhan|tin|tintuc|tinmoi|message|messag|msg|notification|notif|noti|announcement|announc|update|news|newsletter|spam|text|alert|broadcast',
);
/** Verbs of receiving and sending messages. */
const SENDING = W('nhan|gui|send|sent|receiv|get|nhantin|messag|text|spam|notif|bao');
/** Words that stop or refuse something. */
const STOPPING = W(
  'huy|tat|ngung|dung|thoi|bo|chan|block|stop|cancel|off|disable|mute|khoi|unsubscribe|optout',
);
const NEGATION = W('khong|chang|cha|chua|dung|dont|not|never|no|khoi');
/** Personal data: what an erasure or a data request is about. */
const DATA = W(
  'dulieu|thongtin|data|info|information|detail|account|taikhoan|sdt|phone|number|hoso|profile|ten|name|record|personal|canhan',
);
const ERASING = W('xoa|delete|erase|remove|wipe|clear|purge|gobo|xoabo|forget');
const PERSON = W('toi|minh|em|tui|me|my|mine|chau|con|ban than');
/** Words that make a message a question about something, not a request to act. */
const INFO_QUESTION = W(
  'bi|se|khinao|baogio|baolau|when|how long|will|automatic|tudong|sau|after|co phai|phai',
);
/** Courtesy and filler: what may surround a command without changing it. */
const COURTESY = new Set(
  (
    'a ad admin ban bot em anh chi oi nhe nha ne voi di gium giup dum ho minh toi tui t please ' +
    'ok oke okay vang da roi nhieu lam rat so much very lot alot a_lot luon the ha nhi vay hen ' +
    'cai nay kia thi la uh um ah oh hey yeah yes nhe_nha hi you u i me sir madam ma con chau'
  ).split(' '),
);

const has = (text: string, pattern: string) => new RegExp(`(?:^| )${pattern}(?= |$)`).test(text);
/** `a` then `b` within `gap` words. */
const near = (text: string, a: string, b: string, gap = 4) =>
  new RegExp(`(?:^| )${a}(?: \\S+){0,${gap}} ${b}(?= |$)`).test(text);

/** The words left once courtesy and the given words are taken away. */
function rest(tokens: readonly string[], drop: RegExp): string[] {
  return tokens.filter((t) => !COURTESY.has(t) && !drop.test(t));
}

/** A question ("…không?" after "có", "?" at the end): it asks, it does not order. */
function isQuestion(raw: string, text: string): boolean {
  if (/\?\s*$/.test(raw)) return true;
  return (
    /(^| )co( \S+)+ khong( a| ad| admin| vay| nhi| ha)*$/.test(text) ||
    /(^| )(khinao|baogio|baolau|odau|the nao|nhu the nao|lam sao|sao|do|does|is|are|can|will|how|when|what|why|which)( |$)/.test(
      text,
    )
  );
}

function language(tokens: readonly string[], text: string): Command | undefined {
  const en = tokens.lastIndexOf('tienganh');
  const vi = tokens.lastIndexOf('tiengviet');
  if (en < 0 && vi < 0) return undefined;
  const others = rest(
    tokens,
    /^(tienganh|tiengviet|chuyen|doi|sang|qua|ve|noi|dung|dungx|bang|switch|change|to|into|in|speak|talk|chat|write|reply|answer|traloi|nhan|language|ngonngu|co|duoc|khong|biet|can|could|we|lets|let|s|do|use|want|muon|cho|hay|hon|di|plz|pls|only|please|mode|version|ban|xai)$/,
  );
  if (others.length > 0) return undefined;
  // "chuyển từ tiếng Việt sang tiếng Anh": the target comes after "sang" / "to".
  if (en >= 0 && vi >= 0) {
    const target = /(sang|qua|to|into|in) tienganh/.test(text) ? 'en' : 'vi';
    return { kind: 'language', locale: target };
  }
  return { kind: 'language', locale: en >= 0 ? 'en' : 'vi' };
}

function erase(text: string): boolean {
  if (!near(text, ERASING, DATA, 4) && !has(text, 'xoadulieu')) return false;
  if (near(text, NEGATION, ERASING, 2) || near(text, 'muon', `${ERASING} \\S+ ${NEGATION}`, 0))
    return false;
  // "xoá đăng ký" cancels a registration; "bị xoá khi nào" asks about retention.
  if (has(text, 'dangky') && !has(text, DATA)) return false;
  return !near(text, INFO_QUESTION, ERASING, 3);
}

function optOut(raw: string, text: string, tokens: readonly string[]): Command | undefined {
  const others = rest(tokens, /^$/);
  const bare = others.join(' ');
  if (/^(stop|stop it|dung|dung lai)$/.test(bare)) {
    // "dừng" folds like "dùng" / "đúng": without its marks a lone "dung" stays unread.
    if (bare.startsWith('dung') && !/dừng/.test(raw.normalize('NFC').toLowerCase()))
      return undefined;
    return { kind: 'stop' };
  }
  if (
    /^(unsubscribe|unsub|optout|opt out|stop all|huy dangky|huy theo doi|bo theo doi|unfollow)$/.test(
      bare,
    )
  )
    return { kind: 'optout' };
  if (has(text, 'unsubscribe|optout') && !near(text, NEGATION, 'unsubscribe|optout', 2))
    return { kind: 'optout' };
  if (!has(text, MESSAGES)) return undefined;
  if (near(text, 'nhan', 'duoc', 0) || near(text, 'chua', SENDING, 1)) return undefined; // "không nhận được tin"
  const stopped =
    near(text, STOPPING, MESSAGES, 4) ||
    near(text, NEGATION, `(?:muon |can |cho |them )?${SENDING}`, 2) ||
    near(text, '(?:no|khong) (?:more|them|nhieu)', MESSAGES, 2) ||
    (near(text, 'khong', MESSAGES, 4) && has(text, 'nua|anymore|again|any more'));
  if (!stopped) return undefined;
  // "có gửi thông báo … không?" is a question, its "không" is no refusal.
  if (
    / khong( a| ad| admin| vay| nhi| ha)*$/.test(text) &&
    has(text, 'co') &&
    !has(text, 'nua|muon')
  )
    return undefined;
  return { kind: 'optout' };
}

function optIn(raw: string, text: string, tokens: readonly string[]): boolean {
  const bare = rest(tokens, /^$/).join(' ');
  if (
    /^(subscribe|sub|dangky nhan ?tin|dangky thongbao|bat thongbao|nhan thongbao|nhan tin|nhantin|opt in|optin)$/.test(
      bare,
    )
  )
    return true;
  if (!has(text, MESSAGES) || isQuestion(raw, text)) return false;
  if (has(text, NEGATION) || has(text, STOPPING)) return false;
  return (
    near(
      text,
      W('bat|dangky|subscribe|sign up|turn on|enable|muon|want|cho|gui|send|nhan|receiv|get'),
      MESSAGES,
      4,
    ) || near(text, W('gui|send'), `${PERSON}`, 2)
  );
}

function showData(raw: string, text: string): boolean {
  if (near(text, DATA, PERSON, 2) && !has(text, ERASING)) {
    const others = text.replace(new RegExp(`(^| )${DATA}( |$)`, 'g'), ' ');
    if (
      /^(xem|show|see|check|kiemtra|cho xem| |what|gi|nhung gi|co|my|cua|ve|about|\S{1,3})*$/.test(
        others,
      )
    )
      return true;
    if (
      has(
        text,
        W(
          'xem|show|see|check|kiemtra|what|gi|nhung gi|luu|store|keep|collect|thuthap|have|biet|know',
        ),
      )
    )
      return true;
  }
  if (/^(my (personal )?data|show my data|dulieu cua toi|dulieu canhan)$/.test(text)) return true;
  return (
    (near(
      text,
      W('luu|store|keep|collect|thuthap|biet|know|have|hold'),
      W('gi|what|nhung gi|nhung'),
      3,
    ) &&
      has(text, W('ve|cua|about|on|of')) &&
      has(text, PERSON) &&
      !isQuestion(raw, text.replace(/ (gi|what)( |$)/g, ' '))) ||
    /(what|which) (data|info|information) do you (have|keep|store|hold)/.test(text)
  );
}

const CANCEL =
  /^(huy|huy bo|thoi|thoat|thoat ra|cancel|quit|exit|never ?mind|forget it|changed? my mind|bo qua|khong (muon |can )?(lam|dangky|tiep tuc|tiep) nua|thoi (khong|khoi|bo) ?\S* ?\S* ?nua|thoi khong can|khong can nua|doi y|stop registration|stop registering|(dont|do not) want to (register|continue)( anymore)?)$/;
const MENU =
  /^(menu|menu chinh|main menu|xem menu|mo menu|show menu|open menu|quay (lai|ve)( menu)?|ve menu|tro (lai|ve)( menu)?|back|go back|(go )?back to (the )?(main )?menu|trang chu|home|bat dau|start|get started|help|giup do|tro giup|huong dan|danh muc|options)$/;
const THANKS = /^(camon|thanks|thank|thank you|ty|tks|thks|thx|tk|thankyou|cmon|cam ta)$/;
const GREETING =
  /^(xinchao|chao|alo|hi|hello|helo|hey|hii|heloo|good (morning|afternoon|evening)|chao buoi (sang|chieu|toi)|yo)$/;

/** Longer messages are not read as a whole for commands. */
const MAX_COMMAND_WORDS = 24;

/** An opt-out in one sentence of a long message ("…, nên đừng gửi tin cho mình nữa."). */
function optOutInside(raw: string): Command | undefined {
  for (const sentence of raw.split(/[.!?;\n]+|,\s+/u)) {
    const tokens = commandTokens(sentence);
    if (tokens.length === 0 || tokens.length > MAX_COMMAND_WORDS) continue;
    const out = optOut(sentence, tokens.join(' '), tokens);
    if (out) return { kind: 'optout' };
  }
  return undefined;
}

/**
 * Reads a command inside a natural sentence, in Vietnamese (with or without diacritics, chat
 * abbreviations), English or both: announcements off and on, delete or show my data, withdraw
 * consent, language, cancel, menu, thanks, greetings. Negation counts ("không muốn nhận tin nữa"
 * is an opt-out, "đừng xoá" no erasure) and a question stays a question ("tiếng Anh có lớp
 * không"). Undefined when the message asks for none of them.
 */
export function detectCommand(raw: string): Command | undefined {
  const tokens = commandTokens(raw);
  if (tokens.length === 0) return undefined;
  // A long message is a question or a story, but an opt-out inside it must never be missed.
  if (tokens.length > MAX_COMMAND_WORDS) return optOutInside(raw);
  const text = tokens.join(' ');
  const lang = language(tokens, text);
  if (lang) return lang;
  if (/(rut|huy|withdraw|revoke)( lai)?( su)? (dongy|consent)/.test(text))
    return { kind: 'withdraw' };
  if (erase(text)) return { kind: 'erase' };
  const out = optOut(raw, text, tokens);
  if (out) return out;
  if (optIn(raw, text, tokens)) return { kind: 'optin' };
  if (showData(raw, text)) return { kind: 'show-data' };
  const bare = rest(tokens, /^$/).join(' ');
  if (CANCEL.test(bare)) return { kind: 'cancel' };
  if (MENU.test(bare)) return { kind: 'menu' };
  const left = rest(
    tokens,
    /^(camon|thanks|thank|ty|tks|thks|thx|tk|thankyou|cmon|ta|xinchao|chao|alo|hi|hello|helo|hey|hii|heloo|good|morning|afternoon|evening|buoi|sang|chieu|yo|hieu|got|it|great|tuyet|good|duoc)$/,
  );
  if (left.length === 0) {
    if (tokens.some((t) => THANKS.test(t))) return { kind: 'thanks' };
    if (tokens.some((t) => GREETING.test(t))) return { kind: 'greeting' };
  }
  return undefined;
}
