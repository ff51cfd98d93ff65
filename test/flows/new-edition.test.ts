import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ROOT } from '../../src/services.js';
import { simulate, startTestApp, tempDir, type TestApp } from '../helpers/app.js';
import { ORGANISER } from '../helpers/organiser.js';

/** An instant given as Ho Chi Minh City wall-clock time (UTC+7). */
const hcm = (local: string) => Date.parse(`${local}+07:00`);

/** What an organiser adds for 2026: one file, as the README describes; no code changes. */
const EDITION_2026 = {
  year: 2026,
  name: { vi: 'Tuần lễ hưởng ứng học tập suốt đời năm 2026', en: 'Lifelong Learning Week 2026' },
  theme: { vi: 'Học tập suốt đời trong kỷ nguyên số', en: 'Lifelong learning in the digital era' },
  startDate: '2026-10-05',
  endDate: '2026-10-11',
  openingDate: '2026-10-05',
  reportDeadline: '2026-10-25',
  report: {
    recipient: {
      vi: 'Bộ Giáo dục và Đào tạo (Vụ Giáo dục thường xuyên)',
      en: 'the Ministry (Continuing Education Department)',
    },
    email: 'baocao2026@moet.gov.vn',
  },
  purpose: { vi: 'Mục đích năm 2026.', en: 'The 2026 aims.' },
  activities: [
    {
      id: 'opening',
      title: { vi: 'Lễ khai mạc', en: 'Opening' },
      text: { vi: 'Khai mạc.', en: 'Opening.' },
    },
  ],
};

const EVENT_2026 = {
  id: 'forum-2026',
  title: { vi: 'Diễn đàn học tập số 2026', en: 'Digital learning forum 2026' },
  date: '2026-10-07',
  time: '14:00',
  endTime: '16:00',
  place: { vi: 'Hội trường Sở GDĐT Nghệ An', en: 'Nghe An Department hall' },
  audience: ['everyone'],
  description: { vi: 'Diễn đàn.', en: 'A forum.' },
};

function contentWith2026(): string {
  const dir = tempDir();
  fs.cpSync(path.join(ROOT, 'content'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'editions', '2026.json'), JSON.stringify(EDITION_2026));
  fs.writeFileSync(path.join(dir, 'events.json'), JSON.stringify({ events: [EVENT_2026] }));
  fs.writeFileSync(path.join(dir, 'organiser.json'), JSON.stringify(ORGANISER));
  return dir;
}

describe('a 2026 edition file makes the bot follow it, before, during and after (manual clock)', () => {
  const clock = new ManualClock(hcm('2026-09-20T10:00'));
  let t: TestApp;
  let n = 0;
  const text = async (input: { text?: string; payload?: string }, locale: 'vi' | 'en' = 'vi') => {
    const replies = await simulate(t.app, { userId: `n${(n += 1)}`, locale, ...input });
    return replies.map((r) => r.text).join('\n---\n');
  };
  beforeAll(async () => {
    t = await startTestApp({ clock, env: { CONTENT_DIR: contentWith2026() } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('before: greeting, dates, countdown, events and report deadline of 2026, in the future', async () => {
    clock.set(hcm('2026-09-20T10:00'));
    const greeting = await text({ text: 'xin chào' });
    expect(greeting).toContain(
      'Tuần lễ hưởng ứng học tập suốt đời năm 2026, chủ đề “Học tập suốt đời trong kỷ nguyên số”, sẽ diễn ra từ ngày 05/10/2026 đến ngày 11/10/2026 (còn 15 ngày nữa).',
    );
    expect(greeting).not.toContain('2020');
    expect(greeting).not.toContain('sẽ được cập nhật');
    expect(await text({ payload: 'ABOUT:DATES' })).toContain(
      'Tuần lễ năm 2026 sẽ được tổ chức từ ngày 05/10/2026 đến ngày 11/10/2026',
    );
    expect(await text({ payload: 'EVENTS:COUNTDOWN' })).toContain(
      'Còn 15 ngày nữa là đến Tuần lễ hưởng ứng học tập suốt đời năm 2026 (bắt đầu ngày 05/10/2026).',
    );
    const next = await text({ payload: 'EVENTS:NEXT' });
    expect(next).toContain('• Tuần lễ hưởng ứng học tập suốt đời năm 2026');
    expect(next).toContain(
      '• Diễn đàn học tập số 2026\n  Thứ Tư, 07/10/2026, 14:00–16:00 (sắp diễn ra)',
    );
    // The organiser's contacts, not a placeholder.
    expect(await text({ payload: 'FAQ:contact' })).toContain(
      'Điện thoại: 0238 3844 000\nThư điện tử: tuanle@nghean.edu.vn',
    );
    const report = await text({ payload: 'FAQ:reporting' });
    expect(report).toContain('baocao2026@moet.gov.vn, trước ngày 25/10/2026');
    expect(await text({ payload: 'FAQ:dates' }, 'en')).toContain(
      'The 2026 Week: from 5 October 2026 to 11 October 2026, with the opening ceremony on 5 October 2026.\n15 days to go until the 2026 Week.',
    );
  });

  it('during: the Week is under way, day by day', async () => {
    clock.set(hcm('2026-10-07T09:00'));
    expect(await text({ text: 'xin chào' })).toContain(
      'Tuần lễ hưởng ứng học tập suốt đời năm 2026, chủ đề “Học tập suốt đời trong kỷ nguyên số”, đang diễn ra từ ngày 05/10/2026 đến hết ngày 11/10/2026.',
    );
    expect(await text({ payload: 'EVENTS:COUNTDOWN' })).toContain(
      'hôm nay là ngày thứ 3/7, kết thúc ngày 11/10/2026',
    );
    expect(await text({ payload: 'EVENTS:TODAY' })).toContain('14:00–16:00 (sắp diễn ra)');
    expect(await text({ text: 'hello' }, 'en')).toContain(
      'The Lifelong Learning Week 2026, themed “Lifelong learning in the digital era”, is under way',
    );
  });

  it('after: the past tense, and 2026 (not 2020) as the latest edition', async () => {
    clock.set(hcm('2026-12-01T10:00'));
    const greeting = await text({ text: 'xin chào' });
    expect(greeting).toContain(
      'Tuần lễ hưởng ứng học tập suốt đời năm 2026, chủ đề “Học tập suốt đời trong kỷ nguyên số”, đã diễn ra từ ngày 05/10/2026 đến ngày 11/10/2026.',
    );
    expect(greeting).not.toContain('sẽ được cập nhật');
    const all = await text({ payload: 'EVENTS' });
    expect(all).toContain('• Diễn đàn học tập số 2026: 07/10/2026, 14:00 (đã diễn ra)');
    expect(all).not.toContain('2020');
    expect(await text({ payload: 'FAQ:theme' }, 'en')).toContain(
      'The 2026 Week ended on 11 October 2026.',
    );
    // The next year without its own file: said so, and 2026 is the archive.
    clock.set(hcm('2027-03-01T10:00'));
    expect(await text({ text: 'xin chào' })).toContain(
      'Thông tin Tuần lễ năm nay sẽ được cập nhật khi có văn bản hướng dẫn. Tuần lễ hưởng ứng học tập suốt đời năm 2026',
    );
  });

  it('names the real controller from organiser.json in the consent notice', async () => {
    clock.set(hcm('2026-09-20T10:00'));
    const dir = tempDir();
    fs.cpSync(path.join(ROOT, 'content'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'organiser.json'), JSON.stringify(ORGANISER));
    const app = await startTestApp({ clock, env: { CONTENT_DIR: dir } });
    try {
      const u = 'consent-1';
      const say = (text: string) => simulate(app.app, { userId: u, text });
      await simulate(app.app, { userId: u, payload: 'REGISTER:ky-nang-so-co-ban-tu-hoc' });
      for (const step of ['Nguyễn Thị Ánh', '0912345678', 'Nghệ An']) await say(step);
      const consent = (await say('6')).map((r) => r.text).join('\n');
      expect(consent).toContain(
        '• Bên kiểm soát và xử lý dữ liệu: Sở Giáo dục và Đào tạo tỉnh Nghệ An, 83 Trường Thi, TP. Vinh, Nghệ An; chỉ Ban tổ chức xem được.',
      );
      expect(consent).not.toMatch(/minh hoạ|mẫu/);
    } finally {
      await app.close();
    }
  });
});
