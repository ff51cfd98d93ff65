import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { ContentError } from './errors.js';

/** Reads and validates one JSON content file against its schema. */
export function readContentFile<T extends z.ZodTypeAny>(
  dir: string,
  name: string,
  schema: T,
): z.infer<T> {
  const file = path.join(dir, name);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ContentError(file, 'cannot be read; it must exist (see README, "Editing content").');
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new ContentError(file, `is not valid JSON (${(error as Error).message}).`);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new ContentError(file, `field ${where}: ${issue.message}`);
  }
  return result.data;
}

/** Reads a JSON file without a schema (for checks over every field); undefined when absent. */
export function readJson(file: string): unknown {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
}
