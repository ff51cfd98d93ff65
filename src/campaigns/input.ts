import type { Content } from '../content/load.js';
import { fold } from '../core/text.js';
import { matchProvince } from '../registration/provinces.js';
import { CAMPAIGN_KINDS, parseFlow, REF_PATTERN, type CampaignKind } from './model.js';

/** A refused field of a new campaign: the API answers 400 naming it. */
export class CampaignInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'CampaignInputError';
  }
}

/** A new campaign, checked. */
export interface CampaignInput {
  name: string;
  nameKey: string;
  /** Undefined: made from the name. */
  ref: string | undefined;
  kind: CampaignKind;
  place: string;
  province: string;
  flow: string | null;
}

const FIELDS = ['name', 'kind', 'place', 'province', 'ref', 'flow'];
/** Control characters and markup have no place on a printed poster. */
const ODD = /[\p{Cc}\p{Cf}<>]/u;

function text(body: Record<string, unknown>, field: string, max: number): string {
  const value = body[field];
  if (typeof value !== 'string') throw new CampaignInputError(field, 'is required (text).');
  const clean = value.normalize('NFC').trim().replace(/\s+/g, ' ');
  if ([...clean].length < 2 || [...clean].length > max)
    throw new CampaignInputError(field, `must be 2 to ${max} characters.`);
  if (ODD.test(clean))
    throw new CampaignInputError(field, 'must not contain control characters, < or >.');
  return clean;
}

/** The folded form two names must not share ("Băng rôn chợ Vinh" = "bang ron cho vinh"). */
export function nameKey(name: string): string {
  return fold(name);
}

/** A ref made from a name: folded, words joined by hyphens, at most 40 characters. */
export function refFromName(name: string): string {
  const slug = fold(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.slice(0, 40).replace(/-+$/, '');
  return cut.length >= 2 ? cut : `campaign-${cut}`.replace(/-+$/, '');
}

/** Checks a `POST /api/v1/campaigns` body; throws CampaignInputError naming the first bad field. */
export function parseCampaignInput(body: unknown, content: Content): CampaignInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new CampaignInputError('body', 'must be a JSON object.');
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined)
    throw new CampaignInputError(unknown, `is not a campaign field: use ${FIELDS.join(', ')}.`);
  const name = text(record, 'name', 120);
  const kind = record.kind;
  if (typeof kind !== 'string' || !(CAMPAIGN_KINDS as readonly string[]).includes(kind))
    throw new CampaignInputError('kind', `must be one of ${CAMPAIGN_KINDS.join(', ')}.`);
  const place = text(record, 'place', 200);
  const provinceText = text(record, 'province', 80);
  const match = matchProvince(provinceText);
  if (match.kind !== 'found')
    throw new CampaignInputError(
      'province',
      match.kind === 'ambiguous'
        ? `"${provinceText}" fits several provinces: use the unit id (e.g. nghe-an).`
        : `"${provinceText}" is not one of the 34 provinces and cities: use a unit id such as nghe-an or ha-noi.`,
    );
  let ref: string | undefined;
  if (record.ref !== undefined) {
    if (typeof record.ref !== 'string' || !REF_PATTERN.test(record.ref))
      throw new CampaignInputError(
        'ref',
        'must be 2-40 lower-case letters (a-z), digits and single hyphens, e.g. "truong-thpt-ha-huy-tap"; no spaces, accents or other characters.',
      );
    ref = record.ref;
  }
  let flow: string | null = null;
  if (record.flow !== undefined && record.flow !== null) {
    if (typeof record.flow !== 'string') throw new CampaignInputError('flow', 'must be text.');
    const parsed = parseFlow(record.flow, content);
    if (typeof parsed === 'string') throw new CampaignInputError('flow', parsed);
    flow = record.flow;
  }
  return {
    name,
    nameKey: nameKey(name),
    ref,
    kind: kind as CampaignKind,
    place,
    province: match.province.id,
    flow,
  };
}
