import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { seedContacts } from '../helpers/contacts.js';
import { BACKENDS, simulate, startTestApp, type TestApp } from '../helpers/app.js';
import { docxTable, readDocx, xlsxTable } from '../helpers/zip.js';
import { at, seedFeatures, seedWeek } from './seed.js';

const TOKEN = 'report-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

describe.each(BACKENDS)('results report ($name)', (backend) => {
  let t: TestApp;
  const clock = new ManualClock(at('2020-10-03T10:00:00'));
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeAll(async () => {
    t = await startTestApp({ backend, clock, env: { ADMIN_TOKEN: TOKEN } });
    await seedWeek(t.services.store, t.config.timezone);
    await seedFeatures(t.services);
    // Three typed questions answered on 03/10 through the real FAQ flow (counted, text not kept).
    await simulate(t.app, { userId: 'asker', text: 'tuan le hoc tap suot doi dien ra khi nao' });
    await simulate(t.app, { userId: 'asker', text: 'chủ đề năm nay là gì' });
    await simulate(t.app, { userId: 'asker', text: 'chủ đề năm nay là gì' });
    clock.set(at('2020-10-08T10:00:00'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('takes a snapshot whose figures match the records', async () => {
    const res = await call('POST', '/report/snapshots?edition=2020');
    expect(res.statusCode).toBe(201);
    const snap = res.json<{
      id: number;
      data: {
        warnings: unknown[];
        period: unknown;
        sections: Array<{ id: string; figures: Array<{ key: string; value: number }> }>;
      };
    }>();
    expect(snap.data.period).toEqual({ from: '2020-10-01', to: '2020-10-07' });
    expect(snap.data.warnings).toEqual([]);
    const figure = (section: string, key: string) =>
      snap.data.sections.find((s) => s.id === section)!.figures.find((f) => f.key === key)!.value;
    // 7 Zalo + 3 Messenger who wrote, the Viber user who got an announcement, the simulator asker.
    expect(figure('reach', 'reached')).toBe(12);
    expect(figure('messages', 'received')).toBe(5 + 2 + 3);
    expect(figure('questions', 'answered')).toBe(3);
    expect(figure('broadcasts', 'sent')).toBe(3);
    expect(figure('registrations', 'confirmed')).toBe(9);
    expect(figure('training', 'confirmed')).toBe(2);
    // The quiz, nominations and campaign records of seedFeatures.
    expect(figure('contests', 'entrants')).toBe(9);
    expect(figure('contests', 'finished')).toBe(8);
    expect(figure('contests', 'passed')).toBe(6);
    expect(figure('nominations', 'received')).toBe(7);
    expect(figure('nominations', 'commended')).toBe(2);
    expect(figure('nominations', 'pending')).toBe(3);
    expect(figure('campaigns', 'campaigns')).toBe(1);
    expect(figure('campaigns', 'firstContacts')).toBe(2);
    expect(figure('campaigns', 'returningContacts')).toBe(1);
  });

  it('writes the figures into the Word document, with groups under 5 hidden', async () => {
    const draft = await call('PUT', '/report/draft?edition=2020', {
      version: 0,
      author: 'Phòng GDTX',
      draft: {
        province: 'tỉnh Nghệ An',
        publicity: { banners: 120, mobileVehicles: 3 },
        funding: { state: 50_000_000, donated: 20_000_000 },
        strengths: 'Người dân hưởng ứng tích cực.',
      },
    });
    expect(draft.statusCode).toBe(200);
    const res = await call('GET', '/report?format=docx&edition=2020');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    expect(res.headers['content-disposition']).toContain('.docx');
    const doc = readDocx(res.rawPayload);
    const text = doc.paragraphs.join('\n');
    expect(text).toContain('UBND TỈNH NGHỆ AN');
    expect(text).toContain('Kết quả tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2020');
    expect(text).toContain('Băng rôn: 120');
    expect(text).toContain('Tổng kinh phí (đồng): 70.000.000');
    expect(text).toContain('Người dân hưởng ứng tích cực.');
    for (const heading of [
      'I. CÔNG TÁC CHỈ ĐẠO',
      'II. KẾT QUẢ TRIỂN KHAI',
      'III. ĐÁNH GIÁ CHUNG',
      'IV. ĐỀ XUẤT, KIẾN NGHỊ',
    ])
      expect(text).toContain(heading);

    const reach = docxTable(doc.tables, 'Số người được tiếp cận');
    expect(reach.find((r) => r[0] === 'Zalo OA')!.slice(1, 4)).toEqual(['7', '7', '2']);
    expect(reach.find((r) => r[0] === 'Facebook Messenger')!.slice(1, 4)).toEqual(['3', '3', '0']);
    expect(reach.find((r) => r[0] === 'Viber')!.slice(1, 4)).toEqual(['1', '0', '1']);

    const perDay = docxTable(doc.tables, 'Tin nhắn nhận được');
    expect(perDay.find((r) => r[0] === '2020-10-02')).toEqual([
      '2020-10-02',
      '5',
      '0',
      '0',
      '0',
      '5',
      '0',
    ]);
    expect(perDay.find((r) => r[0] === '2020-10-03')!.slice(1, 3)).toEqual(['0', '2']);
    expect(perDay.find((r) => r[0] === '2020-10-01')!.at(-1)).toBe('3');

    const byProvince = docxTable(doc.tables, 'Tỉnh, thành phố', 'Đã xác nhận');
    expect(byProvince.find((r) => r[0] === 'Nghệ An')![1]).toBe('6');
    expect(byProvince.find((r) => r[0] === 'Hà Nội')![1]).toBe('<5');
    expect(byProvince.find((r) => r[0] === 'Tổng cộng')![1]).toBe('9');
    const byGroup = doc.tables.filter((tb) => tb[0]?.[0] === 'Đối tượng');
    expect(byGroup[1]!.find((r) => r[0] === 'Phụ huynh')![1]).toBe('<5');

    const funnel = docxTable(doc.tables, 'Dự kiến');
    expect(funnel[1]!.slice(3, 8)).toEqual(['4', '3', '2', '1', '1']);
    const reasons = docxTable(doc.tables, 'Lý do');
    expect(reasons[1]).toEqual(['Lỗi', 'outside-window', '1']);
    expect(text).toContain('Cuộc thi trắc nghiệm trên trợ lý ảo');
    expect(text).toContain('Lượt dự thi: 9');
    expect(text).toContain('Đạt yêu cầu: 6');
    expect(text).toContain('Được biểu dương: 2');
    const quizProvinces = docxTable(doc.tables, 'Lượt dự thi', 'Tỉnh, thành phố');
    expect(quizProvinces.find((r) => r[0] === 'Nghệ An')).toEqual(['Nghệ An', '7', '6', '6']);
    expect(quizProvinces.find((r) => r[0] === 'Hà Nội')).toEqual(['Hà Nội', '<5', '<5', '0']);
    const nominated = docxTable(doc.tables, 'Số đề cử nhận được');
    expect(nominated.find((r) => r[0] === 'Nghệ An')).toEqual(['Nghệ An', '6', '<5']);
    expect(nominated.find((r) => r[0] === 'Tổng cộng')).toEqual(['Tổng cộng', '7', '2']);
    const sources = docxTable(doc.tables, 'Loại nguồn');
    expect(sources.find((r) => r[0] === 'Áp phích, pano')!.slice(1, 4)).toEqual(['1', '2', '1']);
    // No personal data: the nominee, the nominator's contact and the story stay out.
    expect(doc.xml).not.toContain('Trần Thị Bình');
    expect(doc.xml).not.toContain('tự học tin học');
    expect(doc.xml).not.toContain('+84912000111');
    // No personal data: the seeded name and phones never reach the document.
    expect(doc.xml).not.toContain('Nguyễn Văn A');
    expect(doc.xml).not.toMatch(/\+8491\d{7}/);
  });

  it('writes the same figures into the XLSX annex', async () => {
    const res = await call('GET', '/report?format=xlsx');
    expect(res.statusCode).toBe(200);
    const reach = await xlsxTable(res.rawPayload, 'reach-by-channel');
    expect(reach[0]![0]).toBe('Bảng 1. Số người được tiếp cận theo nền tảng');
    expect(reach.find((r) => r[0] === 'Zalo OA')!.slice(1, 5)).toEqual([7, 7, 2, 2]);
    const province = await xlsxTable(res.rawPayload, 'registrations-by-province');
    expect(province.find((r) => r[0] === 'Hà Nội')![1]).toBe('<5');
    expect(province.find((r) => r[0] === 'Nghệ An')![1]).toBe(6);
    const topics = await xlsxTable(res.rawPayload, 'questions-topics');
    expect(topics[2]).toEqual([1, 'Chủ đề', 2]);
    const rounds = await xlsxTable(res.rawPayload, 'contests-by-round');
    expect(
      rounds
        .find((r) => r[0] === 'Vòng thi minh hoạ: An toàn trên Internet và kỹ năng số')!
        .slice(1),
    ).toEqual([9, 8, 6]);
    const places = await xlsxTable(res.rawPayload, 'campaigns-by-place');
    expect(places.find((r) => r[0] === 'Nghệ An')!.slice(1, 5)).toEqual([
      'Quảng trường Hồ Chí Minh, Vinh',
      '<5',
      '<5',
      '<5',
    ]);
    const channels = await xlsxTable(res.rawPayload, 'campaigns-by-channel');
    expect(channels.find((r) => r[0] === 'Zalo OA')![1]).toBe(2);
    const typed = await xlsxTable(res.rawPayload, 'typed-figures');
    expect(typed.find((r) => r[1] === 'Băng rôn')![2]).toBe(120);
  });

  it('names the contest, nomination and campaign parts in English', async () => {
    const res = await call('GET', '/report?format=docx&lang=en');
    const text = readDocx(res.rawPayload).paragraphs.join('\n');
    expect(text).toContain('Quiz contest on the assistant');
    expect(text).toContain('Entries: 9');
    expect(text).toContain('Nominations of exemplary self-learners through the assistant');
    expect(text).toContain('Nominations received: 7');
    expect(text).toContain('Publicity sources with a QR code or link to the assistant');
    expect(text).toContain('First contacts: 2');
  });

  it('gives the same figures from the same snapshot after more records arrive', async () => {
    const first = await call('GET', '/report/snapshots');
    const id = first.json<{ items: Array<{ id: number }> }>().items[0]!.id;
    await seedContacts(
      t.services.store,
      [{ channel: 'zalo', userId: 'z-late', lastInboundAt: at('2020-10-05T09:00:00') }],
      at('2020-10-05T09:00:00'),
    );
    const again = await xlsxTable(
      (await call('GET', `/report?format=xlsx&snapshot=${id}`)).rawPayload,
      'reach-by-channel',
    );
    expect(again.find((r) => r[0] === 'Zalo OA')![1]).toBe(7);
    expect((await call('POST', '/report/snapshots')).statusCode).toBe(201);
    const latest = await xlsxTable(
      (await call('GET', '/report?format=xlsx')).rawPayload,
      'reach-by-channel',
    );
    expect(latest.find((r) => r[0] === 'Zalo OA')![1]).toBe(8);
  });

  it('lets one of two organisers saving the same version win; the other gets 409', async () => {
    const { version } = (await call('GET', '/report/draft')).json<{ version: number }>();
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        call('PUT', '/report/draft', { version, draft: { publicity: { banners: n } } }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const winner = results.find((r) => r.statusCode === 200)!.json<{ draft: unknown }>();
    const saved = (await call('GET', '/report/draft')).json<{ version: number; draft: unknown }>();
    expect(saved.version).toBe(version + 1);
    expect(saved.draft).toEqual(winner.draft);
  });
});
