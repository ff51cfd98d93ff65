import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ROOT } from '../../src/services.js';
import { simulate, startTestApp, tempDir, type TestApp } from '../helpers/app.js';

/** The organiser's events of these tests; the Week and its opening come from editions/2020.json. */
const EVENTS = [
  {
    id: 'safe-internet-0310',
    title: {
      vi: 'Lớp tập huấn sử dụng Internet an toàn, hiệu quả',
      en: 'Training: using the Internet safely and effectively',
    },
    date: '2020-10-03',
    time: '08:00',
    endTime: '11:00',
    onlineUrl: 'https://taphuan.nghean.edu.vn/internet-an-toan',
    audience: ['parents'],
    description: { vi: 'Tập huấn trực tuyến.', en: 'Online training.' },
  },
  {
    id: 'forum-0510',
    title: {
      vi: 'Diễn đàn “Công dân học tập trong thời đại số”',
      en: 'Forum: “Learning citizens in the digital age”',
    },
    date: '2020-10-05',
    time: '14:00',
    endTime: '16:30',
    place: {
      vi: 'Trung tâm học tập cộng đồng phường Bến Thủy',
      en: 'Ben Thuy community learning centre',
    },
    audience: ['everyone'],
    description: { vi: 'Diễn đàn.', en: 'A forum.' },
  },
  {
    id: 'reading-day-demo',
    title: { vi: 'Ngày hội đọc sách liên thế hệ', en: 'Inter-generational reading day' },
    date: '2020-10-06',
    time: '08:00',
    endTime: '17:00',
    audience: ['everyone'],
    description: { vi: 'Khuyến đọc.', en: 'Reading promotion.' },
    sample: true,
  },
];

/** The shipped content with the events above. */
function contentWithEvents(): string {
  const dir = tempDir();
  fs.cpSync(path.join(ROOT, 'content'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'events.json'), JSON.stringify({ events: EVENTS }));
  return dir;
}

/** An instant given as Ho Chi Minh City wall-clock time (UTC+7). */
const hcm = (local: string) => Date.parse(`${local}+07:00`);

describe('events, relative to the clock (simulator)', () => {
  const clock = new ManualClock(hcm('2020-09-26T10:00'));
  let t: TestApp;
  let user = 0;
  const ask = async (text: string, locale?: 'vi' | 'en') => {
    const replies = await simulate(t.app, {
      userId: `e${(user += 1)}`,
      text,
      ...(locale ? { locale } : {}),
    });
    expect(replies).toHaveLength(1);
    return replies[0]!;
  };
  beforeAll(async () => {
    t = await startTestApp({ clock, env: { CONTENT_DIR: contentWithEvents() } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts down before the Week, in both languages', async () => {
    clock.set(hcm('2020-09-26T10:00'));
    expect((await ask('còn bao nhiêu ngày nữa')).text).toContain(
      'Còn 5 ngày nữa là đến Tuần lễ hưởng ứng học tập suốt đời năm 2020 (bắt đầu ngày 01/10/2020).',
    );
    expect((await ask('how many days left?', 'en')).text).toContain(
      '5 days to go until the Lifelong Learning Week 2020 (it starts on 1 October 2020).',
    );
    expect((await ask('con bn ngay nua')).text).toContain('Còn 5 ngày nữa');
  });

  it('says "tomorrow" the day before, and counts the days during the Week', async () => {
    clock.set(hcm('2020-09-30T23:59'));
    expect((await ask('khi nào tuần lễ bắt đầu')).text).toContain(
      'bắt đầu vào ngày mai, 01/10/2020',
    );
    clock.set(hcm('2020-10-03T09:00'));
    expect((await ask('còn mấy ngày nữa')).text).toContain(
      'hôm nay là ngày thứ 3/7, kết thúc ngày 07/10/2020',
    );
    expect((await ask('when does the week start?', 'en')).text).toContain(
      'started on 1 October 2020 and is under way until the end of 7 October 2020',
    );
  });

  it('speaks in the past tense once the Week is over', async () => {
    clock.set(hcm('2020-10-08T00:00'));
    expect((await ask('bao giờ bắt đầu tuần lễ')).text).toContain(
      'Tuần lễ hưởng ứng học tập suốt đời năm 2020 đã diễn ra từ ngày 01/10/2020 đến ngày 07/10/2020.',
    );
    expect((await ask('còn mấy ngày nữa')).text).toContain('đã kết thúc ngày 07/10/2020');
    const next = await ask('sự kiện tiếp theo là gì');
    expect(next.text).toContain('Hiện chưa có sự kiện mới nào trong lịch.');
    const all = await simulate(t.app, { userId: 'all', payload: 'EVENTS' });
    expect(all[0]!.text).toContain(
      '• Lễ khai mạc Tuần lễ hưởng ứng học tập suốt đời năm 2020: 01/10/2020 (đã diễn ra)',
    );
    expect(all[0]!.text).not.toContain('sắp diễn ra');
    // A demonstration event says so, and once over it keeps its date but not its invented time.
    expect(all[0]!.text).toContain(
      '• Ngày hội đọc sách liên thế hệ (sự kiện minh hoạ): 06/10/2020 (đã diễn ra)',
    );
    expect(all[0]!.text).not.toContain('06/10/2020, 08:00');
  });

  it('lists what is on today, with an event over in the past tense and one to come', async () => {
    clock.set(hcm('2020-10-03T12:00'));
    const today = await ask('hôm nay có sự kiện gì');
    expect(today.text).toContain('Hôm nay, Thứ Bảy, 03/10/2020:');
    expect(today.text).toContain(
      'Lớp tập huấn sử dụng Internet an toàn, hiệu quả\n  Thứ Bảy, 03/10/2020, 08:00–11:00 (đã diễn ra)',
    );
    expect(today.text).not.toContain('Diễn đàn');
    clock.set(hcm('2020-10-03T07:30'));
    expect((await ask('hôm nay có gì')).text).toContain(
      'Trực tuyến: https://taphuan.nghean.edu.vn/internet-an-toan',
    );
    expect(today.text).not.toContain('Diễn đàn');
    clock.set(hcm('2020-10-03T07:00'));
    expect((await ask('hôm nay có gì')).text).toContain('08:00–11:00 (sắp diễn ra)');
  });

  it('uses the Ho Chi Minh City date, not UTC, around midnight', async () => {
    clock.set(Date.parse('2020-09-30T17:30:00Z')); // 01/10/2020 00:30 local, 30/09 in UTC
    expect((await ask('hôm nay có sự kiện gì')).text).toContain('Hôm nay, Thứ Năm, 01/10/2020:');
  });

  it('shows this week and the next events', async () => {
    clock.set(hcm('2020-09-26T10:00'));
    const week = await ask('tuần này có sự kiện gì');
    expect(week.text).toContain(
      'Tuần này (21/09/2020 – 27/09/2020) không có sự kiện nào trong lịch.',
    );
    expect(week.text).toContain('Sự kiện gần nhất:');
    clock.set(hcm('2020-10-04T10:00'));
    const next = await ask('what is the next event?', 'en');
    expect(next.text).toMatch(/^Coming up:\n\n• Forum: “Learning citizens in the digital age”\n/);
    expect(next.text).toContain('Monday, 5 October 2020, 14:00–16:30 (coming up)');
  });

  it('offers the other queries as buttons and understands unknown ones as the full list', async () => {
    const replies = await simulate(t.app, { userId: 'b1', payload: 'EVENTS:BOGUS' });
    expect(replies[0]!.text).toContain('Lịch sự kiện Tuần lễ hưởng ứng học tập suốt đời năm 2020:');
    expect(replies[0]!.text.match(/^• /gm)).toHaveLength(5);
    expect(replies[0]!.choices?.map((c) => c.payload)).toEqual([
      'EVENTS:TODAY',
      'EVENTS:WEEK',
      'EVENTS:NEXT',
      'EVENTS:COUNTDOWN',
      'MENU',
    ]);
  });
});
