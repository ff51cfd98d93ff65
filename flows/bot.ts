import type { ConversationState, StatePropertyAccessor, TurnContext } from 'botbuilder-core';
import {
  DialogContext,
  DialogSet,
  type DialogState,
  type DialogStateManagerConfiguration,
} from 'botbuilder-dialogs';

import { CONTACT, INBOUND_EVENT } from '../src/core/activities.js';
import type { ChannelId, Choice, InboundEvent, Locale } from '../src/core/events.js';
import { fold } from '../src/core/text.js';
import { DEFAULT_LOCALE } from '../src/i18n.js';
import type { Contact } from '../src/store/contacts-repo.js';
import type { Feature } from './feature.js';
import { cleanInput, commandOf } from './intents.js';
import { questionIndexFor } from './questions.js';
import { reaskDialog } from './reask.js';
import type { Command } from '../src/understanding/commands.js';
import { greetingText, menuItems, sendMenu } from './menu.js';
import {
  FORGET_CONVERSATION,
  sendMessage,
  sendWithChoices,
  TURN,
  type FlowServices,
  type Turn,
} from './turn.js';
import { nowIn } from './week-status.js';

/** Where botbuilder's DialogStateManager looks for a configuration in the turn state. */
const MEMORY_CONFIGURATION = 'DialogStateManagerConfiguration';

/**
 * The conversation: global words first (menu, cancel, language...), then the features' words
 * that work at any moment (opt-out), then the active dialog, then each feature in order, then a
 * friendly fallback with the menu.
 */
export class LearningWeekBot {
  private readonly dialogs: DialogSet;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly lastChoices: StatePropertyAccessor<Choice[]>;
  private memory: DialogStateManagerConfiguration | undefined;

  constructor(
    private readonly services: FlowServices,
    private readonly conversationState: ConversationState,
    readonly features: readonly Feature[],
  ) {
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.lastChoices = conversationState.createProperty<Choice[]>('lastChoices');
    this.dialogs = new DialogSet(this.dialogState);
    for (const feature of features)
      for (const dialog of feature.dialogs ?? []) this.dialogs.add(dialog);
  }

  /** Runs one turn; conversation state is saved even when the turn fails half-way. */
  async run(context: TurnContext): Promise<void> {
    const event = context.turnState.get<InboundEvent | undefined>(INBOUND_EVENT);
    const channel = context.activity.channelId as ChannelId;
    const userId = context.activity.conversation.id;
    const now = this.services.clock.now();
    const contact =
      context.turnState.get<Contact | undefined>(CONTACT) ??
      (await this.services.contacts.get(channel, userId)) ??
      (await this.services.contacts.touch(channel, userId, now));
    const locale: Locale = contact.locale ?? event?.locale ?? DEFAULT_LOCALE;

    context.onSendActivities(async (ctx, activities, next) => {
      const withChoices = [...activities]
        .reverse()
        .find((a) => (a.suggestedActions?.actions.length ?? 0) > 0);
      if (withChoices) {
        await this.lastChoices.set(
          ctx,
          withChoices.suggestedActions!.actions.map((a) => ({
            title: a.title,
            payload: String(a.value),
          })),
        );
      }
      return next();
    });

    // What DialogSet.createContext reads; the DialogContext itself (its memory scopes and state
    // manager, about 4% of a turn) is built only when the turn touches a dialog.
    const dialogState = await this.dialogState.get(context, { dialogStack: [] });
    let dc: DialogContext | undefined;
    const dialogContext = (): DialogContext => {
      if (dc) return dc;
      // botbuilder builds the dialog memory's scopes and path resolvers anew for every turn
      // (a service collection each time); they hold no state of their own, so the first turn's
      // set serves every later one. Should the key ever change, botbuilder builds them as before.
      if (this.memory) context.turnState.set(MEMORY_CONFIGURATION, this.memory);
      dc = new DialogContext(this.dialogs, context, dialogState);
      this.memory ??= dc.state.configuration;
      return dc;
    };
    const value = context.activity.value as { payload?: unknown } | undefined;
    const turn: Turn = {
      context,
      get dc() {
        return dialogContext();
      },
      get inDialog() {
        return dialogState.dialogStack.length > 0;
      },
      services: this.services,
      event,
      contact,
      locale,
      text: (context.activity.text ?? '').normalize('NFC'),
      payload: typeof value?.payload === 'string' ? value.payload : undefined,
      t: (key, vars) => this.services.t(turn.locale, key, vars),
      say: (text, choices, options) =>
        sendWithChoices(context, text, choices ?? [], options?.numbered ?? false),
      sayMessage: (message) => sendMessage(context, message),
      setLocale: async (next) => {
        turn.locale = next;
        contact.locale = next;
        context.activity.locale = next === 'vi' ? 'vi-vn' : 'en-us';
        await this.services.contacts.setLocale(channel, userId, next);
      },
      showMenu: (intro) => sendMenu(turn, this.features, intro),
    };
    context.activity.locale = locale === 'vi' ? 'vi-vn' : 'en-us';
    context.turnState.set(TURN, turn);
    try {
      await this.dispatch(turn);
    } finally {
      // A person who erased their data leaves no dialog state behind.
      if (context.turnState.get(FORGET_CONVERSATION) === true)
        await this.conversationState.delete(context);
      else await this.conversationState.saveChanges(context);
    }
  }

  private async dispatch(turn: Turn): Promise<void> {
    const { activity } = turn.context;
    if (activity.type === 'event') return this.onEvent(turn, activity.name ?? '');
    if (activity.type !== 'message') return;

    if (!turn.payload) turn.payload = await this.numberedChoice(turn);
    turn.text = cleanInput(turn.text);
    turn.command = commandOf(turn.payload, turn.text, turn.locale);
    // A command written clearly in the other language is answered in it (this turn only).
    if (turn.command && turn.command.kind !== 'language' && !turn.inDialog && !turn.payload)
      turn.locale = questionIndexFor(this.services.content).language(turn.text) ?? turn.locale;
    if (turn.command && (await this.onCommand(turn, turn.command))) return;

    const topLevelPayload =
      turn.payload !== undefined &&
      menuItems(this.features).some((m) => m.payload === turn.payload);
    if (!topLevelPayload && (await this.globalHook(turn))) return;
    if (topLevelPayload) {
      if (turn.inDialog) await turn.dc.cancelAllDialogs();
    } else if (turn.inDialog) {
      await turn.dc.continueDialog();
      return;
    }

    if (turn.payload) {
      for (const feature of this.features)
        if (await feature.onPayload?.(turn, turn.payload)) return;
    }
    if (!turn.payload && fold(turn.text) === '') {
      await turn.showMenu(turn.t('common:empty'));
      return;
    }
    for (const feature of this.features) if (await feature.onText?.(turn)) return;
    await turn.showMenu(turn.t('common:fallback'));
  }

  /**
   * Features' words that work at any moment (opt-out, delete my data...): the first feature that
   * answers wins, then the dialog it cut into is asked its question again, cancelled, or left to
   * the feature (which may have started a dialog of its own).
   */
  private async globalHook(turn: Turn): Promise<boolean> {
    for (const feature of this.features) {
      const after = await feature.global?.(turn);
      if (after === undefined) continue;
      if (turn.inDialog) {
        if (after === 'resume') await reaskDialog(turn.dc);
        else if (after === 'end') {
          await turn.dc.cancelAllDialogs();
          await turn.showMenu(turn.t('common:cancelled'));
        }
      }
      return true;
    }
    return false;
  }

  /**
   * The bot's own commands, in any state: a language switch in the middle of a dialog asks the
   * same question again in the new language (the word is never taken as the answer); thanks and
   * greetings answer and ask again; menu and cancel leave the dialog. Others are the features'.
   */
  private async onCommand(turn: Turn, command: Command): Promise<boolean> {
    const inDialog = turn.inDialog;
    switch (command.kind) {
      case 'language':
        await turn.setLocale(command.locale);
        if (!inDialog) await turn.showMenu(turn.t('common:language.switched'));
        else {
          await turn.say(turn.t('common:language.switched'));
          await reaskDialog(turn.dc);
        }
        return true;
      case 'menu':
        if (inDialog) await turn.dc.cancelAllDialogs();
        await turn.showMenu();
        return true;
      case 'cancel':
        if (inDialog) await turn.dc.cancelAllDialogs();
        await turn.showMenu(inDialog ? turn.t('common:cancelled') : undefined);
        return true;
      case 'thanks':
        await turn.say(turn.t('common:thanks'));
        if (inDialog) await reaskDialog(turn.dc);
        return true;
      case 'greeting': {
        const greeting = greetingText(
          this.services.t,
          this.services.content,
          turn.locale,
          nowIn(this.services).date,
        );
        if (!inDialog) await turn.showMenu(greeting);
        else {
          await turn.say(greeting);
          await reaskDialog(turn.dc);
        }
        return true;
      }
      default:
        return false;
    }
  }

  /** A typed number picks the matching button of the last message that had buttons. */
  private async numberedChoice(turn: Turn): Promise<string | undefined> {
    const match = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(turn.text);
    if (!match) return undefined;
    const choices = (await this.lastChoices.get(turn.context)) ?? [];
    return choices[Number(match[1]) - 1]?.payload;
  }

  private async onEvent(turn: Turn, name: string): Promise<void> {
    const event = turn.event;
    switch (name) {
      case 'follow':
      case 'referral': {
        const ref =
          event && (event.kind === 'follow' || event.kind === 'referral') ? event.ref : undefined;
        if (ref) for (const feature of this.features) if (await feature.onRef?.(turn, ref)) return;
        return turn.showMenu(
          greetingText(
            this.services.t,
            this.services.content,
            turn.locale,
            nowIn(this.services).date,
          ),
        );
      }
      case 'unsupported':
        return turn.showMenu(turn.t('common:unsupported'));
      default:
        return;
    }
  }
}
