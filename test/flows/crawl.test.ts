import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeholderIn } from '../../src/content/placeholders.js';
import { ManualClock } from '../../src/core/clock.js';
import { simulate, startTestApp, type TestApp } from '../helpers/app.js';

/** December 2026 with the shipped default: the 2020 Week is an archive, 2026 has no edition. */
const NOW = Date.parse('2026-12-01T10:00:00+07:00');

type Locale = 'vi' | 'en';
type Reply = { text: string; choices?: Array<{ title: string; payload: string }> };

/** The one sentence allowed to speak of "this year": that it has no edition yet. */
const NO_EDITION: Record<Locale, string> = {
  vi: 'Thông tin Tuần lễ năm nay sẽ được cập nhật khi có văn bản hướng dẫn.',
  en: "Information on this year's Week will be added once the guidance letter is issued.",
};

/** Words that present a Week as happening now or to come; every Week the bot knows is past. */
const PRESENT: Record<Locale, RegExp> = {
  vi: /đang diễn ra|sắp diễn ra|sẽ diễn ra|sẽ được tổ chức|năm nay|còn \d+ ngày|ngày mai/iu,
  en: /\b(runs|is held|are held|takes place|is under way|is on\b|will run|will be held|starts on|starts tomorrow|days to go|this year)/i,
};

/** Casual or translated-sounding Vietnamese a public body does not use. */
const CASUAL = /(?<!\p{L})(mình|bạn|nhé)(?!\p{L})|Ý bạn là/iu;

/** English wording fixed once and not to come back. */
const KNOWN_EN_ERRORS =
  /push the use|learning citizenship|digitalisation|for lifelong learning for/i;

/** What is wrong with one text a citizen reads, if anything. */
function problems(text: string, locale: Locale, isTitle: boolean): string[] {
  const found: string[] = [];
  const why = placeholderIn(text);
  if (why) found.push(why);
  if (/{{|}}|\bundefined\b|\bnull\b|\bNaN\b|\[object /.test(text)) found.push('an unfilled value');
  if (/https?:\/\//i.test(text)) found.push('a link (the shipped default has no real one)');
  if (!isTitle && PRESENT[locale].test(text.replaceAll(NO_EDITION[locale], '')))
    found.push('present or future tense about a past edition');
  if (locale === 'vi' && CASUAL.test(text)) found.push('a casual register');
  if (locale === 'en' && KNOWN_EN_ERRORS.test(text)) found.push('a known English error');
  return found;
}

describe('crawl: every menu entry, button and answer of the shipped default, in vi and en', () => {
  let t: TestApp;
  let users = 0;
  const checked: Record<Locale, number> = { vi: 0, en: 0 };
  const failures: Record<Locale, string[]> = { vi: [], en: [] };

  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock(NOW) });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Starts a fresh conversation, replays a path of taps, and returns the last replies. */
  async function replay(locale: Locale, path: string[]): Promise<Reply[]> {
    const userId = `crawl-${locale}-${(users += 1)}`;
    let replies = await simulate(t.app, {
      userId,
      locale,
      text: locale === 'vi' ? 'xin chào' : 'hello',
    });
    for (const step of path)
      replies = await simulate(t.app, {
        userId,
        locale,
        ...(step.startsWith('text:') ? { text: step.slice(5) } : { payload: step }),
      });
    return replies;
  }

  function check(locale: Locale, where: string, replies: Reply[]): void {
    for (const reply of replies) {
      // The numbered list repeats the buttons' titles (checked below as titles).
      const listed = new Set((reply.choices ?? []).map((c, i) => `${i + 1}. ${c.title}`));
      const body = reply.text
        .split('\n')
        .filter((line) => !listed.has(line))
        .join('\n');
      const texts: Array<[string, boolean]> = [
        [body, false],
        ...(reply.choices ?? []).map((c): [string, boolean] => [c.title, true]),
      ];
      for (const [text, isTitle] of texts) {
        checked[locale] += 1;
        for (const problem of problems(text, locale, isTitle))
          failures[locale].push(`${where}: ${problem}: ${JSON.stringify(text.slice(0, 300))}`);
      }
    }
  }

  it('its checks catch what they look for', () => {
    expect(problems('Hội trường (mẫu: ghi địa chỉ), Nghệ An', 'vi', false)).not.toEqual([]);
    expect(problems('Điện thoại: (chưa cập nhật)', 'vi', false)).not.toEqual([]);
    expect(problems('Online: https://example.org/x', 'en', false)).not.toEqual([]);
    expect(problems('Organisers replace it with a real course.', 'en', false)).not.toEqual([]);
    expect(problems('The Week runs from 1 to 7 October 2020.', 'en', false)).not.toEqual([]);
    expect(problems('Chủ đề năm nay là gì?', 'vi', false)).not.toEqual([]);
    expect(problems('Ý bạn là...?', 'vi', false)).not.toEqual([]);
    expect(problems('Bạn gõ “menu” nhé.', 'vi', false)).not.toEqual([]);
    expect(problems('Anh/chị gõ “menu” ạ.', 'vi', false)).toEqual([]);
    expect(problems(NO_EDITION.en, 'en', false)).toEqual([]);
  });

  it.each(['vi', 'en'] as const)(
    '%s: finds no placeholder, instruction, example link or present tense',
    async (locale) => {
      const faqIds = t.services.content.faq.map((e) => `FAQ:${e.id}`);
      const roots = [
        ...faqIds,
        ...['TODAY', 'WEEK', 'NEXT', 'START', 'COUNTDOWN', 'ALL'].map((q) => `EVENTS:${q}`),
      ];
      const seen = new Set<string>(['LANG:TOGGLE', 'LANG:vi', 'LANG:en']);
      const queue: string[][] = [[]];
      for (const root of roots) queue.push([root]);
      let visited = 0;
      while (queue.length > 0) {
        const path = queue.shift()!;
        const last = path.at(-1);
        if (last !== undefined && seen.has(last) && path.length > 1) continue;
        if (last !== undefined) seen.add(last);
        const replies = await replay(locale, path);
        visited += 1;
        check(locale, path.join(' > ') || 'greeting', replies);
        if (path.length >= 6) continue;
        for (const reply of replies)
          for (const choice of reply.choices ?? [])
            if (!seen.has(choice.payload) && !choice.payload.startsWith('LANG:'))
              queue.push([...path, choice.payload]);
      }
      // A whole registration, from the deep link to the confirmation, and the data-rights texts.
      const person = ['text:Nguyễn Thị Ánh', 'text:0912345678', 'text:Nghệ An', 'text:6'];
      const agree = locale === 'vi' ? 'text:đồng ý' : 'text:I agree';
      const yes = locale === 'vi' ? 'text:có' : 'text:yes';
      const scripted: string[][] = [
        ['REGISTER:ky-nang-so-co-ban-tu-hoc', ...person],
        ['REGISTER:ky-nang-so-co-ban-tu-hoc', ...person, agree],
        ['REGISTER:ky-nang-so-co-ban-tu-hoc', ...person, agree, yes],
        ['REGISTER:ky-nang-so-co-ban-tu-hoc', ...person, agree, yes, 'MY_REGISTRATIONS'],
        [locale === 'vi' ? 'text:dữ liệu của tôi' : 'text:my data'],
        [locale === 'vi' ? 'text:xóa dữ liệu' : 'text:delete my data'],
        ['text:asdfgh qwerty'],
        ['text:cảm ơn'],
      ];
      for (const path of scripted) check(locale, path.join(' > '), await replay(locale, path));
      for (const id of faqIds) expect(seen, id).toContain(id);
      expect(failures[locale]).toEqual([]);
      expect(visited).toBeGreaterThan(50);
      console.info(`crawl ${locale}: ${visited} screens, ${checked[locale]} texts checked`);
    },
  );
});
