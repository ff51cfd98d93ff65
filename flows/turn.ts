import type { TurnContext } from 'botbuilder-core';
import type { DialogContext } from 'botbuilder-dialogs';
import { messageWithChoices } from '../src/core/activities.js';
import type { Clock } from '../src/core/clock.js';
import type { Choice, InboundEvent, Locale, OutboundMessage } from '../src/core/events.js';
import type { Content } from '../src/content/load.js';
import type { Translate } from '../src/i18n.js';
import type { CampaignService } from '../src/campaigns/service.js';
import type { NominationService } from '../src/nominations/service.js';
import type { PlaceDirectory } from '../src/places/directory.js';
import type { QuizService } from '../src/quiz/service.js';
import type { RegistrationService } from '../src/registration/service.js';
import type { Contact, ContactsRepo } from '../src/store/contacts-repo.js';
import type { Store } from '../src/store/db.js';
import type { Command } from '../src/understanding/commands.js';

/** What flows may use: content, texts, records, time. */
export interface FlowServices {
  content: Content;
  /** The database, for features that keep records of their own. */
  store: Store;
  t: Translate;
  contacts: ContactsRepo;
  clock: Clock;
  timezone: string;
  /** Registrations, consent ledger and data rights. */
  registration: RegistrationService;
  /** Campaign sources (links and QR codes on banners, posters, vehicles...). */
  campaigns?: CampaignService;
  /** The quiz contest: rounds, attempts, leaderboard. */
  quiz: QuizService;
  /** Nominations of exemplary self-learners. */
  nominations: NominationService;
  /** Places to read (content/places.json). */
  places: PlaceDirectory;
}

/** Turn-state key under which the bot puts the current Turn (dialog steps read it with `turnOf`). */
export const TURN = Symbol('turn');

/** Turn-state key: set to true to forget the conversation's dialog state when the turn ends (erasure). */
export const FORGET_CONVERSATION = Symbol('forgetConversation');

/** The Turn behind a botbuilder context (inside dialogs). */
export function turnOf(context: TurnContext): Turn {
  const turn = context.turnState.get<Turn | undefined>(TURN);
  if (!turn) throw new Error('no Turn in this context: dialogs run inside LearningWeekBot.run');
  return turn;
}

/** One turn as flows see it: who, in which language, what they sent, and how to answer. */
export interface Turn {
  context: TurnContext;
  /** The dialogs of the conversation; built on first use (most turns run no dialog). */
  readonly dc: DialogContext;
  /** Whether a dialog is running, read from the dialog state without building `dc`. */
  readonly inDialog: boolean;
  services: FlowServices;
  event: InboundEvent | undefined;
  contact: Contact;
  locale: Locale;
  /** The raw text (NFC) the user typed, or the payload of what they tapped. */
  text: string;
  /** Payload of a tapped button (or of a numbered choice the user typed). */
  payload: string | undefined;
  /** The command the message carries (opt-out, language...), read once per turn. */
  command?: Command | undefined;
  /** Translates a key into the turn's language. */
  t(key: string, vars?: Record<string, unknown>): string;
  /** Sends text with optional buttons; `numbered` lists the choices in the text as well. */
  say(text: string, choices?: Choice[], options?: { numbered?: boolean }): Promise<void>;
  /** Sends a prepared message as is. */
  sayMessage(message: OutboundMessage): Promise<void>;
  /** Switches the user's language for this and later turns. */
  setLocale(locale: Locale): Promise<void>;
  /** Sends the main menu, optionally after an intro line. */
  showMenu(intro?: string): Promise<void>;
}

/** Appends "1. Title" lines for each choice (menus people can answer by typing a number). */
export function numberedText(text: string, choices: Choice[]): string {
  return [text, ...choices.map((c, i) => `${i + 1}. ${c.title}`)].join('\n');
}

/** Sends a message with buttons; with `numbered`, the text lists them too and channels know it. */
export async function sendWithChoices(
  context: TurnContext,
  text: string,
  choices: Choice[] = [],
  numbered = false,
): Promise<void> {
  await sendMessage(context, {
    text: numbered ? numberedText(text, choices) : text,
    choices,
    numbered,
  });
}

/** Sends a prepared message (text already numbered when `numbered` is set). */
export async function sendMessage(context: TurnContext, message: OutboundMessage): Promise<void> {
  const activity = messageWithChoices(message.text, message.choices ?? []);
  if (message.numbered) activity.channelData = { numbered: true };
  await context.sendActivity(activity);
}
