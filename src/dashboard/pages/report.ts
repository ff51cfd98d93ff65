import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AUDIENCES } from '../../content/courses.js';
import { sessionShortLabel } from '../../registration/describe.js';
import { NOTE_OF, PART_FIGURES } from '../../report/document.js';
import { draftSchema, MAX_TEXT, type Draft } from '../../report/draft.js';
import type { ReportEdition } from '../../report/edition.js';
import {
  loadReport,
  renderReport,
  reportFileName,
  reportService,
  reportWarnings,
  REPORT_TYPES,
  type ReportFormat,
} from '../../report/export.js';
import { renderHtmlBody } from '../../report/render-html.js';
import type { DraftView } from '../../report/service.js';
import { html, Safe, type Part } from '../html.js';
import { csrfField, fieldError, when, type Frame, type Notice } from '../layout.js';
import type { PageDeps } from '../plugin.js';
import { can } from '../roles.js';

/** What the form posts: every value is text. */
type FormInput = Record<string, string>;

/** Largest count and sum of money a field takes (as the API's draft schema). */
const MAX_COUNT = 1_000_000_000;
const MAX_MONEY = 1_000_000_000_000_000;
/** Longest province or Department name. */
const MAX_SHORT = 300;
/** Largest form: every text field may hold 100,000 characters of Vietnamese, percent-encoded. */
const FORM_LIMIT = 16 * 1024 * 1024;
/** Most lines of plans and directives. */
const MAX_DIRECTION = 200;

/** The id of a form field (and of its error: `err-<id>`). */
const fieldId = (name: string) => name.replace(/\./g, '-');

/** "120", "1.200", "1 200" or "1,200" as a whole number; NaN for anything else. */
function parseCount(raw: string): number {
  const s = raw.trim();
  if (s === '') return 0;
  if (/^\d+$/.test(s)) return Number(s);
  if (/^\d{1,3}([., ]\d{3})+$/.test(s)) return Number(s.replace(/[., ]/g, ''));
  return NaN;
}

/** A day typed as 15/09/2020 or 2020-09-15, as yyyy-mm-dd; undefined when it is no real day. */
function parseDay(raw: string): string | undefined {
  const s = raw.trim();
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  const iso = dmy
    ? `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`
    : /^\d{4}-\d{2}-\d{2}$/.test(s)
      ? s
      : undefined;
  if (!iso) return undefined;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}

/** The day as organisers type it (15/09/2020). */
function showDay(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** The draft as the form's values. */
function formValues(draft: Draft, sessions: string[]): FormInput {
  const v: FormInput = {
    province: draft.province ?? '',
    department: draft.department ?? '',
    direction: draft.direction
      .map((d) => [d.ref ?? '', d.date ? showDay(d.date) : '', d.title].join(' | '))
      .join('\n'),
    strengths: draft.strengths,
    difficulties: draft.difficulties,
    proposals: draft.proposals,
  };
  for (const { group, keys } of PART_FIGURES) {
    const values = draft[group] as unknown as Record<string, number>;
    for (const k of keys) v[`c.${group}.${k}`] = String(values[k] ?? 0);
  }
  for (const a of AUDIENCES)
    v[`c.safeInternet.participants.${a}`] = String(draft.safeInternet.participants[a]);
  for (const [note, text] of Object.entries(draft.notes)) v[`note.${note}`] = text ?? '';
  for (const id of sessions)
    v[`att.${id}`] = String(draft.attendance.find((a) => a.sessionId === id)?.attended ?? '');
  return v;
}

/**
 * The draft from the form, checked field by field with messages for the field; the saved
 * attendance of sessions the form does not list is kept.
 */
function draftFromForm(
  input: FormInput,
  current: Draft,
  sessions: string[],
  t: Frame['t'],
): { draft: Draft; errors: Record<string, string> } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const text = (name: string, max = MAX_TEXT): string => {
    const value = (input[name] ?? '').replace(/\r\n?/g, '\n');
    if ([...value].length > max)
      errors[fieldId(name)] = t('report.errLong', { max, length: [...value].length });
    return value;
  };
  const count = (name: string, max = MAX_COUNT): number => {
    const n = parseCount(input[name] ?? '');
    if (Number.isNaN(n)) errors[fieldId(name)] = t('report.errNumber');
    else if (n > max)
      errors[fieldId(name)] = t('report.errTooBig', { max: max.toLocaleString('vi-VN') });
    return Number.isNaN(n) ? 0 : n;
  };
  const province = text('province', MAX_SHORT).trim();
  const department = text('department', MAX_SHORT).trim();
  const lines = text('direction')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length > MAX_DIRECTION)
    errors.direction = t('report.errTooMany', { max: MAX_DIRECTION });
  const direction: Draft['direction'] = [];
  lines.forEach((line, i) => {
    const parts = line.split('|').map((p) => p.trim());
    const [ref, date, title] = parts.length === 1 ? ['', '', parts[0]!] : parts;
    if (parts.length > 3 || parts.length === 2 || !title) {
      errors.direction ??= t('report.errDirection', { line: i + 1 });
      return;
    }
    const day = date ? parseDay(date) : undefined;
    if (date && !day) errors.direction ??= t('report.errDate', { line: i + 1, date });
    if ([ref, title].some((s) => [...(s ?? '')].length > MAX_SHORT))
      errors.direction ??= t('report.errLineLong', { line: i + 1, max: MAX_SHORT });
    direction.push({ title, ...(ref ? { ref } : {}), ...(day ? { date: day } : {}) });
  });
  const groups: Record<string, unknown> = {};
  for (const { group, keys } of PART_FIGURES)
    groups[group] = Object.fromEntries(
      keys.map((k) => [k, count(`c.${group}.${k}`, group === 'funding' ? MAX_MONEY : MAX_COUNT)]),
    );
  groups.safeInternet = {
    ...(groups.safeInternet as object),
    participants: Object.fromEntries(
      AUDIENCES.map((a) => [a, count(`c.safeInternet.participants.${a}`)]),
    ),
  };
  const attendance = current.attendance.filter((a) => !sessions.includes(a.sessionId));
  for (const id of sessions) {
    const raw = (input[`att.${id}`] ?? '').trim();
    if (raw !== '') attendance.push({ sessionId: id, attended: count(`att.${id}`) });
  }
  const notes = Object.fromEntries(
    Object.values(NOTE_OF)
      .map((note) => [note, text(`note.${note}`)] as const)
      .filter(([, v]) => v.trim() !== ''),
  );
  const candidate = {
    ...(province ? { province } : {}),
    ...(department ? { department } : {}),
    direction,
    ...groups,
    attendance,
    notes,
    strengths: text('strengths'),
    difficulties: text('difficulties'),
    proposals: text('proposals'),
  };
  if (Object.keys(errors).length > 0) return { errors };
  // The API's own schema has the last word (control characters dropped, NFC).
  const parsed = draftSchema.safeParse(candidate);
  if (!parsed.success) {
    const path = parsed.error.issues[0]!.path.join('.');
    return { errors: { form: `${t('report.errForm')} (${path})` } };
  }
  return { draft: parsed.data, errors };
}

/** The sessions of the edition's courses, for the attendance organisers record. */
function editionSessions(deps: PageDeps, edition: ReportEdition, frame: Frame) {
  const { services } = deps;
  return services.content.courses.courses
    .filter((c) => edition.courseIds.includes(c.id))
    .flatMap((c) =>
      c.sessions.map((s) => ({
        id: s.id,
        label: `${c.title[frame.locale]} – ${sessionShortLabel(s, frame.locale, services.config.timezone, services.t)}`,
      })),
    );
}

/**
 * The results report for the Ministry: download the Word report and the XLSX annex, take a
 * snapshot of the bot's figures, and type the parts only organisers know (saved as versions).
 */
export function reportPages(scope: FastifyInstance, deps: PageDeps): void {
  const { services, context } = deps;
  const report = reportService(services);
  const tr = (frame: Frame, key: string) => services.t(frame.locale, `report:${key}`);

  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    notices: Notice[],
    typed?: { input: FormInput; errors: Record<string, string>; version?: number },
  ) => {
    const f = deps.frame(req, reply);
    const { t, locale } = f;
    const edition = report.edition()!;
    const edit = can(req.adminActor!.role, 'content');
    const view: DraftView = await report.draft(edition);
    const sessions = editionSessions(deps, edition, f);
    const values =
      typed?.input ??
      formValues(
        view.draft,
        sessions.map((s) => s.id),
      );
    const errors = typed?.errors ?? {};
    const loaded = (await loadReport(report, services, edition, { lang: locale }))!;
    const { snapshot } = loaded;
    const tz = services.config.timezone;

    const invalid = (name: string) =>
      errors[fieldId(name)]
        ? html` aria-invalid="true" aria-describedby="err-${fieldId(name)}"`
        : '';
    const number = (name: string, label: string) =>
      html`<div class="field">
        <label for="${fieldId(name)}">${label}</label>
        <input
          id="${fieldId(name)}"
          name="${name}"
          inputmode="numeric"
          value="${values[name] ?? ''}"
          ${invalid(name)}
        />
        ${fieldError(errors, fieldId(name))}
      </div>`;
    const area = (name: string, label: string, rows = 3, hint?: string) =>
      html`<div class="field wide">
        <label for="${fieldId(name)}">${label}</label>
        ${hint ? html`<span class="muted hint">${hint}</span>` : ''}
        <textarea id="${fieldId(name)}" name="${name}" rows="${rows}" ${invalid(name)}>
${values[name] ?? ''}</textarea>
        ${fieldError(errors, fieldId(name))}
      </div>`;
    const line = (name: string, label: string, hint?: string) =>
      html`<div class="field wide">
        <label for="${fieldId(name)}">${label}</label>
        ${hint ? html`<span class="muted hint">${hint}</span>` : ''}
        <input
          id="${fieldId(name)}"
          name="${name}"
          value="${values[name] ?? ''}"
          ${invalid(name)}
        />
        ${fieldError(errors, fieldId(name))}
      </div>`;

    const parts: Part[] = PART_FIGURES.map(
      ({ part, group, keys }, i) =>
        html`<fieldset class="report-part" id="part-${part}">
          <legend>${i + 1}. ${tr(f, `part.${part}`)}</legend>
          <div class="fields">
            ${keys.map((k) => number(`c.${group}.${k}`, tr(f, `draft.${group}.${k}`)))}
            ${
              part === 'safe-internet'
                ? AUDIENCES.map((a) =>
                    number(
                      `c.safeInternet.participants.${a}`,
                      `${tr(f, 'draft.safeInternet.participants')}: ${services.t(locale, `registration:audience.${a}`)}`,
                    ),
                  )
                : ''
            }
          </div>
          ${
            part === 'safe-internet' && sessions.length > 0
              ? html`<details${sessions.some((s) => errors[fieldId(`att.${s.id}`)]) ? ' open' : ''}>
                  <summary>${tr(f, 'draft.attendance.title')}</summary>
                  <div class="fields">${sessions.map((s) => number(`att.${s.id}`, s.label))}</div>
                </details>`
              : ''
          }
          ${area(`note.${NOTE_OF[part]}`, t('report.notes'), 2)}
        </fieldset>`,
    );

    const downloads = (lang: 'vi' | 'en') => ({
      docx: `/admin/report/download?format=docx&lang=${lang}`,
      xlsx: `/admin/report/download?format=xlsx&lang=${lang}`,
    });
    const vi = downloads('vi');
    const en = downloads('en');
    const body = html`<p class="muted">
        ${t('report.intro', { deadline: showDay(edition.reportDeadline) })}
      </p>
      <section class="card report-actions" aria-labelledby="report-files">
        <h2 id="report-files">${edition.name[locale]}</h2>
        <p id="snapshot-status">
          ${
            snapshot
              ? t('report.snapshotAt', {
                  id: snapshot.id,
                  at: when(snapshot.takenAt, locale, tz),
                  by: snapshot.takenBy,
                })
              : t('report.snapshotNone')
          }
        </p>
        ${(snapshot?.data.warnings ?? []).map((w) => html`<p class="notice error">${w.message[locale]}</p>`)}
        <div class="buttons-row">
          <a class="button primary" id="download-docx" href="${vi.docx}" download
            >${t('report.downloadDocx')}</a
          >
          <a class="button primary" id="download-xlsx" href="${vi.xlsx}" download
            >${t('report.downloadXlsx')}</a
          >
          <a
            class="button"
            id="print-view"
            href="/admin/report/view?lang=${locale}"
            target="_blank"
            rel="noopener"
            >${t('report.view')}</a
          >
        </div>
        <p class="muted">
          ${t('report.english')} <a href="${en.docx}" download>DOCX</a> ·
          <a href="${en.xlsx}" download>XLSX</a>
        </p>
        ${
          edit
            ? html`<form method="post" action="/admin/report/snapshot" class="inline">
                ${csrfField(f)}<button id="snapshot-button">${t('report.snapshot')}</button>
                <span class="muted">${t('report.snapshotHelp')}</span>
              </form>`
            : ''
        }
      </section>
      <h2>${t('report.form')}</h2>
      <p class="muted" id="draft-version">
        ${
          view.version > 0
            ? t('report.version', {
                version: view.version,
                at: when(view.savedAt, locale, tz),
                by: view.savedBy ?? '—',
              })
            : t('report.versionNone')
        }
      </p>
      ${edit ? '' : html`<p class="notice ok">${t('report.readOnly')}</p>`}
      ${errors.form ? html`<p class="notice error" role="alert">${errors.form}</p>` : ''}
      <form method="post" action="/admin/report/draft" id="draft-form" novalidate>
        ${csrfField(f)}
        <input type="hidden" name="version" value="${typed?.version ?? view.version}" />
        <fieldset class="report-part" ${edit ? '' : html` disabled`}>
          <legend>${t('report.heading')}</legend>
          <div class="fields">
            ${line('province', t('report.province'), t('report.provinceHint'))}
            ${line('department', t('report.department'), t('report.departmentHint', { name: edition.department[locale] }))}
          </div>
          ${area('direction', tr(f, 'doc.direction'), 4, t('report.directionHint'))}
        </fieldset>
        <fieldset class="report-parts" ${edit ? '' : html` disabled`}>
          <legend>${tr(f, 'doc.results')}</legend>
          ${parts}
        </fieldset>
        <fieldset class="report-part" ${edit ? '' : html` disabled`}>
          <legend>${tr(f, 'doc.assessment')}</legend>
          ${area('strengths', tr(f, 'doc.strengths'), 4)}
          ${area('difficulties', tr(f, 'doc.difficulties'), 4)}
        </fieldset>
        <fieldset class="report-part" ${edit ? '' : html` disabled`}>
          <legend>${tr(f, 'doc.proposals')}</legend>
          ${area('proposals', tr(f, 'doc.proposals'), 4)}
        </fieldset>
        ${edit ? html`<button class="primary" id="save-draft">${t('report.save')}</button>` : ''}
      </form>
      <h2 id="preview-title">${t('report.preview')}</h2>
      <p class="muted">${t('report.previewHelp')}</p>
      <article
        class="report-preview"
        id="report-preview"
        lang="${locale}"
        aria-labelledby="preview-title"
      >
        ${new Safe(renderHtmlBody(loaded.doc, 1))}
      </article>`;
    return deps.page(reply, f, t('report.title'), body, notices);
  };

  scope.get('/admin/report', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    const { t } = deps.frame(req, reply);
    const q = req.query as { saved?: string; snapshot?: string };
    const notices: Notice[] = [];
    if (q.saved) notices.push({ kind: 'ok', text: t('report.saved', { version: q.saved }) });
    if (q.snapshot)
      notices.push({ kind: 'ok', text: t('report.snapshotTaken', { id: q.snapshot }) });
    return show(req, reply, notices);
  });

  scope.post('/admin/report/draft', { bodyLimit: FORM_LIMIT }, async (req, reply) => {
    if (!deps.allow(req, reply, 'content')) return reply;
    const f = deps.frame(req, reply);
    const { t } = f;
    const edition = report.edition()!;
    const input = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : '',
      ]),
    );
    const version = Number(input.version);
    const current = await report.draft(edition);
    const sessions = editionSessions(deps, edition, f).map((s) => s.id);
    const result = draftFromForm(input, current.draft, sessions, t);
    if (!('draft' in result) || !Number.isSafeInteger(version) || version < 0)
      return show(req, reply.code(400), [{ kind: 'error', text: t('report.errForm') }], {
        input,
        errors: result.errors,
      });
    const saved = await report.saveDraft(edition, version, result.draft, req.adminActor!.name);
    if (!saved) {
      const now = await report.draft(edition);
      return show(
        req,
        reply.code(409),
        [
          {
            kind: 'error',
            text: t('report.conflict', { version: now.version, by: now.savedBy ?? '—' }),
          },
        ],
        { input, errors: {}, version: now.version },
      );
    }
    await context.accounts.audit(req.adminActor!, 'report.draft', { version: saved.version });
    return reply.redirect(`/admin/report?saved=${saved.version}`, 303);
  });

  scope.post('/admin/report/snapshot', async (req, reply) => {
    if (!deps.allow(req, reply, 'content')) return reply;
    const snapshot = await report.takeSnapshot(report.edition()!, req.adminActor!.name);
    await context.accounts.audit(req.adminActor!, 'report.snapshot', { snapshot: snapshot.id });
    return reply.redirect(`/admin/report?snapshot=${snapshot.id}`, 303);
  });

  const file = async (req: FastifyRequest, reply: FastifyReply, format: ReportFormat) => {
    const q = req.query as { lang?: string };
    const lang = q.lang === 'en' ? 'en' : 'vi';
    const edition = report.edition()!;
    const { doc, snapshot } = (await loadReport(report, services, edition, { lang }))!;
    reply
      .header('x-report-snapshot', snapshot ? String(snapshot.id) : 'none')
      .header('x-report-warnings', reportWarnings(snapshot))
      .type(REPORT_TYPES[format]);
    if (format === 'html')
      reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    else
      reply.header(
        'content-disposition',
        `attachment; filename="${reportFileName(edition, format)}"`,
      );
    return reply.send(await renderReport(doc, format));
  };

  scope.get('/admin/report/download', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    const format = (req.query as { format?: string }).format;
    if (format !== 'docx' && format !== 'xlsx') {
      const f = deps.frame(req, reply);
      reply.code(400);
      return deps.page(
        reply,
        f,
        f.t('report.errFormat'),
        html`<p><a href="/admin/report">${f.t('back')}</a></p>`,
      );
    }
    return file(req, reply, format);
  });

  scope.get('/admin/report/view', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    return file(req, reply, 'html');
  });
}
