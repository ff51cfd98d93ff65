import { AsyncLocalStorage } from 'node:async_hooks';
import type { Storage, StoreItems } from 'botbuilder-core';
import type { ChannelId, OutboundMessage } from './events.js';

/** One message a turn produced, waiting for the turn's commit. */
export interface PendingMessage {
  channel: ChannelId;
  userId: string;
  message: OutboundMessage;
  mode: 'reply' | 'proactive';
}

/**
 * What a turn produced, kept in memory until the turn commits it in one transaction: the dialog
 * state it wrote (null = deleted) and the messages it said.
 */
export class TurnOutcome {
  readonly messages: PendingMessage[] = [];
  readonly state = new Map<string, unknown>();
}

const scope = new AsyncLocalStorage<TurnOutcome>();

/** Runs `fn` collecting its sends and state writes into `outcome` instead of performing them. */
export function collectTurn<T>(outcome: TurnOutcome, fn: () => Promise<T>): Promise<T> {
  return scope.run(outcome, fn);
}

/** The outcome of the turn running now, if any. */
export function currentTurn(): TurnOutcome | undefined {
  return scope.getStore();
}

/**
 * botbuilder `Storage` whose writes and deletes inside a collected turn go into the turn's
 * outcome (committed with its inbox row and messages); reads see them first. Outside a turn
 * (erasure, tools) it writes through.
 */
export class TurnStorage implements Storage {
  constructor(private readonly inner: Storage) {}

  async read(keys: string[]): Promise<StoreItems> {
    const outcome = currentTurn();
    const items = await this.inner.read(keys);
    if (outcome)
      for (const key of keys)
        if (outcome.state.has(key)) {
          const value = outcome.state.get(key);
          if (value === null) delete items[key];
          else items[key] = value;
        }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const outcome = currentTurn();
    if (!outcome) return this.inner.write(changes);
    for (const [key, value] of Object.entries(changes)) outcome.state.set(key, value);
  }

  async delete(keys: string[]): Promise<void> {
    const outcome = currentTurn();
    if (!outcome) return this.inner.delete(keys);
    for (const key of keys) outcome.state.set(key, null);
  }
}
