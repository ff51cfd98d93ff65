import type { FastifyInstance } from 'fastify';
import { AUDIENCES } from '../../content/courses.js';
import {
  parseRegistrationQuery,
  CSV_HEADER,
  registrationRow,
} from '../../admin/registration-routes.js';
import { toCsv } from '../../registration/csv.js';
import { provinceName, PROVINCES } from '../../registration/provinces.js';
import { registrationsXlsx, sendXlsx } from '../../registration/xlsx.js';
import { html } from '../html.js';
import { channelName } from '../i18n.js';
import { csrfField, when } from '../layout.js';
import type { PageDeps } from '../plugin.js';
import { can } from '../roles.js';

const PAGE_SIZE = 25;
const FILTERS = [
  'search',
  'course',
  'session',
  'province',
  'audience',
  'channel',
  'status',
  'from',
  'to',
] as const;

function cleanQuery(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const q = (raw ?? {}) as Record<string, unknown>;
  for (const k of [...FILTERS, 'page'] as const)
    if (typeof q[k] === 'string' && q[k] !== '') out[k] = q[k];
  return out;
}

function selected(value: string | undefined, option: string) {
  return value === option ? html` selected` : '';
}

/** Registrations: filters, search, pagination, CSV/XLSX export and attendance. */
export function registrationPages(scope: FastifyInstance, deps: PageDeps): void {
  const { services, context } = deps;

  scope.get('/admin/registrations', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    const f = deps.frame(req, reply);
    const { t, locale } = f;
    const q = cleanQuery(req.query);
    const parsed = parseRegistrationQuery(services, { ...q, pageSize: String(PAGE_SIZE) });
    const courses = services.content.courses.courses;
    const form = html`<form method="get" action="/admin/registrations" class="filters card">
      <label class="wide"
        >${t('reg.search')}<input name="search" value="${q.search ?? ''}" type="search"
      /></label>
      <label
        >${t('reg.course')}<select name="course">
          <option value="">${t('all')}</option>
          ${courses.map((c) => html`<option value="${c.id}" ${selected(q.course, c.id)}>${c.title[locale]}</option>`)}
        </select></label
      >
      <label
        >${t('reg.province')}<select name="province">
          <option value="">${t('all')}</option>
          ${PROVINCES.map((p) => html`<option value="${p.id}" ${selected(q.province, p.id)}>${provinceName(p.id, locale)}</option>`)}
        </select></label
      >
      <label
        >${t('reg.audience')}<select name="audience">
          <option value="">${t('all')}</option>
          ${AUDIENCES.map((a) => html`<option value="${a}" ${selected(q.audience, a)}>${services.t(locale, `registration:audience.${a}`)}</option>`)}
        </select></label
      >
      <label
        >${t('reg.channel')}<select name="channel">
          <option value="">${t('all')}</option>
          ${['zalo', 'messenger', 'viber', 'simulator'].map((c) => html`<option value="${c}" ${selected(q.channel, c)}>${channelName(locale, c)}</option>`)}
        </select></label
      >
      <label
        >${t('reg.status')}<select name="status">
          <option value="">${t('all')}</option>
          ${(['confirmed', 'waitlisted', 'cancelled'] as const).map((s) => html`<option value="${s}" ${selected(q.status, s)}>${t(`status.${s}`)}</option>`)}
        </select></label
      >
      <label>${t('reg.from')}<input type="date" name="from" value="${q.from ?? ''}" /></label>
      <label>${t('reg.to')}<input type="date" name="to" value="${q.to ?? ''}" /></label>
      <button class="primary" id="filter">${t('reg.filter')}</button>
    </form>`;
    if (!parsed.ok) {
      reply.code(400);
      return deps.page(reply, f, t('reg.title'), form, [
        { kind: 'error', text: t('reg.bad', { message: parsed.message }) },
      ]);
    }
    const page = Math.max(1, Number(q.page ?? 1) || 1);
    const { items, total } = await services.registration.repo.query(parsed.filter, {
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    });
    const attended = await context.ops.attended(items.map((r) => r.id));
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const filters = new URLSearchParams(Object.entries(q).filter(([k]) => k !== 'page'));
    const link = (p: number) =>
      `/admin/registrations?${new URLSearchParams([...filters, ['page', String(p)]]).toString()}`;
    const canExport = can(req.adminActor!.role, 'export');
    const canMark = can(req.adminActor!.role, 'attendance');
    const body = html`${form}
      ${canExport ? html`<p class="actions"><a class="button" href="/admin/registrations/export.csv?${filters.toString()}" id="export-csv">${t('reg.csv')}</a> <a class="button" href="/admin/registrations/export.xlsx?${filters.toString()}" id="export-xlsx">${t('reg.xlsx')}</a></p>` : ''}
      <p class="muted" id="count">${t('pageOf', { page, pages, total })}</p>
      <div class="table-wrap">
        <table class="rows">
          <thead>
            <tr>
              <th>${t('reg.code')}</th>
              <th>${t('reg.name')}</th>
              <th>${t('reg.phone')}</th>
              <th>${t('reg.course')}</th>
              <th>${t('reg.province')}</th>
              <th>${t('reg.status')}</th>
              <th>${t('reg.at')}</th>
              <th>${t('reg.attended')}</th>
            </tr>
          </thead>
          <tbody>
            ${items.map((r) => {
              const course = courses.find((c) => c.id === r.courseId);
              const isIn = attended.has(r.id);
              return html`<tr>
                <td data-label="${t('reg.code')}">${r.code}</td>
                <td data-label="${t('reg.name')}">${r.fullName ?? '—'}</td>
                <td data-label="${t('reg.phone')}">${r.phone ?? '—'}</td>
                <td data-label="${t('reg.course')}">${course?.title[locale] ?? r.courseId}</td>
                <td data-label="${t('reg.province')}">${provinceName(r.province, locale)}</td>
                <td data-label="${t('reg.status')}">${t(`status.${r.status}`)}</td>
                <td data-label="${t('reg.at')}">
                  ${when(r.createdAt, locale, services.config.timezone)}
                </td>
                <td data-label="${t('reg.attended')}">
                  ${isIn ? '✓ ' : ''}${canMark && r.status === 'confirmed' ? html`<form method="post" action="/admin/registrations/${r.id}/attendance" class="inline">${csrfField(f)}<input type="hidden" name="attended" value="${isIn ? 'no' : 'yes'}" /><input type="hidden" name="back" value="${link(page)}" /><button class="small">${isIn ? t('reg.unmark') : t('reg.mark')}</button></form>` : ''}
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      ${items.length === 0 ? html`<p>${t('none')}</p>` : ''}
      <nav class="pager">
        ${page > 1 ? html`<a href="${link(page - 1)}">${t('prev')}</a>` : ''}
        ${page < pages ? html`<a href="${link(page + 1)}" id="next">${t('next')}</a>` : ''}
      </nav>`;
    return deps.page(reply, f, t('reg.title'), body);
  });

  for (const format of ['csv', 'xlsx'] as const) {
    scope.get(`/admin/registrations/export.${format}`, async (req, reply) => {
      if (!deps.allow(req, reply, 'export')) return reply;
      const f = deps.frame(req, reply);
      const parsed = parseRegistrationQuery(services, cleanQuery(req.query));
      if (!parsed.ok) {
        reply.code(400);
        return deps.page(reply, f, f.t('reg.title'), '', [
          { kind: 'error', text: f.t('reg.bad', { message: parsed.message }) },
        ]);
      }
      await context.accounts.audit(req.adminActor!, `registrations.export-${format}`, {
        filter: cleanQuery(req.query),
      });
      if (format === 'xlsx') {
        const result = await registrationsXlsx(services, parsed.filter);
        if (!result.ok)
          return deps.page(reply.code(400), f, f.t('reg.title'), '', [
            { kind: 'error', text: result.message },
          ]);
        return sendXlsx(reply, result.body);
      }
      const { items } = await services.registration.repo.query(parsed.filter, {
        offset: 0,
        limit: 200_000,
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="registrations.csv"')
        .header('cache-control', 'no-store')
        .send(
          toCsv(
            CSV_HEADER,
            items.map((r) => Object.values(registrationRow(services, r))),
          ),
        );
    });
  }

  scope.post<{ Params: { id: string } }>(
    '/admin/registrations/:id/attendance',
    async (req, reply) => {
      if (!deps.allow(req, reply, 'attendance')) return reply;
      const body = req.body as { attended?: string; back?: string };
      const id = /^\d{1,15}$/.test(req.params.id) ? Number(req.params.id) : 0;
      const ok = await context.ops.attendance(id, body.attended === 'yes', req.adminActor!);
      if (!ok) {
        const f = deps.frame(req, reply);
        return deps.page(reply.code(404), f, f.t('error.notFound'), '');
      }
      const back =
        typeof body.back === 'string' && body.back.startsWith('/admin/registrations')
          ? body.back
          : '/admin/registrations';
      return reply.redirect(back, 303);
    },
  );
}
