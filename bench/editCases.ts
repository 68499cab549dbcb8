/**
 * The edit benchmark corpus (the README, Development: bench:edit): loading case folders and
 * judging one case. Shared by bench/editBench.ts and the corpus unit test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { applyEdits, type EditBlock, type EditOutcome } from '../src/core/edit';

export interface EditCase {
  name: string;
  dir: string;
  file: string;
  edits: EditBlock[];
  expect: 'applied' | 'rejected';
  kind: string;
  note: string;
}

export interface CaseResult {
  name: string;
  passed: boolean;
  /** Applied where it should have refused, or applied with bytes other than after/. */
  wrongApplication: boolean;
  /** Why it failed (empty when it passed). */
  why: string;
  /** Null when the before file is not UTF-8 (refused before the matcher runs). */
  outcome: EditOutcome | null;
}

/** Folders under root that hold a case.json, sorted by path. */
export function findCaseDirs(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    const names = readdirSync(dir).sort();
    if (names.includes('case.json')) {
      found.push(dir);
      return;
    }
    for (const name of names) {
      const sub = path.join(dir, name);
      if (statSync(sub).isDirectory()) walk(sub);
    }
  };
  walk(root);
  return found;
}

export function loadCase(dir: string, root: string): EditCase {
  const raw = JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as Partial<EditCase>;
  const name = path.relative(root, dir) || path.basename(dir);
  if (typeof raw.file !== 'string' || !Array.isArray(raw.edits) || (raw.expect !== 'applied' && raw.expect !== 'rejected')) {
    throw new Error(`${name}: case.json needs "file", "edits" and "expect" ("applied" or "rejected")`);
  }
  return { name, dir, file: raw.file, edits: raw.edits, expect: raw.expect, kind: raw.kind ?? '', note: raw.note ?? '' };
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode strictly: a file that is not UTF-8 is never edited (it would be written back with U+FFFD). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

export function runCase(c: EditCase): CaseResult {
  const before = readFileSync(path.join(c.dir, 'before', c.file));
  const text = decodeUtf8(before);
  const outcome = text === null ? null : applyEdits(text, c.edits);
  const result = (passed: boolean, why = '', wrongApplication = false): CaseResult => ({
    name: c.name,
    passed,
    wrongApplication,
    why,
    outcome,
  });
  if (c.expect === 'rejected') {
    if (outcome === null) return result(true);
    if (outcome.ok) return result(false, 'applied, expected a refusal', true);
    if (outcome.message.trim().length < 20) return result(false, `refusal message too short: ${outcome.message}`);
    return result(true);
  }
  if (outcome === null) return result(false, 'before file is not UTF-8');
  if (!outcome.ok) return result(false, `refused (${outcome.reason}): ${outcome.message}`);
  const expected = readFileSync(path.join(c.dir, 'after', c.file));
  const actual = Buffer.from(outcome.text, 'utf8');
  if (!actual.equals(expected)) return result(false, `applied, but the bytes differ from after/ ${firstDifference(actual, expected)}`, true);
  return result(true);
}

function firstDifference(actual: Buffer, expected: Buffer): string {
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  const line = actual.subarray(0, i).toString('utf8').split('\n').length;
  const show = (b: Buffer): string => JSON.stringify(b.subarray(i, i + 40).toString('utf8'));
  return `(line ${line}: got ${show(actual)}, expected ${show(expected)})`;
}
