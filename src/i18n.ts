import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n } from 'i18next';
import type { Locale } from './core/events.js';

/** The languages the bot speaks; Vietnamese is the default. */
export const LOCALES: readonly Locale[] = ['vi', 'en'];
export const DEFAULT_LOCALE: Locale = 'vi';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Reads `locales/<lang>/<namespace>.json` for every language. */
export function readLocales(dir: string): Resources {
  const resources: Resources = {};
  for (const lng of LOCALES) {
    const langDir = path.join(dir, lng);
    resources[lng] = {};
    for (const file of fs.readdirSync(langDir).filter((f) => f.endsWith('.json'))) {
      resources[lng][path.basename(file, '.json')] = JSON.parse(
        fs.readFileSync(path.join(langDir, file), 'utf8'),
      );
    }
  }
  return resources;
}

/** Translates a key ("namespace:path.to.key") into a language. */
export type Translate = (locale: Locale, key: string, vars?: Record<string, unknown>) => string;

/** Builds the translator over the locale files (synchronously: resources are in memory). */
export function createTranslator(dir: string): Translate {
  const resources = readLocales(dir);
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources,
    lng: DEFAULT_LOCALE,
    fallbackLng: DEFAULT_LOCALE,
    ns: Object.keys(resources[DEFAULT_LOCALE] ?? {}),
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  // The resources never change after start-up: a text without variables is looked up once (a
  // turn asks for a dozen, and i18next's lookup cost about 6% of a turn's CPU).
  const plain = new Map<string, string>();
  return (locale, key, vars) => {
    if (vars !== undefined) return String(instance.t(key, { lng: locale, ...vars }));
    const id = `${locale}\u0000${key}`;
    let text = plain.get(id);
    if (text === undefined) {
      text = String(instance.t(key, { lng: locale }));
      if (plain.size < 10_000) plain.set(id, text);
    }
    return text;
  };
}

/** Flattens a nested resource object into dotted keys (for the completeness test). */
export function flattenKeys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    flattenKeys(v, prefix ? `${prefix}.${k}` : k),
  );
}
