import { afterEach, describe, expect, it } from 'vitest';
import { ContentChanges } from '../../src/dashboard/content-changes.js';
import { BACKENDS, startTestApp, type TestApp } from '../helpers/app.js';

const EVENT = {
  title: { vi: 'Ngày hội đọc sách', en: 'Reading festival' },
  date: '2026-10-01',
  audience: [],
  description: { vi: 'Giao lưu đọc sách.', en: 'Reading together.' },
};

describe.each(BACKENDS)('content changes on $name', (backend) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
  });

  it('keeps every version with who and when; another process sees the change and cannot overwrite it unknowingly', async () => {
    t = await startTestApp({ backend });
    const content = t.services.content;
    const now = () => t!.services.clock.now();
    // Two server processes over one database, each with its own copy of the content.
    const first = new ContentChanges(t.services.store.db, content, now);
    const secondContent = structuredClone(content);
    const second = new ContentChanges(t.services.store.db, secondContent, now);
    await Promise.all([first.load(), second.load()]);

    const created = await first.saveEvent(undefined, EVENT, 'Chị Lan', 0);
    expect(created).toMatchObject({ ok: true, version: 1, id: '2026-10-01-reading-festival' });
    expect(content.events.map((e) => e.title.vi)).toEqual(['Ngày hội đọc sách']);
    expect(secondContent.events).toHaveLength(0);
    await second.load();
    expect(secondContent.events.map((e) => e.id)).toEqual(['2026-10-01-reading-festival']);

    const id = '2026-10-01-reading-festival';
    expect(await second.saveEvent(id, { ...EVENT, time: '08:00' }, 'Anh Minh', 1)).toMatchObject({
      ok: true,
      version: 2,
    });
    // The first process still believes version 1 and reads again before it saves.
    expect(
      await first.saveEvent(id, { ...EVENT, title: { vi: 'Khác', en: 'Other' } }, 'Chị Lan', 1),
    ).toEqual({ ok: false, kind: 'conflict', current: 2 });
    expect(content.events[0]!.time).toBe('08:00');

    expect(await first.saveContacts({ phone: 'không có' }, 'Chị Lan', 0)).toMatchObject({
      ok: false,
      kind: 'invalid',
      issues: [{ field: 'phone' }],
    });
    expect(await first.saveContacts({ phone: '0238 3844 000' }, 'Chị Lan', 0)).toMatchObject({
      ok: true,
    });
    expect(content.organiser.contacts.phone).toBe('0238 3844 000');
    const history = await first.history();
    expect(history.map((h) => [h.kind, h.version, h.action, h.actor])).toEqual([
      ['contacts', 1, 'update', 'Chị Lan'],
      ['event', 2, 'update', 'Anh Minh'],
      ['event', 1, 'create', 'Chị Lan'],
    ]);
  });
});
