import { fold } from '../../src/core/text.js';
import type { NominationService } from '../../src/nominations/service.js';
import type { Feature } from '../feature.js';
import type { Turn } from '../turn.js';
import { NOMINATE_DIALOG, NominateDialog } from './dialog.js';

/** Payload of the nominations' menu entry. */
export const NOMINATE = 'NOMINATE';

// Whole messages only (folded), so questions about nominations still reach the FAQ.
const NOMINATE_WORDS =
  /^((toi )?(muon )?(de cu|gioi thieu|tien cu)( mot)?( (nguoi|guong|tam guong))?( tu hoc| hoc tap suot doi| hoc tap)?|de cu|nominate( a| someone)?( (self )?learner)?|nomination)$/;

async function begin(turn: Turn): Promise<boolean> {
  await turn.dc.cancelAllDialogs();
  await turn.dc.beginDialog(NOMINATE_DIALOG);
  return true;
}

/** Nominations of exemplary self-learners: menu entry, "đề cử" / "nominate", ref `nominate`. */
export function nominationsFeature(service: NominationService, retentionDays: number): Feature {
  return {
    name: 'nominations',
    menu: [{ payload: NOMINATE, titleKey: 'nominations:menu' }],
    dialogs: [new NominateDialog(service, retentionDays)],
    async onPayload(turn, payload) {
      return payload === NOMINATE ? begin(turn) : false;
    },
    async onText(turn) {
      const raw = turn.text.trim();
      if (raw === NOMINATE) return begin(turn);
      return NOMINATE_WORDS.test(fold(raw)) ? begin(turn) : false;
    },
    async onRef(turn, ref) {
      return ref === 'nominate' ? begin(turn) : false;
    },
  };
}
