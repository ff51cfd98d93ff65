import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisBotStorage, SqlBotStorage } from '../../src/store/bot-state-storage.js';
import type { InboundEvent } from '../../src/core/events.js';
import { ContactsRepo } from '../../src/store/contacts-repo.js';
import { InboxRepo } from '../../src/store/inbox-repo.js';
import { KvRepo } from '../../src/store/kv-repo.js';
import { connectRedis, type RedisClient } from '../../src/coord/redis-coordinator.js';
import { TEST_REDIS_URL, uniqueName } from '../helpers/env.js';
import { ENGINES, useStore } from '../helpers/store.js';

describe.each(ENGINES)('repositories on $name', ({ pg }) => {
  const store = useStore(pg, 'repo');

  it('contacts: created once per channel and user, latest interaction kept, locale kept', async () => {
    const contacts = new ContactsRepo(store().db);
    const first = await contacts.touch('zalo', '1234567890123456789', 1000, {
      inboundAt: 5000,
      locale: 'en',
      followed: true,
    });
    expect(first).toMatchObject({
      channel: 'zalo',
      userId: '1234567890123456789',
      locale: 'en',
      lastInboundAt: 5000,
      followed: true,
      optedIn: false,
    });
    // An older event arriving late does not move the window back; a later locale does not override the user's.
    const again = await contacts.touch('zalo', '1234567890123456789', 2000, {
      inboundAt: 4000,
      locale: 'vi',
    });
    expect(again.lastInboundAt).toBe(5000);
    expect(again.locale).toBe('en');
    expect(again.id).toBe(first.id);
    await contacts.touch('zalo', '1234567890123456789', 3000, { inboundAt: 9000 });
    expect((await contacts.get('zalo', '1234567890123456789'))?.lastInboundAt).toBe(9000);
    await contacts.touch('viber', '1234567890123456789', 3000);
    expect(await contacts.count()).toBe(2);
  });

  it('contacts: a turn reads the contact and its stored dialog state in one statement', async () => {
    const contacts = new ContactsRepo(store().db, store().write);
    const key = 'zalo/conversations/u1/';
    const none = await contacts.touchWithState('zalo', 'u1', 1000, { inboundAt: 1000 }, key);
    expect(none).toMatchObject({ contact: { userId: 'u1', lastInboundAt: 1000 }, stateDoc: null });
    await new SqlBotStorage(store().db).write({ [key]: { dialogState: { step: 3 } } });
    const some = await contacts.touchWithState('zalo', 'u1', 2000, { inboundAt: 2000 }, key);
    expect(some.contact).toMatchObject({ id: none.contact.id, lastInboundAt: 2000 });
    expect(JSON.parse(some.stateDoc!)).toEqual({ dialogState: { step: 3 } });
    // Another conversation's state is not this one's.
    const other = await contacts.touchWithState('zalo', 'u2', 2000, {}, 'zalo/conversations/u2/');
    expect(other.stateDoc).toBeNull();
  });

  it("contacts: the same statement tells a turn its conversation's oldest pending inbox row", async () => {
    const contacts = new ContactsRepo(store().db, store().write);
    const inbox = new InboxRepo(store().db);
    const event = (userId: string, eventId: string): InboundEvent => ({
      channel: 'zalo',
      userId,
      eventId,
      timestamp: 1,
      kind: 'message',
      text: 'hi',
    });
    const key = 'zalo/conversations/u1/';
    const none = await contacts.touchWithState('zalo', 'u1', 1000, {}, key, 'zalo:u1');
    expect(none.firstPending).toBeNull();
    const [a, b] = await inbox.insertNew([event('u1', 'a'), event('u1', 'b')], 1000);
    await inbox.insertNew([event('u2', 'c')], 1000);
    const first = await contacts.touchWithState('zalo', 'u1', 1000, {}, key, 'zalo:u1');
    expect(first.firstPending).toBe(a!.id);
    expect(await inbox.firstPending('zalo:u1')).toBe(a!.id);
    await inbox.finish(a!.id, 'done', 2000);
    const next = await contacts.touchWithState('zalo', 'u1', 2000, {}, key, 'zalo:u1');
    expect(next.firstPending).toBe(b!.id);
    expect(next.contact.id).toBe(first.contact.id);
    await inbox.finish(b!.id, 'failed', 2000);
    expect(await inbox.firstPending('zalo:u1')).toBeNull();
    // Without a conversation the statement reads no inbox row.
    expect(await contacts.touchWithState('zalo', 'u1', 3000, {}, key)).not.toHaveProperty(
      'firstPending',
    );
  });

  it('contacts: unfollow turns announcements off; language and agent pause are stored', async () => {
    const contacts = new ContactsRepo(store().db);
    await contacts.touch('viber', 'v1', 1);
    await store().db.updateTable('contacts').set({ opted_in: 1 }).execute();
    await contacts.setFollowed('viber', 'v1', false);
    await contacts.setLocale('viber', 'v1', 'en');
    await contacts.setAgentPause('viber', 'v1', 12345);
    expect(await contacts.get('viber', 'v1')).toMatchObject({
      followed: false,
      optedIn: false,
      locale: 'en',
      agentPausedUntil: 12345,
    });
  });

  it('kv: set, overwrite, read back, delete', async () => {
    const kv = new KvRepo(store().db);
    expect(await kv.get('k')).toBeUndefined();
    await kv.set('k', { a: 1, s: 'Tiếng Việt' }, 1);
    await kv.set('k', { a: 2, s: 'Tiếng Việt' }, 2);
    expect(await kv.get('k')).toEqual({ a: 2, s: 'Tiếng Việt' });
    await kv.delete('k');
    expect(await kv.get('k')).toBeUndefined();
  });

  it('dialog state: botbuilder Storage read/write/delete', async () => {
    const storage = new SqlBotStorage(store().db);
    await storage.write({ 'simulator/conversations/u1': { dialogState: { stack: [1] } } });
    await storage.write({ 'simulator/conversations/u1': { dialogState: { stack: [2] } } });
    expect(await storage.read(['simulator/conversations/u1', 'missing'])).toEqual({
      'simulator/conversations/u1': { dialogState: { stack: [2] } },
    });
    await storage.delete(['simulator/conversations/u1']);
    expect(await storage.read(['simulator/conversations/u1'])).toEqual({});
  });
});

describe('dialog state in Redis', () => {
  let client: RedisClient;
  beforeEach(async () => {
    client = await connectRedis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    await client.quit();
  });

  it('reads back what it wrote and deletes', async () => {
    const prefix = uniqueName('state');
    const storage = new RedisBotStorage(client, (k) => `${prefix}:${k}`);
    await storage.write({ a: { x: 1 }, b: { y: 'đ' } });
    expect(await storage.read(['a', 'b', 'c'])).toEqual({ a: { x: 1 }, b: { y: 'đ' } });
    await storage.delete(['a', 'b']);
    expect(await storage.read(['a', 'b'])).toEqual({});
  });
});
