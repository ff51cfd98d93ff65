import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecipientUnreachableError, TransportError } from '../../src/core/errors.js';
import type { InboundEvent } from '../../src/core/events.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { FakeChannel } from '../helpers/fake-channel.js';

let n = 0;
function hello(userId: string): InboundEvent {
  n += 1;
  return {
    channel: 'messenger',
    userId,
    eventId: `turn-error-${n}`,
    timestamp: Date.now(),
    kind: 'message',
    text: 'xin chào',
  };
}

describe('when a reply cannot be sent', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('a transient failure is retried from the outbox: the reply arrives once, with no apology', async () => {
    const messenger = new FakeChannel('messenger');
    messenger.fail = (_user, call) =>
      call === 1 ? new TransportError('connection reset') : undefined;
    t = await startTestApp({
      channels: [messenger],
      outbox: { pollMs: 20, retry: { maxAttempts: 5, backoffBaseMs: 30, backoffMaxMs: 100 } },
    });
    await t.services.start();
    await t.services.inbox.acceptAndWait([hello('psid-1')]);
    expect(messenger.sent).toHaveLength(0);
    await vi.waitFor(() => expect(messenger.sent).toHaveLength(1), { timeout: 5000 });
    expect(messenger.sent[0]!.message.text).toContain('Xin chào');
    expect(messenger.calls).toBe(2);
    // The sent row is deleted just after the send returns (batched with the others of that turn
    // of the event loop), so the reply can be seen a moment before its row is gone.
    await vi.waitFor(
      async () =>
        expect(await t!.services.outboxRepo.depth()).toMatchObject({ pending: 0, sending: 0 }),
      { timeout: 2000 },
    );
  });

  it('a person who blocked the bot is not sent an apology, and announcements stop', async () => {
    const messenger = new FakeChannel('messenger');
    messenger.fail = () => new RecipientUnreachableError('user blocked the page', 551);
    t = await startTestApp({ channels: [messenger] });
    await t.services.contacts.touch('messenger', 'psid-2', Date.now());
    await t.services.store.db
      .updateTable('contacts')
      .set({ opted_in: 1 })
      .where('user_id', '=', 'psid-2')
      .execute();
    await t.services.inbox.acceptAndWait([hello('psid-2')]);
    expect(messenger.calls).toBe(1);
    expect(await t.services.contacts.get('messenger', 'psid-2')).toMatchObject({
      followed: false,
      optedIn: false,
    });
    expect(await t.services.inboxRepo.counts()).toEqual({ done: 1 });
  });
});
