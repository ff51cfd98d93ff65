import { signViberBody } from '../../src/channels/viber/verify.js';
import type { ManualClock } from '../../src/core/clock.js';
import type { ViberKeyboard } from '../../src/channels/viber/wire.js';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { FakeViberApi } from '../fakes/fake-viber-api.js';
import { startFakeZalo, type FakeZalo } from '../fakes/fake-zalo.js';
import { OFFICIAL_TOKEN, viberEnv } from '../channels/viber/helpers.js';
import { APP_ID, APP_SECRET, mac, zaloEnv } from '../channels/zalo/helpers.js';
import { messengerEnv, signMessenger } from './messenger.js';

/** The three real platforms. */
export type PlatformId = 'messenger' | 'viber' | 'zalo';

/** One message the bot sent to a person, as the fake platform API received it. */
export interface Outgoing {
  userId: string;
  text: string;
  /** Payloads of the buttons / quick replies under it (what a tap sends back). */
  payloads: string[];
  /** How it was sent, where the wire says so (Messenger's `messaging_type`). */
  mode?: 'reply' | 'proactive';
  /** The id the platform gave it, when the fake knows it. */
  messageId?: string;
}

/** A signed webhook request, ready to POST. */
export interface SignedWebhook {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * A platform as a person and the platform itself see it: signed webhooks a person's phone makes
 * the platform send (text, a button tap, a delivery receipt), and what reached the fake API.
 */
export interface Platform {
  id: PlatformId;
  /** The settings that turn the real channel on against the fake API. */
  env: Record<string, string>;
  /** A person typed `text` at `at` (epoch ms); `language` is what the platform says (Viber only). */
  text(userId: string, text: string, at: number, language?: 'vi' | 'en'): SignedWebhook;
  /** A person tapped a button or quick reply with this payload. */
  tap(userId: string, payload: string, at: number): SignedWebhook;
  /** The platform reports that the message reached the person's phone. */
  delivered(userId: string, message: Outgoing, at: number): SignedWebhook;
  /** The person unsubscribed from the bot (Viber `unsubscribed`), where the platform says so. */
  unsubscribed?(userId: string, at: number): SignedWebhook;
  /** Every message the fake API accepted, oldest first. */
  sent(): Outgoing[];
  /** Holds the fake API's answers until `release()` (Messenger only): sends stay in flight. */
  hold?(): void;
  /** Lets held answers go. */
  release?(): void;
  /** The platform's OAuth tokens (Zalo only): expire the access token, count refresh calls. */
  tokens?: { expire(): void; refreshes(): number; reusedRefreshTokens(): number };
  close(): Promise<void>;
}

let counter = 0;
const next = () => (counter += 1);

/** POSTs a signed webhook to a listening app; resolves with the HTTP status. */
export async function post(base: string, hook: SignedWebhook): Promise<number> {
  const res = await fetch(`${base}${hook.path}`, {
    method: 'POST',
    headers: hook.headers,
    body: hook.body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** Starts the fake API of a platform and returns its driver. */
export async function startPlatform(id: PlatformId): Promise<Platform> {
  switch (id) {
    case 'messenger':
      return startMessenger();
    case 'viber':
      return startViber();
    case 'zalo':
      return startZalo();
  }
}

async function startMessenger(): Promise<Platform> {
  const graph = new FakeGraphApi();
  const url = await graph.start();
  const envelope = (item: Record<string, unknown>, at: number): SignedWebhook => {
    const body = JSON.stringify({
      object: 'page',
      entry: [{ id: 'PAGE', time: at, messaging: [{ recipient: { id: 'PAGE' }, ...item }] }],
    });
    return { path: '/webhooks/messenger', body, headers: signMessenger(body) };
  };
  return {
    id: 'messenger',
    env: messengerEnv(url),
    text: (userId, text, at) =>
      envelope(
        { sender: { id: userId }, timestamp: at, message: { mid: `m.e2e.${next()}`, text } },
        at,
      ),
    // A quick-reply tap: the title as text plus the payload (postback buttons carry it alike).
    tap: (userId, payload, at) =>
      envelope(
        {
          sender: { id: userId },
          timestamp: at,
          message: { mid: `m.e2e.${next()}`, text: payload, quick_reply: { payload } },
        },
        at,
      ),
    // Without `mids`: every message sent to the person up to the watermark was delivered.
    delivered: (userId, _message, at) =>
      envelope({ sender: { id: userId }, timestamp: at, delivery: { watermark: at } }, at),
    sent: () =>
      graph.messages().map(({ body }) => {
        const template = body.message?.attachment?.payload;
        const buttons = (template?.buttons ?? []) as Array<{ payload?: string }>;
        return {
          userId: body.recipient?.id ?? '',
          text: body.message?.text ?? template?.text ?? '',
          payloads: [
            ...(body.message?.quick_replies ?? []).map((q) => q.payload),
            ...buttons.flatMap((b) => (b.payload ? [b.payload] : [])),
          ],
          mode: body.messaging_type === 'RESPONSE' ? 'reply' : 'proactive',
        };
      }),
    hold: () => graph.hold(),
    release: () => graph.release(),
    close: () => graph.close(),
  };
}

async function startViber(): Promise<Platform> {
  const api = await FakeViberApi.start(OFFICIAL_TOKEN);
  const signed = (body: string): SignedWebhook => ({
    path: '/webhooks/viber',
    body,
    headers: {
      'content-type': 'application/json',
      'x-viber-content-signature': signViberBody(body, OFFICIAL_TOKEN),
    },
  });
  // Message tokens are 64-bit integers, written bare as Viber does.
  const token = () => (5741311803571721000n + BigInt(next())).toString();
  const message = (
    userId: string,
    text: string,
    at: number,
    language: string,
    trackingData?: unknown,
  ) => {
    const sender = { id: userId, name: 'Người dùng', language, country: 'VN', api_version: 10 };
    const msg = {
      type: 'text',
      text,
      ...(typeof trackingData === 'string' ? { tracking_data: trackingData } : {}),
    };
    return signed(
      `{"event":"message","timestamp":${at},"chat_hostname":"SN-CHAT-01_","message_token":${token()},"sender":${JSON.stringify(sender)},"message":${JSON.stringify(msg)},"silent":false}`,
    );
  };
  const languages = new Map<string, string>();
  const sent = (): Outgoing[] =>
    api.calls.flatMap((call): Outgoing[] => {
      if (call.method !== 'send_message' && call.method !== 'broadcast_message') return [];
      const keyboard = call.body.keyboard as ViberKeyboard | undefined;
      const base = {
        text: typeof call.body.text === 'string' ? call.body.text : '',
        payloads: (keyboard?.Buttons ?? []).map((b) => b.ActionBody),
        ...(call.messageToken ? { messageId: call.messageToken } : {}),
      };
      if (call.method === 'broadcast_message')
        return (call.body.broadcast_list as string[]).map((userId) => ({ ...base, userId }));
      return [
        { ...base, userId: typeof call.body.receiver === 'string' ? call.body.receiver : '' },
      ];
    });
  return {
    id: 'viber',
    env: viberEnv(api.url),
    text: (userId, text, at, language) => {
      if (language) languages.set(userId, language);
      return message(userId, text, at, languages.get(userId) ?? 'vi');
    },
    // A keyboard tap arrives as a text message whose text is the ActionBody, with the tracking
    // data of the last message the bot sent to this person.
    tap: (userId, payload, at) => {
      const last = api
        .callsTo('send_message')
        .filter((c) => c.body.receiver === userId)
        .at(-1);
      return message(userId, payload, at, languages.get(userId) ?? 'vi', last?.body.tracking_data);
    },
    unsubscribed: (userId, at) =>
      signed(
        `{"event":"unsubscribed","timestamp":${at},"chat_hostname":"SN-CHAT-03_","user_id":${JSON.stringify(userId)},"message_token":${token()}}`,
      ),
    delivered: (userId, sentMessage, at) =>
      signed(
        `{"event":"delivered","timestamp":${at},"chat_hostname":"SN-CHAT-02_","message_token":${sentMessage.messageId ?? '0'},"user_id":${JSON.stringify(userId)}}`,
      ),
    sent,
    close: () => api.close(),
  };
}

async function startZalo(): Promise<Platform> {
  const fake: FakeZalo = await startFakeZalo({
    appId: APP_ID,
    appSecret: APP_SECRET,
    accessToken: 'live-access',
    refreshToken: 'live-refresh',
  });
  const OA = '4024926008133882615';
  const signed = (body: string): SignedWebhook => ({
    path: '/webhooks/zalo',
    body,
    headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac(body)}` },
  });
  const userText = (userId: string, text: string, at: number) =>
    signed(
      JSON.stringify({
        app_id: APP_ID,
        sender: { id: userId },
        user_id_by_app: `app-${userId}`,
        recipient: { id: OA },
        event_name: 'user_send_text',
        message: { text, msg_id: `zmsg-${next()}` },
        timestamp: String(at),
      }),
    );
  return {
    id: 'zalo',
    env: zaloEnv(fake.url, {
      ZALO_ACCESS_TOKEN: 'live-access',
      ZALO_REFRESH_TOKEN: 'live-refresh',
    }),
    text: (userId, text, at) => userText(userId, text, at),
    // A query button sends its payload back as the person's message, marked with "#".
    tap: (userId, payload, at) => userText(userId, `#${payload}`, at),
    delivered: (userId, message, at) =>
      signed(
        JSON.stringify({
          app_id: APP_ID,
          oa_id: OA,
          sender: { id: OA },
          recipient: { id: userId },
          event_name: 'user_received_message',
          message: { msg_ids: [message.messageId], msg_id: message.messageId },
          timestamp: String(at),
        }),
      ),
    tokens: {
      expire: () => fake.expireAccessToken(),
      refreshes: () => fake.refreshCalls,
      reusedRefreshTokens: () => fake.reusedRefreshTokens,
    },
    sent: () =>
      fake.delivered().map((r) => ({
        userId: 'user_id' in r.body.recipient ? r.body.recipient.user_id : '',
        text: r.body.message.text ?? '',
        payloads: (r.body.message.attachment?.payload.buttons ?? []).flatMap((b) =>
          typeof b.payload === 'string' ? [b.payload.replace(/^#/, '')] : [],
        ),
        ...(r.messageId ? { messageId: r.messageId } : {}),
      })),
    close: () => fake.close(),
  };
}

/** Where a person's webhooks go and how to wait for the bot to have answered. */
export interface Conversation {
  /** Base URL of the listening app (it changes when a test restarts the app). */
  base(): string;
  /** Resolves once every accepted event has been processed. */
  idle(): Promise<void>;
  /** The app clock: each message is stamped with it, one second after the previous one. */
  clock: ManualClock;
}

/** One person on one platform: types, taps what the bot offered, reads the bot's answers. */
export class Person {
  private seen = 0;

  constructor(
    private readonly platform: Platform,
    readonly userId: string,
    private readonly conversation: Conversation,
    /** What the platform says the person's language is (Viber sends it with every message). */
    private readonly language?: 'vi' | 'en',
  ) {}

  /** The person types `text` (`ago` ms before the app clock); resolves with the bot's answers. */
  async type(text: string, ago = 0): Promise<Outgoing[]> {
    return this.send(this.platform.text(this.userId, text, this.stamp(ago), this.language));
  }

  /** The person taps a button of the bot's last message (it must have offered it). */
  async tap(payload: string, ago = 0): Promise<Outgoing[]> {
    const offered = this.platform
      .sent()
      .filter((m) => m.userId === this.userId)
      .at(-1);
    if (!offered?.payloads.includes(payload))
      throw new Error(
        `${this.platform.id} offered ${JSON.stringify(offered?.payloads)} to ${this.userId}, not ${payload}`,
      );
    return this.send(this.platform.tap(this.userId, payload, this.stamp(ago)));
  }

  /** Everything the bot sent this person so far. */
  received(): Outgoing[] {
    return this.platform.sent().filter((m) => m.userId === this.userId);
  }

  private stamp(ago: number): number {
    this.conversation.clock.advance(1000);
    return this.conversation.clock.now() - ago;
  }

  private async send(hook: SignedWebhook): Promise<Outgoing[]> {
    const status = await post(this.conversation.base(), hook);
    if (status !== 200) throw new Error(`${this.platform.id} webhook answered ${status}`);
    await this.conversation.idle();
    const mine = this.received();
    const fresh = mine.slice(this.seen);
    this.seen = mine.length;
    return fresh;
  }
}

/** All texts of some answers in one string. */
export function texts(replies: Outgoing[]): string {
  return replies.map((r) => r.text).join('\n---\n');
}
