import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BaseEnv } from '../core/env.ts';
import type { ResetOptions, ResetResult, StepResult } from '../core/env.ts';
import { InvalidInputError, EnvContractError } from '../core/errors.ts';
import { Box } from '../core/spaces/box.ts';
import { Discrete } from '../core/spaces/discrete.ts';
import { spaceFromJSON } from '../core/spaces/from-json.ts';
import {
  EPISODE_FORMAT_VERSION,
  EpisodeWriter,
  encodeEpisode,
  parseEpisode,
  readEpisode,
  type Episode,
} from '../core/episode/index.ts';
import { RecordEpisodes } from '../core/wrappers/record-episodes.ts';

/** A 1-D corridor: start in cell 0, action 1 moves right, 0 left; -0.1 a step, +1 on reaching the last cell. */
class Corridor extends BaseEnv<number, number> {
  readonly observationSpace: Discrete;
  readonly actionSpace = new Discrete(2);
  override readonly metadata = { renderModes: ['frame'], renderFps: 4 };
  private pos = 0;

  constructor(readonly length = 4) {
    super();
    this.observationSpace = new Discrete(length);
  }

  reset(opts?: ResetOptions): ResetResult<number> {
    this.seedOnReset(opts);
    this.pos = 0;
    return { observation: this.pos, info: {} };
  }

  step(action: number): StepResult<number> {
    this.pos = Math.max(0, Math.min(this.length - 1, this.pos + (action === 1 ? 1 : -1)));
    const terminated = this.pos === this.length - 1;
    return { observation: this.pos, reward: terminated ? 0.9 : -0.1, terminated, truncated: false, info: {} };
  }

  render() {
    return { kind: 'corridor', position: this.pos, length: this.length };
  }
}

/** The corridor without render(). */
class BlindCorridor extends BaseEnv<number, number> {
  readonly observationSpace = new Discrete(2);
  readonly actionSpace = new Discrete(2);
  reset(): ResetResult<number> {
    return { observation: 0, info: {} };
  }
  step(): StepResult<number> {
    return { observation: 0, reward: 0, terminated: true, truncated: false, info: {} };
  }
}

const tmpDirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'arcade-episode-'));
  tmpDirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const obsSpace = new Box({ low: [-1, -Infinity, 0], high: [1, Infinity, 255] });
const actSpace = new Discrete(3, -1);

/** A small finished episode with awkward floats, frames and annotations. */
function sampleEpisode(): Episode {
  const w = new EpisodeWriter({
    envId: 'Test-v0',
    seed: 7,
    observationSpace: obsSpace.toJSON(),
    actionSpace: actSpace.toJSON(),
    render: { kind: 'test', fps: 30 },
    createdAt: '2025-01-02T03:04:05.678Z',
    trainingStep: 1234,
    episodeIndex: 3,
    agent: 'dqn',
    initialFrame: { kind: 'test', cells: [0.1, 0.2], label: 'start' },
  });
  w.addStep({ action: -1, reward: 0.1 + 0.2, terminated: false, truncated: false, frame: { kind: 'test', cells: [1 / 3, -0], nested: { a: [true, null] } } });
  w.addStep({
    action: 0,
    reward: 1e-300,
    terminated: false,
    truncated: false,
    annotations: { qValues: new Float32Array([0.1, 0.2, 0.7]), actionProbs: [0.25, 0.5, 0.25], value: -3.5e7, note: 'greedy' },
  });
  w.addStep({ action: 1, reward: -Number.MAX_VALUE / 1e300, terminated: true, truncated: false, frame: { kind: 'test', cells: [] } });
  return w.episode;
}

/** Asserts `fn` throws an InvalidInputError whose message contains every fragment. */
function expectError(fn: () => unknown, ...fragments: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvalidInputError);
  for (const f of fragments) expect((caught as Error).message).toContain(f);
}

/** The lines of the sample episode, as objects, for building broken files. */
function sampleLines(): Record<string, unknown>[] {
  return encodeEpisode(sampleEpisode())
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
const join = (lines: unknown[]): string => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

describe('episode format: round trip', () => {
  it('encode then parse gives back the same episode, floats bit for bit', () => {
    const ep = sampleEpisode();
    const text = encodeEpisode(ep);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n')).toHaveLength(1 + 3 + 1);
    const back = parseEpisode(text, 'sample.jsonl');
    expect(back.complete).toBe(true);
    expect(back.header).toEqual(ep.header);
    expect(back.steps).toEqual(ep.steps);
    expect(back.end).toEqual(ep.end);
    expect(back.steps[0].reward).toBe(0.1 + 0.2);
    expect(back.steps[0].reward).not.toBe(0.3);
    expect(back.steps[1].reward).toBe(1e-300);
    // float32 Q-values are widened exactly to doubles
    const q = back.steps[1].annotations?.qValues ?? [];
    expect(q).toEqual(Array.from(new Float32Array([0.1, 0.2, 0.7])));
    expect(Float32Array.from(q)).toEqual(new Float32Array([0.1, 0.2, 0.7]));
    expect(back.steps[1].annotations?.note).toBe('greedy');
    expect(back.steps[0].frame).toEqual({ kind: 'test', cells: [1 / 3, 0], nested: { a: [true, null] } });
    expect(back.end).toEqual({ type: 'end', return: 0.1 + 0.2 + 1e-300 + -Number.MAX_VALUE / 1e300, length: 3, terminated: true, truncated: false });
    // encoding is deterministic
    expect(encodeEpisode(back)).toBe(text);
  });

  it("the header's spaces rebuild with spaceFromJSON", () => {
    const { header } = parseEpisode(encodeEpisode(sampleEpisode()));
    expect(header.version).toBe(EPISODE_FORMAT_VERSION);
    const o = spaceFromJSON(header.observationSpace) as Box;
    expect(o).toBeInstanceOf(Box);
    expect(o.toJSON()).toEqual(obsSpace.toJSON());
    expect(o.high[1]).toBe(Infinity);
    const a = spaceFromJSON(header.actionSpace) as Discrete;
    expect(a.n).toBe(3);
    expect(a.start).toBe(-1);
  });

  it('typed-array actions are written as plain arrays and copied when added', () => {
    const w = new EpisodeWriter({ envId: 'T-v0', seed: null, observationSpace: obsSpace.toJSON(), actionSpace: obsSpace.toJSON(), render: { kind: 'x' } });
    const action = new Float32Array([0.5, -0.25, 3.1]);
    w.addStep({ action, reward: 0, terminated: false, truncated: true });
    action[0] = 99;
    const back = parseEpisode(w.encode());
    expect(back.steps[0].action).toEqual([0.5, -0.25, Math.fround(3.1)]);
    expect(back.header.seed).toBeNull();
    expect(back.end?.truncated).toBe(true);
  });

  it('the writer refuses non-finite numbers and unfinished episodes', () => {
    const w = new EpisodeWriter({ envId: 'T-v0', seed: 0, observationSpace: obsSpace.toJSON(), actionSpace: actSpace.toJSON(), render: { kind: 'x' } });
    expectError(() => w.addStep({ action: 0, reward: NaN, terminated: false, truncated: false }), 'step 0', 'reward');
    expectError(() => w.addStep({ action: 0, reward: 0, terminated: false, truncated: false, annotations: { qValues: [1, Infinity] } }), 'annotations.qValues[1]', 'Infinity');
    w.addStep({ action: 0, reward: 0, terminated: false, truncated: false });
    const dir = tmpDir();
    expectError(() => w.finish(path.join(dir, 'x.jsonl')), 'has not ended', 'allowIncomplete');
    w.finish(path.join(dir, 'x.jsonl'), { allowIncomplete: true });
    expectError(() => readEpisode(path.join(dir, 'x.jsonl')), 'x.jsonl, line 2', 'without a footer');
    expect(readEpisode(path.join(dir, 'x.jsonl'), { allowTruncated: true }).steps).toHaveLength(1);
  });
});

describe('episode format: errors name the file and the line', () => {
  it('malformed JSON', () => {
    const lines: unknown[] = sampleLines();
    lines[2] = '{"type": "step", "t": 1,';
    expectError(() => parseEpisode(join(lines), 'run.jsonl'), 'run.jsonl, line 3', 'malformed JSON');
  });

  it('schema errors give the path, what was expected and what was received', () => {
    const lines = sampleLines();
    lines[2].reward = 'lots';
    expectError(() => parseEpisode(join(lines), 'run.jsonl'), 'run.jsonl, line 3', 'reward', 'expected number', 'received string');
    const lines2 = sampleLines();
    (lines2[0].observationSpace as Record<string, unknown>).shape = [0];
    expectError(() => parseEpisode(join(lines2), 'run.jsonl'), 'run.jsonl, line 1', 'observationSpace.shape[0]');
    const lines3 = sampleLines();
    lines3[1].frame = { cells: [] };
    expectError(() => parseEpisode(join(lines3), 'run.jsonl'), 'run.jsonl, line 2', 'frame.kind', 'expected string');
  });

  it('a missing header, or a step before it', () => {
    expectError(() => parseEpisode('', 'empty.jsonl'), 'empty.jsonl', 'empty');
    const lines = sampleLines();
    expectError(() => parseEpisode(join(lines.slice(1)), 'nohead.jsonl'), 'nohead.jsonl, line 1', 'header', '"step"');
    expectError(() => parseEpisode(join([lines[0], lines[0], ...lines.slice(1)]), 'two.jsonl'), 'two.jsonl, line 2', 'second header');
  });

  it('a newer format version', () => {
    const lines = sampleLines();
    lines[0].version = 2;
    lines[0].somethingNew = { a: 1 };
    expectError(() => parseEpisode(join(lines), 'future.jsonl'), 'future.jsonl, line 1', 'episode format version 2 is newer than this arcade-rl supports (1)');
    const lines2 = sampleLines();
    lines2[0].format = 'something-else';
    expectError(() => parseEpisode(join(lines2), 'other.jsonl'), 'other.jsonl, line 1', 'not an arcade-rl episode file');
  });

  it('non-consecutive t', () => {
    const lines = sampleLines();
    lines[2].t = 5;
    expectError(() => parseEpisode(join(lines), 'gap.jsonl'), 'gap.jsonl, line 3', 't=5', 'expected t=1');
  });

  it('lines after the footer, and steps after the episode ended', () => {
    const lines = sampleLines();
    expectError(() => parseEpisode(join([...lines, lines[1]]), 'after.jsonl'), 'after.jsonl, line 6', 'after the footer', 'line 5');
    const lines2 = sampleLines();
    lines2[1].terminated = true;
    expectError(() => parseEpisode(join(lines2), 'ended.jsonl'), 'ended.jsonl, line 3', 'step after the episode ended', 'line 2');
  });

  it('a footer that disagrees with the steps', () => {
    const lines = sampleLines();
    lines[4].length = 4;
    expectError(() => parseEpisode(join(lines), 'foot.jsonl'), 'foot.jsonl, line 5', 'length 4', '3 steps');
    const lines2 = sampleLines();
    lines2[4].return = 7;
    expectError(() => parseEpisode(join(lines2), 'foot.jsonl'), 'foot.jsonl, line 5', 'return 7');
  });

  it('unknown line types and empty lines', () => {
    const lines: unknown[] = sampleLines();
    expectError(() => parseEpisode(join([lines[0], { type: 'comment' }, ...lines.slice(1)]), 'x.jsonl'), 'x.jsonl, line 2', 'unknown line type');
    expectError(() => parseEpisode(join([lines[0], '', ...lines.slice(1)]), 'x.jsonl'), 'x.jsonl, line 2', 'empty line');
  });
});

describe('episode format: cut-off files', () => {
  const full = encodeEpisode(sampleEpisode());
  const cutMidLine = full.slice(0, full.indexOf('"t":2') + 10); // header, steps 0 and 1, part of step 2
  const cutAtLine = full.split('\n').slice(0, 3).join('\n') + '\n'; // header, steps 0 and 1

  it('strict mode rejects them, naming the line', () => {
    expectError(() => parseEpisode(cutMidLine, 'cut.jsonl'), 'cut.jsonl, line 4', 'malformed JSON', 'allowTruncated');
    expectError(() => parseEpisode(cutAtLine, 'cut.jsonl'), 'cut.jsonl, line 3', 'without a footer', 'allowTruncated');
  });

  it('lenient mode returns the complete steps', () => {
    for (const text of [cutMidLine, cutAtLine]) {
      const ep = parseEpisode(text, 'cut.jsonl', { allowTruncated: true });
      expect(ep.complete).toBe(false);
      expect(ep.end).toBeUndefined();
      expect(ep.steps.map((s) => s.t)).toEqual([0, 1]);
      expect(ep.header.envId).toBe('Test-v0');
    }
  });

  it('lenient mode still rejects a malformed line that is followed by a newline', () => {
    const lines = full.split('\n');
    lines[2] = lines[2].slice(0, 10);
    expectError(() => parseEpisode(lines.slice(0, 4).join('\n') + '\n', 'bad.jsonl', { allowTruncated: true }), 'bad.jsonl, line 3', 'malformed JSON');
  });

  it('a cut-off header is an error even in lenient mode', () => {
    expectError(() => parseEpisode(full.slice(0, 20), 'h.jsonl', { allowTruncated: true }), 'h.jsonl, line 1');
  });
});

describe('RecordEpisodes', () => {
  /** Runs `episodes` episodes: right, left, then right until the end (return 0.9 - 0.1*(len-1)). */
  function run(env: RecordEpisodes<number, number>, episodes: number): Array<{ ret: number; len: number }> {
    const out: Array<{ ret: number; len: number }> = [];
    for (let e = 0; e < episodes; e++) {
      env.reset({ seed: 100 + e });
      let ret = 0;
      let len = 0;
      const actions = [1, 0];
      for (;;) {
        const a = actions[len] ?? 1;
        env.annotateNext({ qValues: [len, -len], value: 0.5 });
        const r = env.step(a);
        ret += r.reward;
        len++;
        if (r.terminated || r.truncated) break;
      }
      out.push({ ret, len });
    }
    return out;
  }

  it('writes one complete file per episode, atomically, that parses back', () => {
    const dir = path.join(tmpDir(), 'nested', 'episodes');
    const env = new RecordEpisodes(new Corridor(4), { dir, agent: 'scripted', trainingStep: () => 42 });
    const stats = run(env, 3);
    expect(env.writtenFiles).toEqual([1, 2, 3].map((i) => path.join(dir, `episode-00000${i}.jsonl`)));
    expect(fs.readdirSync(dir).sort()).toEqual(['episode-000001.jsonl', 'episode-000002.jsonl', 'episode-000003.jsonl']);
    for (let e = 0; e < 3; e++) {
      const ep = readEpisode(env.writtenFiles[e]);
      expect(ep.complete).toBe(true);
      expect(ep.header).toMatchObject({ envId: 'Corridor', seed: 100 + e, episodeIndex: e, agent: 'scripted', trainingStep: 42, render: { kind: 'corridor', fps: 4 } });
      expect(ep.header.initialFrame).toEqual({ kind: 'corridor', position: 0, length: 4 });
      expect(ep.end?.length).toBe(stats[e].len);
      expect(ep.end?.return).toBe(stats[e].ret);
      expect(ep.end?.terminated).toBe(true);
      expect(ep.steps.map((s) => s.action)).toEqual([1, 0, 1, 1, 1]);
      expect(ep.steps.map((s) => (s.frame as unknown as { position: number }).position)).toEqual([1, 0, 1, 2, 3]);
      expect(ep.steps[3].annotations).toEqual({ qValues: [3, -3], value: 0.5 });
      expect(spaceFromJSON(ep.header.observationSpace).toString()).toBe('Discrete(4)');
    }
    env.close();
  });

  it('honours episodeTrigger and nameTemplate; episode indices count every reset', () => {
    const dir = tmpDir();
    const seen: number[] = [];
    const env = new RecordEpisodes(new Corridor(3), {
      dir,
      envId: 'Corridor-v0',
      episodeTrigger: (i) => {
        seen.push(i);
        return i % 2 === 0;
      },
    });
    run(env, 5);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(fs.readdirSync(dir).sort()).toEqual(['episode-000001.jsonl', 'episode-000003.jsonl', 'episode-000005.jsonl']);
    expect(readEpisode(env.writtenFiles[1]).header).toMatchObject({ episodeIndex: 2, envId: 'Corridor-v0' });

    const dir2 = tmpDir();
    const named = new RecordEpisodes(new Corridor(3), { dir: dir2, nameTemplate: (i) => `run-a-${i}.jsonl` });
    run(named, 2);
    expect(fs.readdirSync(dir2).sort()).toEqual(['run-a-0.jsonl', 'run-a-1.jsonl']);
  });

  it('discards an episode abandoned by reset, and one still running at close', () => {
    const dir = tmpDir();
    const env = new RecordEpisodes(new Corridor(4), { dir });
    env.reset({ seed: 1 });
    env.step(1);
    run(env, 1); // resets: the first episode is abandoned
    env.reset();
    env.step(1);
    env.close();
    expect(env.writtenFiles).toEqual([path.join(dir, 'episode-000002.jsonl')]);
    expect(fs.readdirSync(dir)).toEqual(['episode-000002.jsonl']);
    expect(readEpisode(env.writtenFiles[0]).header.seed).toBe(100);
  });

  it('merges the annotate callback with annotateNext, and records a null seed', () => {
    const dir = tmpDir();
    const env = new RecordEpisodes(new Corridor(2), { dir, annotate: ({ t, result }) => ({ t, value: result.reward }) });
    env.reset();
    env.annotateNext({ value: 7, actionProbs: [0.5, 0.5] });
    env.step(1);
    const ep = readEpisode(env.writtenFiles[0]);
    expect(ep.header.seed).toBeNull();
    expect(ep.steps[0].annotations).toEqual({ t: 0, value: 7, actionProbs: [0.5, 0.5] });
  });

  it('refuses an env without render(), naming it', () => {
    expect(() => new RecordEpisodes(new BlindCorridor(), { dir: tmpDir() })).toThrow(EnvContractError);
    expect(() => new RecordEpisodes(new BlindCorridor(), { dir: tmpDir() })).toThrow(/BlindCorridor has no render\(\)/);
  });
});
