import { campaignRefOf } from '../src/campaigns/model.js';
import type { CampaignService } from '../src/campaigns/service.js';
import type { FlowTarget } from '../src/campaigns/model.js';
import type { Content } from '../src/content/load.js';
import { findCourse, findSession } from '../src/content/courses.js';
import type { Choice, Locale, OutboundMessage } from '../src/core/events.js';
import type { Translate } from '../src/i18n.js';
import type { Feature } from './feature.js';
import { greetingText, menuMessage } from './menu.js';
import { numberedText, type Turn } from './turn.js';
import { nowIn } from './week-status.js';

/** A campaign code typed or sent back as a Zalo `#payload`: `c-<ref>` with an optional `#`. */
const TYPED_CODE = /^#?(c-[a-z0-9-]{2,40})$/;

/** The button that opens a campaign's flow, titled in a language. */
export function flowChoice(
  target: FlowTarget,
  content: Content,
  t: Translate,
  locale: Locale,
): Choice {
  const payload = target.kind.payload(target.id);
  const id = target.id;
  switch (target.kind.name) {
    case 'registration': {
      const course =
        id === undefined
          ? undefined
          : (findCourse(content.courses, id) ?? findSession(content.courses, id)?.course);
      return {
        title: course ? course.title[locale] : t(locale, 'registration:menu.register'),
        payload,
      };
    }
    case 'announcements':
      return { title: t(locale, 'subscriptions:menu'), payload };
    case 'faq': {
      const entry = content.faq.find((e) => e.id === id);
      return { title: entry ? entry.title[locale] : t(locale, 'faq:menu'), payload };
    }
    default:
      return { title: t(locale, 'registration:menu.register'), payload };
  }
}

/**
 * The welcome for a platform that answers a deep link in the HTTP response (Viber's
 * `conversation_started`): the greeting, then the campaign's flow as the first button, then the
 * menu. No turn runs there, so the flow opens with that first tap.
 */
export function campaignWelcome(
  base: { t: Translate; content: Content; features: readonly Feature[] },
  target: FlowTarget,
  locale: Locale,
  today: string,
): OutboundMessage {
  const { t, content } = base;
  const first = flowChoice(target, content, t, locale);
  const menu = menuMessage(t, locale, base.features).choices ?? [];
  const choices = [first, ...menu.filter((c) => c.payload !== first.payload)];
  const intro = `${greetingText(t, content, locale, today)}\n${t(locale, 'campaigns:welcome.tap', { title: first.title })}`;
  return { text: numberedText(intro, choices), choices, numbered: true };
}

/**
 * Campaign links: a deep-link ref `c-<ref>` (Messenger m.me `ref`, Viber `context`) or the code
 * typed where the platform passes none (Zalo: `#c-<ref>`, which comes back as a payload). The
 * arrival is counted, then the campaign's flow opens as if its button had been tapped; an unknown
 * or retired reference, or a campaign without a flow, gets the normal greeting.
 */
export function campaignFeature(
  service: CampaignService,
  features: () => readonly Feature[],
): Feature {
  async function open(turn: Turn, linkValue: string): Promise<boolean> {
    const channel = turn.contact.channel;
    const { target } = await service.arrive(channel, turn.contact.userId, linkValue);
    if (!target) return false;
    const payload = target.kind.payload(target.id);
    turn.payload = payload;
    for (const feature of features()) {
      if (feature.name === 'campaigns') continue;
      if (await feature.onPayload?.(turn, payload)) return true;
    }
    return false;
  }

  async function typed(turn: Turn, code: string): Promise<boolean> {
    if (!(await open(turn, code)))
      await turn.showMenu(
        greetingText(
          turn.services.t,
          turn.services.content,
          turn.locale,
          nowIn(turn.services).date,
        ),
      );
    return true;
  }

  return {
    name: 'campaigns',
    async onRef(turn, ref) {
      return campaignRefOf(ref) === undefined ? false : open(turn, ref);
    },
    async onPayload(turn, payload) {
      const match = TYPED_CODE.exec(payload);
      return match ? typed(turn, match[1]!) : false;
    },
    async onText(turn) {
      const match = TYPED_CODE.exec(turn.text.trim().toLowerCase());
      return match ? typed(turn, match[1]!) : false;
    },
  };
}
