import type { FastifyReply, FastifyRequest } from 'fastify';
import { ATTRIBUTION_DAYS, emptyCounts } from '../campaigns/attribution.js';
import { CampaignInputError } from '../campaigns/input.js';
import { LINK_PLATFORMS, type Campaign, type LinkPlatform } from '../campaigns/model.js';
import { callToAction, codeNote, PLATFORM_NAMES, posterHtml } from '../campaigns/poster.js';
import { qrPng, qrSvgCard } from '../campaigns/qr.js';
import type { Locale } from '../core/events.js';
import type { Services } from '../services.js';
import type { AdminRoutes } from './routes.js';

type IdRequest = FastifyRequest<{
  Params: { id: string };
  Querystring: Record<string, string | undefined>;
}>;

function bad(reply: FastifyReply, message: string, field?: string): FastifyReply {
  return reply.code(400).send({ error: 'Bad Request', ...(field ? { field } : {}), message });
}

async function campaignOf(
  services: Services,
  req: IdRequest,
  reply: FastifyReply,
): Promise<Campaign | undefined> {
  const campaign = /^\d{1,15}$/.test(req.params.id)
    ? await services.campaigns.get(Number(req.params.id))
    : undefined;
  if (!campaign)
    await reply.code(404).send({ error: 'Not Found', message: `No campaign ${req.params.id}.` });
  return campaign;
}

function localeOf(raw: string | undefined): Locale | undefined {
  if (raw === undefined || raw === 'vi') return 'vi';
  return raw === 'en' ? 'en' : undefined;
}

/** The organiser's name on print: the setting, else the data controller named in organiser.json. */
function department(services: Services, locale: Locale): string {
  return (
    services.config.campaigns.departmentName ?? services.content.organiser.controller.name[locale]
  );
}

/** The start of a day given as yyyy-mm-dd, in Vietnam's time (UTC+7, no daylight saving). */
function dayStart(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return undefined;
  const at = Date.parse(`${raw}T00:00:00+07:00`);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * Campaign sources: create, list with counts, retire, figures of a period, QR codes (PNG/SVG) and
 * the printable poster.
 */
export const campaignRoutes: AdminRoutes = (scope, services) => {
  const { campaigns } = services;

  scope.post('/campaigns', async (req, reply) => {
    try {
      const campaign = await campaigns.create(req.body);
      const links = LINK_PLATFORMS.map((p) => campaigns.link(campaign, p));
      return reply.code(201).send({ ...campaign, links, counts: emptyCounts() });
    } catch (error) {
      if (error instanceof CampaignInputError) return bad(reply, error.message, error.field);
      throw error;
    }
  });

  scope.get('/campaigns', async () => ({
    attributionDays: ATTRIBUTION_DAYS,
    ...(await campaigns.list()),
  }));

  scope.get('/campaigns/figures', async (req: IdRequest, reply) => {
    const now = services.clock.now();
    const from = dayStart(req.query.from, 0);
    const toDay = dayStart(req.query.to, now);
    if (from === undefined) return bad(reply, 'from must be a day, yyyy-mm-dd.', 'from');
    if (toDay === undefined) return bad(reply, 'to must be a day, yyyy-mm-dd.', 'to');
    // `to` names the last day of the period: it is included.
    const to = req.query.to === undefined ? now + 1 : toDay + 86_400_000;
    if (to <= from) return bad(reply, 'to must not be before from.', 'to');
    return campaigns.figures({ from, to });
  });

  scope.post('/campaigns/:id/retire', async (req: IdRequest, reply) => {
    const campaign = await campaignOf(services, req, reply);
    if (!campaign) return reply;
    return campaigns.retire(campaign.id);
  });

  scope.get('/campaigns/:id/qr', async (req: IdRequest, reply) => {
    const { platform, format = 'png', lang } = req.query;
    if (!platform || !(LINK_PLATFORMS as readonly string[]).includes(platform))
      return bad(reply, `platform must be one of ${LINK_PLATFORMS.join(', ')}.`, 'platform');
    if (format !== 'png' && format !== 'svg')
      return bad(reply, 'format must be png or svg.', 'format');
    const locale = localeOf(lang);
    if (!locale) return bad(reply, 'lang must be vi or en.', 'lang');
    const campaign = await campaignOf(services, req, reply);
    if (!campaign) return reply;
    const link = campaigns.link(campaign, platform as LinkPlatform);
    if (!link.ok) return reply.code(409).send({ error: 'Conflict', message: link.reason });
    const file = `${campaign.ref}-${platform}.${format}`;
    reply
      .header('content-disposition', `inline; filename="${file}"`)
      .header('x-campaign-link', link.url);
    if (format === 'png') return reply.type('image/png').send(await qrPng(link.url));
    const note = codeNote(services.t, locale, link, campaign.ref);
    return reply.type('image/svg+xml; charset=utf-8').send(
      await qrSvgCard(link.url, {
        department: department(services, locale),
        callToAction: callToAction(services.t, locale, campaigns.target(campaign)),
        platform: PLATFORM_NAMES[link.platform],
        ...(note ? { note } : {}),
      }),
    );
  });

  scope.get('/campaigns/:id/poster', async (req: IdRequest, reply) => {
    const locale = localeOf(req.query.lang);
    if (!locale) return bad(reply, 'lang must be vi or en.', 'lang');
    const campaign = await campaignOf(services, req, reply);
    if (!campaign) return reply;
    const links = LINK_PLATFORMS.map((p) => campaigns.link(campaign, p));
    if (!links.some((l) => l.ok))
      return reply.code(409).send({
        error: 'Conflict',
        message: `No platform can take a link now: ${links.map((l) => (l.ok ? '' : l.reason)).join(' ')}`,
      });
    return reply.type('text/html; charset=utf-8').send(
      await posterHtml({
        campaign,
        target: campaigns.target(campaign),
        links,
        content: services.content,
        department: department(services, locale),
        locale,
        t: services.t,
      }),
    );
  });
};
