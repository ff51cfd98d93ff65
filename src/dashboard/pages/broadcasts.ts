import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TOPICS, type Topic } from '../../broadcast/topics.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../broadcast/model.js';
import type { Plan } from '../../broadcast/planner.js';
import { BroadcastStateError, NotFoundError } from '../../broadcast/service.js';
import { InvalidInputError } from '../../core/errors.js';
import type { Locale } from '../../core/events.js';
import { ApprovalNeededError } from '../desk.js';
import { BUTTONS, parseComposeForm, previewMessage, type ComposeForm } from '../compose.js';
import { html, type Part } from '../html.js';
import { channelName, reasonText, type T } from '../i18n.js';
import { csrfField, fieldError, when, type Frame, type Notice } from '../layout.js';
import type { PageDeps } from '../plugin.js';
import { previewHtml } from '../preview.js';
import { can } from '../roles.js';

const CHANNELS = ['zalo', 'messenger', 'viber', 'simulator'] as const;

function planTable(plan: Plan, t: T, locale: Locale): Part {
  const rows = Object.entries(plan.byChannel);
  return html`<div class="table-wrap">
    <table class="plan" id="plan">
      <thead>
        <tr>
          <th>${t('reg.channel')}</th>
          <th>${t('bc.free')}</th>
          <th>${t('bc.billed')}</th>
          <th>${t('bc.notEligible')}</th>
          <th>${t('bc.reasons')}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          ([channel, p]) =>
            html`<tr data-channel="${channel}">
              <td>${channelName(locale, channel)}</td>
              <td class="free">${p.eligibleFree}</td>
              <td class="billed">${p.eligibleBilled}</td>
              <td class="not">${p.notEligible}</td>
              <td>
                ${Object.entries(p.reasons)
                  .map(([r, n]) => `${reasonText(locale, r)}: ${n}`)
                  .join('; ')}
              </td>
            </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <th>${t('bc.total')}: ${plan.total}</th>
          <th>${plan.eligible - plan.billed}</th>
          <th>${plan.billed}</th>
          <th>${plan.notEligible}</th>
          <th></th>
        </tr>
      </tfoot>
    </table>
  </div>`;
}

function checkboxes(
  name: string,
  values: readonly string[],
  chosen: string[],
  label: (v: string) => string,
): Part {
  return values.map(
    (v) =>
      html`<label class="check"
        ><input
          type="checkbox"
          name="${name}"
          value="${v}"
          ${chosen.includes(v) ? html` checked` : ''}
        />
        ${label(v)}</label
      >`,
  );
}

const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];

/** Announcements: compose with live preview, plan, approve, send, progress, cancel, retry. */
export function broadcastPages(scope: FastifyInstance, deps: PageDeps): void {
  const { services, context } = deps;
  const previewOptions = {
    zaloButtons: services.config.zalo?.buttons ?? true,
    viberName: services.config.viber?.botName ?? 'Tuần lễ học tập',
  };
  const quiet = (t: T) => {
    const q = services.config.broadcast.quietHours;
    if (!q) return t('bc.quietOff');
    const hm = (m: number) =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    return t('bc.quiet', { quiet: `${hm(q.startMinute)}–${hm(q.endMinute)}` });
  };

  const composePage = (
    req: FastifyRequest,
    reply: FastifyReply,
    form: ComposeForm,
    errors: Record<string, string>,
  ) => {
    const f = deps.frame(req, reply);
    const { t, locale } = f;
    const courses = services.content.courses.courses;
    const body = html`<form
        method="post"
        action="/admin/broadcasts"
        class="compose card"
        id="compose"
        novalidate
      >
        ${csrfField(f)}
        <label for="text_vi">${t('bc.textVi')}</label>
        <textarea
          id="text_vi"
          name="text_vi"
          rows="5"
          maxlength="4000"
          ${errors.text_vi ? html` aria-invalid="true"` : ''}
        >
${String(form.text_vi ?? '')}</textarea
        >${fieldError(errors, 'text_vi')}
        <label for="text_en">${t('bc.textEn')}</label>
        <textarea id="text_en" name="text_en" rows="3" maxlength="4000">
${String(form.text_en ?? '')}</textarea
        >${fieldError(errors, 'text_en')}
        <label for="button">${t('bc.button')}</label>
        <select id="button" name="button">
          <option value="">${t('bc.noButton')}</option>
          ${Object.entries(BUTTONS).map(([p, title]) => html`<option value="${p}" ${form.button === p ? html` selected` : ''}>${title[locale]}</option>`)}
        </select>
        <fieldset>
          <legend>${t('bc.segment')}</legend>
          ${fieldError(errors, 'segment')}
          <p>
            ${t('bc.channels')}:
            ${checkboxes(
              'channels',
              CHANNELS.filter((c) => services.channels.has(c)),
              asList(form.channels),
              (c) => c,
            )}
          </p>
          <p>
            ${t('bc.topics')}:
            ${checkboxes('topics', TOPICS, asList(form.topics), (v) => t(`topic.${v as Topic}`))}
          </p>
          <p>
            ${t('bc.languages')}:
            ${checkboxes('languages', ['vi', 'en'], asList(form.languages), (v) => (v === 'vi' ? 'Tiếng Việt' : 'English'))}
          </p>
          <label for="provinces">${t('bc.provinces')}</label
          ><input id="provinces" name="provinces" value="${String(form.provinces ?? '')}" />
          <label for="course">${t('bc.registeredFor')}</label
          ><select id="course" name="course">
            <option value="">${t('bc.anyone')}</option>
            ${courses.map((c) => html`<option value="${c.id}" ${form.course === c.id ? html` selected` : ''}>${c.title[locale]}</option>`)}
          </select>
        </fieldset>
        <label for="scheduleAt">${t('bc.scheduleAt')}</label
        ><input
          type="datetime-local"
          id="scheduleAt"
          name="scheduleAt"
          value="${String(form.scheduleAt ?? '')}"
        />${fieldError(errors, 'scheduleAt')}
        <p class="muted" id="quiet">${quiet(t)}</p>
        <button class="primary" id="plan-button">${t('bc.plan')}</button>
      </form>
      <h2>${t('bc.preview')}</h2>
      <div id="preview" data-src="/admin/broadcasts/preview">
        ${previewHtml(previewMessage(form, 'vi'), t, previewOptions)}
      </div>`;
    return deps.page(
      reply,
      f,
      t('bc.compose'),
      body,
      Object.keys(errors).length ? [{ kind: 'error', text: Object.values(errors)[0]! }] : [],
    );
  };

  scope.get('/admin/broadcasts', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    const f = deps.frame(req, reply);
    const { t, locale } = f;
    const list = await services.broadcasts.list(50);
    const body = html`${can(req.adminActor!.role, 'compose') ? html`<p><a class="button primary" href="/admin/broadcasts/new" id="new-broadcast">${t('bc.new')}</a></p>` : ''}
      <div class="table-wrap">
        <table class="rows">
          <thead>
            <tr>
              <th>#</th>
              <th>${t('bc.status')}</th>
              <th>${t('bc.textVi')}</th>
              <th>${t('d.sent')}</th>
              <th>${t('d.failed')}</th>
              <th>${t('bc.startsAt')}</th>
            </tr>
          </thead>
          <tbody>
            ${list.map(
              (b) =>
                html`<tr>
                  <td><a href="/admin/broadcasts/${b.id}">#${b.id}</a></td>
                  <td>${t(`st.${b.status}`)}</td>
                  <td class="clip">${b.message.vi}</td>
                  <td>${b.counts.sent}/${b.counts.total}</td>
                  <td>${b.counts.failed}</td>
                  <td>${when(Date.parse(b.scheduleAt), locale, services.config.timezone)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${list.length === 0 ? html`<p>${t('none')}</p>` : ''}`;
    return deps.page(reply, f, t('bc.title'), body);
  });

  scope.get('/admin/broadcasts/new', async (req, reply) => {
    if (!deps.allow(req, reply, 'compose')) return reply;
    return composePage(req, reply, {}, {});
  });

  scope.post('/admin/broadcasts/preview', async (req, reply) => {
    if (!deps.allow(req, reply, 'compose')) return reply;
    const f = deps.frame(req, reply);
    const form = (req.body ?? {}) as ComposeForm;
    const lang = form.lang === 'en' ? 'en' : 'vi';
    return reply
      .type('text/html; charset=utf-8')
      .send(previewHtml(previewMessage(form, lang), f.t, previewOptions).value);
  });

  scope.post('/admin/broadcasts', async (req, reply) => {
    if (!deps.allow(req, reply, 'compose')) return reply;
    const f = deps.frame(req, reply);
    const form = (req.body ?? {}) as ComposeForm;
    const parsed = parseComposeForm(form, f.t, services.config.timezone);
    if (!parsed.ok) return composePage(req, reply.code(400), form, parsed.errors);
    try {
      const { broadcast } = await context.desk.create(parsed.input, req.adminActor!);
      return reply.redirect(`/admin/broadcasts/${broadcast.id}`, 303);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const field = error.message.startsWith('scheduleAt') ? 'scheduleAt' : 'segment';
      const text =
        field === 'scheduleAt'
          ? f.t('bc.errSchedule')
          : f.t('bc.errSegment', { message: error.message });
      return composePage(req, reply.code(400), form, { [field]: text });
    }
  });

  const detail = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    notices: Notice[],
  ) => {
    const f: Frame = deps.frame(req, reply);
    const { t, locale } = f;
    const report = await services.broadcasts.report(id);
    if (!report) return deps.page(reply.code(404), f, t('error.notFound'), '');
    const approval = await context.approvals.get(id);
    const role = req.adminActor!.role;
    const status = (req.query as { status?: string }).status;
    const filter = DELIVERY_STATUSES.includes(status as DeliveryStatus)
      ? (status as DeliveryStatus)
      : undefined;
    const recipients = await services.broadcasts.deliveries.recipients(id, {
      ...(filter ? { status: filter } : {}),
      limit: 100,
      offset: 0,
    });
    const approvalNeeded = context.desk.approvalRequired && !approval?.approvedBy;
    const mine = approval?.requestedBy === req.adminActor!.name;
    const action = (path: string, label: string, cls = '') =>
      html`<form method="post" action="/admin/broadcasts/${id}/${path}" class="inline once">
        ${csrfField(f)}<button class="${cls}" id="${path}-button">${label}</button>
      </form>`;
    const buttons: Part[] = [];
    if (report.status === 'draft') {
      if (approvalNeeded) {
        if (can(role, 'approve') && !mine)
          buttons.push(action('approve', t('bc.approve'), 'primary'));
        else buttons.push(html`<p class="notice">${t('bc.needsApproval')}</p>`);
      } else if (can(role, 'send')) buttons.push(action('send', t('bc.send'), 'primary'));
    }
    if (['draft', 'scheduled', 'sending'].includes(report.status) && can(role, 'send'))
      buttons.push(action('cancel', t('bc.cancel'), 'danger'));
    if (
      ['done', 'sending'].includes(report.status) &&
      report.counts.failed > 0 &&
      can(role, 'send')
    )
      buttons.push(action('retry', t('bc.retry')));
    const counts = [
      'total',
      'pending',
      'sent',
      'delivered',
      'read',
      'failed',
      'skipped',
      'unknown',
    ] as const;
    const live = ['scheduled', 'sending'].includes(report.status);
    const body = html`<section
        class="card"
        id="progress"
        data-status="${report.status}"
        ${live ? html` data-poll="/admin/broadcasts/${id}/progress"` : ''}
      >
        <p>
          <b>${t('bc.status')}:</b> <span id="status">${t(`st.${report.status}`)}</span> ·
          ${t('bc.startsAt')}:
          ${when(Date.parse(report.scheduleAt), locale, services.config.timezone)}
        </p>
        ${approval ? html`<p class="muted">${t('bc.createdBy', { name: approval.requestedBy })}${approval.approvedBy ? html` · ${t('bc.approvedBy', { name: approval.approvedBy })}` : ''}</p>` : ''}
        <h2>${t('bc.progress')}</h2>
        <progress
          id="bar"
          max="${Math.max(1, report.counts.total)}"
          value="${report.counts.sent + report.counts.failed + report.counts.skipped + report.counts.unknown}"
        ></progress>
        <dl class="counts">
          ${counts.map(
            (c) =>
              html`<div>
                <dt>${c === 'total' ? t('bc.total') : t(`d.${c}`)}</dt>
                <dd data-count="${c}">${report.counts[c]}</dd>
              </div>`,
          )}
        </dl>
        <p class="muted">${quiet(t)}</p>
        <div class="actions">${buttons}</div>
      </section>
      ${
        report.plan
          ? html`<h2>${t('bc.planTitle')}</h2>
              ${planTable(report.plan, t, locale)}`
          : ''
      }
      <h2>${t('bc.preview')}</h2>
      ${previewHtml(previewMessage({ text_vi: report.message.vi, ...(report.button ? { button: report.button.payload } : {}) }, 'vi'), t, previewOptions)}
      ${
        report.message.en
          ? html`<details>
              <summary>English</summary>
              ${previewHtml(previewMessage({ text_en: report.message.en, ...(report.button ? { button: report.button.payload } : {}) }, 'en'), t, previewOptions)}
            </details>`
          : ''
      }
      <h2>${t('bc.recipients')}</h2>
      <p class="filters-inline">
        <a href="/admin/broadcasts/${id}">${t('all')}</a
        >${DELIVERY_STATUSES.map((s) => html` · <a href="/admin/broadcasts/${id}?status=${s}">${t(`d.${s}`)}</a>`)}
      </p>
      <div class="table-wrap">
        <table class="rows" id="recipients">
          <thead>
            <tr>
              <th>${t('reg.channel')}</th>
              <th>ID</th>
              <th>${t('bc.status')}</th>
              <th>${t('bc.reasons')}</th>
              <th>${t('d.delivered')}</th>
            </tr>
          </thead>
          <tbody>
            ${recipients.map(
              (r) =>
                html`<tr>
                  <td>${channelName(locale, r.channel)}</td>
                  <td class="mono">
                    ${r.userId.length > 12 ? `${r.userId.slice(0, 4)}…${r.userId.slice(-4)}` : r.userId}
                  </td>
                  <td>${t(`d.${r.status}`)}</td>
                  <td>${r.reason ? reasonText(locale, r.reason) : ''}</td>
                  <td>${r.receipt ?? ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${recipients.length === 0 ? html`<p>${t('none')}</p>` : ''}`;
    return deps.page(reply, f, `${t('bc.title')} #${id}`, body, notices);
  };

  const idOf = (raw: string) => (/^\d{1,15}$/.test(raw) ? Number(raw) : 0);

  scope.get<{ Params: { id: string } }>('/admin/broadcasts/:id', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    const f = deps.frame(req, reply);
    const notice = (req.query as { notice?: string }).notice;
    const notices: Notice[] = [];
    const known: Record<string, Notice> = {
      sent: { kind: 'ok', text: f.t('bc.sentOk') },
      cancelled: { kind: 'ok', text: f.t('bc.cancelled') },
      already: { kind: 'error', text: f.t('bc.alreadySent') },
      own: { kind: 'error', text: f.t('bc.ownApproval') },
      approved: { kind: 'error', text: f.t('bc.alreadyApproved') },
      approval: { kind: 'error', text: f.t('bc.needsApproval') },
      nofailed: { kind: 'error', text: f.t('bc.noFailed') },
    };
    if (notice && known[notice]) notices.push(known[notice]);
    const retried = (req.query as { retried?: string }).retried;
    if (retried && /^\d+$/.test(retried))
      notices.push({ kind: 'ok', text: f.t('bc.retried', { n: retried }) });
    return detail(req, reply, idOf(req.params.id), notices);
  });

  scope.get<{ Params: { id: string } }>('/admin/broadcasts/:id/progress', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    const report = await services.broadcasts.report(idOf(req.params.id));
    if (!report) return reply.code(404).send({ error: 'Not Found', message: 'No such broadcast.' });
    const t = deps.frame(req, reply).t;
    return { status: report.status, label: t(`st.${report.status}`), counts: report.counts };
  });

  const act = (
    path: 'send' | 'approve' | 'cancel' | 'retry',
    permission: 'send' | 'approve',
    work: (id: number, req: FastifyRequest) => Promise<string>,
  ) =>
    scope.post<{ Params: { id: string } }>(`/admin/broadcasts/:id/${path}`, async (req, reply) => {
      if (!deps.allow(req, reply, permission)) return reply;
      const id = idOf(req.params.id);
      let query: string;
      try {
        query = await work(id, req);
      } catch (error) {
        if (error instanceof NotFoundError) {
          const f = deps.frame(req, reply);
          return deps.page(reply.code(404), f, f.t('error.notFound'), '');
        }
        if (error instanceof ApprovalNeededError)
          query = {
            own: 'own',
            already: 'approved',
            'needs-approval': 'approval',
            unknown: 'approval',
          }[error.refusal];
        else if (error instanceof BroadcastStateError)
          query = path === 'retry' ? 'nofailed' : 'already';
        else throw error;
        query = `notice=${query}`;
      }
      return reply.redirect(`/admin/broadcasts/${id}?${query}`, 303);
    });
  act(
    'send',
    'send',
    async (id, req) => (await context.desk.send(id, req.adminActor!), 'notice=sent'),
  );
  act(
    'approve',
    'approve',
    async (id, req) => (await context.desk.approve(id, req.adminActor!), 'notice=sent'),
  );
  act(
    'cancel',
    'send',
    async (id, req) => (await context.desk.cancel(id, req.adminActor!), 'notice=cancelled'),
  );
  act(
    'retry',
    'send',
    async (id, req) => `retried=${await context.desk.retry(id, req.adminActor!)}`,
  );
}
