/** A value that changes over training: `progress` runs from 0 (start) to 1 (end of the step budget). */
export type Schedule = (progress: number) => number;

export type ScheduleConfig =
  | { kind: 'constant'; value: number }
  /** From `start` to `end` over the first `fraction` of training, then `end` (SB3's epsilon and lr schedules). */
  | { kind: 'linear'; start: number; end: number; fraction?: number }
  /** Cosine decay from `start` to `end` (Loshchilov & Hutter 2017, without restarts). */
  | { kind: 'cosine'; start: number; end: number }
  /** Multiplied by `gamma` at each of `every`-wide steps of progress, e.g. every 0.25. */
  | { kind: 'step'; start: number; gamma: number; every: number };

export function makeSchedule(config: ScheduleConfig | number): Schedule {
  if (typeof config === 'number') return () => config;
  switch (config.kind) {
    case 'constant':
      return () => config.value;
    case 'linear': {
      const fraction = config.fraction ?? 1;
      return (p) => config.start + (config.end - config.start) * Math.min(1, clamp01(p) / fraction);
    }
    case 'cosine':
      return (p) => config.end + 0.5 * (config.start - config.end) * (1 + Math.cos(Math.PI * clamp01(p)));
    case 'step':
      return (p) => config.start * config.gamma ** Math.floor(clamp01(p) / config.every + 1e-9);
  }
}

function clamp01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
