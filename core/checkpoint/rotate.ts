import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidInputError } from '../errors.ts';
import { describeValue } from '../spaces/space.ts';
import { writeCheckpoint, type CheckpointData } from './checkpoint.ts';

/** A checkpoint file in a run's checkpoint folder, found by its name. */
export interface CheckpointFile {
  step: number;
  path: string;
}

export interface SaveRotatingOptions {
  /** How many checkpoints to keep, the new one included (default 3). */
  keep?: number;
}

const STEP_FILE = /^step-(\d+)\.ckpt$/;

/** `step-000123456.ckpt`: nine digits, more when the step needs them. */
export function checkpointFileName(step: number): string {
  assertStep(step, 'checkpointFileName');
  return `step-${String(step).padStart(9, '0')}.ckpt`;
}

/** `<dir>/step-000123456.ckpt`. */
export function checkpointPath(dir: string, step: number): string {
  return path.join(dir, checkpointFileName(step));
}

/**
 * The `step-<n>.ckpt` files in `dir`, oldest step first; other files (temporary files of a write in progress
 * included) are ignored. A missing folder has none.
 */
export function listCheckpoints(dir: string): CheckpointFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: CheckpointFile[] = [];
  for (const name of names) {
    const m = STEP_FILE.exec(name);
    if (m === null) continue;
    const step = Number(m[1]);
    if (Number.isSafeInteger(step)) out.push({ step, path: path.join(dir, name) });
  }
  return out.sort((a, b) => a.step - b.step || (a.path < b.path ? -1 : 1));
}

/** The checkpoint in `dir` with the highest step in its name, or undefined when there is none. */
export function latestCheckpoint(dir: string): CheckpointFile | undefined {
  const all = listCheckpoints(dir);
  return all.length === 0 ? undefined : all[all.length - 1];
}

/**
 * Writes `data` to `<dir>/step-<step>.ckpt` (atomically, creating `dir` if needed), then deletes the oldest
 * checkpoints of lower steps until at most `keep` remain. Checkpoints of higher steps (left by a run that was
 * resumed from an earlier one) are neither counted out nor deleted. Writes nothing else. Returns the path written.
 */
export function saveRotating(dir: string, step: number, data: CheckpointData, opts: SaveRotatingOptions = {}): string {
  assertStep(step, 'saveRotating');
  const keep = opts.keep ?? 3;
  if (!Number.isSafeInteger(keep) || keep < 1) throw new InvalidInputError(`saveRotating: keep: expected a positive integer, received ${describeValue(keep)}`);
  const target = checkpointPath(dir, step);
  writeCheckpoint(target, data);
  const all = listCheckpoints(dir);
  const older = all.filter((c) => c.step < step);
  const excess = all.length - keep;
  for (const c of older.slice(0, Math.max(0, excess))) fs.rmSync(c.path, { force: true });
  return target;
}

function assertStep(step: number, where: string): void {
  if (!Number.isSafeInteger(step) || step < 0) throw new InvalidInputError(`${where}: step: expected a non-negative integer, received ${describeValue(step)}`);
}
