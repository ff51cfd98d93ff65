import type { Locale } from '../src/core/events.js';
import { courseTitle } from '../src/registration/describe.js';
import type { Turn } from './turn.js';

/**
 * The courses and trainings of the catalogue (content/courses.json) as lines for an answer, live:
 * each with its kind and whether registration is open now.
 */
export function courseList(turn: Turn, locale: Locale): string {
  const { content, registration, t } = turn.services;
  return content.courses.courses
    .map((course) => {
      const open = course.sessions.some((s) => registration.isOpen(s));
      return t(locale, 'faq:courseLine', {
        title: courseTitle(course, locale, t),
        kind: t(locale, `faq:courseKind.${course.kind}`),
        state: t(locale, open ? 'faq:courseOpen' : 'faq:courseClosed'),
      });
    })
    .join('\n');
}
