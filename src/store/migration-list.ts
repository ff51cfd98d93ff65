import type { Kysely } from 'kysely';
import type { Dialect } from './migration-helpers.js';
import * as core from './migrations/001-core.js';
import * as broadcasts from './migrations/003-broadcasts.js';
import * as faq from './migrations/004-faq.js';
import * as erasableDeliveries from './migrations/005-erasable-deliveries.js';
import * as registrations from './migrations/002-registrations.js';
import * as campaigns from './migrations/050-campaigns.js';
import * as report from './migrations/030-report.js';
import * as dashboard from './migrations/020-dashboard.js';
import * as contentChanges from './migrations/021-content-changes.js';
import * as outbox from './migrations/010-outbox.js';
import * as quiz from './migrations/040-quiz.js';
import * as nominations from './migrations/041-nominations.js';

type Up = (dialect: Dialect) => (db: Kysely<unknown>) => Promise<void>;

/**
 * Every migration. Each concern numbers its own range (010-019 outbox, 020-029 dashboard, 030-039
 * report, 040-049 quiz, 050-059 campaigns, 060-069 editions, 070-079 hardening), so parallel work
 * never takes the same number; unordered migrations are allowed for the same reason.
 */
export const migrations: Array<[name: string, up: Up]> = [
  ['001-core', core.up],
  ['002-registrations', registrations.up],
  ['003-broadcasts', broadcasts.up],
  ['004-faq', faq.up],
  ['005-erasable-deliveries', erasableDeliveries.up],
  ['050-campaigns', campaigns.up],
  ['030-report', report.up],
  ['020-dashboard', dashboard.up],
  ['021-content-changes', contentChanges.up],
  ['010-outbox', outbox.up],
  ['040-quiz', quiz.up],
  ['041-nominations', nominations.up],
];
