import * as fs from 'node:fs';
import type { z } from 'zod';
import { InvalidInputError } from '../errors.ts';
import { describeValue } from '../spaces/space.ts';
import { formatZodError } from '../validation.ts';
import {
  EPISODE_FORMAT_NAME,
  EPISODE_FORMAT_VERSION,
  episodeFooterSchema,
  episodeHeaderSchema,
  episodeStepSchema,
  type EpisodeFooter,
  type EpisodeHeader,
  type EpisodeStep,
  type ParsedEpisode,
} from './format.ts';

export interface ParseEpisodeOptions {
  /**
   * Read a file that was cut off: a missing footer is accepted (`complete: false`), and a partial last line
   * (one that is not valid JSON and has no `\n` after it) is dropped. Default false: both are errors.
   */
  allowTruncated?: boolean;
}

/** Reads and validates an episode file (see `format.ts`); errors are `InvalidInputError`s naming the file and line. */
export function readEpisode(path: string, opts: ParseEpisodeOptions = {}): ParsedEpisode {
  return parseEpisode(fs.readFileSync(path, 'utf8'), path, opts);
}

/**
 * Parses the text of an episode file. Every line is checked against the format's schemas, and the lines against
 * each other: the header first and once, steps numbered 0, 1, 2, ..., nothing after the step that ended the
 * episode but the footer, nothing after the footer, and a footer that agrees with the steps.
 * Errors are `InvalidInputError`s whose message starts `<fileName>, line <n>: `.
 */
export function parseEpisode(text: string, fileName = '<episode>', opts: ParseEpisodeOptions = {}): ParsedEpisode {
  const lenient = opts.allowTruncated === true;
  const fail: (line: number, msg: string) => never = (line, msg) => {
    throw new InvalidInputError(`${fileName}, line ${line}: ${msg}`);
  };

  const lines = text.split('\n');
  const endsWithNewline = lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();
  if (lines.length === 0) throw new InvalidInputError(`${fileName}: the file is empty; an episode file starts with a header line`);

  let header: EpisodeHeader | undefined;
  const steps: EpisodeStep[] = [];
  let end: EpisodeFooter | undefined;
  let endLine = 0;
  let endedAtLine = 0;
  let returnSum = 0;

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    const isLast = i === lines.length - 1;
    if (raw.trim() === '') fail(lineNo, 'empty line; every line of an episode file is one JSON object');

    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      if (isLast && !endsWithNewline && lenient) break; // a line cut off mid-way: drop it
      const cut = isLast && !endsWithNewline ? ' (the last line has no newline: was the file cut off? pass { allowTruncated: true } to read the complete steps)' : '';
      fail(lineNo, `malformed JSON: ${(err as Error).message}${cut}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(lineNo, `expected a JSON object, received ${describeValue(value)}`);
    const type = (value as { type?: unknown }).type;

    if (end !== undefined) fail(lineNo, `line after the footer (the "end" line is line ${endLine}); nothing may follow it`);

    if (header === undefined) {
      if (type !== 'header') {
        const what = typeof type === 'string' ? `a "${type}" line` : `a line without a "type"`;
        fail(lineNo, `expected the header (a line with "type": "header") before anything else, found ${what}`);
      }
      const obj = value as { format?: unknown; version?: unknown };
      if (obj.format !== EPISODE_FORMAT_NAME) fail(lineNo, `not an arcade-rl episode file: header "format" is ${describeValue(obj.format)}, expected "${EPISODE_FORMAT_NAME}"`);
      if (typeof obj.version === 'number' && obj.version > EPISODE_FORMAT_VERSION) {
        fail(lineNo, `episode format version ${obj.version} is newer than this arcade-rl supports (${EPISODE_FORMAT_VERSION}); upgrade arcade-rl to read it`);
      }
      header = check(episodeHeaderSchema, value, lineNo, fail);
      continue;
    }

    switch (type) {
      case 'header':
        fail(lineNo, 'a second header; an episode file holds one episode');
        break;
      case 'step': {
        const step = check(episodeStepSchema, value, lineNo, fail);
        if (endedAtLine !== 0) {
          const prev = steps[steps.length - 1];
          fail(lineNo, `step after the episode ended (step t=${prev.t} on line ${endedAtLine} was ${prev.terminated ? 'terminated' : 'truncated'})`);
        }
        if (step.t !== steps.length) fail(lineNo, `step t=${step.t} but expected t=${steps.length}: steps must be numbered 0, 1, 2, ... without gaps`);
        steps.push(step);
        returnSum += step.reward;
        if (step.terminated || step.truncated) endedAtLine = lineNo;
        break;
      }
      case 'end': {
        const footer = check(episodeFooterSchema, value, lineNo, fail);
        if (footer.length !== steps.length) fail(lineNo, `footer says length ${footer.length} but the file has ${steps.length} steps`);
        const last = steps[steps.length - 1];
        if (last === undefined || endedAtLine === 0) fail(lineNo, 'footer before the episode ended: the last step is neither terminated nor truncated');
        if (footer.terminated !== last.terminated || footer.truncated !== last.truncated) {
          fail(lineNo, `footer says terminated=${footer.terminated}, truncated=${footer.truncated} but the last step (t=${last.t}) has terminated=${last.terminated}, truncated=${last.truncated}`);
        }
        if (Math.abs(footer.return - returnSum) > 1e-9 * Math.max(1, Math.abs(returnSum))) {
          fail(lineNo, `footer says return ${footer.return} but the step rewards sum to ${returnSum}`);
        }
        end = footer;
        endLine = lineNo;
        break;
      }
      default:
        fail(lineNo, `unknown line type ${describeValue(type)}; expected "step" or "end"`);
    }
  }

  if (header === undefined) throw new InvalidInputError(`${fileName}, line 1: the header line is cut off; the file holds no complete line`);
  if (end === undefined && !lenient) {
    throw new InvalidInputError(
      `${fileName}, line ${lines.length}: the file ends without a footer (an "end" line) after ${steps.length} steps: ` +
        'it was cut off or the episode never ended; pass { allowTruncated: true } to read the complete steps',
    );
  }
  return end === undefined ? { header, steps, complete: false } : { header, steps, end, complete: true };
}

function check<T>(schema: z.ZodType<T>, value: unknown, lineNo: number, fail: (line: number, msg: string) => never): T {
  const r = schema.safeParse(value);
  if (!r.success) return fail(lineNo, formatZodError(r.error));
  return r.data;
}
