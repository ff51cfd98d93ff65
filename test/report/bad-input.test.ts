import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { readDocx } from '../helpers/zip.js';
import { at } from './seed.js';

const TOKEN = 'report-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('results report: bad input', () => {
  let t: TestApp;
  const clock = new ManualClock(at('2020-09-20T10:00:00'));
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const docx = async (url = '/report?format=docx') => {
    const res = await call('GET', url);
    expect(res.statusCode).toBe(200);
    return { res, doc: readDocx(res.rawPayload) };
  };

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ADMIN_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses callers without the token and unknown editions, formats and parameters', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/report?format=docx' });
    expect(anonymous.statusCode).toBe(401);
    const unknown = await call('GET', '/report?format=docx&edition=2019');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('Unknown edition "2019": the editions are 2020.');
    const format = await call('GET', '/report?format=pdf');
    expect(format.statusCode).toBe(400);
    expect(format.json().message).toBe('Query parameter format: must be docx, xlsx or html.');
    expect((await call('GET', '/report?format=docx&year=2020')).json().message).toBe(
      'Unknown query parameter year.',
    );
    const period = await call('POST', '/report/snapshots?from=2020-10-07&to=2020-10-01');
    expect(period.statusCode).toBe(400);
    expect(period.json().message).toBe('Query parameter from must not be after to.');
    expect((await call('GET', '/report?format=docx&snapshot=999')).statusCode).toBe(404);
  });

  // Found by the route fuzzer: 0000-00-00 matched yyyy-mm-dd and the snapshot failed with a 500.
  it.each(['from=0000-00-00', 'to=2020-02-30', 'from=2020-13-01'])(
    'POST /report/snapshots?%s is a 400 naming the day, and takes no snapshot',
    async (query) => {
      const res = await call('POST', `/report/snapshots?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toBe(
        `Query parameter ${query.split('=')[0]}: is not a calendar date (use yyyy-mm-dd, e.g. 2020-10-01).`,
      );
      expect((await call('GET', '/report/snapshots')).json().items).toEqual([]);
    },
  );

  it('still gives a document before any snapshot, saying the figures are missing', async () => {
    const { res, doc } = await docx();
    expect(res.headers['x-report-snapshot']).toBe('none');
    expect(res.headers['x-report-warnings']).toBe('no-snapshot');
    expect(doc.paragraphs.join('\n')).toContain('Chưa chụp số liệu của trợ lý ảo');
  });

  it('takes a snapshot before the Week with a warning, and with no data says so', async () => {
    const res = await call('POST', '/report/snapshots');
    expect(res.statusCode).toBe(201);
    const codes = res.json<{ data: { warnings: Array<{ code: string }> } }>().data.warnings;
    expect(codes.map((w) => w.code)).toEqual(['before-start', 'no-data']);
    const { res: file, doc } = await docx();
    expect(file.headers['x-report-warnings']).toBe('before-start,no-data');
    const text = doc.paragraphs.join('\n');
    expect(text).toContain('Số liệu được chụp trước khi Tuần lễ bắt đầu (01/10/2020)');
    expect(text).toContain('Chưa có dữ liệu của trợ lý ảo trong kỳ này');
    const reach = doc.tables.find((tb) => tb[0]?.includes('Số người được tiếp cận'))!;
    expect(reach.find((r) => r[0] === 'Tổng cộng')![1]).toBe('0');
  });

  it('names the field of a bad draft, and refuses a stale version with 409', async () => {
    const bad = async (body: unknown) => {
      const res = await call('PUT', '/report/draft', body);
      expect(res.statusCode).toBe(400);
      return res.json<{ message: string }>().message;
    };
    expect(await bad({ version: 0, draft: { publicity: { banners: -1 } } })).toBe(
      'field draft.publicity.banners: must be 0 or more',
    );
    expect(await bad({ version: 0, draft: { publicity: { banners: 1.5 } } })).toBe(
      'field draft.publicity.banners: must be a whole number',
    );
    expect(await bad({ version: 0, draft: { ceremony: {} } })).toBe(
      'field draft: unknown field "ceremony"',
    );
    expect(await bad({ draft: {} })).toBe('field version: is required (0 for the first save)');
    expect(await bad({ version: 0, draft: { strengths: 'a'.repeat(100_001) } })).toBe(
      'field draft.strengths: must be at most 100000 characters',
    );
    expect(
      await bad({ version: 0, draft: { direction: [{ title: 'x', date: '1/10/2020' }] } }),
    ).toBe('field draft.direction.0.date: must be a date like 2020-10-01');

    const first = await call('PUT', '/report/draft', { version: 0, author: 'Chị Lan', draft: {} });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(1);
    const second = await call('PUT', '/report/draft', {
      version: 1,
      draft: { publicity: { banners: 4 } },
    });
    expect(second.json().version).toBe(2);
    const stale = await call('PUT', '/report/draft', {
      version: 1,
      draft: { publicity: { banners: 9 } },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'Conflict', version: 2 });
    const saved = await call('GET', '/report/draft');
    expect(saved.json()).toMatchObject({
      version: 2,
      savedBy: 'ADMIN_TOKEN',
      draft: { publicity: { banners: 4 } },
    });
    expect(
      saved.json().history.map((h: { version: number; savedBy: string }) => [h.version, h.savedBy]),
    ).toEqual([
      [2, 'ADMIN_TOKEN'],
      [1, 'Chị Lan'],
    ]);
  });

  it('keeps markup as text and 100,000 characters in a valid Word, HTML and XLSX report', async () => {
    const markup = '<script>alert("x")</script><b>Đậm</b> & “ngoặc” \u0007chuông';
    const long = `${'Học tập suốt đời. '.repeat(5600)}kết thúc`.slice(0, 100_000);
    expect(long).toHaveLength(100_000);
    const current = (await call('GET', '/report/draft')).json<{ version: number }>().version;
    const res = await call('PUT', '/report/draft', {
      version: current,
      draft: { strengths: markup, difficulties: long, province: '<i>tỉnh</i> Hà Tĩnh' },
    });
    expect(res.statusCode).toBe(200);

    const { doc } = await docx();
    const text = doc.paragraphs.join('\n');
    expect(text).toContain('<script>alert("x")</script><b>Đậm</b> & “ngoặc” chuông');
    expect(doc.xml).toContain('&lt;script&gt;');
    expect(doc.xml).not.toContain('\u0007');
    expect(doc.paragraphs.find((p) => p.startsWith('Học tập suốt đời.'))).toHaveLength(100_000);
    expect(text).toContain('UBND <I>TỈNH</I> HÀ TĨNH');

    const html = await call('GET', '/report?format=html');
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.body).not.toContain('<script>');
    expect(html.body).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Đậm&lt;/b&gt;',
    );
    expect(html.body).toContain('Tuần lễ hưởng ứng học tập suốt đời năm 2020');

    const xlsx = await call('GET', '/report?format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as Parameters<typeof book.xlsx.load>[0]);
    const about = book.getWorksheet('Thông tin')!;
    expect(about.getCell('B3').value).toBe('Tuần lễ hưởng ứng học tập suốt đời năm 2020');
    expect(about.getCell('B4').value).toBe('<i>tỉnh</i> Hà Tĩnh');
  });

  it('answers in English when asked', async () => {
    const { doc } = await docx('/report?format=docx&lang=en');
    const text = doc.paragraphs.join('\n');
    expect(text).toContain('Results of the Lifelong Learning Week 2020');
    expect(text).toContain('IV. PROPOSALS');
  });
});
