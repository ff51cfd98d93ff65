import { NOMINATION_PURPOSE } from '../../src/nominations/service.js';
import type { Choice } from '../../src/core/events.js';
import { truncateWords } from '../../src/core/text.js';
import { otherPersonalData } from '../../src/registration/access.js';
import { REGISTRATION_PURPOSE } from '../../src/registration/consents.js';
import { provinceName } from '../../src/registration/provinces.js';
import type { RegistrationService } from '../../src/registration/service.js';
import { formatDateTime } from '../../src/registration/time.js';
import { displayPhone } from '../../src/registration/validate.js';
import { MENU } from '../menu.js';
import { topicNames } from '../subscriptions.js';
import { FORGET_CONVERSATION, type Turn } from '../turn.js';
import { ConfirmThenDialog, type Question } from './confirm-dialog.js';
import { describeRegistration, statusLabel } from './my-registrations.js';
import { DELETE_MY_DATA, WITHDRAW_CONSENT } from './payloads.js';

/** Id of the delete-my-data dialog. */
export const DELETE_DIALOG = 'registration.delete';
/** Id of the withdraw-consent dialog. */
export const WITHDRAW_DIALOG = 'registration.withdraw';

/** Unanswered questions quoted in "my data" (the count says how many there are in all). */
const QUESTIONS_SHOWN = 5;
const QUESTION_CHARS = 100;

/** "My data" (right of access): everything stored about the user, in plain words. */
export async function showMyData(turn: Turn, service: RegistrationService): Promise<void> {
  const { channel, userId } = turn.contact;
  const tz = service.timezone;
  const at = (ms: number) => formatDateTime(ms, turn.locale, tz);
  const lines = [turn.t('registration:data.intro')];
  const contact = await turn.services.contacts.get(channel, userId);
  lines.push(
    contact
      ? turn.t('registration:data.account', {
          channel,
          language: turn.t(`registration:data.language.${contact.locale ?? 'none'}`),
          firstSeen: at(contact.firstSeenAt),
          lastSeen: contact.lastInboundAt === null ? '-' : at(contact.lastInboundAt),
        })
      : turn.t('registration:data.noAccount'),
  );
  if (contact) {
    lines.push(
      contact.optedIn
        ? turn.t('registration:data.subscriptionOn', { topics: topicNames(turn, contact.topics) })
        : turn.t('registration:data.subscriptionOff'),
    );
    const other = await otherPersonalData(turn.services.store.db, contact.id);
    for (const change of other.subscriptionChanges) {
      lines.push(
        change.optedIn
          ? turn.t('registration:data.optIn', {
              topics: topicNames(turn, change.topics),
              at: at(change.at),
            })
          : turn.t('registration:data.optOut', { at: at(change.at) }),
      );
    }
    if (other.announcementsSent > 0)
      lines.push(turn.t('registration:data.announcements', { count: other.announcementsSent }));
    if (other.questions.length > 0) {
      lines.push(turn.t('registration:data.questions', { count: other.questions.length }));
      for (const q of other.questions.slice(0, QUESTIONS_SHOWN))
        lines.push(
          turn.t('registration:data.question', {
            text: truncateWords(q.text, QUESTION_CHARS),
            at: at(q.at),
          }),
        );
    }
  }
  const registrations = await service.repo.listByUser(channel, userId, { includeCancelled: true });
  if (registrations.length === 0) lines.push(turn.t('registration:data.noRegistrations'));
  const cleared = turn.t('registration:data.cleared');
  for (const r of registrations) {
    lines.push(
      turn.t('registration:data.registration', {
        code: r.code,
        status: await statusLabel(turn, service, r),
        title: describeRegistration(turn, service, r).title,
        name: r.fullName ?? cleared,
        phone: r.phone ? displayPhone(r.phone) : cleared,
        province: provinceName(r.province, turn.locale),
        audience: turn.t(`registration:audience.${r.audience}`),
        at: at(r.createdAt),
      }),
    );
  }
  const nominations = await turn.services.nominations.countByUser(channel, userId);
  if (nominations > 0) lines.push(turn.t('nominations:mine', { count: nominations }));
  for (const c of await service.consents.history(channel, userId)) {
    const purpose =
      c.purpose === NOMINATION_PURPOSE
        ? turn.t('nominations:purpose')
        : turn.t('registration:data.purpose');
    lines.push(
      c.action === 'given'
        ? turn.t('registration:data.consentGiven', {
            purpose,
            version: c.noticeVersion,
            at: at(c.at),
          })
        : turn.t('registration:data.consentWithdrawn', { purpose, at: at(c.at) }),
    );
  }
  lines.push(turn.t('registration:data.retention', { days: service.retentionDays }));
  const choices: Choice[] = [
    { title: turn.t('registration:menu.deleteData'), payload: DELETE_MY_DATA },
  ];
  if (await service.consents.isGiven(channel, userId, REGISTRATION_PURPOSE))
    choices.push({ title: turn.t('registration:menu.withdraw'), payload: WITHDRAW_CONSENT });
  choices.push({ title: turn.t('registration:menu.backToMenu'), payload: MENU });
  await turn.say(lines.join('\n'), choices, { numbered: true });
}

/** "Delete my data" (right to erasure), after a confirmation. */
export class DeleteDataDialog extends ConfirmThenDialog<object> {
  constructor(private readonly service: RegistrationService) {
    super(DELETE_DIALOG);
  }

  protected async question(turn: Turn): Promise<Question> {
    const live = await this.service.repo.listByUser(turn.contact.channel, turn.contact.userId);
    return {
      ask: turn.t('registration:delete.ask', { count: live.length }),
      retry: turn.t('registration:delete.retry'),
      yes: turn.t('registration:delete.yes'),
      no: turn.t('registration:delete.no'),
    };
  }

  protected async act(turn: Turn): Promise<void> {
    const { channel, userId } = turn.contact;
    const result = await this.service.erase(channel, userId, {
      adapter: turn.context.adapter,
      ...(turn.event ? { currentEventId: turn.event.eventId } : {}),
      inTurn: true,
    });
    // The bot deletes this conversation's dialog state when the turn ends (instead of saving it).
    turn.context.turnState.set(FORGET_CONVERSATION, true);
    await turn.showMenu(
      turn.t('registration:delete.done', { registrations: result.registrations }),
    );
  }

  protected async kept(turn: Turn): Promise<void> {
    await turn.showMenu(turn.t('registration:delete.kept'));
  }
}

/** "Withdraw consent": cancels the registrations that rest on it and records the withdrawal. */
export class WithdrawDialog extends ConfirmThenDialog<object> {
  constructor(private readonly service: RegistrationService) {
    super(WITHDRAW_DIALOG);
  }

  protected async question(turn: Turn): Promise<Question> {
    const { channel, userId } = turn.contact;
    if (!(await this.service.consents.isGiven(channel, userId, REGISTRATION_PURPOSE)))
      return { stop: turn.t('registration:withdraw.nothing') };
    const live = await this.service.repo.listByUser(channel, userId);
    return {
      ask: turn.t('registration:withdraw.ask', { count: live.length }),
      retry: turn.t('registration:withdraw.retry'),
      yes: turn.t('registration:yes'),
      no: turn.t('registration:no'),
    };
  }

  protected async act(turn: Turn): Promise<void> {
    const { channel, userId } = turn.contact;
    const { cancelled } = await this.service.withdrawConsent(
      channel,
      userId,
      turn.locale,
      turn.context.adapter,
    );
    await turn.showMenu(turn.t('registration:withdraw.done', { count: cancelled }));
  }

  protected async kept(turn: Turn): Promise<void> {
    await turn.showMenu(turn.t('registration:withdraw.kept'));
  }
}
