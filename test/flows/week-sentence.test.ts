import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { createTranslator } from '../../src/i18n.js';
import { ROOT } from '../../src/services.js';
import { weekSentence } from '../../flows/week-status.js';

// weekSentence keeps today's sentences (the same for everyone); these check that what it keeps
// never outlives what it was made from.
describe('Week sentences follow the day, the language and the organiser settings', () => {
  const t = createTranslator(path.join(ROOT, 'locales'));

  it('speaks of 2020 as past in 2026, and as the current edition once an organiser names it', () => {
    const content = loadContent(path.join(ROOT, 'content'));
    const before = weekSentence(t, 'vi', content, '2026-12-03', 'status');
    expect(before).toBe(weekSentence(t, 'vi', content, '2026-12-03', 'status'));
    expect(before.startsWith(t('vi', 'events:noCurrent'))).toBe(true);
    // The dashboard replaces the organiser settings when an organiser saves them.
    content.organiser = { ...content.organiser, currentEdition: 2020 };
    const after = weekSentence(t, 'vi', content, '2026-12-03', 'status');
    expect(after.startsWith(t('vi', 'events:noCurrent'))).toBe(false);
    expect(after).not.toBe(before);
  });

  it('changes with the day and the language', () => {
    const content = loadContent(path.join(ROOT, 'content'));
    const during = weekSentence(t, 'en', content, '2020-10-02', 'countdown');
    const lastDay = weekSentence(t, 'en', content, '2020-10-07', 'countdown');
    expect(during).not.toBe(lastDay);
    expect(weekSentence(t, 'vi', content, '2020-10-07', 'countdown')).not.toBe(lastDay);
    expect(weekSentence(t, 'en', content, '2020-10-02', 'countdown')).toBe(during);
  });
});
