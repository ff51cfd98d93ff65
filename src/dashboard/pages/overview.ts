import type { FastifyInstance } from 'fastify';
import { provinceName } from '../../registration/provinces.js';
import { sessionShortLabel } from '../../registration/describe.js';
import type { Locale } from '../../core/events.js';
import { barChart, funnel, type Bar } from '../charts.js';
import { html } from '../html.js';
import { channelName, type T } from '../i18n.js';
import type { PageDeps } from '../plugin.js';
import type { Services } from '../../services.js';

const DAY = 24 * 3600_000;

async function groupCount(
  services: Services,
  column: 'province' | 'audience' | 'course_id' | 'session_id',
): Promise<Map<string, number>> {
  const rows = await services.store.db
    .selectFrom('registrations')
    .select((eb) => [column, eb.fn.countAll<number | string>().as('n')])
    .where('status', '=', 'confirmed')
    .groupBy(column)
    .execute();
  return new Map(rows.map((r) => [String(r[column as keyof typeof r]), Number(r.n)]));
}

/** Messages received per day over the last 14 days (days in the bot's time zone). */
async function perDay(services: Services, locale: Locale): Promise<Bar[]> {
  const now = services.clock.now();
  const rows = await services.store.db
    .selectFrom('inbox')
    .select(['received_at'])
    .where('kind', '=', 'message')
    .where('received_at', '>=', now - 14 * DAY)
    .execute();
  const fmt = new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: services.config.timezone,
    day: '2-digit',
    month: '2-digit',
  });
  const days = new Map<string, number>();
  for (let i = 13; i >= 0; i--) days.set(fmt.format(now - i * DAY), 0);
  for (const r of rows) {
    const key = fmt.format(Number(r.received_at));
    if (days.has(key)) days.set(key, days.get(key)! + 1);
  }
  return [...days].map(([label, value]) => ({ label, value }));
}

async function overviewBody(services: Services, t: T, locale: Locale) {
  const db = services.store.db;
  const contacts = await db
    .selectFrom('contacts')
    .select((eb) => [
      'channel',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.sum<number | string>('opted_in').as('opted'),
    ])
    .groupBy('channel')
    .execute();
  const unanswered = await db
    .selectFrom('unanswered_questions')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const messages = await db
    .selectFrom('inbox')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('kind', '=', 'message')
    .executeTakeFirstOrThrow();
  const seats = await services.registration.repo.allSeats();
  const provinces = await groupCount(services, 'province');
  const audiences = await groupCount(services, 'audience');
  const totalRegistrations = [...provinces.values()].reduce((a, b) => a + b, 0);
  const tr = services.t;
  const sessionBars: Bar[] = services.content.courses.courses.flatMap((course) =>
    course.sessions.map((s) => {
      const taken = seats.get(s.id)?.taken ?? 0;
      return {
        label: `${course.title[locale]} · ${sessionShortLabel(s, locale, services.config.timezone, tr)}`,
        value: taken,
        note: t('ov.seatsLeft', { left: Math.max(0, s.capacity - taken), capacity: s.capacity }),
      };
    }),
  );
  const recent = await services.broadcasts.list(5);
  const opted = contacts.reduce((n, c) => n + Number(c.opted ?? 0), 0);
  return html`<section class="tiles">
      <div class="tile">
        <b>${contacts.reduce((n, c) => n + Number(c.n), 0)}</b><span>${t('ov.reached')}</span>
      </div>
      <div class="tile"><b>${Number(messages.n)}</b><span>${t('ov.questions')}</span></div>
      <div class="tile"><b>${Number(unanswered.n)}</b><span>${t('ov.unanswered')}</span></div>
      <div class="tile"><b>${opted}</b><span>${t('ov.optins')}</span></div>
      <div class="tile"><b>${totalRegistrations}</b><span>${t('ov.registrations')}</span></div>
    </section>
    <section class="grid">
      ${barChart(
        t('ov.reached'),
        contacts.map((c) => ({
          label: channelName(locale, c.channel),
          value: Number(c.n),
          note: t('ov.opted', { n: Number(c.opted ?? 0) }),
        })),
      )}
      ${barChart(t('ov.perDay'), await perDay(services, locale))}
      ${barChart(t('ov.byCourse'), sessionBars)}
      ${barChart(
        t('ov.byProvince'),
        [...provinces].map(([id, n]) => ({ label: provinceName(id, locale), value: n })),
      )}
      ${barChart(
        t('ov.byAudience'),
        [...audiences].map(([a, n]) => ({
          label: tr(locale, `registration:audience.${a}`),
          value: n,
        })),
      )}
    </section>
    <h2>${t('ov.recent')}</h2>
    ${recent.length === 0 ? html`<p>${t('none')}</p>` : ''}
    <ul class="cards">
      ${recent.map(
        (b) =>
          html`<li class="card">
            <a href="/admin/broadcasts/${b.id}">#${b.id} · ${t(`st.${b.status}`)}</a>
            <p class="clip">${b.message.vi}</p>
            ${funnel([
              { label: t('bc.planTitle'), value: b.counts.total },
              { label: t('d.sent'), value: b.counts.sent },
              { label: t('d.delivered'), value: b.counts.delivered },
              { label: t('d.read'), value: b.counts.read },
              { label: t('d.failed'), value: b.counts.failed, danger: true },
            ])}
          </li>`,
      )}
    </ul>`;
}

/** The overview: people reached, questions, opt-ins, registrations and seats, recent broadcasts. */
export function overviewPage(scope: FastifyInstance, deps: PageDeps): void {
  scope.get('/admin', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    const f = deps.frame(req, reply);
    return deps.page(reply, f, f.t('ov.title'), await overviewBody(deps.services, f.t, f.locale));
  });
}
