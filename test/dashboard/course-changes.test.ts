import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { dashboardContext } from '../../src/dashboard/context.js';
import { CourseChanges } from '../../src/dashboard/course-changes.js';
import { BACKENDS, startTestApp, type TestApp } from '../helpers/app.js';
import { BEFORE_WEEK } from '../registration/helpers.js';

const HS_PH = 'internet-an-toan-hs-ph';
const HS_PH_0210 = 'internet-an-toan-hs-ph-0210';

describe.each(BACKENDS)('course changes on $name', (backend) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
  });

  const register = (app: TestApp, i: number) =>
    app.services.registration.register({
      courseId: HS_PH,
      sessionId: HS_PH_0210,
      channel: 'simulator',
      userId: `racer-${i}`,
      fullName: 'Phạm Minh Châu',
      phone: `+849222${String(i).padStart(5, '0')}`,
      province: 'ha-noi',
      audience: 'parent',
      locale: 'vi',
      waitlist: false,
      consent: { purpose: 'registration', noticeVersion: 'test', at: BEFORE_WEEK },
    });

  it('a seats cut racing registrations never leaves more confirmed people than seats, nor drops one', async () => {
    t = await startTestApp({ backend, clock: new ManualClock(BEFORE_WEEK) });
    const { courses } = await dashboardContext(t.app, t.services);
    for (const i of [0, 1, 2]) expect((await register(t, i)).kind).toBe('confirmed');
    const session = t.services.content.courses.courses
      .find((c) => c.id === HS_PH)!
      .sessions.find((s) => s.id === HS_PH_0210)!;
    const { id: _id, ...fields } = session;
    // Ten people register while the organiser cuts the session to five seats.
    const [cut, ...attempts] = await Promise.all([
      courses.saveSession(HS_PH, HS_PH_0210, { ...fields, capacity: 5 }, 'Chị Lan', 0),
      ...Array.from({ length: 10 }, (_, i) => register(t!, 10 + i)),
    ]);
    const confirmed = await t.services.store.db
      .selectFrom('registrations')
      .select('id')
      .where('session_id', '=', HS_PH_0210)
      .where('status', '=', 'confirmed')
      .execute();
    const won = attempts.filter((a) => a.kind === 'confirmed').length;
    expect(confirmed).toHaveLength(3 + won);
    if (cut.ok) expect(confirmed.length).toBeLessThanOrEqual(5);
    else expect(cut).toMatchObject({ kind: 'held', taken: expect.any(Number) });
    expect(t.services.registration.capacityOf(HS_PH_0210)).toBe(cut.ok ? 5 : 40);
  });

  it('a registration waiting on the session lock counts the seats saved while it waited', async () => {
    t = await startTestApp({ backend, clock: new ManualClock(BEFORE_WEEK) });
    await dashboardContext(t.app, t.services);
    for (const i of [0, 1, 2]) expect((await register(t, i)).kind).toBe('confirmed');
    const app = t;
    let waiting: ReturnType<typeof register> | undefined;
    // What a seats cut does under the lock: the catalogue changes before the lock is released.
    await app.services.registration.repo.withSessionsLocked(
      [{ id: HS_PH_0210, capacity: 40 }],
      BEFORE_WEEK,
      async () => {
        waiting = register(app, 99);
        await new Promise((r) => setTimeout(r, 150));
        const cut = structuredClone(app.services.content.courses);
        cut.courses.flatMap((c) => c.sessions).find((s) => s.id === HS_PH_0210)!.capacity = 3;
        app.services.content.courses = cut;
      },
    );
    expect((await waiting!).kind).toBe('full');
  });

  it('keeps seats saved by the earlier seats-only editor as the base under course changes', async () => {
    t = await startTestApp({ backend, clock: new ManualClock(BEFORE_WEEK) });
    await t.services.kv.set('content:session-capacity', { [HS_PH_0210]: 12 }, BEFORE_WEEK);
    const content = structuredClone(t.services.content);
    const changes = new CourseChanges(
      t.services.store.db,
      t.services.kv,
      content,
      t.services.registration.repo,
      () => BEFORE_WEEK,
    );
    await changes.load();
    const seats = () =>
      content.courses.courses
        .find((c) => c.id === HS_PH)!
        .sessions.find((s) => s.id === HS_PH_0210)!.capacity;
    expect(seats()).toBe(12);
    const course = content.courses.courses.find((c) => c.id === HS_PH)!;
    const saved = await changes.saveCourse(
      HS_PH,
      { kind: course.kind, title: course.title, audiences: course.audiences, closed: true },
      'Anh Minh',
      0,
    );
    expect(saved).toMatchObject({ ok: true, version: 1 });
    expect(seats()).toBe(12);
    expect(content.courses.courses.find((c) => c.id === HS_PH)!.description).toBeUndefined();
    expect((await changes.history(HS_PH)).map((h) => [h.version, h.action, h.actor])).toEqual([
      [1, 'update', 'Anh Minh'],
    ]);
  });
});
