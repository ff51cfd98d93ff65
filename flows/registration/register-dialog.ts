import {
  ComponentDialog,
  TextPrompt,
  type DialogContext,
  type DialogTurnResult,
  type FoundChoice,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import {
  COURSE_KINDS,
  findCourse,
  findSession,
  type CourseKind,
  type SessionRef,
} from '../../src/content/courses.js';
import {
  courseTitle,
  sessionPlace,
  sessionShortLabel,
  sessionWhen,
} from '../../src/registration/describe.js';
import { controllerText } from '../../src/content/organiser.js';
import { matchProvince, provinceLongName, provinceName } from '../../src/registration/provinces.js';
import type { RegisterResult, Registration } from '../../src/registration/repo.js';
import type { RegistrationService } from '../../src/registration/service.js';
import { displayPhone } from '../../src/registration/validate.js';
import { REGISTRATION_PURPOSE } from '../../src/registration/consents.js';
import { MENU } from '../menu.js';
import { ReaskableWaterfall } from '../reask.js';
import { turnOf, type Turn } from '../turn.js';
import { MY_REGISTRATIONS, REGISTER } from './payloads.js';
import { nameValidator, phoneValidator, provinceValidator } from './validators.js';
import {
  choiceOptions,
  choicePrompt,
  confirmOptions,
  confirmPrompt,
  endWithMenu,
  giveUp,
  promptActivity,
  type Option,
} from './prompts.js';

/** Id of the registration dialog. */
export const REGISTER_DIALOG = 'registration.register';

/** Where the dialog starts: a course or a session chosen by a deep link / button, or nothing. */
export interface RegisterOptions {
  courseId?: string;
  sessionId?: string;
}

const STEPS = 'steps';
const KIND = 'kind';
const COURSE = 'course';
const SESSION = 'session';
const WAITLIST = 'waitlist';
const NAME = 'name';
const PHONE = 'phone';
const PROVINCE = 'province';
const AUDIENCE = 'audience';
const CONSENT = 'consent';
const CONFIRM = 'confirm';
const RACE = 'race';

/** What the dialog has gathered so far (kept in dialog state, stored nowhere else before consent). */
interface Values {
  kind?: CourseKind;
  courseId?: string;
  sessionId?: string;
  waitlist?: boolean;
  fullName?: string;
  phone?: string;
  province?: string;
  audience?: string;
  consentAt?: number;
}

const values = (step: WaterfallStepContext) => step.values as Values;

/**
 * Registration: kind ▸ course ▸ session (open ones; a full one offers the waitlist) ▸ full name ▸
 * phone ▸ province ▸ audience ▸ consent ▸ summary ▸ confirm ▸ confirmation code. Every prompt
 * re-asks with a helpful message and gives up to the menu after MAX_TRIES bad answers.
 */
export class RegisterDialog extends ComponentDialog {
  constructor(private readonly service: RegistrationService) {
    super(REGISTER_DIALOG);
    this.addDialog(choicePrompt(KIND));
    this.addDialog(choicePrompt(COURSE));
    this.addDialog(choicePrompt(SESSION));
    this.addDialog(confirmPrompt(WAITLIST));
    this.addDialog(new TextPrompt(NAME, nameValidator));
    this.addDialog(new TextPrompt(PHONE, phoneValidator));
    this.addDialog(new TextPrompt(PROVINCE, provinceValidator));
    this.addDialog(choicePrompt(AUDIENCE));
    this.addDialog(confirmPrompt(CONSENT));
    this.addDialog(confirmPrompt(CONFIRM));
    this.addDialog(confirmPrompt(RACE));
    this.addDialog(
      new ReaskableWaterfall(STEPS, [
        (s) => this.askKind(s),
        (s) => this.askCourse(s),
        (s) => this.askSession(s),
        (s) => this.askWaitlist(s),
        (s) => this.askName(s),
        (s) => this.askPhone(s),
        (s) => this.askProvince(s),
        (s) => this.askAudience(s),
        (s) => this.askConsent(s),
        (s) => this.askConfirm(s),
        (s) => this.finish(s),
        (s) => this.afterRace(s),
      ]),
    );
    this.initialDialogId = STEPS;
  }

  /** A "register for X" button tapped in the middle of a registration starts over with X. */
  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    const value = inner.context.activity.value as { payload?: unknown } | undefined;
    // Zalo's query buttons send the payload back as plain text.
    const payload =
      typeof value?.payload === 'string' ? value.payload : inner.context.activity.text?.trim();
    if (payload?.startsWith(`${REGISTER}:`)) {
      await inner.cancelAllDialogs();
      return inner.beginDialog(
        STEPS,
        registerTarget(this.service, payload.slice(REGISTER.length + 1)),
      );
    }
    return super.onContinueDialog(inner);
  }

  private async askKind(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const v = values(step);
    const options = (step.options ?? {}) as RegisterOptions;
    await turn.say(turn.t('registration:intro'));
    if (options.sessionId) {
      const ref = findSession(this.service.content.courses, options.sessionId);
      if (ref)
        Object.assign(v, {
          kind: ref.course.kind,
          courseId: ref.course.id,
          sessionId: ref.session.id,
        });
    } else if (options.courseId) {
      const course = findCourse(this.service.content.courses, options.courseId);
      if (course) Object.assign(v, { kind: course.kind, courseId: course.id });
    }
    if ((options.courseId || options.sessionId) && !v.courseId)
      await turn.say(turn.t('registration:courseNotFound'));
    if (v.kind) return step.next();

    const open = await this.service.openSessions();
    const kinds = COURSE_KINDS.filter((k) => open.some((o) => o.course.kind === k));
    if (kinds.length === 0) return endWithMenu(step, turn.t('registration:noneOpen'));
    if (kinds.length === 1) {
      v.kind = kinds[0];
      return step.next();
    }
    const opts = kinds.map((k) => ({
      title: turn.t(`registration:kind.${k}`),
      payload: `REG_KIND:${k}`,
    }));
    return step.prompt(
      KIND,
      choiceOptions(turn.t('registration:askKind'), turn.t('registration:retryKind'), opts),
    );
  }

  private async askCourse(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const v = values(step);
    if (!v.kind) {
      const picked = step.result as FoundChoice | undefined;
      if (!picked) return giveUp(step);
      v.kind = picked.value.slice('REG_KIND:'.length) as CourseKind;
    }
    if (v.courseId) return step.next();
    const open = await this.service.openSessions({ kind: v.kind });
    const courses = [...new Map(open.map((o) => [o.course.id, o.course])).values()];
    if (courses.length === 0)
      return endWithMenu(
        step,
        turn.t('registration:noneOpenKind', {
          kind: turn.t(`registration:kind.${v.kind}`).toLowerCase(),
        }),
      );
    if (courses.length === 1) {
      v.courseId = courses[0]!.id;
      return step.next();
    }
    const opts = courses.map((c) => ({
      title: courseTitle(c, turn.locale, turn.services.t),
      payload: `REG_COURSE:${c.id}`,
    }));
    return step.prompt(
      COURSE,
      choiceOptions(turn.t('registration:askCourse'), turn.t('registration:retryCourse'), opts),
    );
  }

  private async askSession(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const v = values(step);
    if (!v.courseId) {
      const picked = step.result as FoundChoice | undefined;
      if (!picked) return giveUp(step);
      v.courseId = picked.value.slice('REG_COURSE:'.length);
    }
    if (v.sessionId) return step.next();
    const open = await this.service.openSessions({ courseId: v.courseId });
    const course = findCourse(this.service.content.courses, v.courseId);
    if (!course) return endWithMenu(step, turn.t('registration:noneOpen'));
    if (open.length === 0)
      return endWithMenu(
        step,
        turn.t('registration:sessionClosed', {
          title: courseTitle(course, turn.locale, turn.services.t),
        }),
      );
    if (open.length === 1) {
      v.sessionId = open[0]!.session.id;
      return step.next();
    }
    const opts = open.map((o) => ({
      title: `${sessionShortLabel(o.session, turn.locale, this.service.timezone, turn.services.t)} · ${
        o.left > 0
          ? turn.t('registration:seatsLeft', { count: o.left })
          : turn.t('registration:seatsFull')
      }`,
      payload: `REG_SESSION:${o.session.id}`,
    }));
    const title = courseTitle(course, turn.locale, turn.services.t);
    return step.prompt(
      SESSION,
      choiceOptions(
        turn.t('registration:askSession', { title }),
        turn.t('registration:retrySession'),
        opts,
      ),
    );
  }

  private async askWaitlist(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const v = values(step);
    if (!v.sessionId) {
      const picked = step.result as FoundChoice | undefined;
      if (!picked) return giveUp(step);
      v.sessionId = picked.value.slice('REG_SESSION:'.length);
    }
    const ref = this.ref(v);
    if (!ref || !this.service.isOpen(ref.session))
      return endWithMenu(
        step,
        turn.t('registration:sessionClosed', {
          title: ref ? courseTitle(ref.course, turn.locale, turn.services.t) : v.sessionId,
        }),
      );
    await turn.say(
      turn.t('registration:chosen', {
        title: courseTitle(ref.course, turn.locale, turn.services.t),
        when: sessionWhen(ref.session, turn.locale, this.service.timezone, turn.services.t),
        place: sessionPlace(ref.session, turn.locale, turn.services.t),
      }),
    );
    const seats = await this.service.repo.seats(ref.session.id);
    if (seats.taken < ref.session.capacity) {
      v.waitlist = false;
      return step.next();
    }
    return step.prompt(
      WAITLIST,
      confirmOptions(
        turn.t('registration:askWaitlist', { position: seats.waitlist + 1 }),
        turn.t('registration:retryWaitlist'),
        { yes: turn.t('registration:yes'), no: turn.t('registration:no') },
      ),
    );
  }

  private async askName(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const v = values(step);
    if (v.waitlist === undefined) {
      const answer = step.result as boolean | undefined;
      if (answer === undefined) return giveUp(step);
      if (!answer) return endWithMenu(step, turn.t('registration:waitlistDeclined'));
      v.waitlist = true;
    }
    return step.prompt(NAME, { prompt: promptActivity(turn.t('registration:askName'), []) });
  }

  private async askPhone(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const name = step.result as string | undefined;
    if (name === undefined) return giveUp(step);
    values(step).fullName = name;
    return step.prompt(PHONE, { prompt: promptActivity(turn.t('registration:askPhone'), []) });
  }

  private async askProvince(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const v = values(step);
    const phone = step.result as string | undefined;
    if (phone === undefined) return giveUp(step);
    v.phone = phone;
    // Said now rather than after the consent: the person should not type the rest for nothing.
    const existing = await this.service.repo.findLive(v.sessionId!, phone);
    if (existing) return this.endDuplicate(step, turn, existing);
    return step.prompt(PROVINCE, {
      prompt: promptActivity(turn.t('registration:askProvince'), []),
    });
  }

  private async askAudience(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const v = values(step);
    const province = step.result as string | undefined;
    if (province === undefined) return giveUp(step);
    v.province = province;
    const typed = matchProvince(step.context.activity.text ?? '');
    if (typed.kind === 'found' && typed.former && typed.province.id === province)
      await turn.say(
        turn.t('registration:provinceMerged', {
          former: typed.former,
          unit: provinceLongName(province, turn.locale),
        }),
      );
    const course = this.ref(v)!.course;
    if (course.audiences.length === 1) {
      v.audience = course.audiences[0];
      return step.next();
    }
    const opts = course.audiences.map((a) => ({
      title: turn.t(`registration:audience.${a}`),
      payload: `REG_AUD:${a}`,
    }));
    return step.prompt(
      AUDIENCE,
      choiceOptions(turn.t('registration:askAudience'), turn.t('registration:retryAudience'), opts),
    );
  }

  private async askConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const v = values(step);
    if (!v.audience) {
      const picked = step.result as FoundChoice | undefined;
      if (!picked) return giveUp(step);
      v.audience = picked.value.slice('REG_AUD:'.length);
    }
    const text = turn.t('registration:consent.text', {
      controller: controllerText(this.service.content.organiser, turn.locale),
      days: this.service.retentionDays,
      version: this.service.noticeVersion(turn.locale),
    });
    return step.prompt(
      CONSENT,
      confirmOptions(text, turn.t('registration:consent.retry'), {
        yes: turn.t('registration:consent.yes'),
        no: turn.t('registration:consent.no'),
      }),
    );
  }

  private async askConfirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const v = values(step);
    const consent = step.result as boolean | undefined;
    if (consent === undefined) return giveUp(step);
    // Silence or "no" is not consent: nothing is stored, and the dialog state goes with the dialog.
    if (!consent) return endWithMenu(step, turn.t('registration:consent.refused'));
    v.consentAt = turn.services.clock.now();
    const ref = this.ref(v)!;
    const summary = turn.t('registration:summary', {
      title: courseTitle(ref.course, turn.locale, turn.services.t),
      when: sessionWhen(ref.session, turn.locale, this.service.timezone, turn.services.t),
      place: sessionPlace(ref.session, turn.locale, turn.services.t),
      name: v.fullName,
      phone: displayPhone(v.phone!),
      province: provinceName(v.province!, turn.locale),
      audience: turn.t(`registration:audience.${v.audience}`),
      waitlist: v.waitlist ? turn.t('registration:summaryWaitlist') : '',
    });
    return step.prompt(
      CONFIRM,
      confirmOptions(summary, turn.t('registration:retryConfirm'), {
        yes: turn.t('registration:confirmYes'),
        no: turn.t('registration:confirmNo'),
      }),
    );
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const v = values(step);
    const confirmed = step.result as boolean | undefined;
    if (confirmed === undefined) return giveUp(step);
    if (!confirmed) return endWithMenu(step, turn.t('registration:notConfirmed'));
    const ref = this.ref(v);
    if (!ref || !this.service.isOpen(ref.session))
      return endWithMenu(step, turn.t('registration:sessionClosed', { title: v.sessionId }));
    const result = await this.register(turn, v, v.waitlist === true);
    if (result.kind === 'full') {
      // Someone took the last seat between the seat check and the confirmation.
      return step.prompt(
        RACE,
        confirmOptions(turn.t('registration:raceFull'), turn.t('registration:retryWaitlist'), {
          yes: turn.t('registration:yes'),
          no: turn.t('registration:no'),
        }),
      );
    }
    return this.endWithResult(step, turn, result);
  }

  private async afterRace(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    const answer = step.result as boolean | undefined;
    if (answer === undefined) return giveUp(step);
    if (!answer) return endWithMenu(step, turn.t('registration:waitlistDeclined'));
    return this.endWithResult(step, turn, await this.register(turn, values(step), true));
  }

  private register(turn: Turn, v: Values, waitlist: boolean): Promise<RegisterResult> {
    const ref = this.ref(v)!;
    return this.service.register({
      courseId: ref.course.id,
      sessionId: ref.session.id,
      channel: turn.contact.channel,
      userId: turn.contact.userId,
      fullName: v.fullName!,
      phone: v.phone!,
      province: v.province!,
      audience: v.audience!,
      locale: turn.locale,
      waitlist,
      consent: {
        purpose: REGISTRATION_PURPOSE,
        noticeVersion: this.service.noticeVersion(turn.locale),
        at: v.consentAt ?? turn.services.clock.now(),
      },
    });
  }

  private async endWithResult(
    step: WaterfallStepContext,
    turn: Turn,
    result: RegisterResult,
  ): Promise<DialogTurnResult> {
    const ref = this.ref(values(step))!;
    const title = courseTitle(ref.course, turn.locale, turn.services.t);
    const after: Option[] = [
      { title: turn.t('registration:menu.mine'), payload: MY_REGISTRATIONS },
      { title: turn.t('registration:menu.backToMenu'), payload: MENU },
    ];
    switch (result.kind) {
      case 'confirmed':
        await turn.sayMessage(
          toMessage(
            turn.t('registration:confirmed', {
              code: result.registration.code,
              title,
              when: sessionWhen(ref.session, turn.locale, this.service.timezone, turn.services.t),
              place: sessionPlace(ref.session, turn.locale, turn.services.t),
            }),
            after,
          ),
        );
        return step.endDialog();
      case 'waitlisted':
        await turn.sayMessage(
          toMessage(
            turn.t('registration:waitlisted', {
              code: result.registration.code,
              title,
              position: result.position,
            }),
            after,
          ),
        );
        return step.endDialog();
      case 'duplicate':
        return this.endDuplicate(step, turn, result.existing);
      case 'full':
        return endWithMenu(step, turn.t('registration:waitlistDeclined'));
    }
  }

  private async endDuplicate(
    step: WaterfallStepContext,
    turn: Turn,
    existing: Registration,
  ): Promise<DialogTurnResult> {
    const position =
      existing.status === 'waitlisted' ? await this.service.repo.waitlistPosition(existing) : 0;
    await turn.sayMessage(
      toMessage(
        turn.t('registration:duplicate', {
          code: existing.code,
          status: turn.t(`registration:status.${existing.status}`, { position }),
        }),
        [
          { title: turn.t('registration:menu.mine'), payload: MY_REGISTRATIONS },
          { title: turn.t('registration:menu.backToMenu'), payload: MENU },
        ],
      ),
    );
    return step.endDialog();
  }

  private ref(v: Values): SessionRef | undefined {
    return v.sessionId ? findSession(this.service.content.courses, v.sessionId) : undefined;
  }
}

function toMessage(text: string, options: Option[]) {
  return { text, choices: options.map((o) => ({ title: o.title, payload: o.payload })) };
}

/** What a `REGISTER:<id>` payload or `register-<id>` ref points at: a session or a course. */
export function registerTarget(service: RegistrationService, id: string): RegisterOptions {
  if (findSession(service.content.courses, id)) return { sessionId: id };
  return { courseId: id };
}
