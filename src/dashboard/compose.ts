import { parseBroadcastInput, type BroadcastInput } from '../broadcast/input.js';
import type { OutboundMessage } from '../core/events.js';
import type { T } from './i18n.js';

/** Buttons an announcement may carry (a menu payload the bot understands). */
export const BUTTONS: Record<string, { vi: string; en: string }> = {
  REGISTER: { vi: 'Đăng ký ngay', en: 'Register now' },
  EVENTS: { vi: 'Xem sự kiện', en: 'See events' },
  FAQ: { vi: 'Hỏi đáp', en: 'Questions' },
};

/** The compose form's fields as posted. */
export type ComposeForm = Record<string, string | string[] | undefined>;

const list = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v ? [v] : []).map((x) => x.trim()).filter(Boolean);

/** Milliseconds of a "yyyy-mm-ddThh:mm" wall-clock time in a time zone. */
export function localToEpoch(local: string, timeZone: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return undefined;
  const guess = Date.parse(`${local}:00Z`);
  if (Number.isNaN(guess)) return undefined;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(guess)
      .map((p) => [p.type, p.value]),
  );
  const shown = Date.parse(
    `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:00Z`,
  );
  return guess - (shown - guess);
}

/** The message a form describes, for the preview (Vietnamese text, button in Vietnamese). */
export function previewMessage(form: ComposeForm, lang: 'vi' | 'en'): OutboundMessage {
  const text = String((lang === 'en' ? form.text_en : form.text_vi) ?? '').trim() || '…';
  const button = typeof form.button === 'string' ? BUTTONS[form.button] : undefined;
  return button
    ? { text, choices: [{ title: button[lang], payload: String(form.button) }] }
    : { text };
}

/**
 * Validates the compose form with the API's own rules; errors come back per field, in the
 * organiser's language, so each is shown next to its field.
 */
export function parseComposeForm(
  form: ComposeForm,
  t: T,
  timeZone: string,
): { ok: true; input: BroadcastInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const vi = String(form.text_vi ?? '').trim();
  const en = String(form.text_en ?? '').trim();
  if (!vi || [...vi].length > 2000) errors.text_vi = t('bc.errVi');
  if ([...en].length > 2000) errors.text_en = t('bc.errEn');
  let scheduleAt: string | undefined;
  const when = String(form.scheduleAt ?? '').trim();
  if (when) {
    const at = localToEpoch(when, timeZone);
    if (at === undefined) errors.scheduleAt = t('bc.errSchedule');
    else scheduleAt = new Date(at).toISOString();
  }
  const button = typeof form.button === 'string' && BUTTONS[form.button] ? form.button : undefined;
  const channels = list(form.channels);
  const topics = list(form.topics);
  const languages = list(form.languages);
  const provinces = String(form.provinces ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const course = String(form.course ?? '').trim();
  const raw = {
    message: { vi: vi || 'x', ...(en ? { en } : {}) },
    ...(button ? { button: { payload: button, title: BUTTONS[button]! } } : {}),
    segment: {
      ...(channels.length ? { channels } : {}),
      ...(topics.length ? { topics } : {}),
      ...(languages.length ? { languages } : {}),
      ...(provinces.length ? { provinces } : {}),
      ...(course ? { registered: { course } } : {}),
    },
    ...(scheduleAt ? { scheduleAt } : {}),
    dryRun: true,
  };
  const parsed = parseBroadcastInput(raw);
  if (!parsed.ok) {
    const field = parsed.message.startsWith('segment')
      ? 'segment'
      : parsed.message.startsWith('scheduleAt')
        ? 'scheduleAt'
        : 'text_vi';
    errors[field] ??=
      field === 'segment' ? t('bc.errSegment', { message: parsed.message }) : t('bc.errSchedule');
  }
  if (Object.keys(errors).length > 0 || !parsed.ok) return { ok: false, errors };
  return { ok: true, input: parsed.input };
}
