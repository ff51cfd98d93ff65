import type { Logger } from 'pino';
import type { CampaignLinkConfig } from '../config.js';
import type { Content } from '../content/load.js';
import type { Clock } from '../core/clock.js';
import type { ChannelId } from '../core/events.js';
import type { ContactsRepo } from '../store/contacts-repo.js';
import type { Store } from '../store/db.js';
import {
  addCounts,
  attribute,
  ATTRIBUTION_MS,
  emptyCounts,
  type CampaignCounts,
} from './attribution.js';
import { CampaignInputError, parseCampaignInput, refFromName } from './input.js';
import { platformLink, type PlatformLink } from './links.js';
import {
  campaignRefOf,
  LINK_PLATFORMS,
  parseFlow,
  REF_PATTERN,
  type Campaign,
  type CampaignKind,
  type FlowTarget,
} from './model.js';
import { CampaignsRepo, isUniqueViolation } from './repo.js';

/** Someone whose contact was created this long before their arrival still counts as new. */
const FIRST_CONTACT_GRACE_MS = 2 * 60_000;

/** A campaign with its links and what it brought in so far. */
export interface CampaignReport extends Campaign {
  links: PlatformLink[];
  counts: CampaignCounts;
}

/** Figures of a period by kind and by place (the dashboard and the Ministry report read them). */
export interface CampaignFigures {
  from: number;
  to: number;
  attributionDays: number;
  total: CampaignCounts;
  byKind: Array<{ kind: CampaignKind; campaigns: number } & CampaignCounts>;
  byPlace: Array<{ province: string; place: string; campaigns: number } & CampaignCounts>;
  byChannel: Array<
    { channel: ChannelId } & Pick<CampaignCounts, 'firstContacts' | 'returningContacts'>
  >;
  /**
   * Everyone new to the bot in the period, by channel, whatever brought them: the yardstick for
   * the campaigns' first contacts (on Zalo most arrivals from a poster cannot be told apart).
   */
  newContactsByChannel: Array<{ channel: ChannelId; contacts: number }>;
  /** Arrivals through references that named no campaign (old or retired posters, typos). */
  unknownCampaign: Pick<CampaignCounts, 'firstContacts' | 'returningContacts'>;
}

/** What an arrival through a campaign link resolved to. */
export interface ArrivalOutcome {
  /** The live campaign, or undefined for an unknown or retired reference. */
  campaign: Campaign | undefined;
  /** The flow its links open, when it has one. */
  target: FlowTarget | undefined;
  firstContact: boolean;
}

/** Campaign sources: creation, links, arrivals and the figures built on them. */
export class CampaignService {
  readonly repo: CampaignsRepo;

  constructor(
    private readonly deps: {
      store: Store;
      content: Content;
      clock: Clock;
      contacts: ContactsRepo;
      config: CampaignLinkConfig;
      /** The channels that are on now. */
      channels: () => ReadonlySet<ChannelId>;
      log: Logger;
    },
  ) {
    this.repo = new CampaignsRepo(deps.store.db);
  }

  /** Creates a campaign; throws CampaignInputError (field + message) for a refused input. */
  async create(body: unknown): Promise<Campaign> {
    const input = parseCampaignInput(body, this.deps.content);
    let ref = input.ref ?? refFromName(input.name);
    const taken = await this.repo.taken(ref, input.nameKey);
    if (taken.name)
      throw new CampaignInputError('name', `a campaign named "${input.name}" exists already.`);
    if (taken.ref) {
      if (input.ref !== undefined)
        throw new CampaignInputError('ref', `"${ref}" is taken by another campaign.`);
      ref = await this.freeRef(ref);
    }
    try {
      return await this.repo.insert({
        ref,
        name: input.name,
        name_key: input.nameKey,
        kind: input.kind,
        place: input.place,
        province: input.province,
        flow: input.flow,
        created_at: this.deps.clock.now(),
      });
    } catch (error) {
      // Two organisers creating the same campaign at once: the unique keys decide.
      if (isUniqueViolation(error))
        throw new CampaignInputError(
          'name',
          `a campaign named "${input.name}" or ref "${ref}" exists already.`,
        );
      throw error;
    }
  }

  private async freeRef(base: string): Promise<string> {
    for (let n = 2; n < 1000; n++) {
      const candidate = `${base.slice(0, 36).replace(/-+$/, '')}-${n}`;
      if (!(await this.repo.taken(candidate, '\u0000')).ref) return candidate;
    }
    throw new CampaignInputError('ref', 'no free reference could be made from the name: give one.');
  }

  async get(id: number): Promise<Campaign | undefined> {
    return this.repo.byId(id);
  }

  /** Retires a campaign: its links still greet people, who are then counted as unknown. */
  async retire(id: number): Promise<Campaign | undefined> {
    return this.repo.retire(id, this.deps.clock.now());
  }

  /** One platform's link for a campaign (or why there is none: channel off, setting missing). */
  link(campaign: Campaign, platform: (typeof LINK_PLATFORMS)[number]): PlatformLink {
    return platformLink(platform, campaign.ref, this.deps.config, this.deps.channels());
  }

  /** The flow a campaign's links open, if any (a flow whose content went away opens nothing). */
  target(campaign: Campaign): FlowTarget | undefined {
    if (campaign.flow === null) return undefined;
    const parsed = parseFlow(campaign.flow, this.deps.content);
    return typeof parsed === 'string' ? undefined : parsed;
  }

  /** Every campaign with links and counts since it began, plus the unknown references. */
  async list(): Promise<{
    campaigns: CampaignReport[];
    unknownCampaign: CampaignFigures['unknownCampaign'];
  }> {
    const now = this.deps.clock.now();
    const counts = await this.counts(0, now + 1);
    const campaigns = (await this.repo.list()).map((c) => ({
      ...c,
      links: LINK_PLATFORMS.map((p) => this.link(c, p)),
      counts: counts.get(c.id) ?? emptyCounts(),
    }));
    const unknown = counts.get(null) ?? emptyCounts();
    return {
      campaigns,
      unknownCampaign: {
        firstContacts: unknown.firstContacts,
        returningContacts: unknown.returningContacts,
      },
    };
  }

  private counts(from: number, to: number): Promise<Map<number | null, CampaignCounts>> {
    return attributedCounts(this.repo, from, to);
  }

  /**
   * Records an arrival through a campaign deep link (`c-<ref>`) or typed code and says where it
   * leads. The contact is created when the platform told us of someone new (Viber's
   * `conversation_started` comes before any message).
   */
  async arrive(channel: ChannelId, userId: string, linkValue: string): Promise<ArrivalOutcome> {
    const now = this.deps.clock.now();
    const ref = campaignRefOf(linkValue) ?? '';
    const contact =
      (await this.deps.contacts.get(channel, userId)) ??
      (await this.deps.contacts.touch(channel, userId, now));
    const firstContact = now - contact.firstSeenAt < FIRST_CONTACT_GRACE_MS;
    const found = REF_PATTERN.test(ref) ? await this.repo.byRef(ref) : undefined;
    const campaign = found && found.retiredAt === null ? found : undefined;
    await this.repo.addArrival({
      campaignId: campaign?.id ?? null,
      // Kept bounded and to the reference's alphabet: it is whatever the link carried.
      unknownRef: campaign ? null : ref.replace(/[^a-z0-9-]/g, '').slice(0, 40),
      channel,
      contactId: contact.id,
      firstContact,
      at: now,
    });
    this.deps.log.info(
      { channel, known: campaign !== undefined, firstContact },
      'campaign arrival',
    );
    return { campaign, target: campaign ? this.target(campaign) : undefined, firstContact };
  }

  /** Figures for [from, to): by kind, by place, by channel, and the unknown references. */
  figures(period: { from: number; to: number }): Promise<CampaignFigures> {
    return campaignFigures(this.repo, period);
  }
}

/**
 * Figures for [from, to) read through `repo` (the report reads them inside its snapshot's
 * transaction): by kind, by place, by channel, and the unknown references.
 */
export async function campaignFigures(
  repo: CampaignsRepo,
  period: { from: number; to: number },
): Promise<CampaignFigures> {
  const { from, to } = period;
  const counts = await attributedCounts(repo, from, to);
  const campaigns = await repo.list();
  const total = emptyCounts();
  const kinds = new Map<CampaignKind, { kind: CampaignKind; campaigns: number } & CampaignCounts>();
  const places = new Map<
    string,
    { province: string; place: string; campaigns: number } & CampaignCounts
  >();
  for (const c of campaigns) {
    const got = counts.get(c.id);
    if (!got) continue;
    addCounts(total, got);
    const kind = kinds.get(c.kind) ?? { kind: c.kind, campaigns: 0, ...emptyCounts() };
    kind.campaigns++;
    addCounts(kind, got);
    kinds.set(c.kind, kind);
    const key = `${c.province}\u0000${c.place}`;
    const place = places.get(key) ?? {
      province: c.province,
      place: c.place,
      campaigns: 0,
      ...emptyCounts(),
    };
    place.campaigns++;
    addCounts(place, got);
    places.set(key, place);
  }
  const arrivals = await repo.arrivals(from, to);
  const channels = new Map<ChannelId, { first: Set<string>; returning: Set<string> }>();
  arrivals.forEach((a, i) => {
    if (a.campaignId === null) return;
    const entry = channels.get(a.channel) ?? { first: new Set(), returning: new Set() };
    const who = a.contactId === null ? `a${i}` : `c${a.contactId}`;
    (a.firstContact ? entry.first : entry.returning).add(who);
    channels.set(a.channel, entry);
  });
  const unknown = counts.get(null) ?? emptyCounts();
  return {
    from,
    to,
    attributionDays: ATTRIBUTION_MS / 86_400_000,
    total,
    byKind: [...kinds.values()],
    byPlace: [...places.values()],
    byChannel: [...channels].map(([channel, e]) => ({
      channel,
      firstContacts: e.first.size,
      returningContacts: [...e.returning].filter((w) => !e.first.has(w)).length,
    })),
    newContactsByChannel: (await repo.newContacts(from, to)).filter(
      (c) => c.channel !== 'simulator',
    ),
    unknownCampaign: {
      firstContacts: unknown.firstContacts,
      returningContacts: unknown.returningContacts,
    },
  };
}

/** Counts per campaign id (null: unknown references) of the arrivals in [from, to). */
async function attributedCounts(
  repo: CampaignsRepo,
  from: number,
  to: number,
): Promise<Map<number | null, CampaignCounts>> {
  const arrivals = await repo.arrivals(from, to);
  const ids = [...new Set(arrivals.flatMap((a) => (a.contactId === null ? [] : [a.contactId])))];
  const conversions = await repo.conversions(ids, from, to + ATTRIBUTION_MS);
  return attribute(arrivals, conversions);
}
