/**
 * Metrics files: JSON lines, one per `MetricsWriter.write(step, record)`:
 * `{"step":1200,"time":12.5,"charts/episodic_return":17,"losses/td_loss":0.03}`. `step` is the global env step,
 * `time` seconds of run time; the other keys are finite numbers, namespaced like CleanRL's (`charts/…`,
 * `losses/…`, `eval/…`). Pure (no fs) so that the browser viewer can use it.
 */
import { z } from 'zod';
import { InvalidInputError } from '../errors.ts';
import { describeValue } from '../spaces/space.ts';
import { formatZodError } from '../validation.ts';

/** One line of a metrics file. */
export type MetricsRecord = { step: number; time: number } & { [key: string]: number };

export const metricsRecordSchema = z
  .object({ step: z.number().int().nonnegative(), time: z.number().nonnegative() })
  .catchall(z.number()) as unknown as z.ZodType<MetricsRecord>;

export interface ParseMetricsOptions {
  /**
   * Drop a last line that is not valid JSON and has no newline after it: a line being written while the file is
   * read (a live run), or cut off by a crash. Default true; false makes it an error.
   */
  allowPartialLastLine?: boolean;
}

/** Parses the text of a metrics file; errors are `InvalidInputError`s starting `<fileName>, line <n>: `. Blank lines are skipped. */
export function parseMetrics(text: string, fileName = '<metrics>', opts: ParseMetricsOptions = {}): MetricsRecord[] {
  return parseMetricsLines(text, fileName, opts).map((l) => l.record);
}

/** Each record with its line's text; for rewriting a file without re-encoding it. */
export function parseMetricsLines(text: string, fileName: string, opts: ParseMetricsOptions = {}): Array<{ record: MetricsRecord; text: string }> {
  const lines = text.split('\n');
  const endsWithNewline = lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();
  const out: Array<{ record: MetricsRecord; text: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (raw.trim() === '') continue;
    const fail = (msg: string): never => {
      throw new InvalidInputError(`${fileName}, line ${i + 1}: ${msg}`);
    };
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      const partial = i === lines.length - 1 && !endsWithNewline;
      if (partial && opts.allowPartialLastLine !== false) break;
      fail(`malformed JSON: ${(err as Error).message}${partial ? ' (the last line has no newline: was the file cut off?)' : ''}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`expected a JSON object, received ${describeValue(value)}`);
    const parsed = metricsRecordSchema.safeParse(value);
    if (!parsed.success) fail(formatZodError(parsed.error));
    out.push({ record: (parsed as { data: MetricsRecord }).data, text: raw });
  }
  return out;
}
