/**
 * How bench/ times a repeated call: a warm-up (JIT, caches), then `repeats` runs of `seconds` each, counting
 * calls, read as calls per wall-clock second and per second of this process's CPU time (steadier on a shared
 * machine). bench/peers/torch_updates.py times its side the same way.
 */

/** How long to time one call. */
export interface RateOptions {
  /** Length of one timed run in seconds (`--seconds`). */
  seconds: number;
  /** Number of timed runs (`--repeats`). */
  repeats: number;
  /** Warm-up before the first run, in ms (at least two calls are made). Default 300: enough for V8's JIT. */
  warmUpMs?: number;
}

/** Calls per second over the repeats. */
export interface Rate {
  /** Calls per wall-clock second, one per run. */
  wall: number[];
  /** Calls per second of this process's CPU time, one per run. */
  cpu: number[];
}

/** The median of `xs` (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Times `fn` as described above. */
export function measureRate(fn: () => void, { seconds, repeats, warmUpMs = 300 }: RateOptions): Rate {
  if (!(seconds > 0) || !(Number.isInteger(repeats) && repeats >= 1)) throw new RangeError(`measureRate: seconds must be positive and repeats a positive integer, got ${seconds} and ${repeats}`);
  let calls = 0;
  const start = performance.now();
  while (calls < 2 || performance.now() - start < warmUpMs) {
    fn();
    calls++;
  }
  // Calls between clock reads, so that a chunk lasts about a millisecond: a clock read per call would weigh on
  // microsecond calls, a chunk of many calls would overshoot `seconds` on slow ones.
  const chunk = Math.max(1, Math.floor(calls / (performance.now() - start)));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let n = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let now = t0;
    while (now - t0 < seconds * 1000) {
      for (let i = 0; i < chunk; i++) fn();
      n += chunk;
      now = performance.now();
    }
    const used = process.cpuUsage(cpu0);
    wall.push(n / ((now - t0) / 1000));
    cpu.push(n / ((used.user + used.system) / 1e6));
  }
  return { wall, cpu };
}
