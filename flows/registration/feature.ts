import { fold } from '../../src/core/text.js';
import type { RegistrationService } from '../../src/registration/service.js';
import type { Feature } from '../feature.js';
import type { Turn } from '../turn.js';
import {
  DELETE_DIALOG,
  DeleteDataDialog,
  showMyData,
  WITHDRAW_DIALOG,
  WithdrawDialog,
} from './data-rights.js';
import { CANCEL_DIALOG, CancelDialog, showMyRegistrations } from './my-registrations.js';
import {
  DELETE_MY_DATA,
  MY_DATA,
  MY_REGISTRATIONS,
  REG_CANCEL,
  REGISTER,
  WITHDRAW_CONSENT,
} from './payloads.js';
import { REGISTER_DIALOG, RegisterDialog, registerTarget } from './register-dialog.js';

// What people type (folded: no diacritics, lower case).
const REGISTER_WORDS =
  /^(dang ky|dang ki|dk|dky|toi muon dang ky|muon dang ky|dang ky khoa hoc|dang ky hoc|dang ky tap huan|register|sign up|signup|enrol|enroll)$/;
const MINE_WORDS =
  /^(dang ky cua toi|dang ki cua toi|xem dang ky|huy dang ky|khoa hoc cua toi|lich hoc cua toi|my registrations?|my courses?)$/;
const MY_DATA_WORDS =
  /^((xem )?(du lieu|thong tin)( ca nhan)? cua toi|du lieu ca nhan|my (personal )?data|show my data)$/;
const DELETE_WORDS =
  /^(xoa (het |toan bo )?(du lieu|thong tin)( ca nhan)?( cua toi)?|delete my (personal )?data|erase my (personal )?data|delete my account)$/;
const WITHDRAW_WORDS = /^(rut (lai )?(su )?dong y|withdraw( my)? consent)$/;
// A payload that came back as typed text (Zalo's query buttons send their payload as a message).
const PAYLOAD_TEXT =
  /^(REGISTER(:[a-z0-9-]+)?|REG_CANCEL:[A-Z0-9]{6}|MY_REGISTRATIONS|MY_DATA|DELETE_MY_DATA|WITHDRAW_CONSENT)$/;

/** Starts one of the feature's dialogs, ending whatever dialog was running. */
async function begin(turn: Turn, id: string, options: object = {}): Promise<boolean> {
  await turn.dc.cancelAllDialogs();
  await turn.dc.beginDialog(id, options);
  return true;
}

/**
 * Registration for online courses and safe-internet training, "my registrations" (list, cancel)
 * and data rights (see, withdraw consent, delete). Deep links: ref `register` or
 * `register-<courseId|sessionId>`; buttons: `REGISTER` or `REGISTER:<courseId|sessionId>`.
 */
export function registrationFeature(service: RegistrationService): Feature {
  async function onPayload(turn: Turn, payload: string): Promise<boolean> {
    if (payload === REGISTER) return begin(turn, REGISTER_DIALOG, {});
    if (payload.startsWith(`${REGISTER}:`))
      return begin(
        turn,
        REGISTER_DIALOG,
        registerTarget(service, payload.slice(REGISTER.length + 1)),
      );
    if (payload === MY_REGISTRATIONS) {
      await showMyRegistrations(turn, service);
      return true;
    }
    if (payload.startsWith(`${REG_CANCEL}:`))
      return begin(turn, CANCEL_DIALOG, { code: payload.slice(REG_CANCEL.length + 1) });
    if (payload === MY_DATA) {
      await showMyData(turn, service);
      return true;
    }
    if (payload === DELETE_MY_DATA) return begin(turn, DELETE_DIALOG);
    if (payload === WITHDRAW_CONSENT) return begin(turn, WITHDRAW_DIALOG);
    return false;
  }

  return {
    name: 'registration',
    menu: [
      { payload: REGISTER, titleKey: 'registration:menu.register' },
      { payload: MY_REGISTRATIONS, titleKey: 'registration:menu.mine' },
    ],
    dialogs: [
      new RegisterDialog(service),
      new CancelDialog(service),
      new DeleteDataDialog(service),
      new WithdrawDialog(service),
    ],
    onPayload,
    // Data rights in a person's own words work at any moment (the erasure still asks first).
    async global(turn) {
      switch (turn.command?.kind) {
        case 'erase':
          await begin(turn, DELETE_DIALOG);
          return 'started';
        case 'withdraw':
          await begin(turn, WITHDRAW_DIALOG);
          return 'started';
        case 'show-data':
          await showMyData(turn, service);
          return 'resume';
        default:
          return undefined;
      }
    },
    async onText(turn) {
      const raw = turn.text.trim();
      if (PAYLOAD_TEXT.test(raw)) return onPayload(turn, raw);
      const text = fold(turn.text);
      if (REGISTER_WORDS.test(text)) return begin(turn, REGISTER_DIALOG, {});
      if (MINE_WORDS.test(text)) {
        await showMyRegistrations(turn, service);
        return true;
      }
      if (MY_DATA_WORDS.test(text)) {
        await showMyData(turn, service);
        return true;
      }
      if (DELETE_WORDS.test(text)) return begin(turn, DELETE_DIALOG);
      if (WITHDRAW_WORDS.test(text)) return begin(turn, WITHDRAW_DIALOG);
      return false;
    },
    async onRef(turn, ref) {
      if (ref === 'register') return begin(turn, REGISTER_DIALOG, {});
      if (ref.startsWith('register-'))
        return begin(turn, REGISTER_DIALOG, registerTarget(service, ref.slice('register-'.length)));
      return false;
    },
  };
}
