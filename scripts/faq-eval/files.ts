/** The evaluation files: every test/faq/citizen-*.json and test/faq/commands-*.json present. */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../src/services.js';
import type { CommandItem } from './commands.js';
import type { CitizenItem } from './questions.js';

/** Folder of the evaluation files. */
export const EVAL_DIR = path.join(ROOT, 'test/faq');

/** One evaluation file: its name ("dev", "test"...) and its items. */
export interface EvalFile<T> {
  name: string;
  file: string;
  items: T[];
}

function filesOf<T>(prefix: string): EvalFile<T>[] {
  return fs
    .readdirSync(EVAL_DIR)
    .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: f.slice(prefix.length + 1, -'.json'.length),
      file: path.join(EVAL_DIR, f),
      items: JSON.parse(fs.readFileSync(path.join(EVAL_DIR, f), 'utf8')) as T[],
    }));
}

/** Citizens' questions, one file per independent side. */
export function citizenFiles(): EvalFile<CitizenItem>[] {
  return filesOf<CitizenItem>('citizen');
}

/** Commands in citizens' words. */
export function commandFiles(): EvalFile<CommandItem>[] {
  return filesOf<CommandItem>('commands');
}
