import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAllSync, writeFileAtomicSync } from '../checkpoint/atomic.ts';
import { InvalidInputError } from '../errors.ts';
import { describeValue } from '../spaces/space.ts';
import { parseMetrics, parseMetricsLines, type MetricsRecord, type ParseMetricsOptions } from './metrics-format.ts';

export interface MetricsWriterOptions {
  /** Seconds on a monotonic clock; default `performance.now() / 1000`. `time` is measured on it. */
  clock?: () => number;
  /** Flush once this many lines are buffered (default 100). */
  flushEveryLines?: number;
  /** Flush on a `write` this many seconds after the last flush (default 5). Nothing flushes between writes. */
  flushEverySeconds?: number;
  /**
   * Resuming a run from a checkpoint taken at this step: lines of the existing file with a higher step (logged
   * after that checkpoint, and about to be logged again) are removed, and `time` continues from the last line kept.
   */
  resumeAtStep?: number;
  /** Seconds already run before this writer, added to `time` (default: 0, or from the file with `resumeAtStep`). */
  timeOffset?: number;
}

/**
 * Appends metrics to a JSON-lines file, one line per `write(step, record)`:
 * `{"step":1200,"time":12.5,"charts/episodic_return":17}` (see `metrics-format.ts`). `time` is seconds since the
 * writer was created (plus `timeOffset`). Lines are buffered and flushed every `flushEveryLines` lines or
 * `flushEverySeconds` seconds, and on `flush()`/`close()`. The file is opened for appending, so a resumed run
 * continues it; a partial last line left by a crash is removed first. The folder is created if missing.
 */
export class MetricsWriter {
  readonly path: string;
  private readonly clock: () => number;
  private readonly start: number;
  private readonly timeOffset: number;
  private readonly flushEveryLines: number;
  private readonly flushEverySeconds: number;
  private fd: number | undefined;
  private buffer: string[] = [];
  private lastFlush: number;

  constructor(file: string, opts: MetricsWriterOptions = {}) {
    this.path = file;
    this.clock = opts.clock ?? ((): number => performance.now() / 1000);
    this.flushEveryLines = positive(opts.flushEveryLines ?? 100, 'flushEveryLines', file);
    this.flushEverySeconds = nonNegative(opts.flushEverySeconds ?? 5, 'flushEverySeconds', file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    let offset = 0;
    if (opts.resumeAtStep !== undefined) offset = keepUpTo(file, nonNegative(opts.resumeAtStep, 'resumeAtStep', file));
    else dropPartialLastLine(file);
    this.timeOffset = opts.timeOffset !== undefined ? nonNegative(opts.timeOffset, 'timeOffset', file) : offset;
    this.fd = fs.openSync(file, 'a');
    this.start = this.clock();
    this.lastFlush = this.start;
  }

  /** Seconds of run time: since this writer was created, plus `timeOffset`. */
  get time(): number {
    return this.timeOffset + (this.clock() - this.start);
  }

  /**
   * Buffers one line. `step` is a non-negative integer; every value a finite number (NaN and Infinity are
   * `InvalidInputError`s naming the key; `step` and `time` are reserved keys).
   */
  write(step: number, record: Readonly<Record<string, number>>): void {
    if (this.fd === undefined) throw new InvalidInputError(`MetricsWriter(${this.path}): write after close()`);
    if (!Number.isSafeInteger(step) || step < 0) {
      throw new InvalidInputError(`MetricsWriter(${this.path}): step: expected a non-negative integer, received ${describeValue(step)}`);
    }
    const now = this.clock();
    const line: Record<string, number> = { step, time: Math.round((this.timeOffset + now - this.start) * 1000) / 1000 };
    for (const [key, value] of Object.entries(record)) {
      if (key === 'step' || key === 'time') throw new InvalidInputError(`MetricsWriter(${this.path}): "${key}" is a reserved key; the writer sets it`);
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidInputError(`MetricsWriter(${this.path}): "${key}" at step ${step}: expected a finite number, received ${describeValue(value)}`);
      }
      line[key] = value;
    }
    this.buffer.push(JSON.stringify(line));
    if (this.buffer.length >= this.flushEveryLines || now - this.lastFlush >= this.flushEverySeconds) this.flush();
  }

  /** Writes the buffered lines to the file. */
  flush(): void {
    this.lastFlush = this.clock();
    if (this.fd === undefined || this.buffer.length === 0) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    writeAllSync(this.fd, Buffer.from(text, 'utf8'));
  }

  /** Flushes and closes the file. Calling it again does nothing. */
  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Reads a metrics file (see `parseMetrics`); errors are `InvalidInputError`s naming the file and line. */
export function readMetrics(file: string, opts: ParseMetricsOptions = {}): MetricsRecord[] {
  return parseMetrics(fs.readFileSync(file, 'utf8'), file, opts);
}

/** Rewrites `file` without the lines after `step`; returns the time of the last line kept (0 if none). */
function keepUpTo(file: string, step: number): number {
  if (!fs.existsSync(file)) return 0;
  const lines = parseMetricsLines(fs.readFileSync(file, 'utf8'), file);
  const kept = lines.filter((l) => l.record.step <= step);
  const text = kept.map((l) => `${l.text}\n`).join('');
  writeFileAtomicSync(file, (fd) => writeAllSync(fd, Buffer.from(text, 'utf8')));
  return kept.reduce((t, l) => Math.max(t, l.record.time), 0);
}

/** Cuts a file back to its last newline, so that appended lines start on a line of their own. */
function dropPartialLastLine(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return;
    // Scan back from the end in blocks for the last '\n'.
    const block = Buffer.alloc(4096);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - block.length);
      const n = fs.readSync(fd, block, 0, end - start, start);
      const i = block.subarray(0, n).lastIndexOf(0x0a);
      if (i === n - 1 && end === size) return; // ends with a newline: nothing to drop
      if (i >= 0) {
        fs.ftruncateSync(fd, start + i + 1);
        return;
      }
      end = start;
    }
    fs.ftruncateSync(fd, 0);
  } finally {
    fs.closeSync(fd);
  }
}

function positive(n: number, name: string, file: string): number {
  if (!(typeof n === 'number' && n > 0 && Number.isFinite(n))) throw new InvalidInputError(`MetricsWriter(${file}): ${name}: expected a positive number, received ${describeValue(n)}`);
  return n;
}

function nonNegative(n: number, name: string, file: string): number {
  if (!(typeof n === 'number' && n >= 0 && Number.isFinite(n))) throw new InvalidInputError(`MetricsWriter(${file}): ${name}: expected a non-negative number, received ${describeValue(n)}`);
  return n;
}
