import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { truncateWords } from '../../src/core/text.js';
import type { NominationService } from '../../src/nominations/service.js';
import { provinceName } from '../../src/registration/provinces.js';
import { displayPhone } from '../../src/registration/validate.js';
import {
  confirmOptions,
  confirmPrompt,
  endWithMenu,
  giveUp,
  promptActivity,
} from '../registration/prompts.js';
import { provinceValidator } from '../registration/validators.js';
import { turnOf } from '../turn.js';
import {
  communeValidator,
  contactValidator,
  nomineeNameValidator,
  storyValidator,
} from './validators.js';
import { STORY_MAX } from '../../src/nominations/validate.js';

/** Id of the nomination dialog. */
export const NOMINATE_DIALOG = 'nominations.nominate';

const STEPS = 'steps';
const NAME = 'name';
const COMMUNE = 'commune';
const PROVINCE = 'province';
const STORY = 'story';
const CONTACT = 'contact';
const AGREED = 'agreed';
const CONSENT = 'consent';
const SEND = 'send';

/** Gathered in dialog state only: nothing is stored before consent and the final "send". */
interface Values {
  name?: string;
  commune?: string;
  province?: string;
  story?: string;
  contact?: string;
  consentAt?: number;
}

const values = (step: WaterfallStepContext) => step.values as Values;

/** Keeps the value a prompt returned, or ends the dialog when it gave up. */
type Next = (step: WaterfallStepContext) => Promise<DialogTurnResult>;

/**
 * Nomination of an exemplary self-learner: name ▸ commune or ward ▸ province ▸ story ▸ contact
 * ▸ the nominee agreed ▸ the nominator's consent ▸ summary ▸ send. Silence or "no" at either
 * agreement ends it with nothing stored.
 */
export class NominateDialog extends ComponentDialog {
  constructor(
    private readonly service: NominationService,
    private readonly retentionDays: number,
  ) {
    super(NOMINATE_DIALOG);
    this.addDialog(new TextPrompt(NAME, nomineeNameValidator));
    this.addDialog(new TextPrompt(COMMUNE, communeValidator));
    this.addDialog(new TextPrompt(PROVINCE, provinceValidator));
    this.addDialog(new TextPrompt(STORY, storyValidator));
    this.addDialog(new TextPrompt(CONTACT, contactValidator));
    this.addDialog(confirmPrompt(AGREED));
    this.addDialog(confirmPrompt(CONSENT));
    this.addDialog(confirmPrompt(SEND));
    const ask =
      (key: keyof Values | undefined, prompt: string, text: string, vars = {}): Next =>
      async (step) => {
        const turn = turnOf(step.context);
        if (key) {
          if (step.result === undefined) return giveUp(step);
          (values(step) as Record<string, unknown>)[key] = step.result;
        } else await turn.say(turn.t('nominations:intro'));
        return step.prompt(prompt, { prompt: promptActivity(turn.t(text, vars), []) });
      };
    this.addDialog(
      new WaterfallDialog(STEPS, [
        ask(undefined, NAME, 'nominations:askName'),
        ask('name', COMMUNE, 'nominations:askCommune'),
        ask('commune', PROVINCE, 'nominations:askProvince'),
        ask('province', STORY, 'nominations:askStory', { max: STORY_MAX }),
        ask('story', CONTACT, 'nominations:askContact'),
        (s) => this.askAgreed(s),
        (s) => this.askConsent(s),
        (s) => this.askSend(s),
        (s) => this.send(s),
      ]),
    );
    this.initialDialogId = STEPS;
  }

  private async askAgreed(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    if (step.result === undefined) return giveUp(step);
    values(step).contact = step.result as string;
    return step.prompt(
      AGREED,
      confirmOptions(turn.t('nominations:askAgreed'), turn.t('nominations:retryAgreed'), {
        yes: turn.t('nominations:agreedYes'),
        no: turn.t('nominations:agreedNo'),
      }),
    );
  }

  private async askConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    if (step.result === undefined) return giveUp(step);
    if (step.result !== true) return endWithMenu(step, turn.t('nominations:notAgreed'));
    const text = turn.t('nominations:consent.text', {
      days: this.retentionDays,
      version: turn.t('nominations:consent.version'),
    });
    return step.prompt(
      CONSENT,
      confirmOptions(text, turn.t('nominations:consent.retry'), {
        yes: turn.t('nominations:consent.yes'),
        no: turn.t('nominations:consent.no'),
      }),
    );
  }

  private async askSend(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    if (step.result === undefined) return giveUp(step);
    if (step.result !== true) return endWithMenu(step, turn.t('nominations:consent.refused'));
    const v = values(step);
    v.consentAt = turn.services.clock.now();
    const summary = turn.t('nominations:summary', {
      name: v.name,
      commune: v.commune,
      province: provinceName(v.province!, turn.locale),
      story: truncateWords(v.story!, 300),
      contact: v.contact!.startsWith('+84') ? displayPhone(v.contact!) : v.contact,
    });
    return step.prompt(
      SEND,
      confirmOptions(summary, turn.t('nominations:retrySend'), {
        yes: turn.t('nominations:send'),
        no: turn.t('nominations:cancel'),
      }),
    );
  }

  private async send(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = turnOf(step.context);
    if (step.result === undefined) return giveUp(step);
    if (step.result !== true) return endWithMenu(step, turn.t('nominations:notSent'));
    const v = values(step);
    const nomination = await this.service.create({
      channel: turn.contact.channel,
      userId: turn.contact.userId,
      nomineeName: v.name!,
      commune: v.commune!,
      province: v.province!,
      story: v.story!,
      contact: v.contact!,
      locale: turn.locale,
      noticeVersion: turn.t('nominations:consent.version'),
      consentAt: v.consentAt!,
    });
    return endWithMenu(step, turn.t('nominations:sent', { id: nomination.id }));
  }
}
