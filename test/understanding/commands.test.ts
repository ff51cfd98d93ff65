import { describe, expect, it } from 'vitest';
import { detectCommand } from '../../src/understanding/commands.js';
import { segment } from '../../src/understanding/segment.js';

/** What a command reads as, in the words of the eval files ("lang-en", "none"). */
function read(text: string): string {
  const c = detectCommand(text);
  if (!c) return 'none';
  if (c.kind === 'stop') return 'optout';
  return c.kind === 'language' ? `lang-${c.locale}` : c.kind;
}

// Classes of phrasing: Telex leftovers, run-together words, English and Vietnamese paraphrases
// of each family, regional particles, and negations that must change nothing.
const CASES: ReadonlyArray<[string, string]> = [
  ['khoong muoons nhaanj tin nuwax', 'optout'],
  ['xoas duwx lieeuj cuar tooi', 'erase'],
  ['ngungnhantin', 'optout'],
  ["I don't want any more announcements", 'optout'],
  ['remove me from your announcement list', 'optout'],
  ['take me off the list', 'optout'],
  ['forget me', 'erase'],
  ['erase everything you have about me', 'erase'],
  ['what info did you store about me', 'show-data'],
  ["i don't speak vietnamese", 'lang-en'],
  ['sign me up for updates', 'optin'],
  ['notify me about upcoming events', 'optin'],
  ['cancel that', 'cancel'],
  ['bật lại thông báo', 'optin'],
  ['có tin gì mới nhắn cho tui', 'optin'],
  ['đăng ký nhận tin', 'optin'],
  ['thôi bỏ qua bước này', 'cancel'],
  ['khỏi đăng ký', 'cancel'],
  ['dừng lại, không đăng ký nữa', 'cancel'],
  ['đổi ý rồi', 'cancel'],
  ['cho xem thông tin cá nhân đã lưu', 'show-data'],
  ['tks nhiu', 'thanks'],
  ['cám ơn bot nghen', 'thanks'],
  ['về trang chính', 'menu'],
  ['đổi lại tiếng việt', 'lang-vi'],
  ['không hiểu tiếng anh', 'lang-vi'],
  ['đừng huỷ nhận tin nhé', 'none'],
  ['huỷ nhận tin giùm nghen', 'optout'],
  ['tat thong bao dum nha', 'optout'],
  ['i need no more messages', 'optout'],
  ['i dont need any more updates', 'optout'],
  ['delete all my info', 'erase'],
  ['delete everything about me', 'erase'],
  ['what do you keep about me', 'show-data'],
  ['i dont understand vietnamese', 'lang-en'],
  ["i can't read english", 'lang-vi'],
  ['keep me posted', 'optin'],
  ['subscribe me to news', 'optin'],
  ['đăng kí nhận thông báo giùm em', 'optin'],
  ['xoá hết dữ liệu của em dùm', 'erase'],
  ['ko mun nhan tin nx', 'optout'],
  ['khongmuonnhantinnua', 'optout'],
  ['tatthongbao', 'optout'],
  ['xoadulieucuatoi', 'erase'],
  ['never mind', 'cancel'],
  ['thoi khoi', 'cancel'],
  ['thôi khỏi đăng ký nữa', 'cancel'],
  ['quay về trang chủ', 'menu'],
  ['nói tiếng anh được không', 'lang-en'],
  ['unsubscribe me please', 'optout'],
  ["don't unsubscribe me", 'none'],
  ['đừng xoá dữ liệu', 'none'],
  ["don't delete my data", 'none'],
  ['tiếng anh có lớp không', 'none'],
  ['khi nào có thông báo', 'none'],
  ['bỏ theo dõi', 'optout'],
  ['đủ rồi đừng nhắn nữa', 'optout'],
  ['stop the announcements', 'optout'],
  ['turn notifications back on', 'optin'],
  ['resume messages', 'optin'],
  ['muốn nhận lại tin', 'optin'],
  ['tell me about new courses', 'none'],
  ['đừng quên gửi thông báo cho tôi', 'none'],
  // A story typed at a dialog's prompt: "thông minh" (smart) is no "mình" (me).
  ['Bà Hoa tự học dùng điện thoại thông minh để bán hàng trực tuyến.', 'none'],
  ['các em học sinh và trẻ em có được dự không', 'none'],
  ['remove me from the participants list', 'none'],
  ['không muốn bỏ lỡ thông báo nào', 'none'],
  ['gửi cho tôi danh sách khoá học mới', 'none'],
  ['có khóa học mới nào không', 'none'],
];

describe('commands as citizens write them', () => {
  for (const [text, expected] of CASES)
    it(`${text} -> ${expected}`, () => {
      expect(read(text)).toBe(expected);
    });

  it('splits a run-together word only into known pieces', () => {
    const known = (w: string) => ['ngung', 'nhan', 'tin'].includes(w);
    expect(segment('ngungnhantin', known)).toEqual(['ngung', 'nhan', 'tin']);
    expect(segment('ngungnhanxyz', known)).toBeUndefined();
    expect(segment('nhan', known)).toBeUndefined();
  });
});
