import type { Locale } from '../core/events.js';
import type { Actor } from './accounts.js';
import { html, type Part, type Safe } from './html.js';
import type { Key, T } from './i18n.js';
import { can, type Permission } from './roles.js';

/** One page of the dashboard's navigation. */
export interface NavPage {
  path: string;
  label: Key;
  permission: Permission;
}

/**
 * Every page of the navigation, in order: the one place to add a page (a report page adds a
 * line here and registers its route).
 */
export const PAGES: NavPage[] = [
  { path: '/admin', label: 'nav.overview', permission: 'view' },
  { path: '/admin/registrations', label: 'nav.registrations', permission: 'view' },
  { path: '/admin/broadcasts', label: 'nav.broadcasts', permission: 'view' },
  { path: '/admin/questions', label: 'nav.questions', permission: 'view' },
  { path: '/admin/content', label: 'nav.content', permission: 'view' },
  { path: '/admin/report', label: 'nav.report', permission: 'view' },
  { path: '/admin/tokens', label: 'nav.tokens', permission: 'tokens' },
  { path: '/admin/audit', label: 'nav.audit', permission: 'view' },
];

/** What every page needs to draw its frame. */
export interface Frame {
  t: T;
  locale: Locale;
  actor?: Actor;
  csrf: string;
  path: string;
}

/** A notice above the page's content. */
export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

/** The page shell: header with the language switch and sign-out, navigation, notices, content. */
export function layout(frame: Frame, title: string, body: Part, notices: Notice[] = []): string {
  const { t, actor } = frame;
  const nav = actor
    ? html`<nav aria-label="menu">
        ${PAGES.filter((p) => can(actor.role, p.permission)).map(
          (p) =>
            html`<a
              href="${p.path}"
              ${current(frame.path, p.path) ? html` aria-current="page"` : ''}
              >${t(p.label)}</a
            >`,
        )}
      </nav>`
    : '';
  const account = actor
    ? html`<form method="post" action="/admin/logout" class="inline">
        <input type="hidden" name="_csrf" value="${frame.csrf}" /><span class="who"
          >${t('signedInAs', { name: actor.name, role: t(`role.${actor.role}`) })}</span
        >
        <button class="link">${t('signOut')}</button>
      </form>`
    : '';
  const page: Safe = html`<!doctype html>
    <html lang="${frame.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${t('appName')}</title>
        <link rel="stylesheet" href="/admin/assets/admin.css" />
        <script src="/admin/assets/admin.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/admin">${t('appName')}</a>
          <div class="tools">
            <a
              href="/admin/lang?to=${frame.locale === 'vi' ? 'en' : 'vi'}&amp;back=${encodeURIComponent(frame.path)}"
              id="lang"
              >${t('switchTo')}</a
            >${account}
          </div>
        </header>
        ${nav}
        <main>
          <h1>${title}</h1>
          ${notices.map((n) => html`<p class="notice ${n.kind}" role="${n.kind === 'error' ? 'alert' : 'status'}">${n.text}</p>`)}
          ${body}
        </main>
      </body>
    </html>`;
  return page.value;
}

function current(path: string, page: string): boolean {
  return page === '/admin' ? path === '/admin' : path.startsWith(page);
}

/** A form's hidden CSRF field. */
export function csrfField(frame: Frame): Safe {
  return html`<input type="hidden" name="_csrf" value="${frame.csrf}" />`;
}

/** A field's error message next to it (Vietnamese by default). */
export function fieldError(errors: Record<string, string>, field: string): Part {
  const e = errors[field];
  return e ? html`<span class="field-error" id="err-${field}">${e}</span>` : '';
}

/** A date-time in the bot's time zone, as organisers read it. */
export function when(ms: number | null, locale: Locale, timeZone: string): string {
  if (ms === null) return '—';
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone,
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(ms);
}
