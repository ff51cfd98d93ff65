import type { Dialog } from 'botbuilder-dialogs';
import type { Turn } from './turn.js';

/** An entry of the main menu. */
export interface MenuItem {
  /** Payload sent back when the entry is tapped (or its number typed). */
  payload: string;
  /** Locale key of the entry's title. */
  titleKey: string;
}

/**
 * What becomes of the active dialog after a feature's `global` hook answered: `resume` asks its
 * question again, `end` cancels it, `started` means the feature began a dialog of its own.
 */
export type AfterGlobal = 'resume' | 'end' | 'started';

/**
 * A piece of the conversation (about, questions, registration...). The bot asks each feature in
 * order; the first that handles an input answers it.
 */
export interface Feature {
  readonly name: string;
  /** Entries this feature adds to the main menu, in order. */
  readonly menu?: MenuItem[];
  /** Multi-turn dialogs this feature starts. */
  readonly dialogs?: Dialog[];
  /**
   * Handles input that must work at any moment, even in the middle of another feature's dialog
   * (the bot asks it after its own global words and before the active dialog). Returns
   * undefined when the input is not for this feature; otherwise it has answered, and says what
   * becomes of an active dialog (see `AfterGlobal`).
   */
  global?(turn: Turn): Promise<AfterGlobal | undefined>;
  /** Handles a button payload; returns true when it did. */
  onPayload?(turn: Turn, payload: string): Promise<boolean>;
  /** Handles typed text no payload and no global word matched; returns true when it did. */
  onText?(turn: Turn): Promise<boolean>;
  /** Handles a follow / deep-link referral with a `ref`; returns true when it did. */
  onRef?(turn: Turn, ref: string): Promise<boolean>;
}
