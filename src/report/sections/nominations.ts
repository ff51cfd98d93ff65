import { NominationService, type NominationStatus } from '../../nominations/service.js';
import { provinceName } from '../../registration/provinces.js';
import { both, type SectionSource } from '../section.js';

const STATUSES: NominationStatus[] = ['pending', 'accepted', 'commended', 'rejected'];

/** Nominations of exemplary self-learners received in the period, by status and province. */
export const nominationsSection: SectionSource = {
  id: 'nominations',
  async collect({ db, window, t }) {
    const figures = await new NominationService(db).figures(window);
    return {
      id: 'nominations',
      part: 'commendations',
      title: both(t, 'nominations.title'),
      figures: [
        { key: 'received', label: both(t, 'nominations.col.received'), value: figures.received },
        ...STATUSES.map((s) => ({
          key: s,
          label: both(t, `nominations.status.${s}`),
          value: figures.byStatus[s],
        })),
      ],
      tables: [
        {
          id: 'nominations-by-province',
          title: both(t, 'nominations.byProvince'),
          columns: [
            { key: 'province', title: both(t, 'col.province') },
            { key: 'received', title: both(t, 'nominations.col.received') },
            { key: 'commended', title: both(t, 'nominations.status.commended') },
          ],
          rows: figures.byProvince.map((p) => ({
            province: { vi: provinceName(p.province, 'vi'), en: provinceName(p.province, 'en') },
            received: p.received,
            commended: p.commended,
          })),
          total: {
            province: both(t, 'col.total'),
            received: figures.received,
            commended: figures.byStatus.commended,
          },
          small: true,
        },
      ],
      notes: [both(t, 'nominations.note')],
    };
  },
};
