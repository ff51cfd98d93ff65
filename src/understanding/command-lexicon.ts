import { decodeTelex, decodeVni } from './telex.js';
import { isSyllable, segment } from './segment.js';

/**
 * The folded Vietnamese syllables commands are made of, with the courtesy around them: what a
 * Telex leftover or a run-together word is repaired into before the command rules read it.
 */
const SYLLABLES = new Set(
  (
    'khong chang cha chua muon can nhan tin nua thong bao gui huy tat ngung dung thoi thui bo chan ' +
    'xoa du lieu cua toi minh em tui anh chi ban di nhe nha nghen hen gium giup dum voi het ca ' +
    'dang ky ki lai bat mo cho xem luu gi nhung nhan so dien thoai ten tieng viet doi chuyen sang ' +
    'qua noi hieu biet doc cam on ta chao xin trang chu chinh quay ve tro thoat khoi lam tiep tuc ' +
    'y roi vay oi nhieu lam rat phien moi nao the nay kia duoc co la vao theo nhac rut su ngu ' +
    'danh sach muc buoc dong nhe ho hay bot vui long xoa sach tat ca thu thap giu ve ban than'
  ).split(' '),
);

/** English words of commands, and words whose shape could pass for Telex ("news", "this"). */
const ENGLISH = new Set(
  (
    'news this is was has his its yes less miss class does goes stops sms dms plus thanks tks ' +
    'please pls plz us as how who why now new know show view few see need keep too soon week ' +
    'these those free good look'
  ).split(' '),
);

/** True when the folded word is a syllable or a joined word the command rules know. */
export function knownCommandWord(word: string): boolean {
  return SYLLABLES.has(word) || ENGLISH.has(word);
}

/** Telex or VNI marks left on a word ("nhaanj", "nuwax", "dduwngf", "tin1"). */
const TELEX_MARKS = /(aa|ee|oo|dd|w|[aeiouy][sfrxj]$|[0-9])/;

/**
 * One folded word as command rules should read it: a Telex/VNI leftover repaired into a known
 * syllable ("khoong" -> "khong"), a run-together word split into known syllables
 * ("ngungnhantin" -> "ngung nhan tin"); any other word unchanged.
 */
export function repairCommandWord(word: string): string[] {
  if (knownCommandWord(word) || !/^[a-z0-9]+$/.test(word)) return [word];
  if (TELEX_MARKS.test(word)) {
    for (const candidate of [decodeTelex(word), decodeVni(word)])
      if (candidate !== word && knownCommandWord(candidate)) return [candidate];
  }
  const pieces = segment(word, (p) => SYLLABLES.has(p) && isSyllable(p));
  return pieces ?? [word];
}
