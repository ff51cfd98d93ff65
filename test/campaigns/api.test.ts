import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignBody, startWorld, TOKEN, type CampaignWorld } from './helpers.js';

// jsqr is CommonJS; its types describe an ES default export, which is also there at run time.
const jsQR = jsQRModule.default;

/** Reads the QR code in a PNG back to its text. */
function decode(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

describe('campaign admin API', () => {
  let w: CampaignWorld;
  let id: number;
  beforeAll(async () => {
    w = await startWorld(['messenger', 'viber', 'zalo']);
    const created = await w.api('POST', '/campaigns', campaignBody());
    expect(created.status).toBe(201);
    id = created.json.id;
  });
  afterAll(async () => {
    await w.close();
  });

  it('creates a campaign with one link per platform', async () => {
    const { json } = await w.api('GET', '/campaigns');
    const campaign = json.campaigns.find((c: { id: number }) => c.id === id);
    expect(campaign).toMatchObject({
      ref: 'thpt-htk-bang-ron',
      kind: 'banner',
      province: 'nghe-an',
      flow: 'faq:dates',
      retiredAt: null,
    });
    expect(campaign.links).toEqual([
      { platform: 'zalo', ok: true, url: 'https://zalo.me/4024926008133882615', carriesRef: false },
      {
        platform: 'messenger',
        ok: true,
        url: 'https://m.me/SoGDDTNgheAn?ref=c-thpt-htk-bang-ron',
        carriesRef: true,
      },
      {
        platform: 'viber',
        ok: true,
        url: 'viber://pa?chatURI=hoctapsuotdoi&context=c-thpt-htk-bang-ron',
        carriesRef: true,
      },
    ]);
    expect(json.attributionDays).toBe(7);
  });

  it.each(['messenger', 'viber', 'zalo'])(
    'the %s PNG decodes back to its link',
    async (platform) => {
      const { status, res } = await w.api(
        'GET',
        `/campaigns/${id}/qr?platform=${platform}&format=png`,
      );
      expect(status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      const link = res.headers.get('x-campaign-link');
      const png = Buffer.from(await res.arrayBuffer());
      expect(decode(png)).toBe(link);
      expect(link).toMatch(platform === 'zalo' ? /^https:\/\/zalo\.me\// : /c-thpt-htk-bang-ron/);
    },
  );

  it('the SVG card carries the Department, the app and the call to action (and the Zalo code)', async () => {
    const viber = await w.api('GET', `/campaigns/${id}/qr?platform=viber&format=svg`);
    expect(viber.res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await viber.res.text();
    expect(svg).toContain('Sở Giáo dục và Đào tạo Nghệ An');
    expect(svg).toContain('>Viber<');
    expect(svg).toContain('Quét mã để xem giải đáp');
    const zalo = await (
      await w.api('GET', `/campaigns/${id}/qr?platform=zalo&format=svg`)
    ).res.text();
    expect(zalo).toContain('gửi mã #c-thpt-htk-bang-ron');
    const en = await (
      await w.api('GET', `/campaigns/${id}/qr?platform=zalo&format=svg&lang=en`)
    ).res.text();
    expect(en).toContain('Scan to read the answer');
  });

  it('the poster holds the three codes', async () => {
    const { status, res } = await w.api('GET', `/campaigns/${id}/poster`);
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('Sở Giáo dục và Đào tạo Nghệ An');
    expect(html).toContain('Chuyển đổi số thúc đẩy Học tập suốt đời');
    expect(html).toContain('#c-thpt-htk-bang-ron');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['odd characters in the ref', { ref: 'Trường A!' }, 'ref'],
    ['a ref with a space', { ref: 'truong a' }, 'ref'],
    [
      'a duplicate name (case and accents aside)',
      { name: 'BĂNG RÔN CỔNG TRƯỜNG THPT HUỲNH THÚC KHÁNG', ref: 'khac' },
      'name',
    ],
    ['a taken ref', { name: 'Áp phích khác', ref: 'thpt-htk-bang-ron' }, 'ref'],
    ['an unknown kind', { name: 'Loa phát thanh', ref: 'loa', kind: 'radio' }, 'kind'],
    [
      'an unknown province',
      { name: 'Loa phát thanh', ref: 'loa', province: 'Atlantis' },
      'province',
    ],
    [
      'a flow that does not exist',
      { name: 'Loa phát thanh', ref: 'loa', flow: 'quiz:week' },
      'flow',
    ],
    [
      'an FAQ entry that does not exist',
      { name: 'Loa phát thanh', ref: 'loa', flow: 'faq:nope' },
      'flow',
    ],
    ['markup in the name', { name: '<script>x</script>', ref: 'loa' }, 'name'],
    ['an unknown field', { name: 'Loa phát thanh', ref: 'loa', colour: 'red' }, 'colour'],
  ])('refuses %s with a 400 naming the field', async (_what, overrides, field) => {
    const { status, json } = await w.api('POST', '/campaigns', campaignBody(overrides));
    expect(status).toBe(400);
    expect(json.field).toBe(field);
    expect(json.message.startsWith(`${field}: `)).toBe(true);
    expect((await w.api('GET', '/campaigns')).json.campaigns).toHaveLength(1);
  });

  it('makes a ref from the name when none is given', async () => {
    const { status, json } = await w.api('POST', '/campaigns', {
      name: 'Bài đăng Fanpage Sở GDĐT',
      kind: 'social-post',
      place: 'Fanpage',
      province: 'nghe-an',
    });
    expect(status).toBe(201);
    expect(json.ref).toBe('bai-dang-fanpage-so-gddt');
    expect(json.flow).toBeNull();
  });

  it.each([
    ['platform=telegram&format=png', 400, 'platform'],
    ['platform=zalo&format=gif', 400, 'format'],
    ['platform=zalo&format=png&lang=fr', 400, 'lang'],
  ])('qr?%s answers %i', async (query, status, field) => {
    const res = await w.api('GET', `/campaigns/${id}/qr?${query}`);
    expect(res.status).toBe(status);
    expect(res.json.field).toBe(field);
  });

  it('answers 404 for an unknown campaign, 401 without the token or with a wrong one', async () => {
    expect((await w.api('GET', '/campaigns/999999/qr?platform=zalo')).status).toBe(404);
    expect((await w.api('GET', '/campaigns/abc/poster')).status).toBe(404);
    const res = await fetch(`${w.base}/api/v1/campaigns`, {
      headers: { authorization: 'Bearer wrong-token-0123456789' },
    });
    expect(res.status).toBe(401);
    expect(TOKEN).not.toBe('wrong-token-0123456789');
    expect((await fetch(`${w.base}/api/v1/campaigns`)).status).toBe(401);
  });

  it('gives figures by kind and place for a period, refusing bad dates', async () => {
    const { status, json } = await w.api('GET', '/campaigns/figures?from=2020-09-01&to=2020-10-31');
    expect(status).toBe(200);
    expect(json).toMatchObject({
      attributionDays: 7,
      byKind: [],
      byPlace: [],
      unknownCampaign: { firstContacts: 0 },
    });
    expect((await w.api('GET', '/campaigns/figures?from=01/09/2020')).json.field).toBe('from');
    expect((await w.api('GET', '/campaigns/figures?from=2020-10-02&to=2020-10-01')).status).toBe(
      400,
    );
  });
});

describe('campaign codes for a platform that is off', () => {
  it('answers 409 naming what is missing', async () => {
    const w = await startWorld(['messenger'], { CAMPAIGN_MESSENGER_PAGE: '' });
    try {
      const { json } = await w.api('POST', '/campaigns', campaignBody());
      const viber = await w.api('GET', `/campaigns/${json.id}/qr?platform=viber&format=svg`);
      expect(viber.status).toBe(409);
      expect(viber.json.message).toContain('The Viber channel is off');
      const messenger = await w.api('GET', `/campaigns/${json.id}/qr?platform=messenger`);
      expect(messenger.status).toBe(409);
      expect(messenger.json.message).toContain('CAMPAIGN_MESSENGER_PAGE is not set');
      const poster = await w.api('GET', `/campaigns/${json.id}/poster`);
      expect(poster.status).toBe(409);
    } finally {
      await w.close();
    }
  });
});
