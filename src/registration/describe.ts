import type { Course, Session } from '../content/courses.js';
import type { Locale } from '../core/events.js';
import type { Translate } from '../i18n.js';
import { provinceName } from './provinces.js';
import { formatDateTime, formatDay, formatShort } from './time.js';

/** "08:00 ngày 02/10/2020 – 10:30" or "Tự học, mở từ 01/10/2020", in the user's language. */
export function sessionWhen(
  session: Session,
  locale: Locale,
  timeZone: string,
  t: Translate,
): string {
  const s = session.schedule;
  if (s.type === 'scheduled') {
    const end = formatDateTime(Date.parse(s.end), locale, timeZone).slice(0, 5);
    return `${formatDateTime(Date.parse(s.start), locale, timeZone)} – ${end}`;
  }
  if (s.opens && s.closes)
    return t(locale, 'registration:when.selfPacedBetween', {
      opens: formatDay(s.opens, locale),
      closes: formatDay(s.closes, locale),
    });
  if (s.closes)
    return t(locale, 'registration:when.selfPacedUntil', { closes: formatDay(s.closes, locale) });
  return t(locale, 'registration:when.selfPaced');
}

/** "Trực tuyến: https://..." or the venue's address (with its province). */
export function sessionPlace(session: Session, locale: Locale, t: Translate): string {
  if (session.place.type === 'online')
    return session.place.url
      ? t(locale, 'registration:place.online', { url: session.place.url })
      : t(locale, 'registration:place.onlineShort');
  const province = session.province ? provinceName(session.province, locale) : undefined;
  const address = session.place.address[locale];
  return province && !address.includes(province) ? `${address}, ${province}` : address;
}

/** A short label for a session button: "02/10 08:00 · Hà Nội" / "Tự học · Trực tuyến". */
export function sessionShortLabel(
  session: Session,
  locale: Locale,
  timeZone: string,
  t: Translate,
): string {
  const s = session.schedule;
  const when =
    s.type === 'scheduled'
      ? formatShort(Date.parse(s.start), locale, timeZone)
      : t(locale, 'registration:when.selfPacedShort');
  const where =
    session.place.type === 'online'
      ? t(locale, 'registration:place.onlineShort')
      : session.province
        ? provinceName(session.province, locale)
        : t(locale, 'registration:place.venueShort');
  return `${when} · ${where}`;
}

/** The course title, marked when it is a demonstration course. */
export function courseTitle(course: Course, locale: Locale, t: Translate): string {
  const title = course.title[locale];
  return course.sample ? `${title} ${t(locale, 'registration:sampleMark')}` : title;
}
