import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { dashboardContext } from '../../src/dashboard/context.js';
import { CourseChanges } from '../../src/dashboard/course-changes.js';
import { BACKENDS, simulate, startTestApp, type TestApp } from '../helpers/app.js';
import { all, BEFORE_WEEK, last, registerUpTo, say, tap } from '../registration/helpers.js';

const OWNER = 'owner-token-for-content-api';
const HS_PH = 'internet-an-toan-hs-ph';
const HS_PH_0210 = 'internet-an-toan-hs-ph-0210'; // Hà Nội, 40 seats
const HS_PH_0510 = 'internet-an-toan-hs-ph-0510'; // online, 100 seats

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const NEW_SESSION = {
  schedule: {
    type: 'scheduled',
    start: '2020-10-08T08:00:00+07:00',
    end: '2020-10-08T10:00:00+07:00',
  },
  place: {
    type: 'venue',
    address: { vi: 'Trường THCS Lê Lợi', en: 'Le Loi lower secondary school' },
  },
  province: 'nghe-an',
  capacity: 25,
};

describe.each(BACKENDS)('content API (events, contacts, courses) on $name', (backend) => {
  let t: TestApp;
  let editor: string;
  let viewer: string;

  const call = (token: string | undefined, method: Method, url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const changeRows = () =>
    t.services.store.db
      .selectFrom('content_changes' as never)
      .selectAll()
      .execute();
  const hold = async (sessionId: string, n: number) => {
    const now = t.services.clock.now();
    for (let i = 0; i < n; i++)
      await t.services.registration.repo.register({
        courseId: HS_PH,
        sessionId,
        capacity: 100,
        channel: 'simulator',
        userId: `held-${sessionId}-${i}`,
        fullName: 'Nguyễn Văn An',
        phone: `+8490000${String(i).padStart(4, '0')}`,
        province: 'nghe-an',
        audience: 'parent',
        locale: 'vi',
        waitlist: true,
        consent: { purpose: 'registration', noticeVersion: 'test', at: now },
        now,
      });
  };

  beforeEach(async () => {
    t = await startTestApp({
      backend,
      clock: new ManualClock(BEFORE_WEEK),
      env: { ADMIN_TOKEN: OWNER },
    });
    const { accounts } = await dashboardContext(t.app, t.services);
    const owner = (await accounts.verify(OWNER))!;
    const make = async (role: 'editor' | 'viewer') => {
      const made = await accounts.createToken(`${role} one`, role, owner);
      if (!made.ok) throw new Error('no token');
      return made.token;
    };
    editor = await make('editor');
    viewer = await make('viewer');
  });
  afterEach(async () => {
    await t.close();
  });

  it('lets a viewer read and refuses every change with 403, writing nothing; no token is 401', async () => {
    for (const url of ['/events', '/contacts', '/courses', `/courses/${HS_PH}`])
      expect((await call(viewer, 'GET', url)).statusCode, url).toBe(200);
    const courses = (await call(viewer, 'GET', '/courses')).json<{
      courses: Array<{ id: string; sessions: Array<{ id: string; seats: { taken: number } }> }>;
    }>();
    expect(courses.courses.find((c) => c.id === HS_PH)!.sessions.map((s) => s.id)).toEqual([
      HS_PH_0210,
      HS_PH_0510,
    ]);
    const event = {
      title: { vi: 'Ngày hội', en: 'Festival' },
      date: '2020-10-02',
      description: { vi: 'Giao lưu.', en: 'Meeting.' },
    };
    const changes: Array<[Method, string, unknown?]> = [
      ['POST', '/events', event],
      ['PUT', '/events/x', event],
      ['DELETE', '/events/x'],
      ['PUT', '/contacts', { phone: '0238 3844 000' }],
      [
        'POST',
        '/courses',
        {
          kind: 'safe-internet',
          title: { vi: 'A', en: 'A' },
          audiences: ['parent'],
          sessions: [NEW_SESSION],
        },
      ],
      ['PATCH', `/courses/${HS_PH}`, { closed: true }],
      ['POST', `/courses/${HS_PH}/sessions`, NEW_SESSION],
      ['PATCH', `/courses/${HS_PH}/sessions/${HS_PH_0210}`, { capacity: 5 }],
      ['DELETE', `/courses/${HS_PH}/sessions/${HS_PH_0510}`],
    ];
    for (const [method, url, body] of changes) {
      const res = await call(viewer, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json<{ message: string }>().message).toContain('needs content');
      expect((await call(undefined, method, url, body)).statusCode).toBe(401);
    }
    expect(await changeRows()).toEqual([]);
    expect(t.services.registration.capacityOf(HS_PH_0210)).toBe(40);
  });

  it('adds, changes and removes an event; bad input is 400 naming the field and writes nothing; a stale version is 409', async () => {
    const bad = await call(editor, 'POST', '/events', {
      title: { vi: 'Ngày hội', en: 'Festival' },
      date: '02/10/2020',
      description: { vi: 'x', en: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toBe('date: must be a date like 2020-10-01');
    const unknown = await call(editor, 'POST', '/events', {
      title: { vi: 'a', en: 'a' },
      date: '2020-10-02',
      description: { vi: 'x', en: 'x' },
      colour: 'red',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ message: string }>().message).toContain('colour');
    const noTitle = await call(editor, 'POST', '/events', {
      date: '2020-10-02',
      description: { vi: 'x', en: 'x' },
    });
    expect(noTitle.statusCode).toBe(400);
    expect(noTitle.json<{ message: string }>().message).toContain('title');
    expect(await changeRows()).toEqual([]);

    const created = await call(editor, 'POST', '/events', {
      title: { vi: 'Ngày hội đọc sách', en: 'Reading festival' },
      date: '2020-10-02',
      time: '08:00',
      description: { vi: 'Giao lưu đọc sách.', en: 'Reading together.' },
    });
    expect(created.statusCode).toBe(201);
    const { id, version } = created.json<{ id: string; version: number }>();
    expect([id, version]).toEqual(['2020-10-02-reading-festival', 1]);
    const changed = await call(editor, 'PUT', `/events/${id}`, {
      version: 1,
      title: { vi: 'Ngày hội đọc sách', en: 'Reading festival' },
      date: '2020-10-02',
      time: '14:00',
      description: { vi: 'Giao lưu đọc sách.', en: 'Reading together.' },
    });
    expect(changed.json()).toMatchObject({ time: '14:00', version: 2 });
    const stale = await call(editor, 'PUT', `/events/${id}`, {
      version: 1,
      title: { vi: 'Khác', en: 'Other' },
      date: '2020-10-02',
      description: { vi: 'x', en: 'x' },
    });
    expect(stale.statusCode).toBe(409);
    expect(
      (await call(viewer, 'GET', '/events'))
        .json<{ events: Array<{ time: string }> }>()
        .events.map((e) => e.time),
    ).toEqual(['14:00']);
    expect((await call(editor, 'DELETE', `/events/${id}?version=2`)).statusCode).toBe(200);
    expect((await call(editor, 'DELETE', `/events/${id}`)).statusCode).toBe(404);
    expect((await call(viewer, 'GET', '/events')).json<{ events: unknown[] }>().events).toEqual([]);
  });

  it('replaces the contacts with the organiser.json rules, and the bot gives them at once', async () => {
    const bad = await call(editor, 'PUT', '/contacts', {
      phone: '0238 3844 000',
      email: 'not-an-address',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toBe('email: must be an e-mail address');
    expect(t.services.content.organiser.contacts.phone).not.toBe('0238 3844 000');
    const ok = await call(editor, 'PUT', '/contacts', {
      phone: '0238 3844 000',
      email: 'tuanle@sogddt.gov.vn',
    });
    expect(ok.json()).toMatchObject({ version: 1, contacts: { phone: '0238 3844 000' } });
    const replies = await simulate(t.app, { userId: 'asks-contact', payload: 'FAQ:contact' });
    expect(replies.map((r) => r.text).join('\n')).toContain('0238 3844 000');
  });

  it('adds a course and changes its texts and open state; the catalogue rules of start-up name the field', async () => {
    const noUrl = await call(editor, 'POST', '/courses', {
      kind: 'online-course',
      title: { vi: 'Kỹ năng số cho phụ huynh', en: 'Digital skills for parents' },
      audiences: ['parent'],
      sessions: [{ ...NEW_SESSION, place: { type: 'online' } }],
    });
    expect(noUrl.statusCode).toBe(400);
    expect(noUrl.json<{ message: string }>().message).toBe(
      'sessions.0.place.url: an online session needs its link (url)',
    );
    const badAudience = await call(editor, 'POST', '/courses', {
      kind: 'online-course',
      title: { vi: 'a', en: 'a' },
      audiences: ['aliens'],
      sessions: [NEW_SESSION],
    });
    expect(badAudience.statusCode).toBe(400);
    expect(badAudience.json<{ message: string }>().message).toContain('audiences');
    expect(await changeRows()).toEqual([]);

    const created = await call(editor, 'POST', '/courses', {
      kind: 'online-course',
      title: { vi: 'Kỹ năng số cho phụ huynh', en: 'Digital skills for parents' },
      audiences: ['parent'],
      sessions: [
        { ...NEW_SESSION, place: { type: 'online', url: 'https://lms.sogddt.gov.vn/ks-ph' } },
      ],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      id: 'digital-skills-for-parents',
      version: 1,
      sample: false,
      sessions: [
        { id: 'digital-skills-for-parents-1', capacity: 25, seats: { taken: 0, waitlist: 0 } },
      ],
    });

    const closed = await call(editor, 'PATCH', `/courses/${HS_PH}`, {
      closed: true,
      title: { vi: 'Internet an toàn cho học sinh', en: 'Safe internet for pupils' },
    });
    expect(closed.json()).toMatchObject({ closed: true, version: 1, kind: 'safe-internet' });
    expect(
      t.services.registration.isOpen(
        t.services.content.courses.courses.find((c) => c.id === HS_PH)!.sessions[0]!,
      ),
    ).toBe(false);
    const emptyTitle = await call(editor, 'PATCH', `/courses/${HS_PH}`, {
      title: { vi: '', en: 'x' },
    });
    expect(emptyTitle.statusCode).toBe(400);
    expect(emptyTitle.json<{ message: string }>().message).toMatch(/^title\.vi: /);
    expect(
      (await call(editor, 'PATCH', `/courses/${HS_PH}`, { version: 0, closed: false })).statusCode,
    ).toBe(409);
    expect(
      (await call(editor, 'PATCH', '/courses/no-such-course', { closed: false })).statusCode,
    ).toBe(404);

    // Another process (or a restart) reads the same changes.
    const other = structuredClone(t.services.content);
    await new CourseChanges(
      t.services.store.db,
      t.services.kv,
      other,
      t.services.registration.repo,
      () => 0,
    ).load();
    expect(other.courses.courses.find((c) => c.id === HS_PH)!.title.en).toBe(
      'Safe internet for pupils',
    );
    expect(other.courses.courses.at(-1)!.id).toBe('digital-skills-for-parents');
  });

  it('never drops registrations: no fewer seats than confirmed, no removal of a session that holds any, in Vietnamese and English', async () => {
    await hold(HS_PH_0210, 3);
    const shrink = await call(editor, 'PATCH', `/courses/${HS_PH}/sessions/${HS_PH_0210}`, {
      capacity: 2,
    });
    expect(shrink.statusCode).toBe(409);
    expect(shrink.json()).toMatchObject({
      taken: 3,
      messages: {
        vi: 'Chưa lưu: buổi này đã có 3 người được xác nhận chỗ, nên số chỗ không thể ít hơn 3. Không lượt đăng ký nào bị xóa.',
        en: 'Not saved: 3 people already have a confirmed seat in this session, so it cannot have fewer than 3 seats. No registration was removed.',
      },
    });
    expect(t.services.registration.capacityOf(HS_PH_0210)).toBe(40);
    const exact = await call(editor, 'PATCH', `/courses/${HS_PH}/sessions/${HS_PH_0210}`, {
      capacity: 3,
    });
    expect(exact.json()).toMatchObject({ capacity: 3, seats: { taken: 3 }, version: 1 });

    const remove = await call(editor, 'DELETE', `/courses/${HS_PH}/sessions/${HS_PH_0210}`);
    expect(remove.statusCode).toBe(409);
    expect(remove.json<{ messages: { vi: string } }>().messages.vi).toContain(
      'buổi này còn 3 lượt đăng ký',
    );
    const held = await t.services.store.db
      .selectFrom('registrations')
      .select('status')
      .where('session_id', '=', HS_PH_0210)
      .execute();
    expect(held.map((r) => r.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);

    expect(
      (await call(editor, 'DELETE', `/courses/${HS_PH}/sessions/${HS_PH_0510}`)).json(),
    ).toMatchObject({ removed: true, version: 2 });
    const lastOne = await call(editor, 'DELETE', `/courses/${HS_PH}/sessions/${HS_PH_0210}`);
    expect(lastOne.statusCode).toBe(400);
    expect(lastOne.json<{ message: string }>().message).toMatch(
      /^sessions: A course needs at least one session/,
    );
    const cap0 = await call(editor, 'PATCH', `/courses/${HS_PH}/sessions/${HS_PH_0210}`, {
      capacity: 0,
    });
    expect(cap0.statusCode).toBe(400);
    expect(cap0.json<{ message: string }>().message).toContain('capacity');
    const rename = await call(editor, 'PATCH', `/courses/${HS_PH}/sessions/${HS_PH_0210}`, {
      id: 'other',
    });
    expect(rename.json<{ message: string }>().message).toMatch(/^id: cannot change/);
    expect((await changeRows()).length).toBe(2);
  });

  it('refuses removing the last session of a course, naming it', async () => {
    const course = 'ky-nang-so-co-ban';
    const only = t.services.content.courses.courses.find((c) => c.id === course)!.sessions[0]!.id;
    const res = await call(editor, 'DELETE', `/courses/${course}/sessions/${only}`);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toBe(
      'sessions: A course needs at least one session; to stop taking registrations, please close registration for the course.',
    );
  });

  it('a session added and seats changed through the API are what the next citizen registering sees', async () => {
    const bad = await call(editor, 'POST', `/courses/${HS_PH}/sessions`, {
      ...NEW_SESSION,
      schedule: { type: 'scheduled', start: '2020-10-08 08:00', end: '2020-10-08T10:00:00+07:00' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toMatch(
      /^schedule\.start: must be a date-time/,
    );
    const added = await call(editor, 'POST', `/courses/${HS_PH}/sessions`, NEW_SESSION);
    expect(added.statusCode).toBe(201);
    const newId = added.json<{ id: string }>().id;
    expect(newId).toBe(`${HS_PH}-1`);
    expect(
      (await call(editor, 'PATCH', `/courses/${HS_PH}/sessions/${HS_PH_0210}`, { capacity: 41 }))
        .statusCode,
    ).toBe(200);

    const u = 'citizen-after-change';
    await say(t.app, u, 'menu');
    await say(t.app, u, '2');
    await say(t.app, u, '2');
    const sessions = last(await tap(t.app, u, `REG_COURSE:${HS_PH}`)).text;
    expect(sessions).toContain('02/10 08:00 · Hà Nội · còn 41 chỗ');
    expect(sessions).toContain('08/10 08:00 · Nghệ An · còn 25 chỗ');
    const done = await registerUpTo(t, 'citizen-new-session', newId);
    expect(all(done)).toContain('Trường THCS Lê Lợi');
    const row = await t.services.store.db
      .selectFrom('registrations')
      .selectAll()
      .where('session_id', '=', newId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('confirmed');
    expect(
      (await call(viewer, 'GET', `/courses/${HS_PH}`))
        .json<{ sessions: Array<{ id: string; seats: { taken: number } }> }>()
        .sessions.find((s) => s.id === newId)!.seats.taken,
    ).toBe(1);
    const list = await call(viewer, 'GET', '/courses');
    expect(
      list
        .json<{
          courses: Array<{ id: string; sessions: Array<{ id: string; capacity: number }> }>;
        }>()
        .courses.find((c) => c.id === HS_PH)!
        .sessions.map((s) => [s.id, s.capacity]),
    ).toEqual([
      [HS_PH_0210, 41],
      [HS_PH_0510, 100],
      [newId, 25],
    ]);
  });
});
