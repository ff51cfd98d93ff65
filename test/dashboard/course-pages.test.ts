import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { dashboardContext } from '../../src/dashboard/context.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { Visitor } from '../helpers/visitor.js';
import { all, BEFORE_WEEK, last, say, tap } from '../registration/helpers.js';

const OWNER = 'owner-token-for-course-pages';
const HS_PH = 'internet-an-toan-hs-ph';
const HS_PH_0210 = 'internet-an-toan-hs-ph-0210';

/** A new session as the browser posts the form. */
const SESSION_FORM = {
  schedule: 'scheduled',
  date: '2020-10-09',
  start: '14:00',
  end: '16:00',
  place: 'venue',
  address_vi: 'Nhà văn hóa phường Hưng Dũng',
  address_en: 'Hung Dung community hall',
  province: 'nghe-an',
  capacity: '30',
};

describe('dashboard course and session pages', () => {
  let t: TestApp;
  let editorToken: string;
  let viewerToken: string;
  const changeRows = () =>
    t.services.store.db
      .selectFrom('content_changes' as never)
      .selectAll()
      .execute();

  const signIn = async (token: string) => {
    const v = new Visitor(t);
    await v.get('/admin/login');
    expect((await v.post('/admin/login', { token, next: '/admin' })).statusCode).toBe(303);
    return v;
  };

  beforeEach(async () => {
    t = await startTestApp({ clock: new ManualClock(BEFORE_WEEK), env: { ADMIN_TOKEN: OWNER } });
    const { accounts } = await dashboardContext(t.app, t.services);
    const owner = (await accounts.verify(OWNER))!;
    const editor = await accounts.createToken('Chị Lan', 'editor', owner);
    const viewer = await accounts.createToken('Anh Minh', 'viewer', owner);
    if (!editor.ok || !viewer.ok) throw new Error('no tokens');
    editorToken = editor.token;
    viewerToken = viewer.token;
  });
  afterEach(async () => {
    await t.close();
  });

  it('a viewer sees courses but no forms and is refused every change; a post without the CSRF token is refused', async () => {
    const viewer = await signIn(viewerToken);
    const page = await viewer.get('/admin/content');
    expect(page.body).toContain('Sử dụng Internet an toàn cho học sinh và phụ huynh');
    expect(page.body).not.toContain('/admin/content/courses/');
    expect((await viewer.get(`/admin/content/courses/${HS_PH}`)).statusCode).toBe(403);
    for (const url of [
      '/admin/content/courses/new',
      `/admin/content/courses/${HS_PH}`,
      `/admin/content/courses/${HS_PH}/sessions/new`,
      `/admin/content/courses/${HS_PH}/sessions/${HS_PH_0210}/remove`,
    ])
      expect((await viewer.post(url, { ...SESSION_FORM, version: '0' })).statusCode, url).toBe(403);
    const editor = await signIn(editorToken);
    await editor.get(`/admin/content/courses/${HS_PH}/sessions/new`);
    const forged = await editor.post(
      `/admin/content/courses/${HS_PH}/sessions/new`,
      { ...SESSION_FORM, version: '0' },
      '',
    );
    expect(forged.statusCode).toBe(403);
    expect(await changeRows()).toEqual([]);
  });

  it('an editor edits a course: a blank title comes back named with the input kept, then it saves with who and when', async () => {
    const editor = await signIn(editorToken);
    const form = await editor.get(`/admin/content/courses/${HS_PH}`);
    expect(form.body).toContain('value="Sử dụng Internet an toàn cho học sinh và phụ huynh"');
    const fields = {
      version: '0',
      title_vi: '',
      title_en: 'Safe internet for pupils and parents',
      description_vi: 'Tập huấn kỹ năng an toàn trên mạng.',
      description_en: 'Training on staying safe online.',
      kind: 'safe-internet',
      audiences: ['pupil', 'parent'],
    };
    const bad = await editor.post(`/admin/content/courses/${HS_PH}`, fields);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="err-title_vi"');
    expect(bad.body).toContain('Vui lòng nhập nội dung này.');
    expect(bad.body).toContain('value="Safe internet for pupils and parents"');
    expect(await changeRows()).toEqual([]);
    const none = await editor.post(`/admin/content/courses/${HS_PH}`, {
      ...fields,
      title_vi: 'Internet an toàn',
      audiences: [],
    });
    expect(none.body).toContain('Vui lòng chọn ít nhất một đối tượng.');

    const ok = await editor.post(`/admin/content/courses/${HS_PH}`, {
      ...fields,
      title_vi: 'Internet an toàn cho học sinh',
      closed: 'on',
    });
    expect(ok.statusCode).toBe(303);
    const list = await editor.get(ok.headers.location as string);
    expect(list.body).toContain('Đã lưu khóa học &quot;Internet an toàn cho học sinh&quot;');
    expect(list.body).toContain('đã đóng đăng ký');
    const history = await editor.get(`/admin/content/courses/${HS_PH}`);
    expect(history.body).toMatch(/Phiên bản 1: sửa bởi Chị Lan/);
    // Closed: the bot no longer offers the course's sessions.
    await say(t.app, 'u1', 'menu');
    await say(t.app, 'u1', '2');
    const offered = all(await say(t.app, 'u1', '2'));
    expect(offered).toContain('cán bộ, công chức');
    expect(offered).not.toContain('Internet an toàn cho học sinh');
    const audit = await t.services.store.db
      .selectFrom('audit_log' as never)
      .selectAll()
      .execute();
    expect(JSON.stringify(audit)).toContain('content.course.update');
  });

  it('adds a course with its first session, and a session to it; bad times and links are named; the bot offers them at once', async () => {
    const editor = await signIn(editorToken);
    await editor.get('/admin/content/courses/new');
    const course = {
      version: '0',
      title_vi: 'Kỹ năng số cho người cao tuổi',
      title_en: 'Digital skills for older people',
      kind: 'online-course',
      audiences: ['citizen'],
      ...SESSION_FORM,
      place: 'online',
      url: 'not a link',
    };
    const bad = await editor.post('/admin/content/courses/new', { ...course, end: '13:00' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Giờ kết thúc phải sau giờ bắt đầu.');
    const badUrl = await editor.post('/admin/content/courses/new', course);
    expect(badUrl.body).toContain('id="err-url"');
    expect(await changeRows()).toEqual([]);
    const created = await editor.post('/admin/content/courses/new', {
      ...course,
      url: 'https://lms.sogddt.gov.vn/ks-nct',
    });
    expect(created.statusCode).toBe(303);
    const id = 'digital-skills-for-older-people';
    expect(created.headers.location).toContain(`course=${id}`);

    await editor.get(`/admin/content/courses/${id}/sessions/new`);
    const badDate = await editor.post(`/admin/content/courses/${id}/sessions/new`, {
      ...SESSION_FORM,
      date: '9/10/2020',
      version: '1',
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('id="err-date"');
    const added = await editor.post(`/admin/content/courses/${id}/sessions/new`, {
      ...SESSION_FORM,
      version: '1',
    });
    expect(added.statusCode).toBe(303);
    const sessions = t.services.content.courses.courses.find((c) => c.id === id)!.sessions;
    expect(sessions.map((s) => [s.id, s.schedule])).toEqual([
      [
        `${id}-1`,
        { type: 'scheduled', start: '2020-10-09T14:00:00+07:00', end: '2020-10-09T16:00:00+07:00' },
      ],
      [
        `${id}-2`,
        { type: 'scheduled', start: '2020-10-09T14:00:00+07:00', end: '2020-10-09T16:00:00+07:00' },
      ],
    ]);
    await say(t.app, 'u2', 'menu');
    await say(t.app, 'u2', '2');
    await say(t.app, 'u2', '1');
    const offered = last(await tap(t.app, 'u2', `REG_COURSE:${id}`)).text;
    expect(offered).toContain('09/10 14:00 · Trực tuyến · còn 30 chỗ');
    expect(offered).toContain('09/10 14:00 · Nghệ An · còn 30 chỗ');
  });

  it('refuses to shrink a session below its confirmed seats or remove one that holds registrations, keeping them', async () => {
    const now = t.services.clock.now();
    for (const i of [1, 2])
      await t.services.registration.repo.register({
        courseId: HS_PH,
        sessionId: HS_PH_0210,
        capacity: 40,
        channel: 'simulator',
        userId: `p${i}`,
        fullName: 'Lê Thị Hoa',
        phone: `+8491111111${i}`,
        province: 'ha-noi',
        audience: 'parent',
        locale: 'vi',
        waitlist: true,
        consent: { purpose: 'registration', noticeVersion: 'test', at: now },
        now,
      });
    const editor = await signIn(editorToken);
    const form = await editor.get(`/admin/content/courses/${HS_PH}/sessions/${HS_PH_0210}`);
    expect(form.body).toContain('value="2020-10-02"');
    expect(form.body).toContain('value="08:00"');
    const shrink = await editor.post(`/admin/content/courses/${HS_PH}/sessions/${HS_PH_0210}`, {
      schedule: 'scheduled',
      date: '2020-10-02',
      start: '08:00',
      end: '10:30',
      place: 'venue',
      address_vi: 'Trường THPT Chu Văn An',
      address_en: 'Chu Van An high school',
      province: 'ha-noi',
      capacity: '1',
      version: '0',
    });
    expect(shrink.statusCode).toBe(409);
    expect(shrink.body).toContain('đã có 2 người được xác nhận chỗ, nên số chỗ không thể ít hơn 2');
    expect(shrink.body).toContain('id="err-capacity"');
    expect(t.services.registration.capacityOf(HS_PH_0210)).toBe(40);
    const quick = await editor.post(`/admin/content/sessions/${HS_PH_0210}`, {
      capacity: '1',
      expected: '40',
    });
    expect(quick.statusCode).toBe(409);
    const removal = await editor.post(
      `/admin/content/courses/${HS_PH}/sessions/${HS_PH_0210}/remove`,
      { version: '0' },
    );
    expect(removal.statusCode).toBe(409);
    expect(removal.body).toContain('Chưa gỡ: buổi này còn 2 lượt đăng ký');
    const rows = await t.services.store.db
      .selectFrom('registrations')
      .select('status')
      .where('session_id', '=', HS_PH_0210)
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['confirmed', 'confirmed']);
    expect(await changeRows()).toEqual([]);
    // In English too.
    await editor.get('/admin/lang?to=en&back=/admin');
    const en = await editor.post(`/admin/content/courses/${HS_PH}/sessions/${HS_PH_0210}/remove`, {
      version: '0',
    });
    expect(en.body).toContain('Not removed: this session still holds 2 registrations');
  });
});
