import { InvalidInputError } from '../errors.ts';
import { describeValue } from '../spaces/space.ts';
import { formatCount, formatDuration, formatValue } from './format.ts';

/** Where progress goes: `process.stdout`, or anything with `write`. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Terminal width; TTY lines are cut to it so that `\r` redraws one line. */
  columns?: number;
}

export interface ProgressOptions {
  /** Steps of the whole run. */
  total: number;
  /** Leads each line, e.g. `dqn CartPole-v1`. */
  label?: string;
  /** Default `process.stdout`. */
  stream?: ProgressStream;
  /** Redraw one line in place (default: `stream.isTTY`). */
  isTTY?: boolean;
  /** Not on a TTY: print a line every this many seconds (default 10). */
  intervalSeconds?: number;
  /** The step the run starts from (a resumed run), so that steps per second count this run's steps only. Default 0. */
  initialStep?: number;
  /** Seconds on a monotonic clock; default `performance.now() / 1000`. */
  clock?: () => number;
}

export type ProgressFields = Readonly<Record<string, number | string>>;

/** TTY redraws at most this often. */
const REDRAW_SECONDS = 0.1;

/**
 * A progress line for a training run:
 * `dqn CartPole-v1  12.3k/500k  2.5%  1.2k sps  ETA 6m 40s  return 123.4  eps 0.05`.
 * On a TTY, `update` redraws it in place with `\r`, at most ten times a second; elsewhere (a log file, CI) it
 * prints a plain line every `intervalSeconds`. `finish` prints the final line with the elapsed time instead of the ETA.
 */
export class Progress {
  private readonly total: number;
  private readonly label: string;
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly interval: number;
  private readonly initialStep: number;
  private readonly clock: () => number;
  private readonly start: number;
  private step: number;
  private fields: ProgressFields = {};
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private finished = false;

  constructor(opts: ProgressOptions) {
    if (!(Number.isFinite(opts.total) && opts.total > 0)) throw new InvalidInputError(`Progress: total: expected a positive number, received ${describeValue(opts.total)}`);
    this.total = opts.total;
    this.label = opts.label ?? '';
    this.stream = opts.stream ?? process.stdout;
    this.tty = opts.isTTY ?? this.stream.isTTY === true;
    this.interval = opts.intervalSeconds ?? 10;
    this.initialStep = opts.initialStep ?? 0;
    this.step = this.initialStep;
    this.clock = opts.clock ?? ((): number => performance.now() / 1000);
    this.start = this.clock();
    if (!this.tty) this.lastDraw = this.start; // the first plain line comes after one interval
  }

  /** Records the current step and fields (they replace the previous fields) and draws if it is time to. */
  update(step: number, fields: ProgressFields = {}): void {
    this.step = step;
    this.fields = fields;
    const now = this.clock();
    if (this.tty) {
      if (now - this.lastDraw < REDRAW_SECONDS) return;
      this.stream.write(`\r${this.fit(this.line(now))}\x1b[K`);
      this.drawn = true;
    } else {
      if (now - this.lastDraw < this.interval) return;
      this.stream.write(`${this.line(now)}\n`);
    }
    this.lastDraw = now;
  }

  /** Prints a message on a line of its own without garbling the progress line (redrawn after it on a TTY). */
  log(message: string): void {
    if (this.tty && this.drawn && !this.finished) {
      this.stream.write(`\r\x1b[K${message}\n${this.fit(this.line(this.clock()))}\x1b[K`);
    } else {
      this.stream.write(`${message}\n`);
    }
  }

  /** Prints the final line (the last fields, merged with `summary`) with the elapsed time, and ends it. Once only. */
  finish(summary: ProgressFields = {}): void {
    if (this.finished) return;
    this.finished = true;
    this.fields = { ...this.fields, ...summary };
    const line = this.line(this.clock(), true);
    this.stream.write(this.tty ? `\r${this.fit(line)}\x1b[K\n` : `${line}\n`);
  }

  /** The line as it would be drawn now. */
  line(now: number = this.clock(), final = false): string {
    const elapsed = Math.max(0, now - this.start);
    const done = this.step - this.initialStep;
    const sps = elapsed > 0 ? done / elapsed : 0;
    const pct = Math.min(100, Math.max(0, (100 * this.step) / this.total));
    const parts: string[] = [];
    if (this.label !== '') parts.push(this.label);
    parts.push(`${formatCount(this.step)}/${formatCount(this.total)}`, `${pct.toFixed(1)}%`, `${formatCount(sps)} sps`);
    if (final) parts.push(`took ${formatDuration(elapsed)}`);
    else parts.push(`ETA ${formatDuration(sps > 0 ? (this.total - this.step) / sps : Number.NaN)}`);
    for (const [k, v] of Object.entries(this.fields)) parts.push(`${k} ${formatValue(v)}`);
    return parts.join('  ');
  }

  private fit(line: string): string {
    const cols = this.stream.columns;
    return cols !== undefined && cols > 1 && line.length >= cols ? line.slice(0, cols - 1) : line;
  }
}
