import type { FastifyInstance } from 'fastify';
import { sessionShortLabel } from '../../registration/describe.js';
import { html } from '../html.js';
import type { PageDeps } from '../plugin.js';

/** The current edition's organiser data (events, courses and sessions with capacity), read-only. */
export function contentPages(scope: FastifyInstance, deps: PageDeps): void {
  const { services } = deps;
  scope.get('/admin/content', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    const f = deps.frame(req, reply);
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
                    <td>${seats.get(s.id)?.taken ?? 0}/${s.capacity}</td>
                  </tr>`,
              ),
            )}
          </tbody>
        </table>
      </div>`;
    return deps.page(reply, f, t('content.title'), body);
  });
}
