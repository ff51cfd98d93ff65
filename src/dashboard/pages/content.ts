import type { FastifyInstance } from 'fastify';
import { sessionShortLabel } from '../../registration/describe.js';
import { html } from '../html.js';
import { csrfField, fieldError, type Notice } from '../layout.js';
import type { PageDeps } from '../plugin.js';
import { can } from '../roles.js';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The current edition's organiser data: events, and sessions whose seats an editor can change. */
export function contentPages(scope: FastifyInstance, deps: PageDeps): void {
  const { services, context } = deps;
  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    notices: Notice[],
    errors: Record<string, string> = {},
  ) => {
    const f = deps.frame(req, reply);
    const edit = can(req.adminActor!.role, 'content');
    const { t, locale } = f;
    const seats = await services.registration.repo.allSeats();
    const { content } = services;
    const body = html`<p class="muted">${t('content.note')}</p>
      <h2>${content.edition.name[locale]}</h2>
      <ul class="cards">
        ${content.events.map((e) => html`<li class="card"><b>${e.date}${e.time ? ` ${e.time}` : ''}</b> · ${e.title[locale]}</li>`)}
      </ul>
      <h2>${t('reg.course')}</h2>
      <div class="table-wrap">
        <table class="rows">
          <thead>
            <tr>
              <th>${t('reg.course')}</th>
              <th>${t('reg.session')}</th>
              <th>${t('content.capacity')}</th>
            </tr>
          </thead>
          <tbody>
            ${content.courses.courses.flatMap((c) =>
              c.sessions.map(
                (s) =>
                  html`<tr>
                    <td>${c.title[locale]}</td>
                    <td>${sessionShortLabel(s, locale, services.config.timezone, services.t)}</td>
                    <td>
                      ${seats.get(s.id)?.taken ?? 0}/${s.capacity}
                      ${
                        edit
                          ? html`<form
                              method="post"
                              action="/admin/content/sessions/${s.id}"
                              class="capacity"
                            >
                              ${csrfField(f)}<input
                                type="hidden"
                                name="expected"
                                value="${s.capacity}"
                              />
                              <label for="cap-${s.id}">${t('content.capacity')}</label>
                              <input
                                id="cap-${s.id}"
                                name="capacity"
                                inputmode="numeric"
                                value="${s.capacity}"
                              />
                              ${fieldError(errors, s.id)}<button class="small">${t('save')}</button>
                            </form>`
                          : ''
                      }
                    </td>
                  </tr>`,
              ),
            )}
          </tbody>
        </table>
      </div>`;
    return deps.page(reply, f, t('content.title'), body, notices);
  };

  scope.get('/admin/content', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    const saved = (req.query as { saved?: string }).saved;
    const t = deps.frame(req, reply).t;
    return show(
      req,
      reply,
      saved ? [{ kind: 'ok', text: t('content.saved', { session: saved }) }] : [],
    );
  });

  scope.post<{ Params: { id: string } }>('/admin/content/sessions/:id', async (req, reply) => {
    if (!deps.allow(req, reply, 'content')) return reply;
    const t = deps.frame(req, reply).t;
    const body = req.body as { capacity?: string; expected?: string };
    const raw = String(body.capacity ?? '').trim();
    const capacity = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
    const id = req.params.id;
    if (!(capacity >= 1 && capacity <= 100_000))
      return show(req, reply.code(400), [{ kind: 'error', text: t('content.errCapacity') }], {
        [id]: t('content.errCapacity'),
      });
    const result = await context.capacities.set(id, capacity, Number(body.expected));
    if (result.ok) {
      await context.accounts.audit(req.adminActor!, 'content.capacity', { session: id, capacity });
      return reply.redirect(`/admin/content?saved=${encodeURIComponent(id)}`, 303);
    }
    const message =
      result.kind === 'conflict'
        ? t('content.conflict', { current: result.current })
        : result.kind === 'invalid'
          ? t('content.errCapacity')
          : t('error.notFound');
    return show(
      req,
      reply.code(result.kind === 'conflict' ? 409 : 400),
      [{ kind: 'error', text: message }],
      { [id]: message },
    );
  });
}
