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
const NEGATION = W('khong|chang|cha|chua|dung|dont|not|never|no|khoi|cant|cannot|khong the');
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

// The rules are built from a few dozen fixed word lists: each pattern is compiled once, not on
// every message (compiling was most of the cost of reading a message). The caches are keyed by
// the word lists themselves (constant strings, whose hashes V8 keeps), not by the pattern text,
// which would be built anew on every call.
const anywhere = new Map<string, RegExp>();
const nearby = new Map<string, Map<string, RegExp>>();

const has = (text: string, words: string) => {
  let re = anywhere.get(words);
  if (!re) anywhere.set(words, (re = new RegExp(`(?:^| )${words}(?= |$)`)));
  return re.test(text);
};
/** `a` then `b` within `gap` words. */
const near = (text: string, a: string, b: string, gap = 4) => {
  let after = nearby.get(a);
  if (!after) nearby.set(a, (after = new Map()));
  const key = gap === 4 ? b : `${gap}:${b}`;
  let re = after.get(key);
  if (!re) after.set(key, (re = new RegExp(`(?:^| )${a}(?: \\S+){0,${gap}} ${b}(?= |$)`)));
  return re.test(text);
};
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

/** "không hiểu tiếng Anh", "i don't speak vietnamese": the other language is wanted. */
const UNDERSTAND = W('hieu|biet|doc|noi|ranh|gioi|speak|understand|read|know|talk');

const REFUSED_LANGUAGE = new RegExp(
  `(?:^| )${NEGATION}(?: \\S+){0,2} ${UNDERSTAND}(?: \\S+){0,2} (tienganh|tiengviet)$`,
);

function language(tokens: readonly string[], text: string): Command | undefined {
  const bare = rest(tokens, /^$/).join(' ');
  if (/^(en|eng|tienganh)$/.test(bare)) return { kind: 'language', locale: 'en' };
  if (/^(vi|vn|viet|tiengviet)$/.test(bare)) return { kind: 'language', locale: 'vi' };
  const refused = REFUSED_LANGUAGE.exec(text);
  if (refused && tokens.length <= 8)
    return { kind: 'language', locale: refused[1] === 'tienganh' ? 'vi' : 'en' };
  const en = tokens.lastIndexOf('tienganh');
  const vi = tokens.lastIndexOf('tiengviet');
  if (en < 0 && vi < 0) return undefined;
  const others = rest(
    tokens,
    /^(tienganh|tiengviet|chuyen|doi|lai|sang|qua|ve|noi|dung|dungx|bang|switch|change|to|into|in|speak|talk|chat|write|reply|answer|traloi|nhan|language|ngonngu|co|duoc|khong|biet|can|could|we|lets|let|s|do|use|want|muon|cho|hay|hon|di|plz|pls|only|please|mode|version|ban|xai)$/,
  );
  if (others.length > 0) return undefined;
  // "chuyển từ tiếng Việt sang tiếng Anh": the target comes after "sang" / "to".
  if (en >= 0 && vi >= 0) {
    const target = /(sang|qua|to|into|in) tienganh/.test(text) ? 'en' : 'vi';
    return { kind: 'language', locale: target };
  }
  return { kind: 'language', locale: en >= 0 ? 'en' : 'vi' };
}

/** "everything you have about me", "hết", "tất cả": all of it, which means the person's data. */
const EVERYTHING = W('everything|all|het|tat ca|sach|moi thu');

function erase(text: string): boolean {
  const aboutMe =
    /^(forget|forget about|xoa|erase|delete|remove) (me|my|toi|minh|em)( (please|di|nhe))*$/.test(
      text,
    ) ||
    (near(text, ERASING, EVERYTHING, 1) &&
      has(text, `${PERSON}|about`) &&
      !has(text, 'dangky|registration'));
  if (!aboutMe && !near(text, ERASING, DATA, 4) && !has(text, 'xoadulieu')) return false;
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
  // "đừng quên gửi thông báo", "don't forget to send": a wish to be told, no opt-out.
  if (near(text, NEGATION, W('quen|forget|miss|bo lo|lo'), 0)) return undefined;
  // "đừng huỷ nhận tin", "don't unsubscribe me": a refusal to stop is no opt-out.
  if (near(text, NEGATION, `(?:muon |want |want to |can |need )?${STOPPING}`, 0)) return undefined;
  // "remove me from the list", "take me off your announcement list", "xoá tôi khỏi danh sách".
  if (
    near(text, W('remove|take|xoa|dua|bo|get'), `${PERSON} ${W('off|from|out|khoi|ra')}`, 0) &&
    has(text, W('list|danhsach|mailing')) &&
    !has(text, W('dangky|register|registration|participant|participants|thamgia|tham gia'))
  )
    return { kind: 'optout' };
  // "đừng nhắn nữa", "don't text me anymore": the verb alone says what should stop.
  if (
    near(text, W('dung|dont|khong|never'), W('nhan|gui|text|messag|spam|send|notif'), 1) &&
    has(text, 'nua|anymore|again|any more') &&
    !near(text, 'nhan', 'duoc', 0) &&
    !/\?\s*$/.test(raw)
  )
    return { kind: 'optout' };
  if (!has(text, MESSAGES)) return undefined;
  if (near(text, 'nhan', 'duoc', 0) || near(text, 'chua', SENDING, 1)) return undefined; // "không nhận được tin"
  const stopped =
    near(text, STOPPING, MESSAGES, 4) ||
    near(text, NEGATION, `(?:muon |can |cho |them )?${SENDING}`, 2) ||
    near(text, '(?:no|khong) (?:more|them|nhieu)', MESSAGES, 2) ||
    (near(text, `${NEGATION} (?:want|need|muon|can)`, MESSAGES, 4) &&
      !has(text, 'miss|lo|bo lo')) ||
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

/** Verbs of telling someone something new. */
const TELLING = W('nhan|bao|gui|nhantin|thongbao|send|text|tell|let|inform|notif|remind|nhac|keep');

const TOLD_TO_ME = new RegExp(`(?:^| )${TELLING}(?: \\S+)? ${PERSON}((?: \\S+)*)$`);

/** "… báo tui hay với nghen": telling the person, with nothing but courtesy after (no "list of courses"). */
function toldToMe(text: string): boolean {
  const told = TOLD_TO_ME.exec(text);
  if (!told) return false;
  return (told[1] ?? '')
    .split(' ')
    .every((t) => !t || COURTESY.has(t) || /^(hay|voi|biet|posted|updated|informed)$/.test(t));
}

function optIn(raw: string, text: string, tokens: readonly string[]): boolean {
  const bare = rest(tokens, /^$/).join(' ');
  if (!has(text, NEGATION) && !has(text, STOPPING) && !/\?\s*$/.test(raw)) {
    // "có gì mới báo tui với", "có tin gì mới thì nhắn tui", "notify me about events".
    if (has(text, W('moi|new|upcoming|posted')) && toldToMe(text)) return true;
    if (near(text, W('notif|remind|nhac'), `${PERSON}`, 0)) return true;
    if (near(text, W('sign|signup|dangky|subscribe'), `${PERSON}`, 1) && has(text, MESSAGES))
      return true;
    if (
      near(
        text,
        W('turn|bat|mo|resume|restart|nhan'),
        `${MESSAGES}(?: \\S+)? (?:on|lai|back|again)`,
        1,
      )
    )
      return true;
    if (near(text, W('bat|mo|turn|resume'), MESSAGES, 2) && has(text, 'lai|back|on|again'))
      return true;
    if (near(text, W('resume|restart|reactivate'), MESSAGES, 2)) return true;
  }
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

/** Keeping data, and whose: "lưu … của tôi", "store about me". */
const KEEPING = W('luu|store|stored|save|saved|keep|kept|collect|thuthap|have|hold|giu');
const ABOUT_ME = W('about me|ve toi|ve minh|ve em|cua toi|cua minh|cua em|of me|on me|canhan');

const EVERY_DATA_WORD = new RegExp(`(^| )${DATA}( |$)`, 'g');

function showData(raw: string, text: string): boolean {
  if (!has(text, ERASING) && has(text, W('what|gi|nhung gi|which|xem|show|see|cho xem'))) {
    if (near(text, KEEPING, ABOUT_ME, 3) || near(text, ABOUT_ME, KEEPING, 3)) return true;
    if (has(text, 'xem|show|see') && has(text, DATA) && has(text, `luu|canhan|${PERSON}`))
      return true;
  }
  if (near(text, DATA, PERSON, 2) && !has(text, ERASING)) {
    const others = text.replace(EVERY_DATA_WORD, ' ');
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
/** One way of calling something off; a message may string two or three together. */
const CANCEL_PHRASE =
  '(?:huy|huy bo|thoi|thoat|thoat ra|cancel|quit|exit|never ?mind|forget it|forget about it|changed? my mind|boqua|doi y|khoi|dung lai|khong (?:muon |can )?(?:lam|dangky|tiep tuc|tiep)(?: nua)?|khoi dangky(?: nua)?|khong can nua|thoi khong can|khong muon nua|stop registration|stop registering|(?:dont|do not) want to (?:register|continue)(?: anymore)?)';
const CANCEL_CHAIN = new RegExp(`^${CANCEL_PHRASE}(?: ${CANCEL_PHRASE}){0,2}$`);
/** What may stand around a cancel without changing it ("huỷ bước này", "cancel that"). */
const CANCEL_FILLER = /^(buoc|nay|do|that|this|it|step|roi|now|luon|the|all|di|vay)$/;
/** Words that lead to the menu, and the words naming it. */
const MENU_WAY =
  /^(quay|lai|ve|tro|mo|xem|show|open|go|back|to|the|main|me|cho|chinh|ra|hien|see|view|your|len)$/;
const MENU_NAME = /^(menu|danhmuc|trangchu|home|homepage|options|option|mucluc)$/;
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
  if (CANCEL.test(bare) || CANCEL_CHAIN.test(rest(tokens, CANCEL_FILLER).join(' ')))
    return { kind: 'cancel' };
  if (MENU.test(bare)) return { kind: 'menu' };
  const named = rest(
    text.replace(/(^| )trang (chu|chinh|dau)(?= |$)/g, '$1trangchu').split(' '),
    MENU_WAY,
  );
  if (named.length > 0 && named.every((t) => MENU_NAME.test(t))) return { kind: 'menu' };
  const left = rest(
    tokens,
    /^(camon|thanks|thank|ty|tks|thks|thx|tk|thankyou|cmon|ta|there|everyone|xinchao|chao|alo|hi|hello|helo|hey|hii|heloo|good|morning|afternoon|evening|buoi|sang|chieu|yo|hieu|got|it|great|tuyet|good|duoc)$/,
  );
  if (left.length === 0) {
    if (tokens.some((t) => THANKS.test(t))) return { kind: 'thanks' };
    if (tokens.some((t) => GREETING.test(t))) return { kind: 'greeting' };
  }
  return undefined;
}
