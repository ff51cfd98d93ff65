import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flattenKeys, readLocales } from '../src/i18n.js';
import { ROOT } from '../src/services.js';

const dir = path.join(ROOT, 'locales');
const resources = readLocales(dir);
const namespaces = [
  ...new Set(['vi', 'en'].flatMap((lng) => fs.readdirSync(path.join(dir, lng)))),
].map((file) => path.basename(file, '.json'));

/** The string at a dotted key of a namespace, as written in the file. */
function raw(lng: 'vi' | 'en', ns: string, key: string): unknown {
  let value: unknown = resources[lng]?.[ns];
  for (const part of key.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

const placeholders = (text: unknown) =>
  [...String(text).matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  it('has the same namespace files in vi and en', () => {
    expect(Object.keys(resources.vi ?? {}).sort()).toEqual(Object.keys(resources.en ?? {}).sort());
    expect(namespaces).toEqual(expect.arrayContaining(['common', 'faq', 'events']));
  });

  it.each(namespaces)('namespace %s has every key in both languages', (ns) => {
    const vi = flattenKeys(resources.vi?.[ns] ?? {});
    const en = flattenKeys(resources.en?.[ns] ?? {});
    expect(
      vi.filter((k) => !en.includes(k)),
      `keys missing from locales/en/${ns}.json`,
    ).toEqual([]);
    expect(
      en.filter((k) => !vi.includes(k)),
      `keys missing from locales/vi/${ns}.json`,
    ).toEqual([]);
  });

  it.each(namespaces)('namespace %s: same {{placeholders}}, no empty text', (ns) => {
    for (const key of flattenKeys(resources.vi?.[ns] ?? {})) {
      const vi = raw('vi', ns, key);
      const en = raw('en', ns, key);
      expect(typeof vi === 'string' && vi.trim() !== '', `vi ${ns}:${key}`).toBe(true);
      expect(typeof en === 'string' && en.trim() !== '', `en ${ns}:${key}`).toBe(true);
      expect(placeholders(en), `${ns}:${key}`).toEqual(placeholders(vi));
    }
  });
});
