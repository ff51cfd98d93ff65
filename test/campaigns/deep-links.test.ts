import { afterEach, describe, expect, it } from 'vitest';
import { signViberBody } from '../../src/channels/viber/verify.js';
import { OFFICIAL_TOKEN } from '../channels/viber/helpers.js';
import { APP_ID, mac } from '../channels/zalo/helpers.js';
import { signMessenger } from '../helpers/messenger.js';
import { post, texts, type Outgoing, type SignedWebhook } from '../helpers/platforms.js';
import { campaignBody, startWorld, type CampaignWorld } from './helpers.js';

const DATES = 'Tuần lễ năm 2020 được tổ chức từ ngày';
const GREETING = 'Xin chào anh/chị! Tôi là Trợ lý ảo';
const OA = '4024926008133882615';

/** Messenger: Get Started carrying an m.me referral (new thread), as in the webhook reference. */
function messengerGetStarted(userId: string, ref: string, at: number): SignedWebhook {
  const body = JSON.stringify({
    object: 'page',
    entry: [
      {
        id: 'PAGE',
        time: at,
        messaging: [
          {
            sender: { id: userId },
            recipient: { id: 'PAGE' },
            timestamp: at,
            postback: {
              mid: `m_gs_${userId}_${at}`,
              title: 'Bắt đầu',
              payload: 'GET_STARTED',
              referral: { ref, source: 'SHORTLINK', type: 'OPEN_THREAD' },
            },
          },
        ],
      },
    ],
  });
  return { path: '/webhooks/messenger', body, headers: signMessenger(body) };
}

/** Messenger: an m.me link opened in an existing thread (`messaging_referrals`). */
function messengerReferral(userId: string, ref: string, at: number): SignedWebhook {
  const body = JSON.stringify({
    object: 'page',
    entry: [
      {
        id: 'PAGE',
        time: at,
        messaging: [
          {
            sender: { id: userId },
            recipient: { id: 'PAGE' },
            timestamp: at,
            referral: { ref, source: 'SHORTLINK', type: 'OPEN_THREAD' },
          },
        ],
      },
    ],
  });
  return { path: '/webhooks/messenger', body, headers: signMessenger(body) };
}

/** Viber: `conversation_started` from `viber://pa?chatURI=...&context=...` (Viber's example). */
function viberStarted(userId: string, context: string, at: number): SignedWebhook {
  const body = `{"event":"conversation_started","timestamp":${at},"type":"open","context":${JSON.stringify(context)},"user":{"id":${JSON.stringify(userId)},"name":"Người dùng","avatar":"http://avatar.example.com","country":"VN","language":"vi","api_version":8},"message_token":4912661846655238145,"subscribed":false}`;
  return {
    path: '/webhooks/viber',
    body,
    headers: {
      'content-type': 'application/json',
      'x-viber-content-signature': signViberBody(body, OFFICIAL_TOKEN),
    },
  };
}

/** Zalo: `follow`, shaped as the OA webhook docs print it (`source` is Zalo's, not ours). */
function zaloFollow(userId: string, at: number): SignedWebhook {
  const body = JSON.stringify({
    oa_id: OA,
    follower: { id: userId },
    user_id_by_app: `app-${userId}`,
    event_name: 'follow',
    source: 'oa_profile',
    app_id: APP_ID,
    timestamp: String(at),
  });
  return {
    path: '/webhooks/zalo',
    body,
    headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac(body)}` },
  };
}

async function send(w: CampaignWorld, hook: SignedWebhook, userId: string): Promise<Outgoing[]> {
  const before = w.platform!.sent().filter((m) => m.userId === userId).length;
  expect(await post(w.base, hook)).toBe(200);
  await w.t.services.inbox.idle();
  return w
    .platform!.sent()
    .filter((m) => m.userId === userId)
    .slice(before);
}

async function countsOf(w: CampaignWorld, ref: string) {
  const { json } = await w.api('GET', '/campaigns');
  return {
    counts: json.campaigns.find((c: { ref: string }) => c.ref === ref)?.counts,
    unknown: json.unknownCampaign,
  };
}

describe('campaign deep links through the real webhooks', () => {
  let w: (CampaignWorld & { platforms: unknown[] }) | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('Messenger: Get Started with the campaign ref opens its flow and counts a first contact', async () => {
    w = await startWorld(['messenger']);
    expect((await w.api('POST', '/campaigns', campaignBody())).status).toBe(201);
    w.clock.advance(1000);
    const replies = await send(
      w,
      messengerGetStarted('psid-new', 'c-thpt-htk-bang-ron', w.clock.now()),
      'psid-new',
    );
    expect(texts(replies)).toContain(DATES);
    expect(texts(replies)).not.toContain(GREETING);
    expect((await countsOf(w, 'thpt-htk-bang-ron')).counts).toEqual({
      firstContacts: 1,
      returningContacts: 0,
      registrations: 0,
      optIns: 0,
    });

    // Someone who wrote a week ago opens the link in their existing thread: returning.
    expect(
      texts(await send(w, w.platform!.text('psid-old', 'xin chào', w.clock.now()), 'psid-old')),
    ).toContain(GREETING);
    w.clock.advance(7 * 86_400_000);
    const again = await send(
      w,
      messengerReferral('psid-old', 'c-thpt-htk-bang-ron', w.clock.now()),
      'psid-old',
    );
    expect(texts(again)).toContain(DATES);
    const { counts, unknown } = await countsOf(w, 'thpt-htk-bang-ron');
    expect(counts).toMatchObject({ firstContacts: 1, returningContacts: 1 });
    expect(unknown).toEqual({ firstContacts: 0, returningContacts: 0 });
    // The same person through the same campaign again is still one person.
    w.clock.advance(60_000);
    await send(w, messengerReferral('psid-old', 'c-thpt-htk-bang-ron', w.clock.now()), 'psid-old');
    expect((await countsOf(w, 'thpt-htk-bang-ron')).counts).toMatchObject({
      firstContacts: 1,
      returningContacts: 1,
    });
  });

  it('Messenger: the announcements flow opens and the opt-in that follows is credited', async () => {
    w = await startWorld(['messenger']);
    const body = campaignBody({
      name: 'Xe tuyên truyền lưu động',
      kind: 'vehicle',
      ref: 'xe-luu-dong',
      flow: 'announcements',
    });
    expect((await w.api('POST', '/campaigns', body)).status).toBe(201);
    w.clock.advance(1000);
    const offer = await send(
      w,
      messengerGetStarted('psid-sub', 'c-xe-luu-dong', w.clock.now()),
      'psid-sub',
    );
    expect(texts(offer)).toContain('Anh/chị có muốn nhận thông báo');
    const topic = offer
      .at(-1)!
      .payloads.find((p) => p.startsWith('SUBSCRIBE:') && p !== 'SUBSCRIBE:NO')!;
    w.clock.advance(60_000);
    const done = await send(w, w.platform!.tap('psid-sub', topic, w.clock.now()), 'psid-sub');
    expect(texts(done)).toContain('Đã bật thông báo');
    expect((await countsOf(w, 'xe-luu-dong')).counts).toEqual({
      firstContacts: 1,
      returningContacts: 0,
      registrations: 0,
      optIns: 1,
    });
  });

  it('Messenger: a registration campaign opens the registration dialog at once', async () => {
    w = await startWorld(['messenger']);
    const body = campaignBody({
      name: 'Áp phích nhà văn hóa',
      kind: 'poster',
      ref: 'ap-phich-nvh',
      flow: 'registration',
    });
    expect((await w.api('POST', '/campaigns', body)).status).toBe(201);
    w.clock.advance(1000);
    const replies = await send(
      w,
      messengerGetStarted('psid-reg', 'c-ap-phich-nvh', w.clock.now()),
      'psid-reg',
    );
    expect(texts(replies)).toContain('Anh/chị muốn đăng ký loại nào?');
  });

  it('Messenger: an unknown or retired reference gets the normal greeting and counts as unknown', async () => {
    w = await startWorld(['messenger']);
    const created = await w.api('POST', '/campaigns', campaignBody());
    w.clock.advance(1000);
    expect(
      texts(
        await send(w, messengerGetStarted('psid-a', 'c-poster-cu-2019', w.clock.now()), 'psid-a'),
      ),
    ).toContain(GREETING);
    expect((await w.api('POST', `/campaigns/${created.json.id}/retire`)).status).toBe(200);
    w.clock.advance(1000);
    const retired = await send(
      w,
      messengerGetStarted('psid-b', 'c-thpt-htk-bang-ron', w.clock.now()),
      'psid-b',
    );
    expect(texts(retired)).toContain(GREETING);
    expect(texts(retired)).not.toContain(DATES);
    const { counts, unknown } = await countsOf(w, 'thpt-htk-bang-ron');
    expect(counts.firstContacts).toBe(0);
    expect(unknown).toEqual({ firstContacts: 2, returningContacts: 0 });
  });

  it('Viber: conversation_started with the context offers the flow first; the tap opens it', async () => {
    w = await startWorld(['viber']);
    expect((await w.api('POST', '/campaigns', campaignBody())).status).toBe(201);
    w.clock.advance(1000);
    const hook = viberStarted('viber-user-1=', 'c-thpt-htk-bang-ron', w.clock.now());
    const res = await fetch(`${w.base}${hook.path}`, {
      method: 'POST',
      headers: hook.headers,
      body: hook.body,
    });
    expect(res.status).toBe(200);
    const welcome = (await res.json()) as {
      text: string;
      keyboard: { Buttons: Array<{ ActionBody: string; Text: string }> };
    };
    expect(welcome.text).toContain(GREETING);
    expect(welcome.text).toContain('Anh/chị bấm «Thời gian» để bắt đầu ạ.');
    expect(welcome.keyboard.Buttons[0]!.ActionBody).toBe('FAQ:dates');
    expect((await countsOf(w, 'thpt-htk-bang-ron')).counts).toMatchObject({
      firstContacts: 1,
      returningContacts: 0,
    });

    w.clock.advance(5000);
    const answer = await send(
      w,
      w.platform!.text('viber-user-1=', 'FAQ:dates', w.clock.now()),
      'viber-user-1=',
    );
    expect(texts(answer)).toContain(DATES);
  });

  it('Viber: a context that names no campaign gets the plain welcome and counts as unknown', async () => {
    w = await startWorld(['viber']);
    const hook = viberStarted('viber-user-2=', 'c-khong-co', w.clock.now());
    const res = await fetch(`${w.base}${hook.path}`, {
      method: 'POST',
      headers: hook.headers,
      body: hook.body,
    });
    const welcome = (await res.json()) as {
      text: string;
      keyboard: { Buttons: Array<{ ActionBody: string }> };
    };
    expect(welcome.text).toContain(GREETING);
    expect(welcome.keyboard.Buttons[0]!.ActionBody).not.toBe('FAQ:dates');
    expect((await countsOf(w, 'x')).unknown).toEqual({ firstContacts: 1, returningContacts: 0 });
  });

  it('Zalo: follow carries no reference; the code sent after it opens the flow and counts', async () => {
    w = await startWorld(['zalo']);
    expect((await w.api('POST', '/campaigns', campaignBody())).status).toBe(201);
    w.clock.advance(1000);
    await send(w, zaloFollow('zalo-user-1', w.clock.now()), 'zalo-user-1');
    expect((await countsOf(w, 'thpt-htk-bang-ron')).counts.firstContacts).toBe(0);
    w.clock.advance(20_000);
    const answer = await send(
      w,
      w.platform!.text('zalo-user-1', '#c-thpt-htk-bang-ron', w.clock.now()),
      'zalo-user-1',
    );
    expect(texts(answer)).toContain(DATES);
    expect((await countsOf(w, 'thpt-htk-bang-ron')).counts).toMatchObject({
      firstContacts: 1,
      returningContacts: 0,
    });
    // The stored arrival names the contact by row id and the channel.
    const rows = await w.t.services.campaigns.repo.arrivals(0, w.clock.now() + 1);
    expect(rows).toEqual([expect.objectContaining({ channel: 'zalo', firstContact: true })]);
  });
});
