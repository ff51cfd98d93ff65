import { findSession } from '../../src/content/courses.js';
import type { Choice } from '../../src/core/events.js';
import { courseTitle, sessionWhen } from '../../src/registration/describe.js';
import type { Registration } from '../../src/registration/repo.js';
import type { RegistrationService } from '../../src/registration/service.js';
import { MENU } from '../menu.js';
import type { Turn } from '../turn.js';
import { ConfirmThenDialog, type Question } from './confirm-dialog.js';
import { MY_DATA, MY_REGISTRATIONS, REG_CANCEL, REGISTER } from './payloads.js';

/** Id of the cancel-a-registration dialog. */
export const CANCEL_DIALOG = 'registration.cancel';

/** Most registrations listed with a cancel button (Messenger allows 13 quick replies). */
const MAX_BUTTONS = 10;

/** Title and time of a registration's session, in the turn's language. */
export function describeRegistration(
  turn: Turn,
  service: RegistrationService,
  r: Registration,
): { title: string; when: string } {
  const ref = findSession(service.content.courses, r.sessionId);
  if (!ref) return { title: r.courseId, when: '' };
  return {
    title: courseTitle(ref.course, turn.locale, turn.services.t),
    when: sessionWhen(ref.session, turn.locale, service.timezone, turn.services.t),
  };
}

/** Status label with the waitlist position where it applies. */
export async function statusLabel(
  turn: Turn,
  service: RegistrationService,
  r: Registration,
): Promise<string> {
  const position = r.status === 'waitlisted' ? await service.repo.waitlistPosition(r) : 0;
  return turn.t(`registration:status.${r.status}`, { position });
}

/** "My registrations": the live registrations with a cancel button each. */
export async function showMyRegistrations(turn: Turn, service: RegistrationService): Promise<void> {
  const list = await service.repo.listByUser(turn.contact.channel, turn.contact.userId);
  const back: Choice[] = [
    { title: turn.t('registration:menu.myData'), payload: MY_DATA },
    { title: turn.t('registration:menu.backToMenu'), payload: MENU },
  ];
  if (list.length === 0) {
    await turn.say(
      turn.t('registration:mine.none'),
      [{ title: turn.t('registration:menu.register'), payload: REGISTER }, ...back],
      { numbered: true },
    );
    return;
  }
  const lines = [turn.t('registration:mine.intro')];
  for (const r of list) {
    const d = describeRegistration(turn, service, r);
    lines.push(
      turn.t('registration:mine.item', {
        ...d,
        code: r.code,
        status: await statusLabel(turn, service, r),
      }),
    );
  }
  lines.push(turn.t('registration:mine.pick'));
  const cancels = list.slice(0, MAX_BUTTONS).map((r) => ({
    title: turn.t('registration:mine.cancelButton', { code: r.code }),
    payload: `${REG_CANCEL}:${r.code}`,
  }));
  await turn.say(lines.join('\n'), [...cancels, ...back], { numbered: true });
}

/** Asks, then cancels one of the user's live registrations (the seat goes to the waitlist). */
export class CancelDialog extends ConfirmThenDialog<{ code: string }> {
  constructor(private readonly service: RegistrationService) {
    super(CANCEL_DIALOG);
  }

  private async mine(turn: Turn, code: string): Promise<Registration | undefined> {
    const r = await this.service.repo.getByCode(code);
    const owned =
      r &&
      r.channel === turn.contact.channel &&
      r.userId === turn.contact.userId &&
      r.status !== 'cancelled';
    return owned ? r : undefined;
  }

  protected async question(turn: Turn, { code }: { code: string }): Promise<Question> {
    const r = await this.mine(turn, code);
    if (!r) return { stop: turn.t('registration:cancel.notFound', { code }) };
    return {
      ask: turn.t('registration:cancel.ask', {
        code: r.code,
        ...describeRegistration(turn, this.service, r),
      }),
      retry: turn.t('registration:cancel.retry'),
      yes: turn.t('registration:yes'),
      no: turn.t('registration:no'),
    };
  }

  protected async act(turn: Turn, { code }: { code: string }): Promise<void> {
    const r = await this.mine(turn, code);
    const { promoted } = r ? await this.service.cancel(r, undefined) : { promoted: [] };
    await turn.say(turn.t('registration:cancel.done', { code }), [
      { title: turn.t('registration:menu.mine'), payload: MY_REGISTRATIONS },
      { title: turn.t('registration:menu.backToMenu'), payload: MENU },
    ]);
    // The person who cancelled has their answer first; then whoever got the seat is told.
    await this.service.tellPromoted(promoted, turn.context.adapter);
  }

  protected async kept(turn: Turn, { code }: { code: string }): Promise<void> {
    await turn.showMenu(turn.t('registration:cancel.kept', { code }));
  }
}
