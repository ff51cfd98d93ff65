import type { FastifyReply, FastifyRequest } from 'fastify';
import { ATTRIBUTION_DAYS, emptyCounts } from '../campaigns/attribution.js';
import { CampaignInputError } from '../campaigns/input.js';
import {
  CAMPAIGN_KINDS,
  LINK_PLATFORMS,
  REF_PATTERN,
  type Campaign,
  type LinkPlatform,
} from '../campaigns/model.js';
import { callToAction, codeNote, PLATFORM_NAMES, posterHtml } from '../campaigns/poster.js';
import { qrPng, qrSvgCard } from '../campaigns/qr.js';
import type { Locale } from '../core/events.js';
import type { Services } from '../services.js';
import { adminDocs, files, idParam, json, refusal, type JsonSchema } from './docs.js';
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

const text = (min: number, max: number, description: string) => ({
  type: 'string',
  minLength: min,
  maxLength: max,
  description,
});

/** The body of `POST /campaigns` as documented (parseCampaignInput checks it). */
const campaignBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind', 'place', 'province'],
  properties: {
    name: text(2, 120, 'shown on the poster; unique once folded (accents, case)'),
    kind: { type: 'string', enum: [...CAMPAIGN_KINDS] },
    place: text(2, 200, 'where the poster or banner hangs'),
    province: text(2, 80, 'a provincial-level unit: id (nghe-an) or name'),
    ref: {
      type: 'string',
      pattern: REF_PATTERN.source,
      description: 'the code in the links; made from the name when left out',
    },
    flow: { type: 'string', nullable: true, description: 'where the link leads in the bot' },
  },
};

const lang = { type: 'string', enum: ['vi', 'en'], default: 'vi', description: 'language' };
const day = (description: string) => ({
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description,
});
const CAMPAIGN_ID = idParam('campaign');
const noCampaign = refusal('No such campaign');
const noLink = refusal('No platform can take a link now (not configured)');

/**
 * Campaign sources: create, list with counts, retire, figures of a period, QR codes (PNG/SVG) and
 * the printable poster.
 */
export const campaignRoutes: AdminRoutes = (scope, services) => {
  const { campaigns } = services;

  const createDocs = adminDocs('campaigns', 'Create a campaign source (poster, banner, page)', {
    body: campaignBody,
    responses: {
      201: json('The campaign with its links per platform and zero counts'),
      400: refusal('A field is refused or the name or ref is taken: `field` names it'),
    },
  });
  scope.post('/campaigns', { schema: createDocs }, async (req, reply) => {
    try {
      const campaign = await campaigns.create(req.body);
      const links = LINK_PLATFORMS.map((p) => campaigns.link(campaign, p));
      return reply.code(201).send({ ...campaign, links, counts: emptyCounts() });
    } catch (error) {
      if (error instanceof CampaignInputError) return bad(reply, error.message, error.field);
      throw error;
    }
  });

  const listDocs = adminDocs('campaigns', 'Campaigns with their counts', {
    responses: { 200: json('attributionDays and the campaigns with counts') },
  });
  scope.get('/campaigns', { schema: listDocs }, async () => ({
    attributionDays: ATTRIBUTION_DAYS,
    ...(await campaigns.list()),
  }));

  const figuresDocs = adminDocs('campaigns', 'Figures of every campaign over a period', {
    querystring: {
      type: 'object',
      properties: {
        from: day('first day, yyyy-mm-dd (Vietnam time); from the start when left out'),
        to: day('last day, included; up to now when left out'),
      },
    },
    responses: { 200: json('Counts per campaign and in total') },
  });
  scope.get('/campaigns/figures', { schema: figuresDocs }, async (req: IdRequest, reply) => {
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

  const retireDocs = adminDocs('campaigns', 'Retire a campaign (its links keep working)', {
    params: CAMPAIGN_ID,
    responses: { 200: json('The retired campaign'), 404: noCampaign },
  });
  scope.post('/campaigns/:id/retire', { schema: retireDocs }, async (req: IdRequest, reply) => {
    const campaign = await campaignOf(services, req, reply);
    if (!campaign) return reply;
    return campaigns.retire(campaign.id);
  });

  const qrDocs = adminDocs('campaigns', "A campaign's QR code for one platform", {
    params: CAMPAIGN_ID,
    querystring: {
      type: 'object',
      required: ['platform'],
      properties: {
        platform: { type: 'string', enum: [...LINK_PLATFORMS] },
        format: { type: 'string', enum: ['png', 'svg'], default: 'png' },
        lang,
      },
    },
    responses: {
      200: files('The QR code (the link is in X-Campaign-Link)', ['png', 'svg']),
      404: noCampaign,
      409: noLink,
    },
  });
  scope.get('/campaigns/:id/qr', { schema: qrDocs }, async (req: IdRequest, reply) => {
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

  const posterDocs = adminDocs('campaigns', "A campaign's printable poster (HTML)", {
    params: CAMPAIGN_ID,
    querystring: { type: 'object', properties: { lang } },
    responses: { 200: files('The poster page', ['html']), 404: noCampaign, 409: noLink },
  });
  scope.get('/campaigns/:id/poster', { schema: posterDocs }, async (req: IdRequest, reply) => {
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
