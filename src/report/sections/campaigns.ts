import { CampaignsRepo } from '../../campaigns/repo.js';
import { campaignFigures } from '../../campaigns/service.js';
import { provinceName } from '../../registration/provinces.js';
import type { Cell, FigureTable } from '../model.js';
import { both, REPORT_CHANNELS, type SectionSource } from '../section.js';

const COUNTS = ['firstContacts', 'returningContacts', 'registrations', 'optIns'] as const;

/**
 * Campaign sources (banners, posters, vehicles... with a QR code or link to the bot) and the
 * people who arrived through them in the period: by kind, by place, and beside everyone new to
 * the bot per channel.
 */
export const campaignsSection: SectionSource = {
  id: 'campaigns',
  async collect({ db, window, t }) {
    const figures = await campaignFigures(new CampaignsRepo(db), window);
    const columns = COUNTS.map((k) => ({ key: k, title: both(t, `campaigns.col.${k}`) }));
    const counted = [{ key: 'campaigns', title: both(t, 'campaigns.col.campaigns') }, ...columns];
    const total: Record<string, Cell> = {
      campaigns: figures.byKind.reduce((s, k) => s + k.campaigns, 0),
      ...figures.total,
    };
    const first = new Map(figures.byChannel.map((c) => [c.channel, c.firstContacts]));
    const fresh = new Map(figures.newContactsByChannel.map((c) => [c.channel, c.contacts]));
    const channels = REPORT_CHANNELS.filter((c) => c !== 'simulator');
    const tables: FigureTable[] = [
      {
        id: 'campaigns-by-kind',
        title: both(t, 'campaigns.byKind'),
        columns: [{ key: 'kind', title: both(t, 'campaigns.col.kind') }, ...counted],
        rows: figures.byKind
          .sort((a, b) => a.kind.localeCompare(b.kind))
          .map(({ kind, ...counts }) => ({ kind: both(t, `campaigns.kind.${kind}`), ...counts })),
        total: { kind: both(t, 'col.total'), ...total },
      },
      {
        id: 'campaigns-by-place',
        title: both(t, 'campaigns.byPlace'),
        columns: [
          { key: 'province', title: both(t, 'col.province') },
          { key: 'place', title: both(t, 'campaigns.col.place') },
          ...counted,
        ],
        rows: figures.byPlace
          .sort((a, b) => a.province.localeCompare(b.province) || a.place.localeCompare(b.place))
          .map(({ province, place, ...counts }) => ({
            province: { vi: provinceName(province, 'vi'), en: provinceName(province, 'en') },
            place,
            ...counts,
          })),
        total: { province: both(t, 'col.total'), place: '', ...total },
        small: true,
      },
      {
        id: 'campaigns-by-channel',
        title: both(t, 'campaigns.byChannel'),
        columns: [
          { key: 'channel', title: both(t, 'col.channel') },
          { key: 'first', title: both(t, 'campaigns.col.firstContacts') },
          { key: 'fresh', title: both(t, 'campaigns.col.newContacts') },
        ],
        rows: channels.map((c) => ({
          channel: both(t, `channel.${c}`),
          first: first.get(c) ?? 0,
          fresh: fresh.get(c) ?? 0,
        })),
        total: {
          channel: both(t, 'col.total'),
          first: channels.reduce((s, c) => s + (first.get(c) ?? 0), 0),
          fresh: channels.reduce((s, c) => s + (fresh.get(c) ?? 0), 0),
        },
      },
    ];
    return {
      id: 'campaigns',
      part: 'publicity',
      title: both(t, 'campaigns.title'),
      figures: [
        {
          key: 'campaigns',
          label: both(t, 'campaigns.col.campaigns'),
          value: Number(total.campaigns),
        },
        ...COUNTS.map((k) => ({
          key: k,
          label: both(t, `campaigns.col.${k}`),
          value: figures.total[k],
        })),
      ],
      tables,
      notes: [both(t, 'campaigns.note', { days: figures.attributionDays })],
    };
  },
};
