import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { Frame, JsonValue } from '../env.ts';
import { InvalidInputError } from '../errors.ts';
import { describeValue } from '../spaces/space.ts';
import {
  EPISODE_FORMAT_NAME,
  EPISODE_FORMAT_VERSION,
  type Episode,
  type EpisodeFooter,
  type EpisodeHeader,
  type EpisodeStep,
  type StepAnnotations,
} from './format.ts';

/** What `EpisodeWriter` needs for the header; `type`, `format`, `version` are filled in, `createdAt` defaults to now. */
export type EpisodeHeaderInit = Omit<EpisodeHeader, 'type' | 'format' | 'version' | 'createdAt' | 'initialFrame'> & {
  createdAt?: string;
  /** Any JSON-like frame; copied. */
  initialFrame?: unknown;
};

/** One step as the recorder sees it: `action`, `frame` and `annotations` may hold typed arrays, copied to JSON. */
export interface EpisodeStepInit {
  action: unknown;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  frame?: unknown;
  annotations?: unknown;
}

export interface FinishOptions {
  /** Write an episode that has not ended, without a footer (readers then need `allowTruncated`). Default false. */
  allowIncomplete?: boolean;
}

/**
 * Collects one episode in memory and writes it as an episode file (see `format.ts`).
 *
 * ```ts
 * const w = new EpisodeWriter({ envId: 'CartPole-v1', seed: 0, observationSpace, actionSpace, render: { kind: 'cartpole' } });
 * w.addStep({ action: 1, reward: 1, terminated: false, truncated: false, frame });
 * w.finish('runs/ep.jsonl');
 * ```
 *
 * Actions, frames and annotations are deep-copied into plain JSON when added (typed arrays become arrays), so
 * the caller may reuse its buffers. A number that is not finite is an `InvalidInputError` naming where it was.
 */
export class EpisodeWriter {
  readonly header: EpisodeHeader;
  private readonly steps: EpisodeStep[] = [];
  private returnSum = 0;
  private footer: EpisodeFooter | undefined;

  constructor(init: EpisodeHeaderInit) {
    const header: EpisodeHeader = {
      type: 'header',
      format: EPISODE_FORMAT_NAME,
      version: EPISODE_FORMAT_VERSION,
      envId: init.envId,
      seed: init.seed,
      observationSpace: init.observationSpace,
      actionSpace: init.actionSpace,
      render: init.render.fps === undefined ? { kind: init.render.kind } : { kind: init.render.kind, fps: init.render.fps },
      createdAt: init.createdAt ?? new Date().toISOString(),
    };
    if (init.trainingStep !== undefined) header.trainingStep = init.trainingStep;
    if (init.episodeIndex !== undefined) header.episodeIndex = init.episodeIndex;
    if (init.agent !== undefined) header.agent = init.agent;
    if (init.initialFrame !== undefined) header.initialFrame = toFrame(init.initialFrame, 'initialFrame');
    this.header = header;
  }

  /** Steps added so far. */
  get length(): number {
    return this.steps.length;
  }

  /** True once a step with `terminated` or `truncated` has been added. */
  get ended(): boolean {
    return this.footer !== undefined;
  }

  /** Appends the next step (`t` is assigned). Throws after the step that ended the episode. */
  addStep(step: EpisodeStepInit): EpisodeStep {
    const t = this.steps.length;
    if (this.footer !== undefined) throw new InvalidInputError(`EpisodeWriter: step ${t} added after the episode ended at step ${t - 1}`);
    if (typeof step.reward !== 'number' || !Number.isFinite(step.reward)) {
      throw new InvalidInputError(`EpisodeWriter: step ${t}: reward must be a finite number, received ${describeValue(step.reward)}`);
    }
    const line: EpisodeStep = {
      type: 'step',
      t,
      action: toJsonValue(step.action, `step ${t}: action`),
      reward: step.reward === 0 ? 0 : step.reward,
      terminated: step.terminated === true,
      truncated: step.truncated === true,
    };
    if (step.frame !== undefined) line.frame = toFrame(step.frame, `step ${t}: frame`);
    if (step.annotations !== undefined) line.annotations = toAnnotations(step.annotations, `step ${t}: annotations`);
    this.steps.push(line);
    this.returnSum += step.reward;
    if (line.terminated || line.truncated) {
      this.footer = { type: 'end', return: this.returnSum, length: this.steps.length, terminated: line.terminated, truncated: line.truncated };
    }
    return line;
  }

  /** The episode so far (shares the step objects; do not mutate). */
  get episode(): Episode {
    return this.footer === undefined ? { header: this.header, steps: this.steps } : { header: this.header, steps: this.steps, end: this.footer };
  }

  /** The file's text. */
  encode(): string {
    return encodeEpisode(this.episode);
  }

  /**
   * Writes the episode to `path` atomically: to `<path>.tmp-<pid>-<random>` first, then renamed onto `path`.
   * The folder must exist. Throws when the episode has not ended, unless `allowIncomplete`.
   */
  finish(path: string, opts: FinishOptions = {}): void {
    if (this.footer === undefined && opts.allowIncomplete !== true) {
      throw new InvalidInputError(
        `EpisodeWriter.finish(${path}): the episode has not ended (${this.steps.length} steps, none terminated or truncated); ` +
          'pass { allowIncomplete: true } to write it without a footer',
      );
    }
    writeFileAtomic(path, this.encode());
  }
}

/** Writes `text` to `<path>.tmp-<pid>-<random>`, then renames it onto `path`; removes the temporary file on failure. */
export function writeFileAtomic(path: string, text: string): void {
  // Not Math.random: the name needs uniqueness, not reproducibility, and must not disturb seeded streams.
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    fs.writeFileSync(tmp, text, 'utf8');
    fs.renameSync(tmp, path);
  } catch (err) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // the temporary file was never created, or is already gone
    }
    throw err;
  }
}

/**
 * The text of an episode file: the header, the steps and the footer (when `end` is set), one JSON object per line,
 * each ended by `\n`. Keys are written in a fixed order. Pure: same episode, same text.
 */
export function encodeEpisode(episode: Episode): string {
  const parts: string[] = [JSON.stringify(orderHeader(episode.header))];
  for (const s of episode.steps) parts.push(JSON.stringify(orderStep(s)));
  if (episode.end !== undefined) {
    const e = episode.end;
    parts.push(JSON.stringify({ type: 'end', return: e.return, length: e.length, terminated: e.terminated, truncated: e.truncated }));
  }
  return parts.join('\n') + '\n';
}

function orderHeader(h: EpisodeHeader): Record<string, unknown> {
  return {
    type: 'header',
    format: h.format,
    version: h.version,
    envId: h.envId,
    seed: h.seed,
    observationSpace: h.observationSpace,
    actionSpace: h.actionSpace,
    render: h.render,
    createdAt: h.createdAt,
    trainingStep: h.trainingStep,
    episodeIndex: h.episodeIndex,
    agent: h.agent,
    initialFrame: h.initialFrame,
  };
}

function orderStep(s: EpisodeStep): Record<string, unknown> {
  return {
    type: 'step',
    t: s.t,
    action: s.action,
    reward: s.reward,
    terminated: s.terminated,
    truncated: s.truncated,
    frame: s.frame,
    annotations: s.annotations,
  };
}

function toFrame(x: unknown, where: string): Frame {
  const v = toJsonValue(x, where);
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof v.kind !== 'string') {
    throw new InvalidInputError(`EpisodeWriter: ${where} must be an object with a string "kind", received ${describeValue(x)}`);
  }
  return v as Frame;
}

function toAnnotations(x: unknown, where: string): StepAnnotations {
  const v = toJsonValue(x, where);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new InvalidInputError(`EpisodeWriter: ${where} must be an object, received ${describeValue(x)}`);
  }
  for (const key of ['qValues', 'actionProbs'] as const) {
    const a = v[key];
    if (a !== undefined && !(Array.isArray(a) && a.every((n) => typeof n === 'number'))) {
      throw new InvalidInputError(`EpisodeWriter: ${where}.${key} must be an array of numbers, received ${describeValue(a)}`);
    }
  }
  if (v.value !== undefined && typeof v.value !== 'number') {
    throw new InvalidInputError(`EpisodeWriter: ${where}.value must be a number, received ${describeValue(v.value)}`);
  }
  return v as StepAnnotations;
}

/**
 * A deep copy of `x` as plain JSON: typed arrays become arrays (float32 values widened exactly to doubles),
 * bigints numbers, -0 becomes 0; `undefined` object properties are dropped. Throws `InvalidInputError` naming the path of a
 * non-finite number, a function, a cycle or another value JSON cannot hold.
 */
export function toJsonValue(x: unknown, where = 'value'): JsonValue {
  return new JsonCopier(where).copy(x);
}

/** Deep copy to JSON; keeps the current path as a stack and only formats it into text for an error message. */
class JsonCopier {
  private readonly path: Array<string | number> = [];
  private readonly seen = new Set<object>();

  constructor(private readonly root: string) {}

  private fail(what: string): never {
    let where = this.root;
    for (const p of this.path) where += typeof p === 'number' ? `[${p}]` : `.${p}`;
    throw new InvalidInputError(`EpisodeWriter: ${where} ${what}`);
  }

  copy(x: unknown): JsonValue {
    switch (typeof x) {
      case 'number':
        if (!Number.isFinite(x)) this.fail(`is ${x}; episode files hold finite numbers only`);
        return x === 0 ? 0 : x; // -0 as 0, as JSON writes it, so that the copy equals what is read back
      case 'string':
      case 'boolean':
        return x;
      case 'bigint': {
        const n = Number(x);
        if (!Number.isSafeInteger(n)) this.fail(`is the bigint ${x}, too large to write exactly`);
        return n;
      }
      case 'object':
        if (x === null) return null;
        if (ArrayBuffer.isView(x)) return this.typedArray(x);
        return this.container(x);
      default:
        return this.fail(`is ${describeValue(x)}, which JSON cannot hold`);
    }
  }

  private typedArray(x: ArrayBufferView): JsonValue[] {
    if (x instanceof Uint8Array || x instanceof Uint8ClampedArray || x instanceof Int8Array || x instanceof Uint16Array || x instanceof Int16Array || x instanceof Uint32Array || x instanceof Int32Array) {
      const out = new Array<number>(x.length); // integers: always finite
      for (let i = 0; i < x.length; i++) out[i] = x[i];
      return out;
    }
    if (x instanceof Float32Array || x instanceof Float64Array) {
      const out = new Array<number>(x.length);
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        if (!Number.isFinite(v)) {
          this.path.push(i);
          this.fail(`is ${v}; episode files hold finite numbers only`);
        }
        out[i] = v === 0 ? 0 : v;
      }
      return out;
    }
    if (x instanceof BigInt64Array || x instanceof BigUint64Array) {
      const out = new Array<JsonValue>(x.length);
      for (let i = 0; i < x.length; i++) {
        this.path.push(i);
        out[i] = this.copy(x[i]);
        this.path.pop();
      }
      return out;
    }
    return this.fail(`is a ${x.constructor.name}, which JSON cannot hold`);
  }

  private container(x: object): JsonValue {
    if (this.seen.has(x)) this.fail('refers back to itself (a cycle)');
    let out: JsonValue;
    if (Array.isArray(x)) {
      this.seen.add(x);
      const arr = new Array<JsonValue>(x.length);
      for (let i = 0; i < x.length; i++) {
        this.path.push(i);
        arr[i] = this.copy(x[i]);
        this.path.pop();
      }
      out = arr;
    } else {
      const proto = Object.getPrototypeOf(x) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        this.fail(`is a ${x.constructor?.name ?? 'class instance'}; only plain objects, arrays and typed arrays can be written`);
      }
      this.seen.add(x);
      const obj: { [key: string]: JsonValue } = {};
      for (const k of Object.keys(x)) {
        const v = (x as Record<string, unknown>)[k];
        if (v === undefined) continue;
        this.path.push(k);
        obj[k] = this.copy(v);
        this.path.pop();
      }
      out = obj;
    }
    this.seen.delete(x);
    return out;
  }
}
