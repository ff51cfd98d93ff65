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
 * A piece of the conversation (about, questions, registration...). The bot asks each feature in
 * order; the first that handles an input answers it.
 */
export interface Feature {
  readonly name: string;
  /** Entries this feature adds to the main menu, in order. */
  readonly menu?: MenuItem[];
  /** Multi-turn dialogs this feature starts. */
  readonly dialogs?: Dialog[];
  /** Handles a button payload; returns true when it did. */
  onPayload?(turn: Turn, payload: string): Promise<boolean>;
  /** Handles typed text no payload and no global word matched; returns true when it did. */
  onText?(turn: Turn): Promise<boolean>;
  /** Handles a follow / deep-link referral with a `ref`; returns true when it did. */
  onRef?(turn: Turn, ref: string): Promise<boolean>;
}
