import { MY_REGISTRATIONS } from '../../src/registration/notices.js';

/** Menu entry and button that start a registration; `REGISTER:<courseId|sessionId>` preselects. */
export const REGISTER = 'REGISTER';
/** Menu entry: the user's registrations (also a button on every reminder). */
export { MY_REGISTRATIONS };
/** `REG_CANCEL:<code>`: cancel one of the user's registrations (asks first). */
export const REG_CANCEL = 'REG_CANCEL';
/** What the bot stores about the user. */
export const MY_DATA = 'MY_DATA';
/** Erase the user's data (asks first). */
export const DELETE_MY_DATA = 'DELETE_MY_DATA';
/** Withdraw the registration consent (asks first). */
export const WITHDRAW_CONSENT = 'WITHDRAW_CONSENT';
