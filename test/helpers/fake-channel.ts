import { randomUUID } from 'node:crypto';
import type { Channel, SendResult } from '../../src/core/channel.js';
import type { ChannelId, OutboundMessage } from '../../src/core/events.js';

/** One message a fake channel was asked to send. */
export interface FakeSend {
  userId: string;
  message: OutboundMessage;
  messageId: string;
}

/**
 * An in-process channel that records what it sends. `fail` decides per call whether to throw (a
 * typed error from core/errors.ts); `gate` holds sends until the test opens it.
 */
export class FakeChannel implements Channel {
  readonly sent: FakeSend[] = [];
  readonly batches: Array<{ userIds: string[]; message: OutboundMessage }> = [];
  calls = 0;
  fail: ((userId: string, call: number) => Error | undefined) | undefined;
  gate: Promise<void> | undefined;
  /** Resolves on each call (after it is counted), for tests that wait for sends in flight. */
  onCall: (() => void) | undefined;
  sendBatch?: (
    userIds: string[],
    message: OutboundMessage,
  ) => Promise<{
    failed: Array<{ userId: string; reason: string }>;
    messageIds: ReadonlyMap<string, string>;
  }>;

  constructor(
    readonly id: ChannelId,
    options: { batch?: boolean; batchError?: () => Error | undefined } = {},
  ) {
    if (options.batch) {
      this.sendBatch = async (userIds, message) => {
        this.calls += 1;
        const error = options.batchError?.();
        if (error) throw error;
        this.batches.push({ userIds, message });
        // Like Viber's broadcast_message: one message id for the whole call.
        const messageId = `b-${randomUUID()}`;
        for (const userId of userIds) this.sent.push({ userId, message, messageId });
        return { failed: [], messageIds: new Map(userIds.map((u) => [u, messageId])) };
      };
    }
  }

  registerRoutes(): void {}

  async send(userId: string, message: OutboundMessage): Promise<SendResult> {
    this.calls += 1;
    const call = this.calls;
    this.onCall?.();
    if (this.gate) await this.gate;
    const error = this.fail?.(userId, call);
    if (error) throw error;
    const messageId = `m-${randomUUID()}`;
    this.sent.push({ userId, message, messageId });
    return { messageIds: [messageId] };
  }

  /** How many messages each user got. */
  perUser(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const s of this.sent) counts.set(s.userId, (counts.get(s.userId) ?? 0) + 1);
    return counts;
  }
}
