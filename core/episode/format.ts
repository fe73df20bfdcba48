/**
 * # arcade-rl episode files, format version 1
 *
 * One recorded episode per file, as [JSON lines](https://jsonlines.org/): UTF-8 text, one JSON object per
 * line, every line (the last included) ended by `\n`. The conventional extension is `.jsonl`.
 * Every line has a `type` field that says what it is:
 *
 * 1. **Header** (line 1, exactly once):
 *    ```
 *    { "type": "header", "format": "arcade-rl-episode", "version": 1,
 *      "envId": "CartPole-v1", "seed": 42,
 *      "observationSpace": { "type": "Box", ... }, "actionSpace": { "type": "Discrete", "n": 2, "start": 0 },
 *      "render": { "kind": "cartpole", "fps": 50 },
 *      "createdAt": "2025-01-01T12:00:00.000Z",
 *      "trainingStep": 120000, "episodeIndex": 7, "agent": "dqn",
 *      "initialFrame": { "kind": "cartpole", ... } }
 *    ```
 *    - `seed`: the seed given to `reset` for this episode, or `null` when none was (the episode then cannot be
 *      replayed from the seed alone).
 *    - `observationSpace`, `actionSpace`: the spaces' `toJSON()` form; `spaceFromJSON` rebuilds them.
 *    - `render.kind`: the frame kind, which picks the viewer's renderer; `render.fps`: the env's
 *      `metadata.renderFps`, the playback speed it suggests.
 *    - `createdAt`: when recording began, ISO 8601.
 *    - optional: `trainingStep` (the learner's step count when the episode began), `episodeIndex` (0-based
 *      count of episodes the recorder has seen), `agent` (free text), `initialFrame` (the frame of the state
 *      `reset` returned).
 * 2. **Steps** (one line per step, in order):
 *    ```
 *    { "type": "step", "t": 0, "action": 1, "reward": 1, "terminated": false, "truncated": false,
 *      "frame": { "kind": "cartpole", ... }, "annotations": { "qValues": [0.3, 0.7] } }
 *    ```
 *    - `t`: 0-based step number; the first step is `t: 0` and each next one is one more.
 *    - `action`: the action as JSON (typed arrays become plain arrays, Dict actions objects).
 *    - `frame` (optional): the frame of the state *after* this step (the state before step 0 is the header's
 *      `initialFrame`).
 *    - `annotations` (optional): what the agent knew when it chose the action: `qValues`, `actionProbs`
 *      (one number per action), `value` (state value), and any other JSON under other keys.
 *    - Only the last step may have `terminated` or `truncated` set.
 * 3. **Footer** (last line, only when the episode ended, i.e. its last step is terminated or truncated):
 *    ```
 *    { "type": "end", "return": 21, "length": 21, "terminated": true, "truncated": false }
 *    ```
 *    `return` is the sum of the step rewards in order, `length` the number of steps, and the flags repeat
 *    those of the last step.
 *
 * A file without a footer was cut off (the recorder stopped, the disk filled): readers reject it unless asked to
 * be lenient (`parseEpisode(text, name, { allowTruncated: true })`), which returns the complete steps, drops a
 * partial last line, and reports `complete: false`.
 *
 * **Numbers.** Every number is a finite JSON number; NaN and infinities cannot be written. JSON numbers written
 * by `JSON.stringify` read back as the same double, so rewards, float32 values and annotations round-trip
 * exactly (`-0` is written as `0`).
 *
 * **Compatibility.** `version` is raised when a change would make old readers misread a file; a reader refuses
 * files with a newer version than it knows. Readers ignore (drop) keys they do not know in header, step and footer lines, so optional keys may be
 * added within a version.
 *
 * **Writing.** `EpisodeWriter.finish` writes to `<path>.tmp-<pid>-<random>` and renames it onto `<path>`, so a
 * reader watching the folder sees either no file or the whole file; it should ignore names containing `.tmp-`.
 */
import { z } from 'zod';
import type { Frame, JsonValue } from '../env.ts';
import { spaceJSONSchema, type SpaceJSON } from '../spaces/space-json.ts';

/** The format version this arcade-rl writes, and the newest it reads. */
export const EPISODE_FORMAT_VERSION = 1;

/** The `format` field of every header. */
export const EPISODE_FORMAT_NAME = 'arcade-rl-episode';

/** What the agent knew when it chose an action. Values must be JSON (finite numbers). */
export interface StepAnnotations {
  /** One Q-value per action (DQN). */
  qValues?: number[];
  /** One probability per action (policy-gradient agents). */
  actionProbs?: number[];
  /** The agent's estimate of the state's value. */
  value?: number;
  [key: string]: JsonValue | undefined;
}

/** Line 1 of an episode file. */
export interface EpisodeHeader {
  type: 'header';
  format: typeof EPISODE_FORMAT_NAME;
  version: number;
  /** The registered id of the env, or its class name. */
  envId: string;
  /** The seed passed to `reset` for this episode; `null` when none was. */
  seed: number | null;
  observationSpace: SpaceJSON;
  actionSpace: SpaceJSON;
  /** The frame kind (picks the viewer's renderer) and the env's suggested playback rate. */
  render: { kind: string; fps?: number };
  /** When recording began, ISO 8601. */
  createdAt: string;
  /** The learner's step count when the episode began. */
  trainingStep?: number;
  /** 0-based index of the episode among those the recorder has seen. */
  episodeIndex?: number;
  /** Free text naming the agent (algorithm, checkpoint). */
  agent?: string;
  /** The frame of the state `reset` returned. */
  initialFrame?: Frame;
}

/** One step of an episode. */
export interface EpisodeStep {
  type: 'step';
  /** 0-based step number. */
  t: number;
  action: JsonValue;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  /** The frame of the state after this step. */
  frame?: Frame;
  annotations?: StepAnnotations;
}

/** The last line of an episode that ended. */
export interface EpisodeFooter {
  type: 'end';
  /** Sum of the step rewards, in order. */
  return: number;
  /** Number of steps. */
  length: number;
  terminated: boolean;
  truncated: boolean;
}

/** One episode in memory: what `encodeEpisode` writes. */
export interface Episode {
  header: EpisodeHeader;
  steps: EpisodeStep[];
  /** Absent when the episode has not ended (or the file was cut off). */
  end?: EpisodeFooter;
}

/** An episode read back from a file. */
export interface ParsedEpisode extends Episode {
  /** True when the file has its footer; false for a cut-off file read with `allowTruncated`. */
  complete: boolean;
}

export type EpisodeLine = EpisodeHeader | EpisodeStep | EpisodeFooter;

/** Any JSON value (finite numbers only). */
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)]),
);

/**
 * A frame: an object with a string `kind`. Its other keys are passed through unchecked: text from
 * `JSON.parse` can only hold JSON values, and frames can be large (a whole screen per step).
 */
export const frameSchema = z.looseObject({ kind: z.string() }) as unknown as z.ZodType<Frame>;

const finite = z.number();
const count = z.number().int().nonnegative();

export const stepAnnotationsSchema = z.looseObject({
  qValues: z.array(finite).optional(),
  actionProbs: z.array(finite).optional(),
  value: finite.optional(),
}) as unknown as z.ZodType<StepAnnotations>;

export const episodeHeaderSchema = z.object({
  type: z.literal('header'),
  format: z.literal(EPISODE_FORMAT_NAME),
  version: z.number().int().positive(),
  envId: z.string(),
  seed: z.number().int().nonnegative().nullable(),
  observationSpace: spaceJSONSchema,
  actionSpace: spaceJSONSchema,
  render: z.object({ kind: z.string(), fps: z.number().positive().optional() }),
  createdAt: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time such as "2025-01-01T12:00:00.000Z"' }),
  trainingStep: count.optional(),
  episodeIndex: count.optional(),
  agent: z.string().optional(),
  initialFrame: frameSchema.optional(),
}) satisfies z.ZodType<EpisodeHeader>;

export const episodeStepSchema = z.object({
  type: z.literal('step'),
  t: count,
  action: jsonValueSchema,
  reward: finite,
  terminated: z.boolean(),
  truncated: z.boolean(),
  frame: frameSchema.optional(),
  annotations: stepAnnotationsSchema.optional(),
}) satisfies z.ZodType<EpisodeStep>;

export const episodeFooterSchema = z.object({
  type: z.literal('end'),
  return: finite,
  length: count,
  terminated: z.boolean(),
  truncated: z.boolean(),
}) satisfies z.ZodType<EpisodeFooter>;
