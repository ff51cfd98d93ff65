import type { Locale } from '../src/core/events.js';
import { controllerText } from '../src/content/organiser.js';
import { provinceName } from '../src/registration/provinces.js';
import type { FlowServices } from './turn.js';
import { editionValues, nowIn, shownEdition, weekSentence } from './week-status.js';

/** How citizens reach the organisers, or an honest sentence when the organiser gave nothing. */
export function contactText(services: FlowServices, locale: Locale): string {
  const { t, content } = services;
  const { contacts, province } = content.organiser;
  const lines = [
    contacts.phone && t(locale, 'faq:contact.phone', { phone: contacts.phone }),
    contacts.email && t(locale, 'faq:contact.email', { email: contacts.email }),
    contacts.website && t(locale, 'faq:contact.website', { website: contacts.website }),
    contacts.address && t(locale, 'faq:contact.address', { address: contacts.address[locale] }),
  ].filter((line): line is string => typeof line === 'string' && line !== '');
  if (lines.length > 0) return lines.join('\n');
  return province
    ? t(locale, 'faq:contact.noneIn', { province: provinceName(province, locale) })
    : t(locale, 'faq:contact.none');
}

/** The values of an FAQ answer's {{placeholders}} today: edition, organiser and clock. */
export function answerValues(services: FlowServices, locale: Locale): Record<string, string> {
  const { content, t } = services;
  const today = nowIn(services).date;
  const { edition } = shownEdition(content, today);
  return {
    ...editionValues(edition, locale),
    status: weekSentence(t, locale, content, today, 'status'),
    contact: contactText(services, locale),
    controller: controllerText(content.organiser, locale),
  };
}
