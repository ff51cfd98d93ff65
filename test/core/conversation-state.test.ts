import {
  ConversationState,
  MemoryStorage,
  TestAdapter,
  TurnContext,
  type StoreItems,
} from 'botbuilder-core';
import { describe, expect, it } from 'vitest';
import { referenceFor, STORED_STATE } from '../../src/core/activities.js';
import { TurnConversationState } from '../../src/core/conversation-state.js';
import { conversationStateKey } from '../../src/core/turn-outcome.js';

/** Memory storage that counts its reads. */
class CountingStorage extends MemoryStorage {
  reads = 0;
  override read(keys: string[]): Promise<StoreItems> {
    this.reads += 1;
    return super.read(keys);
  }
}

function contextFor(channel: 'zalo', userId: string): TurnContext {
  const reference = referenceFor(channel, userId);
  return new TurnContext(new TestAdapter(), {
    type: 'message',
    text: 'xin chào',
    channelId: reference.channelId,
    conversation: reference.conversation,
    from: reference.user,
    recipient: reference.bot,
  });
}

describe('the dialog state a turn starts from', () => {
  it('is stored under the key botbuilder itself uses for the conversation', () => {
    const context = contextFor('zalo', '8012345');
    expect(conversationStateKey('zalo', '8012345')).toBe(
      new ConversationState(new MemoryStorage()).getStorageKey(context),
    );
  });

  it('comes from what was read with the contact, without a read of its own', async () => {
    const storage = new CountingStorage();
    const state = new TurnConversationState(storage);
    const key = conversationStateKey('zalo', 'u1');
    const context = contextFor('zalo', 'u1');
    context.turnState.set(STORED_STATE, { key, doc: JSON.stringify({ step: 2 }) });
    expect(await state.load(context)).toEqual({ step: 2 });
    expect(storage.reads).toBe(0);
    // Nothing stored yet: an empty state, still no read.
    const fresh = contextFor('zalo', 'u2');
    fresh.turnState.set(STORED_STATE, { key: conversationStateKey('zalo', 'u2'), doc: null });
    expect(await state.load(fresh)).toEqual({});
    expect(storage.reads).toBe(0);
  });

  it('is read from storage when nothing was read before, or for another conversation, or forced', async () => {
    const storage = new CountingStorage();
    await storage.write({ [conversationStateKey('zalo', 'u1')]: { step: 5 } });
    const state = new TurnConversationState(storage);
    expect(await state.load(contextFor('zalo', 'u1'))).toMatchObject({ step: 5 });
    expect(storage.reads).toBe(1);
    const other = contextFor('zalo', 'u1');
    other.turnState.set(STORED_STATE, { key: conversationStateKey('zalo', 'u9'), doc: '{}' });
    expect(await state.load(other)).toMatchObject({ step: 5 });
    expect(storage.reads).toBe(2);
    const forced = contextFor('zalo', 'u1');
    forced.turnState.set(STORED_STATE, { key: conversationStateKey('zalo', 'u1'), doc: '{}' });
    expect(await state.load(forced, true)).toMatchObject({ step: 5 });
    expect(storage.reads).toBe(3);
  });
});

/** Memory storage that counts its writes. */
class WriteCountingStorage extends MemoryStorage {
  writes = 0;
  override write(changes: StoreItems): Promise<void> {
    this.writes += 1;
    return super.write(changes);
  }
}

describe('the dialog state at the end of a turn', () => {
  it('is written only when the turn changed it, whichever way it was read', async () => {
    const storage = new WriteCountingStorage();
    const state = new TurnConversationState(storage);
    const key = conversationStateKey('zalo', 'u1');
    // Read with the contact, as stored (eTag included), and left alone: no write.
    const doc = JSON.stringify({ dialog: { stack: [{ id: 'menu', state: { n: 1 } }] }, eTag: '*' });
    const same = contextFor('zalo', 'u1');
    same.turnState.set(STORED_STATE, { key, doc });
    await state.load(same);
    await state.saveChanges(same);
    expect(storage.writes).toBe(0);
    // Nothing stored and nothing set: still no write.
    const empty = contextFor('zalo', 'u2');
    empty.turnState.set(STORED_STATE, { key: conversationStateKey('zalo', 'u2'), doc: null });
    await state.load(empty);
    await state.saveChanges(empty);
    expect(storage.writes).toBe(0);
    // A value deep inside changed: written, once.
    const changed = contextFor('zalo', 'u1');
    changed.turnState.set(STORED_STATE, { key, doc });
    const loaded = (await state.load(changed)) as { dialog: { stack: Array<{ state: object }> } };
    loaded.dialog.stack[0]!.state = { n: 2 };
    await state.saveChanges(changed);
    await state.saveChanges(changed);
    expect(storage.writes).toBe(1);
    expect((await storage.read([key]))[key]).toMatchObject({
      dialog: { stack: [{ state: { n: 2 } }] },
    });
    // Read from storage (no stored text at hand) and left alone: no write either.
    const reread = contextFor('zalo', 'u1');
    await state.load(reread);
    await state.saveChanges(reread);
    expect(storage.writes).toBe(1);
  });
});
