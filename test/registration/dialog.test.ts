import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { flattenKeys } from '../../src/i18n.js';
import { ROOT } from '../../src/services.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  all,
  BEFORE_WEEK,
  contentDir,
  dumpAllTables,
  last,
  registerUpTo,
  say,
  tap,
} from './helpers.js';

const HS_PH = 'internet-an-toan-hs-ph'; // 2 sessions, audiences pupil/student/parent
const HS_PH_0210 = 'internet-an-toan-hs-ph-0210';
const CBCC = 'internet-an-toan-cbcc-nld-0610'; // audiences public-servant/worker

const payloads = (r: { choices?: Array<{ payload: string }> }) =>
  (r.choices ?? []).map((c) => c.payload);

describe('registration dialog (simulator, shipped sample catalogue)', () => {
  let t: TestApp;
  const clock = new ManualClock(BEFORE_WEEK);
  let n = 0;
  const user = () => `reg-user-${++n}`;
  const rows = () => t.services.store.db.selectFrom('registrations').selectAll().execute();
  const mainMenu = async () => ((await t.services.welcome('vi')).choices ?? []).map((c) => c.payload);

  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers from the menu: kind, course, session, name, phone, former province, audience, consent, summary, code', async () => {
    const u = user();
    const menu = await say(t.app, u, 'menu');
    expect(payloads(last(menu))).toEqual(await mainMenu());
    expect((await mainMenu())[1]).toBe('REGISTER');
    const kind = await say(t.app, u, '2');
    expect(all(kind)).toContain('Thông tin chỉ được lưu khi anh/chị đồng ý');
    expect(last(kind).text).toContain(
      'Anh/chị muốn đăng ký loại nào?\n1. Khóa học trực tuyến\n2. Tập huấn sử dụng Internet an toàn',
    );
    expect(payloads(last(kind))).toEqual(['REG_KIND:online-course', 'REG_KIND:safe-internet']);
    const course = await say(t.app, u, '2');
    expect(last(course).text).toContain(
      '1. Sử dụng Internet an toàn cho học sinh và phụ huynh (khoá học minh hoạ)',
    );
    const session = await tap(t.app, u, `REG_COURSE:${HS_PH}`);
    expect(last(session).text).toContain('1. 02/10 08:00 · Hà Nội · còn 40 chỗ');
    expect(last(session).text).toContain('2. 05/10 14:00 · Trực tuyến · còn 100 chỗ');
    const name = await say(t.app, u, '1');
    expect(all(name)).toContain('🕒 08:00 ngày 02/10/2020 – 10:30');
    expect(last(name).text).toContain('Họ và tên đầy đủ');
    expect(last(await say(t.app, u, 'Nguyễn Thị Ánh')).text).toContain('Số điện thoại');
    expect(last(await say(t.app, u, '0912 345 678')).text).toContain('tỉnh/thành phố nào');
    const audience = await say(t.app, u, 'bac giang');
    expect(all(audience)).toContain('Bắc Giang nay thuộc tỉnh Bắc Ninh');
    expect(payloads(last(audience))).toEqual([
      'REG_AUD:pupil',
      'REG_AUD:student',
      'REG_AUD:parent',
    ]);
    const consent = await say(t.app, u, 'phu huynh');
    const notice = last(consent).text;
    for (const part of [
      'Mục đích',
      'Dữ liệu được lưu',
      'Thời gian lưu: đến 90 ngày',
      'rút lại đồng ý',
      'xóa dữ liệu',
      '2026-12-v2',
      '91/2025/QH15',
    ])
      expect(notice).toContain(part);
    expect(await rows()).toHaveLength(0);
    const summary = await say(t.app, u, 'đồng ý');
    expect(last(summary).text).toContain(
      '• Họ tên: Nguyễn Thị Ánh\n• Điện thoại: 0912 345 678\n• Tỉnh/thành phố: Bắc Ninh\n• Đối tượng: Phụ huynh',
    );
    expect(await rows()).toHaveLength(0);
    const done = await say(t.app, u, 'xác nhận');
    const code = /Mã đăng ký của anh\/chị: ([A-Z0-9]{6})/.exec(last(done).text)?.[1];
    expect(code).toBeDefined();
    const [row] = (await rows()).filter((r) => r.user_id === u);
    expect(row).toMatchObject({
      code,
      session_id: HS_PH_0210,
      course_id: HS_PH,
      channel: 'simulator',
      full_name: 'Nguyễn Thị Ánh',
      phone: '+84912345678',
      province: 'bac-ninh',
      audience: 'parent',
      status: 'confirmed',
    });
    const consents = await t.services.registration.consents.history('simulator', u);
    expect(consents).toEqual([
      expect.objectContaining({
        purpose: 'course-registration',
        noticeVersion: '2026-12-v2',
        action: 'given',
        at: BEFORE_WEEK,
        channel: 'simulator',
      }),
    ]);
  });

  it('registers in English with typed titles', async () => {
    const u = user();
    await say(t.app, u, 'English');
    expect(last(await say(t.app, u, 'register')).text).toContain(
      'What would you like to register for?',
    );
    // Before 1 October only one online course is open (the self-paced one opens then): no course question.
    const name = await say(t.app, u, 'Online course');
    expect(all(name)).toContain(
      'You picked: Using open educational resources (demonstration course)',
    );
    expect(all(name)).toContain('🕒 19:30 on 3 October 2020 – 21:00');
    expect(last(name).text).toContain('What is your full name?');
    await say(t.app, u, 'Tran Van Binh');
    await say(t.app, u, '+84 38 123 4567');
    await say(t.app, u, 'Ho Chi Minh City');
    expect(last(await say(t.app, u, 'Student')).text).toContain('Do you agree?');
    expect(last(await say(t.app, u, 'I agree')).text).toContain(
      '• Province/city: Ho Chi Minh City',
    );
    expect(last(await say(t.app, u, 'confirm')).text).toMatch(
      /You are registered! Your registration code: [A-Z0-9]{6}/,
    );
    expect((await rows()).find((r) => r.user_id === u)).toMatchObject({
      phone: '+84381234567',
      locale: 'en',
      audience: 'student',
    });
  });

  describe('re-asks with a helpful message', () => {
    it('at a choice: keeps the buttons and takes a good answer after', async () => {
      const u = user();
      await tap(t.app, u, 'REGISTER');
      const retry = await say(t.app, u, 'cái gì vậy');
      expect(retry).toHaveLength(1);
      expect(retry[0]!.text).toContain(
        'Anh/chị vui lòng chọn một loại bằng cách bấm nút hoặc gõ số thứ tự:\n1. Khóa học trực tuyến',
      );
      expect(payloads(retry[0]!)).toEqual(['REG_KIND:online-course', 'REG_KIND:safe-internet']);
      expect(last(await say(t.app, u, 'tap huan su dung internet an toan')).text).toContain(
        'Chọn khóa học',
      );
      expect(last(await say(t.app, u, '7')).text).toContain('Tôi chưa nhận ra khóa học đó');
      expect(last(await say(t.app, u, '2')).text).toContain('Họ và tên');
    });

    it.each([
      ['An', 'Họ tên hơi ngắn'],
      ['Nguyen', 'ít nhất 2 từ'],
      ['Nguyễn Văn 2', 'chỉ gồm chữ cái'],
      ['Nguyễn ' + 'a'.repeat(80), 'dài quá 80 ký tự'],
    ])('at the name: %j', async (typed, message) => {
      const u = user();
      await tap(t.app, u, `REGISTER:${CBCC}`);
      const retry = await say(t.app, u, typed);
      expect(retry).toHaveLength(1);
      expect(retry[0]!.text).toContain(message);
      expect(last(await say(t.app, u, 'Lê Minh Châu')).text).toContain('Số điện thoại');
    });

    it.each([
      ['09123', 'có 10 chữ số'],
      ['số của tôi', 'chỉ gồm chữ số'],
      ['0241234567', 'không phải số di động'],
    ])('at the phone: %j', async (typed, message) => {
      const u = user();
      await tap(t.app, u, `REGISTER:${CBCC}`);
      await say(t.app, u, 'Lê Minh Châu');
      const retry = await say(t.app, u, typed);
      expect(retry).toHaveLength(1);
      expect(retry[0]!.text).toContain(message);
      expect(last(await say(t.app, u, '0987654321')).text).toContain('tỉnh/thành phố nào');
    });

    it('at the province: lists the 34 units, then accepts a typo', async () => {
      const u = user();
      await tap(t.app, u, `REGISTER:${CBCC}`);
      await say(t.app, u, 'Lê Minh Châu');
      await say(t.app, u, '0987654321');
      const retry = await say(t.app, u, 'Atlantis');
      expect(retry[0]!.text).toContain('Tôi chưa nhận ra tỉnh/thành phố “Atlantis”');
      expect(retry[0]!.text).toContain('Hà Nội, Huế, Lai Châu');
      expect(retry[0]!.text.split(', ')).toHaveLength(34);
      expect(last(await say(t.app, u, 'nghe anh')).text).toContain(
        'Anh/chị đăng ký với tư cách là',
      );
    });

    it('at the audience, the consent and the confirmation', async () => {
      const u = user();
      await tap(t.app, u, `REGISTER:${CBCC}`);
      await say(t.app, u, 'Lê Minh Châu');
      await say(t.app, u, '0987654320');
      await say(t.app, u, 'Nghệ An');
      expect(last(await say(t.app, u, 'giáo viên')).text).toContain(
        'Anh/chị vui lòng chọn một đối tượng',
      );
      expect(last(await say(t.app, u, 'người lao động')).text).toContain(
        'Anh/chị có đồng ý không?',
      );
      const consentRetry = await say(t.app, u, 'để mình nghĩ đã');
      expect(consentRetry[0]!.text).toContain(
        'Anh/chị vui lòng trả lời “đồng ý” hoặc “không đồng ý”',
      );
      expect(payloads(consentRetry[0]!)).toEqual(['YES', 'NO']);
      expect(last(await tap(t.app, u, 'YES')).text).toContain('Xác nhận đăng ký?');
      expect(last(await say(t.app, u, 'hmm')).text).toContain(
        'Anh/chị trả lời “xác nhận” để đăng ký',
      );
      expect(last(await say(t.app, u, '1')).text).toContain('Đăng ký thành công');
    });
  });

  describe('gives up to the menu after 3 bad answers', () => {
    it.each([
      ['a choice', [], ['x', 'y', 'z']],
      ['the phone', ['2', '2', 'Lê Minh Châu'], ['1', '2', '3']],
      ['the consent', ['2', '2', 'Lê Minh Châu', '0987654000', 'Nghệ An', '1'], ['?', '??', '???']],
    ])('at %s', async (_name, before, bad) => {
      const u = user();
      await tap(t.app, u, 'REGISTER');
      for (const text of before) await say(t.app, u, text);
      await say(t.app, u, bad[0]!);
      await say(t.app, u, bad[1]!);
      const gaveUp = await say(t.app, u, bad[2]!);
      expect(gaveUp).toHaveLength(1);
      expect(gaveUp[0]!.text).toContain('tạm dừng đăng ký (chưa lưu thông tin nào)');
      expect(payloads(gaveUp[0]!)).toContain('REGISTER');
      // The dialog is over: the same input is now an ordinary message.
      expect(last(await say(t.app, u, 'qwerty')).text).toContain('chưa hiểu ý anh/chị');
      expect((await rows()).filter((r) => r.user_id === u)).toHaveLength(0);
    });
  });

  describe('leaves at any step on hủy / thoát / menu / cancel', () => {
    const steps: Array<[string, string[]]> = [
      ['kind', []],
      ['name', ['2', '2']],
      ['phone', ['2', '2', 'Lê Minh Châu']],
      ['province', ['2', '2', 'Lê Minh Châu', '0987000111']],
      ['consent', ['2', '2', 'Lê Minh Châu', '0987000111', 'Nghệ An', '1']],
      ['summary', ['2', '2', 'Lê Minh Châu', '0987000111', 'Nghệ An', '1', 'đồng ý']],
    ];
    const cases = ['hủy', 'thoát', 'menu', 'cancel'].flatMap((word) =>
      steps.map(([step, before]) => [word, step, before] as const),
    );
    it.each(cases)('%j at the %s step', async (word, _step, before) => {
      const u = user();
      await tap(t.app, u, 'REGISTER');
      for (const text of before) await say(t.app, u, text);
      const out = await say(t.app, u, word);
      expect(payloads(last(out))).toEqual(await mainMenu());
      if (word !== 'menu') expect(last(out).text).toContain('Đã hủy');
      // No longer in the dialog: "có" is not a confirmation any more.
      expect(last(await say(t.app, u, 'có')).text).toContain('chưa hiểu ý anh/chị');
      expect((await rows()).filter((r) => r.user_id === u)).toHaveLength(0);
    });
  });

  it('a "no" to the consent ends politely and stores nothing anywhere', async () => {
    const u = user();
    const name = 'Phạm Thị Riêng Tư';
    await tap(t.app, u, `REGISTER:${CBCC}`);
    await say(t.app, u, name);
    await say(t.app, u, '0977 123 456');
    await say(t.app, u, 'Nghệ An');
    await say(t.app, u, '1');
    const refused = await say(t.app, u, 'không đồng ý');
    expect(last(refused).text).toContain('Tôi không lưu thông tin nào của anh/chị');
    const dump = JSON.stringify(await dumpAllTables(t.services.store.db, 'sqlite'));
    expect(dump).not.toContain(name);
    expect(dump).not.toContain('977123456');
    expect(await t.services.registration.consents.history('simulator', u)).toEqual([]);
  });

  it('"không" at the summary stores nothing', async () => {
    const u = user();
    await registerUpTo(t, u, CBCC, { phone: '0977000001' }, 'summary');
    expect(last(await say(t.app, u, 'không')).text).toContain(
      'Đã dừng. Tôi không lưu thông tin nào',
    );
    expect((await rows()).filter((r) => r.user_id === u)).toHaveLength(0);
    expect(await t.services.registration.consents.history('simulator', u)).toEqual([]);
  });

  it('starts from a deep link ref (register-<courseId>) and from a REGISTER:<id> button', async () => {
    const u = user();
    await t.services.inbox.acceptAndWait([
      {
        kind: 'referral',
        channel: 'simulator',
        userId: u,
        eventId: `ref-${u}`,
        timestamp: clock.now(),
        ref: `register-${HS_PH}`,
      },
    ]);
    const fromRef = t.services.simulator!.take(u);
    expect(last(fromRef).text).toContain(
      '“Sử dụng Internet an toàn cho học sinh và phụ huynh (khoá học minh hoạ)” có các buổi sau',
    );

    const straight = await tap(t.app, user(), `REGISTER:${HS_PH_0210}`);
    expect(last(straight).text).toContain('Họ và tên');

    const unknown = await tap(t.app, user(), 'REGISTER:khoa-hoc-da-xoa');
    expect(all(unknown)).toContain('không còn mở đăng ký');
    expect(last(unknown).text).toContain('Anh/chị muốn đăng ký loại nào?');
  });

  it('starts from the plain `register` ref and from payloads that come back as typed text', async () => {
    const u = user();
    await t.services.inbox.acceptAndWait([
      {
        kind: 'follow',
        channel: 'simulator',
        userId: u,
        eventId: `follow-${u}`,
        timestamp: clock.now(),
        ref: 'register',
      },
    ]);
    expect(last(t.services.simulator!.take(u)).text).toContain('Anh/chị muốn đăng ký loại nào?');
    // Zalo's query buttons send the payload as a message.
    expect(last(await say(t.app, user(), `REGISTER:${HS_PH_0210}`)).text).toContain('Họ và tên');
    expect(last(await say(t.app, user(), 'MY_REGISTRATIONS')).text).toContain(
      'chưa có đăng ký nào',
    );
    const mid = user();
    await tap(t.app, mid, `REGISTER:${CBCC}`);
    expect(last(await say(t.app, mid, `REGISTER:${HS_PH}`)).text).toContain('có các buổi sau');
  });

  it('registers for the self-paced online course once it opens, with no reminder', async () => {
    clock.set(Date.parse('2020-10-01T09:00:00+07:00'));
    try {
      const u = user();
      await tap(t.app, u, 'REGISTER');
      const courses = await say(t.app, u, 'khoa hoc truc tuyen');
      expect(last(courses).text).toContain(
        '1. Kỹ năng số cơ bản cho mọi người (khoá học minh hoạ)',
      );
      const chosen = await say(t.app, u, '1');
      expect(all(chosen)).toContain('🕒 Tự học, bắt đầu bất cứ lúc nào');
      // A demonstration course has no link: no example address reaches the citizen.
      expect(all(chosen)).toContain('📍 Trực tuyến');
      expect(all(chosen)).not.toMatch(/https?:\/\//);
      for (const text of ['Võ Thị Tự Học', '0355 000 111', 'Huế', '6', 'đồng ý'])
        await say(t.app, u, text);
      expect(last(await say(t.app, u, 'có')).text).toContain('Đăng ký thành công');
      const row = (await rows()).find((r) => r.user_id === u)!;
      expect(row).toMatchObject({
        session_id: 'ky-nang-so-co-ban-tu-hoc',
        audience: 'citizen',
        province: 'hue',
      });
      clock.set(Date.parse('2020-10-05T09:00:00+07:00'));
      await t.services.registrationScheduler.tick();
      expect(await t.services.registration.notices.forRegistrations([Number(row.id)])).toEqual([]);
    } finally {
      clock.set(BEFORE_WEEK);
    }
  });

  it('says when a linked course has no open session any more', async () => {
    clock.set(Date.parse('2020-10-06T09:00:00+07:00'));
    try {
      const closed = await tap(t.app, user(), 'REGISTER:internet-an-toan-hs-ph');
      expect(last(closed).text).toContain(
        '“Sử dụng Internet an toàn cho học sinh và phụ huynh (khoá học minh hoạ)” đã đóng đăng ký',
      );
    } finally {
      clock.set(BEFORE_WEEK);
    }
  });

  it('a REGISTER:<id> button tapped mid-registration starts over with that course', async () => {
    const u = user();
    await tap(t.app, u, `REGISTER:${CBCC}`);
    await say(t.app, u, 'Lê Minh Châu');
    const again = await tap(t.app, u, `REGISTER:${HS_PH}`);
    expect(last(again).text).toContain('có các buổi sau');
  });

  it('refuses a second registration of the same phone for the same session', async () => {
    const first = user();
    await registerUpTo(t, first, CBCC, { phone: '0966555444' });
    const code = (await rows()).find((r) => r.user_id === first)!.code;
    for (const u of [first, user()]) {
      await tap(t.app, u, `REGISTER:${CBCC}`);
      await say(t.app, u, 'Lê Văn Hai');
      const dup = await say(t.app, u, '+84 966 555 444');
      expect(last(dup).text).toContain(
        `Số điện thoại này đã đăng ký buổi này rồi (mã ${code}, Đã xác nhận)`,
      );
      expect(payloads(last(dup))).toEqual(['MY_REGISTRATIONS', 'MENU']);
    }
    expect((await rows()).filter((r) => r.phone === '+84966555444')).toHaveLength(1);
  });

  it('lists my registrations and cancels one after asking', async () => {
    const u = user();
    await registerUpTo(t, u, CBCC, { phone: '0966000111' });
    const code = (await rows()).find((r) => r.user_id === u)!.code;
    const mine = await say(t.app, u, 'đăng ký của tôi');
    expect(last(mine).text).toContain(`Mã ${code} · Đã xác nhận`);
    expect(payloads(last(mine))).toEqual([`REG_CANCEL:${code}`, 'MY_DATA', 'MENU']);
    expect(last(await tap(t.app, u, `REG_CANCEL:${code}`)).text).toContain(`Hủy đăng ký ${code}`);
    expect(last(await say(t.app, u, 'không')).text).toContain(
      `Đăng ký ${code} vẫn được giữ nguyên`,
    );
    await tap(t.app, u, `REG_CANCEL:${code}`);
    expect(last(await say(t.app, u, 'có')).text).toContain(`Đã hủy đăng ký ${code}`);
    expect((await rows()).find((r) => r.code === code)).toMatchObject({
      status: 'cancelled',
      full_name: null,
      phone: null,
    });
    expect(last(await say(t.app, u, 'my registrations')).text).toContain('chưa có đăng ký nào');
    // Someone else's code is not theirs to cancel.
    const other = user();
    expect(last(await tap(t.app, other, `REG_CANCEL:${code}`)).text).toContain(
      `không tìm thấy đăng ký đang hiệu lực nào có mã ${code}`,
    );
  });
});

describe('registration dialog: full, closed and empty catalogue', () => {
  let t: TestApp;
  const clock = new ManualClock(BEFORE_WEEK);
  beforeAll(async () => {
    t = await startTestApp({ clock, env: { CONTENT_DIR: contentDir() } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('offers the waitlist for a full session; yes waitlists, no stores nothing', async () => {
    await registerUpTo(t, 'full-a', 'solo-0210', { phone: '0911000001' });
    const offer = await tap(t.app, 'full-b', 'REGISTER:solo-0210');
    expect(last(offer).text).toContain(
      'Buổi này đã hết chỗ. Anh/chị có muốn vào danh sách chờ không (anh/chị sẽ ở vị trí 1)?',
    );
    expect(last(await say(t.app, 'full-b', 'có')).text).toContain('Họ và tên');
    for (const text of ['Hoàng Văn Chờ', '0911000002', 'Hà Tĩnh', '2', 'đồng ý'])
      await say(t.app, 'full-b', text);
    expect(last(await say(t.app, 'full-b', 'có')).text).toMatch(
      /Anh\/chị đã vào danh sách chờ \(vị trí 1\) của “Internet an toàn, hiệu quả cho phụ huynh”\. Mã: [A-Z0-9]{6}/,
    );

    await tap(t.app, 'full-c', 'REGISTER:solo-0210');
    expect(last(await say(t.app, 'full-c', 'không')).text).toContain(
      'Dạ, tôi chưa lưu thông tin nào',
    );
    const statuses = (
      await t.services.store.db.selectFrom('registrations').select(['user_id', 'status']).execute()
    ).map((r) => `${r.user_id}:${r.status}`);
    expect(statuses.sort()).toEqual(['full-a:confirmed', 'full-b:waitlisted']);
  });

  it('says a session is closed once it started, and that nothing is open after the Week', async () => {
    clock.set(Date.parse('2020-10-02T08:30:00+07:00'));
    expect(all(await tap(t.app, 'late-1', 'REGISTER:solo-0210'))).toContain('đã đóng đăng ký');
    clock.set(Date.parse('2021-01-01T00:00:00+07:00'));
    const none = await tap(t.app, 'late-2', 'REGISTER');
    expect(last(none).text).toContain(
      'Hiện chưa có khóa học hay buổi tập huấn nào đang mở đăng ký',
    );
    expect(payloads(last(none))).toContain('REGISTER');
    clock.set(BEFORE_WEEK);
  });
});

describe('registration texts', () => {
  it('exist in both languages with the same consent notice version', () => {
    const read = (lng: string) =>
      JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', lng, 'registration.json'), 'utf8'));
    const vi = read('vi');
    const en = read('en');
    expect(flattenKeys(en).sort()).toEqual(flattenKeys(vi).sort());
    expect(en.consent.version).toBe(vi.consent.version);
  });
});
