import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../html.js';
import { channelName, translateIfKnown } from '../i18n.js';
import { csrfField, fieldError, when, type Notice } from '../layout.js';
import type { PageDeps } from '../plugin.js';
import { can } from '../roles.js';

const PAGE_SIZE = 20;

/** Unanswered questions: answer the person, or add the question to an FAQ entry. */
export function questionPages(scope: FastifyInstance, deps: PageDeps): void {
  const { services, context } = deps;

  const list = async (
    req: FastifyRequest,
    reply: FastifyReply,
    notices: Notice[],
    errors: Record<string, string> = {},
    kept: Record<string, string> = {},
  ) => {
    const f = deps.frame(req, reply);
    const { t, locale } = f;
    const q = req.query as { all?: string; page?: string };
    const page = Math.max(1, Number(q.page ?? 1) || 1);
    const open = q.all !== '1';
    const { items, total } = await context.ops.questions({
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      open,
    });
    const role = req.adminActor!.role;
    const entries = context.faq.entries();
    const windows = new Map<number, string | undefined>();
    for (const item of items) {
      if (item.resolution) continue;
      const can = await context.ops.canAnswer(item.id);
      windows.set(
        item.id,
        can.ok
          ? undefined
          : 'window' in can
            ? t(`why.${can.window}`)
            : t(`why.${can.reason === 'no-contact' ? 'no-contact' : 'channel-off'}`),
      );
    }
    const body = html`<p class="filters-inline">
        <a href="/admin/questions" ${open ? html` aria-current="page"` : ''}>${t('q.open')}</a> ·
        <a href="/admin/questions?all=1" ${!open ? html` aria-current="page"` : ''}
          >${t('q.allItems')}</a
        >
      </p>
      <p class="muted">
        ${t('pageOf', { page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), total })}
      </p>
      <ul class="cards questions">
        ${items.map((item) => {
          const why = windows.get(item.id);
          const key = (k: string) => `${item.id}.${k}`;
          return html`<li class="card" id="q-${item.id}">
            <p class="question">“${item.text}”</p>
            <p class="muted">
              ${channelName(locale, item.channel)} · ${t('q.asked')}
              ${when(item.askedAt, locale, services.config.timezone)}${item.resolution ? html` · <b>${t(`q.resolved.${item.resolution as 'answered'}`)}</b> (${item.resolvedBy})` : ''}
            </p>
            ${!item.resolution && can(role, 'answer') ? (why ? html`<p class="muted">${t('q.cannotAnswer', { reason: why })}</p>` : html`<form method="post" action="/admin/questions/${item.id}/answer" class="once">${csrfField(f)}<label for="answer-${item.id}">${t('q.answer')}</label><textarea id="answer-${item.id}" name="text" rows="2" maxlength="4000">${kept[key('text')] ?? ''}</textarea>${fieldError(errors, key('text'))}<button class="primary">${t('q.sendAnswer')}</button></form>`) : ''}
            ${
              !item.resolution && can(role, 'faq')
                ? html`<form
                      method="post"
                      action="/admin/questions/${item.id}/variant"
                      class="variant"
                    >
                      ${csrfField(f)}
                      <p class="muted">${t('q.addVariant')}</p>
                      <label for="entry-${item.id}">${t('q.entry')}</label
                      ><select id="entry-${item.id}" name="entry">
                        ${entries.map((e) => html`<option value="${e.id}" ${kept[key('entry')] === e.id ? html` selected` : ''}>${e.title[locale]} (${e.id})</option>`)}
                      </select>
                      <label for="lang-${item.id}">${t('q.lang')}</label
                      ><select name="lang" id="lang-${item.id}">
                        <option value="vi">Tiếng Việt</option>
                        <option value="en" ${kept[key('lang')] === 'en' ? html` selected` : ''}>
                          English
                        </option>
                      </select>
                      <label for="question-${item.id}">${t('q.question')}</label>
                      <input
                        id="question-${item.id}"
                        name="question"
                        value="${kept[key('question')] ?? item.text}"
                      />${fieldError(errors, key('question'))}
                      <input
                        type="hidden"
                        name="versions"
                        value="${entries.map((e) => `${e.id}:${context.faq.version(e.id)}`).join(',')}"
                      />
                      <button>${t('q.addToFaq')}</button>
                    </form>
                    <form method="post" action="/admin/questions/${item.id}/dismiss" class="inline">
                      ${csrfField(f)}<button class="link">${t('q.dismiss')}</button>
                    </form>`
                : ''
            }
          </li>`;
        })}
      </ul>
      ${items.length === 0 ? html`<p>${t('none')}</p>` : ''}
      ${page * PAGE_SIZE < total ? html`<nav class="pager"><a href="/admin/questions?page=${page + 1}${open ? '' : '&all=1'}">${t('next')}</a></nav>` : ''}`;
    const changes = await context.faq.history(undefined, 10);
    const history = html`<h2>${t('q.history')}</h2>
      ${changes.length === 0 ? html`<p>${t('none')}</p>` : ''}
      <div class="table-wrap">
        <table class="rows" id="faq-history">
          <tbody>
            ${changes.map(
              (c) =>
                html`<tr>
                  <td>${when(c.at, locale, services.config.timezone)}</td>
                  <td>${c.actor}</td>
                  <td>${c.entry.title[locale]} (v${c.version})</td>
                  <td>${translateIfKnown(locale, `faqAction.${c.action}`) ?? c.action}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
    return deps.page(reply, f, t('q.title'), html`${body}${history}`, notices);
  };

  const idOf = (raw: string) => (/^\d{1,15}$/.test(raw) ? Number(raw) : 0);

  scope.get('/admin/questions', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    const t = deps.frame(req, reply).t;
    const n = (req.query as { notice?: string; entry?: string }).notice;
    const entry = (req.query as { entry?: string }).entry ?? '';
    const notices: Notice[] =
      n === 'answered'
        ? [{ kind: 'ok', text: t('q.answered') }]
        : n === 'added'
          ? [{ kind: 'ok', text: t('q.added', { entry }) }]
          : n === 'already'
            ? [{ kind: 'error', text: t('q.already') }]
            : [];
    return list(req, reply, notices);
  });

  scope.post<{ Params: { id: string } }>('/admin/questions/:id/answer', async (req, reply) => {
    if (!deps.allow(req, reply, 'answer')) return reply;
    const t = deps.frame(req, reply).t;
    const id = idOf(req.params.id);
    const text = String((req.body as { text?: string }).text ?? '').trim();
    if (!text || [...text].length > 2000)
      return list(
        req,
        reply.code(400),
        [{ kind: 'error', text: t('q.errAnswer') }],
        { [`${id}.text`]: t('q.errAnswer') },
        { [`${id}.text`]: text },
      );
    const outcome = await context.ops.answer(id, text, req.adminActor!);
    if (outcome.ok) return reply.redirect('/admin/questions?notice=answered', 303);
    if (outcome.reason === 'already') return reply.redirect('/admin/questions?notice=already', 303);
    const message =
      outcome.reason === 'send-failed'
        ? t('q.sendFailed', { code: outcome.code })
        : outcome.reason === 'window'
          ? t('q.cannotAnswer', { reason: t(`why.${outcome.window}`) })
          : t('error.notFound');
    return list(
      req,
      reply.code(409),
      [{ kind: 'error', text: message }],
      { [`${id}.text`]: message },
      { [`${id}.text`]: text },
    );
  });

  scope.post<{ Params: { id: string } }>('/admin/questions/:id/variant', async (req, reply) => {
    if (!deps.allow(req, reply, 'faq')) return reply;
    const t = deps.frame(req, reply).t;
    const id = idOf(req.params.id);
    const body = req.body as {
      entry?: string;
      lang?: string;
      question?: string;
      versions?: string;
    };
    const entry = String(body.entry ?? '');
    const lang = body.lang === 'en' ? 'en' : 'vi';
    const question = String(body.question ?? '');
    const versions = new Map(
      String(body.versions ?? '')
        .split(',')
        .map((p) => [p.split(':')[0] ?? '', Number(p.split(':')[1] ?? 0)]),
    );
    const kept = { [`${id}.entry`]: entry, [`${id}.lang`]: lang, [`${id}.question`]: question };
    const result = await context.faq.addVariant(
      entry,
      lang,
      question,
      req.adminActor!.name,
      versions.get(entry) ?? 0,
    );
    if (result.ok) {
      await context.accounts.audit(req.adminActor!, 'faq.add-variant', {
        entry,
        version: result.version,
        question: id,
      });
      await context.ops.resolve(id, 'faq', req.adminActor!);
      const title =
        context.faq.entries().find((e) => e.id === entry)?.title[deps.frame(req, reply).locale] ??
        entry;
      return reply.redirect(
        `/admin/questions?notice=added&entry=${encodeURIComponent(title)}`,
        303,
      );
    }
    const message =
      result.kind === 'conflict'
        ? t('q.conflict', { current: result.current })
        : result.kind === 'invalid'
          ? result.message === 'duplicate'
            ? t('q.duplicate')
            : t('q.invalid')
          : t('error.notFound');
    return list(
      req,
      reply.code(result.kind === 'conflict' ? 409 : 400),
      [{ kind: 'error', text: message }],
      { [`${id}.question`]: message },
      kept,
    );
  });

  scope.post<{ Params: { id: string } }>('/admin/questions/:id/dismiss', async (req, reply) => {
    if (!deps.allow(req, reply, 'faq')) return reply;
    const id = idOf(req.params.id);
    if (await context.ops.resolve(id, 'dismissed', req.adminActor!))
      await context.accounts.audit(req.adminActor!, 'question.dismiss', { question: id });
    return reply.redirect('/admin/questions', 303);
  });
}
