import { TextPrompt, WaterfallDialog, type PromptValidatorContext } from 'botbuilder-dialogs';
import { fold } from '../../src/core/text.js';
import type { PlaceDirectory, PlaceSearch } from '../../src/places/directory.js';
import { provinceName } from '../../src/registration/provinces.js';
import type { Feature } from '../feature.js';
import { MENU } from '../menu.js';
import { promptActivity, retryOrGiveUp } from '../registration/prompts.js';
import { turnOf, type Turn } from '../turn.js';

/** Payload of the places' menu entry. */
export const PLACES = 'PLACES';
const PLACES_AT = 'PLACES_AT:';
const PLACES_DIALOG = 'places.find';
const WHERE = 'places.where';
const SHOWN = 5;

// Whole messages only (folded): "thư viện gần tôi", "tủ sách ở Nghi Lộc", "places to read in Hue".
const WORDS =
  /^(?:(?:tim |cho toi biet )?(?:thu vien|tu sach|diem doc sach|noi doc sach|cho doc sach|khong gian doc|trung tam hoc tap cong dong|library|libraries|places? to read|reading (?:space|corner)s?)(?: (?:gan (?:toi|day|nha)|quanh day|near me|nearby))?)(?: (?:o|tai|gan|in|at|near) (.+))?$/;

/** The found places as one message, demonstration entries marked. */
function resultText(
  turn: Turn,
  found: Exclude<PlaceSearch, { kind: 'none' | 'ambiguous' }>,
): string {
  const province = provinceName(found.province, turn.locale);
  if (found.places.length === 0) return turn.t('places:noneInProvince', { province });
  const head =
    found.kind === 'commune'
      ? turn.t('places:inCommune', { commune: found.commune, province })
      : turn.t('places:inProvince', { province });
  const lines = found.places
    .slice(0, SHOWN)
    .map((p) =>
      [
        `📚 ${p.name[turn.locale]}${p.sample ? ` ${turn.t('places:sample')}` : ''} · ${turn.t(`places:kind.${p.kind}`)}`,
        `   ${p.address[turn.locale]}`,
        ...(p.hours ? [`   ${p.hours[turn.locale]}`] : []),
      ].join('\n'),
    );
  const more =
    found.places.length > SHOWN
      ? [turn.t('places:more', { count: found.places.length - SHOWN })]
      : [];
  return [head, ...lines, ...more].join('\n');
}

/** Answers a search; false when nothing was found (the caller asks again). */
async function answer(turn: Turn, found: PlaceSearch): Promise<boolean> {
  if (found.kind === 'none') return false;
  if (found.kind === 'ambiguous') {
    await turn.say(
      turn.t('places:ambiguous'),
      found.communes.map((c) => ({
        title: `${c.commune}, ${provinceName(c.province, turn.locale)}`,
        payload: `${PLACES_AT}${c.commune}, ${c.province}`,
      })),
      { numbered: true },
    );
    return true;
  }
  await turn.say(resultText(turn, found), [
    { title: turn.t('places:searchAgain'), payload: PLACES },
    { title: turn.t('common:about.backToMenu'), payload: MENU },
  ]);
  return true;
}

/** Places to read (content/places.json), found from a typed commune, ward or province name. */
export function placesFeature(directory: PlaceDirectory): Feature {
  async function whereValidator(pc: PromptValidatorContext<string>): Promise<boolean> {
    const turn = turnOf(pc.context);
    const text = (pc.recognized.value ?? '').trim();
    const found = directory.search(text);
    if (await answer(turn, found)) return true;
    if (retryOrGiveUp(pc)) return true;
    await turn.say(turn.t('places:notFound', { text: [...text].slice(0, 40).join('') }));
    return false;
  }
  const dialog = new WaterfallDialog(PLACES_DIALOG, [
    async (step) => {
      const turn = turnOf(step.context);
      return step.prompt(WHERE, { prompt: promptActivity(turn.t('places:ask'), []) });
    },
    async (step) => step.endDialog(),
  ]);
  async function begin(turn: Turn): Promise<boolean> {
    await turn.dc.cancelAllDialogs();
    await turn.dc.beginDialog(PLACES_DIALOG);
    return true;
  }
  async function onPayload(turn: Turn, payload: string): Promise<boolean> {
    if (payload === PLACES) return begin(turn);
    if (payload.startsWith(PLACES_AT)) {
      if (!(await answer(turn, directory.search(payload.slice(PLACES_AT.length)))))
        await begin(turn);
      return true;
    }
    return false;
  }
  return {
    name: 'places',
    menu: [{ payload: PLACES, titleKey: 'places:menu' }],
    dialogs: [dialog, new TextPrompt(WHERE, whereValidator)],
    onPayload,
    async onText(turn) {
      const raw = turn.text.trim();
      if (raw === PLACES || raw.startsWith(PLACES_AT)) return onPayload(turn, raw);
      const match = WORDS.exec(fold(raw));
      if (!match) return false;
      // The place is read from what was typed, diacritics and all, after the entry words.
      const place = match[1] ? raw.split(/\s+/).slice(-match[1].split(' ').length).join(' ') : '';
      if (place && (await answer(turn, directory.search(place)))) return true;
      return begin(turn);
    },
    async onRef(turn, ref) {
      return ref === 'places' ? begin(turn) : false;
    },
  };
}
