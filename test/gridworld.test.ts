import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { EnvContractError, InvalidInputError } from '../core/index.ts';
import {
  CliffWalking,
  Empty,
  FourRooms,
  FrozenLake,
  GRID_CHANNELS,
  GRIDWORLD_ENVS,
  GRIDWORLD_MAPS,
  GridAction,
  GridMapError,
  GridWorld,
  KeyDoor,
  Lava,
  loadGridMap,
  parseGridMap,
} from '../envs/gridworld/index.ts';

const { Up, Right, Down, Left } = GridAction;
const ch = (name: (typeof GRID_CHANNELS)[number]): number => GRID_CHANNELS.indexOf(name);
const C = GRID_CHANNELS.length;

/** The GridMapError thrown by parsing `text`. */
function parseError(text: string): GridMapError {
  try {
    parseGridMap(text);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err).toBeInstanceOf(GridMapError);
    return err as GridMapError;
  }
  throw new Error('expected parseGridMap to throw');
}

describe('parseGridMap', () => {
  it('parses size, start and flags, ignoring blank edge lines and \\r', () => {
    const m = parseGridMap('\n  \r\nS.K\r\n#DG\n\n');
    expect(m).toMatchObject({ width: 3, height: 2, rows: ['S.K', '#DG'], start: { x: 0, y: 0 }, goals: 1, hasKeys: true, hasDoors: true });
    const e = parseGridMap(Empty);
    expect([e.width, e.height, e.start.x, e.start.y]).toEqual([8, 8, 1, 1]);
  });

  it('names line and column of an unknown character', () => {
    const err = parseError('S..\n.x.\n..G');
    expect([err.line, err.column]).toEqual([2, 2]);
    expect(err.message).toBe("grid map, line 2, column 2: unknown character 'x' (legend: # . S G L H C K D ~)");
  });

  it('counts leading blank lines in line numbers and explains spaces', () => {
    const err = parseError('\n\nS.G\n. .\n');
    expect([err.line, err.column]).toEqual([4, 2]);
    expect(err.message).toContain("unknown character ' '");
    expect(err.message).toContain("use '.' for floor");
  });

  it('rejects ragged rows at the first column past the shorter or expected length', () => {
    const short = parseError('S...\n..\n...G');
    expect([short.line, short.column]).toEqual([2, 3]);
    expect(short.message).toMatch(/line 2, column 3: a row of 2 characters, but the first row \(line 1\) has 4/);
    const long = parseError('S..\n....\n..G');
    expect([long.line, long.column]).toEqual([2, 4]);
    const empty = parseError('S..\n\n..G');
    expect(empty.line).toBe(2);
    expect(empty.message).toContain('an empty row');
  });

  it('rejects two starts at the second, naming the first', () => {
    const err = parseError('S..\n..S\n..G');
    expect([err.line, err.column]).toEqual([2, 3]);
    expect(err.message).toContain("a second start 'S' (the first is at line 1, column 1)");
  });

  it('rejects maps without a start, without a goal, or without rows', () => {
    expect(parseError('...\n..G').message).toBe("grid map: no start 'S'; a map needs exactly one");
    expect(parseError('S..\n...').message).toBe("grid map: no goal 'G'; a map needs at least one");
    expect(parseError('\n \n').message).toContain('empty');
    expect(parseError('S..\n...').line).toBeUndefined();
  });

  it('parses every built-in map', () => {
    for (const [name, text] of Object.entries(GRIDWORLD_MAPS)) expect(() => parseGridMap(text, name)).not.toThrow();
  });
});

describe('loadGridMap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridworld-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a file and names it in errors', () => {
    const good = join(dir, 'good.txt');
    writeFileSync(good, 'S.\n.G\n');
    expect(loadGridMap(good).rows).toEqual(['S.', '.G']);
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'S.\n.Q\n');
    expect(() => loadGridMap(bad)).toThrow(`${bad}, line 2, column 2: unknown character 'Q'`);
    expect(() => loadGridMap(join(dir, 'missing.txt'))).toThrow(InvalidInputError);
  });
});

describe('GridWorld dynamics', () => {
  it('moves, and stays put against walls and the edge of the map', () => {
    const env = new GridWorld({ map: Empty });
    expectTypeOf(env.reset().observation).toEqualTypeOf<number>();
    expect(env.observationSpace.toString()).toBe('Discrete(64)');
    expect(env.reset({ seed: 0 }).observation).toBe(1 * 8 + 1);
    expect(env.step(Up).observation).toBe(9); // wall above
    expect(env.step(Left).observation).toBe(9); // wall left
    expect(env.step(Right).observation).toBe(10);
    expect(env.step(Down).observation).toBe(18);
    const r = env.step(Left);
    expect(r).toEqual({ observation: 17, reward: 0, terminated: false, truncated: false, info: {} });
    expect(env.agent).toEqual({ x: 1, y: 2 });

    // No enclosing walls: outside the map is wall.
    const open = new GridWorld({ map: 'S.G' });
    open.reset();
    expect(open.step(Left).observation).toBe(0);
    expect(open.step(Up).observation).toBe(0);
    expect(open.step(Down).observation).toBe(0);
  });

  it('terminates at the goal with goalReward; stepReward before', () => {
    const env = new GridWorld({ map: 'S.G', stepReward: -0.5, goalReward: 10 });
    env.reset();
    expect(env.step(Right)).toMatchObject({ observation: 1, reward: -0.5, terminated: false, truncated: false });
    expect(env.step(Right)).toMatchObject({ observation: 2, reward: 10, terminated: true, truncated: false });
  });

  it('terminates in lava and holes with their rewards', () => {
    const env = new GridWorld({ map: 'LSH\n.G.', lavaReward: -3, holeReward: -2 });
    env.reset();
    expect(env.step(Left)).toMatchObject({ observation: 0, reward: -3, terminated: true });
    env.reset();
    expect(env.step(Right)).toMatchObject({ observation: 2, reward: -2, terminated: true });
    env.reset();
    expect(env.step(Down)).toMatchObject({ observation: 4, reward: 1, terminated: true });
  });

  it('CliffWalking: the cliff gives -100 and sends the agent back to the start', () => {
    const reg = GRIDWORLD_ENVS.find((r) => r.id === 'GridWorld-CliffWalking-v0')!;
    const env = reg.entryPoint({ ...reg.kwargs });
    const start = 3 * 12;
    expect(env.reset().observation).toBe(start);
    expect(env.step(Up)).toMatchObject({ observation: 2 * 12, reward: -1, terminated: false });
    expect(env.step(Right)).toMatchObject({ observation: 2 * 12 + 1, reward: -1 });
    expect(env.step(Down)).toEqual({ observation: start, reward: -100, terminated: false, truncated: false, info: {} });
    // The safe route along the cliff edge: up, 11 right, down = 13 steps, return -13.
    env.reset();
    let ret = 0;
    let last = env.step(Up);
    ret += last.reward;
    for (let i = 0; i < 11; i++) ret += env.step(Right).reward;
    last = env.step(Down);
    ret += last.reward;
    expect(last.terminated).toBe(true);
    expect(ret).toBe(-13);
  });

  it('a locked door is impassable without the key and opens with it, for good', () => {
    // K S D G: the key is left of the start, the door right of it.
    const env = new GridWorld({ map: 'KSDG' });
    expect(env.observationSpace.toString()).toBe('Discrete(8)');
    expect(env.reset()).toEqual({ observation: 1 * 2, info: { hasKey: false } });
    expect(env.step(Right)).toMatchObject({ observation: 1 * 2, terminated: false, info: { hasKey: false } });
    expect(env.render().tiles).toEqual(['KSDG']);
    expect(env.step(Left)).toMatchObject({ observation: 0 * 2 + 1, info: { hasKey: true } });
    expect(env.holdingKey).toBe(true);
    expect(env.render().tiles).toEqual(['.SDG']);
    expect(env.step(Right).observation).toBe(1 * 2 + 1);
    expect(env.step(Right).observation).toBe(2 * 2 + 1); // opened the door and walked in
    expect(env.render().tiles).toEqual(['.S.G']);
    expect(env.step(Left).observation).toBe(1 * 2 + 1);
    expect(env.step(Right).observation).toBe(2 * 2 + 1); // still open
    expect(env.step(Right)).toMatchObject({ observation: 3 * 2 + 1, reward: 1, terminated: true });
    // reset restores key and door.
    env.reset();
    expect(env.render()).toMatchObject({ tiles: ['KSDG'], hasKey: false });
    expect(env.step(Right).observation).toBe(2);
  });

  it('maps with keys but no doors keep the plain cell index', () => {
    const env = new GridWorld({ map: 'SKG' });
    expect(env.observationSpace.toString()).toBe('Discrete(3)');
    env.reset();
    expect(env.step(Right)).toMatchObject({ observation: 1, info: { hasKey: true } });
  });

  it('rejects actions outside Discrete(4)', () => {
    const env = new GridWorld({ map: Empty });
    env.reset();
    for (const a of [4, -1, 1.5, Number.NaN]) expect(() => env.step(a)).toThrow(EnvContractError);
  });

  it('validates its options', () => {
    expect(() => new GridWorld({ map: Empty, stepreward: 1 } as never)).toThrow(/unknown option "stepreward"/);
    expect(() => new GridWorld({ map: Empty, observation: 'view', viewSize: 4 })).toThrow(InvalidInputError);
    expect(() => new GridWorld({ map: Empty, observation: 'pixels' as never })).toThrow(InvalidInputError);
    expect(() => new GridWorld({ map: Empty, goalReward: Number.NaN })).toThrow(InvalidInputError);
    expect(() => new GridWorld({ map: 'S.x' })).toThrow(/line 1, column 3/);
    expect(new GridWorld({ map: 'FourRooms' }).map.rows).toEqual(parseGridMap(FourRooms).rows);
    expect(new GridWorld({ map: parseGridMap(Lava) }).width).toBe(7);
  });
});

describe('slippery moves', () => {
  /** Outcomes of one step from the centre of an open 3x3 slippery map. */
  function slipCounts(action: number, trials: number): Map<number, number> {
    const env = new GridWorld({ map: 'G..\n.S.\n...', slippery: true });
    env.reset({ seed: 123 });
    const counts = new Map<number, number>();
    for (let i = 0; i < trials; i++) {
      env.reset();
      const o = env.step(action).observation;
      counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    return counts;
  }

  it('goes the intended way or either perpendicular way, 1/3 each', () => {
    const n = 30_000;
    const up = slipCounts(Up, n);
    expect([...up.keys()].sort((a, b) => a - b)).toEqual([1, 3, 5]); // up, left, right of cell 4
    for (const cell of [1, 3, 5]) expect(Math.abs(up.get(cell)! / n - 1 / 3)).toBeLessThan(0.015);
    const right = slipCounts(Right, n);
    expect([...right.keys()].sort((a, b) => a - b)).toEqual([1, 5, 7]);
    for (const cell of [1, 5, 7]) expect(Math.abs(right.get(cell)! / n - 1 / 3)).toBeLessThan(0.015);
  });

  it('only moves from ice cells slip when the env is not slippery', () => {
    // Start (1,2) under an ice cell (1,1); moves from the start are exact, moves from the ice are not.
    const env = new GridWorld({ map: '.G.\n.~.\n.S.' });
    env.reset({ seed: 7 });
    const fromIce = new Set<number>();
    for (let i = 0; i < 200; i++) {
      env.reset();
      expect(env.step(Up).observation).toBe(4);
      fromIce.add(env.step(Up).observation);
    }
    expect([...fromIce].sort()).toEqual([1, 3, 5]);
  });

  it('the same seed gives the same episode; different seeds differ', () => {
    const run = (seed: number): number[] => {
      const env = new GridWorld({ map: FrozenLake, slippery: true });
      env.actionSpace.seed(99);
      const trace: number[] = [env.reset({ seed }).observation];
      for (let i = 0; i < 300; i++) {
        const r = env.step(env.actionSpace.sample());
        trace.push(r.observation, r.reward);
        if (r.terminated) trace.push(-1, env.reset().observation);
      }
      return trace;
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });
});

describe('array observations', () => {
  const at = (obs: Float32Array, width: number, x: number, y: number, channel: number): number => obs[(y * width + x) * C + channel];

  it("'grid' has shape [h, w, 8] with the right cells set, and lies in the space", () => {
    const env = new GridWorld({ map: KeyDoor, observation: 'grid' });
    expectTypeOf(env.reset().observation).toEqualTypeOf<Float32Array>();
    expect(env.observationSpace.shape).toEqual([7, 10, 8]);
    const obs = env.reset({ seed: 0 }).observation;
    expect(obs).toBeInstanceOf(Float32Array);
    expect(obs.length).toBe(7 * 10 * 8);
    expect(env.observationSpace.contains(obs)).toBe(true);
    const cell = (x: number, y: number): number[] => Array.from(obs.subarray((y * 10 + x) * C, (y * 10 + x + 1) * C));
    //                        wall goal haz key door ice agent holding
    expect(cell(0, 0)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(cell(1, 1)).toEqual([0, 0, 0, 0, 0, 0, 1, 0]); // agent on the start
    expect(cell(2, 4)).toEqual([0, 0, 0, 1, 0, 0, 0, 0]); // key
    expect(cell(4, 3)).toEqual([0, 0, 0, 0, 1, 0, 0, 0]); // door
    expect(cell(8, 4)).toEqual([0, 1, 0, 0, 0, 0, 0, 0]); // goal
    expect(cell(5, 5)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]); // floor
    let agents = 0;
    for (let i = ch('agent'); i < obs.length; i += C) agents += obs[i];
    expect(agents).toBe(1);

    // Walk to the key: (1,1) -> (1,4) -> (2,4).
    env.step(Down);
    env.step(Down);
    env.step(Down);
    const got = env.step(Right).observation;
    expect(at(got, 10, 2, 4, ch('key'))).toBe(0);
    expect(at(got, 10, 2, 4, ch('agent'))).toBe(1);
    for (let i = ch('holdingKey'); i < got.length; i += C) expect(got[i]).toBe(1);
    // Open the door: (2,4) -> (3,4) -> (3,3) -> (4,3).
    env.step(Right);
    env.step(Up);
    const opened = env.step(Right).observation;
    expect(Array.from(opened.subarray((3 * 10 + 4) * C, (3 * 10 + 5) * C))).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
    expect(env.observationSpace.contains(opened)).toBe(true);
    // A reset puts key and door back.
    const again = env.reset().observation;
    expect(Array.from(again)).toEqual(Array.from(obs));
  });

  it("'grid' marks hazards and ice", () => {
    const env = new GridWorld({ map: 'SLH\nC~G', observation: 'grid' });
    const obs = env.reset().observation;
    expect(at(obs, 3, 1, 0, ch('hazard'))).toBe(1);
    expect(at(obs, 3, 2, 0, ch('hazard'))).toBe(1);
    expect(at(obs, 3, 0, 1, ch('hazard'))).toBe(1);
    expect(at(obs, 3, 1, 1, ch('ice'))).toBe(1);
    expect(at(obs, 3, 0, 0, ch('ice'))).toBe(0);
    const slippery = new GridWorld({ map: 'S#G', observation: 'grid', slippery: true }).reset().observation;
    expect([at(slippery, 3, 0, 0, ch('ice')), at(slippery, 3, 1, 0, ch('ice')), at(slippery, 3, 2, 0, ch('ice'))]).toEqual([1, 0, 1]);
  });

  it("'view' is the k x k window around the agent, outside the map as wall, not rotated", () => {
    const env = new GridWorld({ map: Lava, observation: 'view' });
    expect(env.observationSpace.shape).toEqual([5, 5, 8]);
    const obs = env.reset().observation; // agent at (1,1)
    expect(obs.length).toBe(5 * 5 * 8);
    expect(env.observationSpace.contains(obs)).toBe(true);
    // View (vx, vy) shows map (1 + vx - 2, 1 + vy - 2).
    expect(at(obs, 5, 2, 2, ch('agent'))).toBe(1);
    expect(at(obs, 5, 0, 0, ch('wall'))).toBe(1); // map (-1,-1): outside
    expect(at(obs, 5, 1, 1, ch('wall'))).toBe(1); // map (0,0): wall
    expect(at(obs, 5, 3, 2, ch('wall'))).toBe(0); // map (2,1): floor
    expect(at(obs, 5, 4, 2, ch('hazard'))).toBe(1); // map (3,1): lava, right of the agent
    expect(at(obs, 5, 4, 3, ch('hazard'))).toBe(1); // map (3,2): lava
    expect(at(obs, 5, 4, 4, ch('hazard'))).toBe(0); // map (3,3): the gap
    const view = new GridWorld({ map: Lava, observation: 'view', viewSize: 3 });
    const small = view.reset().observation;
    expect(view.observationSpace.shape).toEqual([3, 3, 8]);
    expect(small.length).toBe(72);
    expect(at(small, 3, 1, 1, ch('agent'))).toBe(1);
    view.step(Right); // agent (2,1): lava right of it
    const next = view.step(Down).observation; // agent (2,2): lava right-up (3,1) and right (3,2)
    expect(at(next, 3, 2, 0, ch('hazard'))).toBe(1);
    expect(at(next, 3, 2, 1, ch('hazard'))).toBe(1);
    expect(at(next, 3, 2, 2, ch('hazard'))).toBe(0); // map (3,3): the gap
    expect(at(next, 3, 1, 0, ch('wall'))).toBe(0);
  });

  it('an observation handed out is never changed by later steps', () => {
    for (const observation of ['grid', 'view'] as const) {
      const env = new GridWorld({ map: KeyDoor, observation });
      const first = env.reset().observation;
      const copy = Float32Array.from(first);
      const seen: Float32Array[] = [first];
      for (const a of [Down, Down, Down, Right, Right, Up, Right, Right]) seen.push(env.step(a).observation);
      expect(Array.from(first)).toEqual(Array.from(copy));
      // All distinct arrays, no overlapping memory.
      for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
      for (let i = 0; i < 2000; i++) env.step(i & 3);
      expect(Array.from(first)).toEqual(Array.from(copy));
    }
  });
});

describe('render', () => {
  it('is JSON-serialisable and shows the agent', () => {
    const env = new GridWorld({ map: FrozenLake, slippery: true });
    env.reset({ seed: 0 });
    const frame = env.render();
    expect(JSON.parse(JSON.stringify(frame))).toEqual(frame);
    expect(frame).toMatchObject({ kind: 'grid', width: 4, height: 4, tiles: ['S...', '.H.H', '...H', 'H..G'], agent: { x: 0, y: 0 }, hasKey: false, slippery: true });
    expect((frame.legend as Record<string, string>)['H']).toBe('hole');
    const e = new GridWorld({ map: Empty });
    e.reset();
    e.step(Right);
    e.step(Down);
    expect(e.render().agent).toEqual({ x: 2, y: 2 });
    expect(env.metadata).toEqual({ renderModes: ['frame'], renderFps: 8 });
  });
});

describe('GRIDWORLD_ENVS', () => {
  /** Shortest number of moves from the start to a goal, ignoring slips, avoiding hazards, with keys and doors. */
  function shortestPath(text: string): number {
    const m = parseGridMap(text);
    const tile = (x: number, y: number): string => (x < 0 || y < 0 || x >= m.width || y >= m.height ? '#' : m.rows[y][x]);
    const key = (x: number, y: number, k: number): string => `${x},${y},${k}`;
    let frontier = [[m.start.x, m.start.y, 0]];
    const seen = new Set([key(m.start.x, m.start.y, 0)]);
    for (let d = 1; frontier.length > 0; d++) {
      const next: number[][] = [];
      for (const [x, y, k] of frontier) {
        for (const [dx, dy] of [[0, -1], [1, 0], [0, 1], [-1, 0]]) {
          const nx = x + dx;
          const ny = y + dy;
          const t = tile(nx, ny);
          if (t === '#' || 'LHC'.includes(t) || (t === 'D' && k === 0)) continue;
          if (t === 'G') return d;
          const nk = t === 'K' ? 1 : k;
          if (seen.has(key(nx, ny, nk))) continue;
          seen.add(key(nx, ny, nk));
          next.push([nx, ny, nk]);
        }
      }
      frontier = next;
    }
    return Infinity;
  }

  it('has the documented shortest paths', () => {
    expect(shortestPath(Empty)).toBe(10);
    expect(shortestPath(FourRooms)).toBe(20);
    expect(shortestPath(CliffWalking)).toBe(13);
    expect(shortestPath(FrozenLake)).toBe(6);
    expect(shortestPath(GRIDWORLD_MAPS.FrozenLake8x8)).toBe(14);
    expect(shortestPath(KeyDoor)).toBe(12);
    expect(shortestPath(Lava)).toBe(8);
  });

  it('describes seven envs that build, run and have JSON kwargs', () => {
    expect(GRIDWORLD_ENVS.map((r) => r.id)).toEqual([
      'GridWorld-Empty-v0',
      'GridWorld-FourRooms-v0',
      'GridWorld-CliffWalking-v0',
      'GridWorld-FrozenLake-v0',
      'GridWorld-FrozenLake8x8-v0',
      'GridWorld-KeyDoor-v0',
      'GridWorld-Lava-v0',
    ]);
    for (const reg of GRIDWORLD_ENVS) {
      expect(JSON.parse(JSON.stringify(reg.kwargs))).toEqual(reg.kwargs);
      expect(reg.maxEpisodeSteps).toBeGreaterThan(0);
      expect(reg.description.length).toBeGreaterThan(10);
      for (const observation of ['index', 'grid', 'view'] as const) {
        const env = reg.entryPoint({ ...reg.kwargs, observation });
        env.actionSpace.seed(3);
        const r0 = env.reset({ seed: 3 });
        expect(env.observationSpace.contains(r0.observation)).toBe(true);
        for (let i = 0; i < 300; i++) {
          const r = env.step(env.actionSpace.sample());
          expect(env.observationSpace.contains(r.observation)).toBe(true);
          expect(r.truncated).toBe(false);
          if (r.terminated) env.reset();
        }
      }
    }
    const frozen = GRIDWORLD_ENVS.find((r) => r.id === 'GridWorld-FrozenLake-v0')!;
    expect(frozen.kwargs).toMatchObject({ map: FrozenLake, slippery: true, goalReward: 1 });
    expect(frozen.maxEpisodeSteps).toBe(100);
  });
});
