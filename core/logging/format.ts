/** Pure formatting for progress lines and logs. */

/** `45s`, `3m 07s`, `2h 05m`, `1d 03h`; `--` for a duration that is not known (NaN, Infinity, negative). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d ${pad(Math.floor((s % 86400) / 3600))}h`;
}

const UNITS = ['', 'k', 'M', 'B', 'T'];

/**
 * A count in at most four significant characters: `999`, `12.3k`, `500k`, `1.2M`. Below 1000, whole numbers as
 * they are and fractions to one decimal under 100 (`45.7`), none above.
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  if (v < 1000) return sign + (Number.isInteger(v) || v >= 100 ? String(Math.round(v)) : v.toFixed(1));
  let unit = 0;
  while (unit < UNITS.length - 1 && v >= 1000) {
    v /= 1000;
    unit++;
  }
  let text = v < 100 ? v.toFixed(1) : v.toFixed(0);
  if (Number(text) >= 1000 && unit < UNITS.length - 1) {
    unit++;
    text = (v / 1000).toFixed(1);
  }
  return `${sign}${text}${UNITS[unit]}`;
}

/** A metric for a progress line: integers as they are, others to four significant digits (`123.4`, `0.05`). */
export function formatValue(x: number | string): string {
  if (typeof x === 'string') return x;
  if (!Number.isFinite(x) || Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}
