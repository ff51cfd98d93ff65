import type { Kysely } from 'kysely';
import type { Dialect } from './migration-helpers.js';
import * as core from './migrations/001-core.js';
import * as broadcasts from './migrations/003-broadcasts.js';
import * as faq from './migrations/004-faq.js';
import * as erasableDeliveries from './migrations/005-erasable-deliveries.js';
import * as registrations from './migrations/002-registrations.js';

type Up = (dialect: Dialect) => (db: Kysely<unknown>) => Promise<void>;

/** Every migration, in order; a new one is added at the end with the next number. */
export const migrations: Array<[name: string, up: Up]> = [
  ['001-core', core.up],
  ['002-registrations', registrations.up],
  ['003-broadcasts', broadcasts.up],
  ['004-faq', faq.up],
  ['005-erasable-deliveries', erasableDeliveries.up],
];
