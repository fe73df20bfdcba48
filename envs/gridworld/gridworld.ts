import {
  BaseEnv,
  Box,
  Discrete,
  EnvContractError,
  InvalidInputError,
  type EnvMetadata,
  type Frame,
  type ResetOptions,
  type ResetResult,
  type Space,
  type StepResult,
} from '../../core/index.ts';
import { GRID_LEGEND, Tile, mapTiles, parseGridMap, type GridMap } from './map.ts';
import { GRIDWORLD_MAPS } from './maps.ts';

/**
 * The actions, Discrete(4). Moves are absolute (not relative to a heading). Moving into a wall, a locked door
 * without a key, or off the map leaves the agent where it is (the step still counts and gives `stepReward`).
 * Note: Gymnasium FrozenLake numbers them differently (0 left, 1 down, 2 right, 3 up).
 */
export const GridAction = Object.freeze({ Up: 0, Right: 1, Down: 2, Left: 3 } as const);
export type GridAction = (typeof GridAction)[keyof typeof GridAction];
/** Action names by action number. */
export const GRID_ACTION_NAMES = Object.freeze(['up', 'right', 'down', 'left'] as const);

/**
 * The channels of the 'grid' and 'view' observations, in order (the last axis of `[h, w, C]`). Each is 0/1 per cell:
 * - `wall`: wall (in 'view', also every cell outside the map)
 * - `goal`: goal
 * - `hazard`: lava, hole or cliff
 * - `key`: a key still lying there (0 once picked up)
 * - `door`: a locked door (0 once opened)
 * - `ice`: moves from this cell are slippery (`~` cells; every non-wall cell when the env is `slippery`)
 * - `agent`: the agent (exactly one cell)
 * - `holdingKey`: the whole plane is 1 while the agent holds a key, else 0
 */
export const GRID_CHANNELS = Object.freeze(['wall', 'goal', 'hazard', 'key', 'door', 'ice', 'agent', 'holdingKey'] as const);
export type GridChannel = (typeof GRID_CHANNELS)[number];
const CH_WALL = 0;
const CH_GOAL = 1;
const CH_HAZARD = 2;
const CH_KEY = 3;
const CH_DOOR = 4;
const CH_ICE = 5;
const CH_AGENT = 6;
const CH_HOLDING = 7;
const C = GRID_CHANNELS.length;

/**
 * What an observation is:
 * - `index`: Discrete, the agent's cell `y * width + x`; on maps with both keys and doors, times 2 plus 1 while the
 *   agent holds a key (so the state stays Markov): Discrete(w*h) or Discrete(w*h*2).
 * - `grid`: Box `[height, width, 8]` Float32Array of 0/1, channels last (HWC, what TF.js convs expect), channels
 *   {@link GRID_CHANNELS}.
 * - `view`: Box `[k, k, 8]`, the same channels for the k x k cells centred on the agent (`viewSize` k); cells
 *   outside the map read as wall. Not rotated: up is always up, as the moves are absolute.
 */
export type ObservationMode = 'index' | 'grid' | 'view';
/** The observation type of a mode: `number` for 'index', `Float32Array` for 'grid' and 'view'. */
export type GridObservation<M extends ObservationMode> = M extends 'index' ? number : Float32Array;

/** Reward of each kind of step. The reward of a step is that of the tile entered, else `stepReward`. */
export interface GridRewards {
  /** Every step that enters no goal, lava, hole or cliff (bumping into a wall included). Default 0. */
  stepReward: number;
  /** Entering a goal (replaces `stepReward`); the episode terminates. Default 1. */
  goalReward: number;
  /** Entering lava (replaces `stepReward`); the episode terminates. Default -1. */
  lavaReward: number;
  /** Entering a hole (replaces `stepReward`); the episode terminates. Default 0 (FrozenLake). */
  holeReward: number;
  /** Entering cliff (replaces `stepReward`); the agent goes back to the start, the episode goes on. Default -100. */
  cliffReward: number;
}

export const DEFAULT_GRID_REWARDS: Readonly<GridRewards> = Object.freeze({
  stepReward: 0,
  goalReward: 1,
  lavaReward: -1,
  holeReward: 0,
  cliffReward: -100,
});

/** Options of {@link GridWorld} (the registration's `kwargs`). Everything but `map` is optional. */
export interface GridWorldOptions<M extends ObservationMode = ObservationMode> extends Partial<GridRewards> {
  /** The map: ASCII text (legend in `GRID_LEGEND`), a map from `parseGridMap`/`loadGridMap`, or a built-in map's
   * name (`'Empty'`, `'FourRooms'`, `'CliffWalking'`, `'FrozenLake'`, `'FrozenLake8x8'`, `'KeyDoor'`, `'Lava'`). */
  map: string | GridMap;
  /** Observation mode, default `'index'` (see {@link ObservationMode}). */
  observation?: M;
  /** Side of the square 'view' observation: odd, >= 1, default 5. Ignored by the other modes. */
  viewSize?: number;
  /** Every move is slippery, from whatever cell (FrozenLake): intended direction w.p. 1/3, each perpendicular
   * direction w.p. 1/3. Default false (then only moves from `~` ice cells are). */
  slippery?: boolean;
}

const OPTION_KEYS = new Set(['map', 'observation', 'viewSize', 'slippery', ...Object.keys(DEFAULT_GRID_REWARDS)]);

/**
 * A grid world defined by an ASCII map: FrozenLake, CliffWalking, MiniGrid-like rooms, keys and doors, lava.
 *
 * - Actions: Discrete(4), {@link GridAction}: 0 up, 1 right, 2 down, 3 left.
 * - Observations: see {@link ObservationMode}; the type follows the `observation` option. Array observations are
 *   fresh each step (the caller owns them).
 * - Rewards: {@link GridRewards}. `terminated` on goal, lava and hole; never `truncated` (the registry's
 *   TimeLimit does that).
 * - `info`: `{ hasKey }` on maps with keys, else `{}` (a fresh object each step, as wrappers may add to it).
 * - Randomness: only slippery moves draw from `this.rng`; the same seed and actions give the same episode.
 * - The key is kept after opening a door, so one key opens every door.
 */
export class GridWorld<M extends ObservationMode = 'index'> extends BaseEnv<GridObservation<M>, number> {
  readonly observationSpace: Space<GridObservation<M>>;
  readonly actionSpace: Discrete = new Discrete(4);
  override readonly metadata: EnvMetadata = Object.freeze({ renderModes: Object.freeze(['frame']), renderFps: 8 });

  readonly map: GridMap;
  readonly width: number;
  readonly height: number;
  readonly observationMode: M;
  readonly viewSize: number;
  readonly slippery: boolean;
  readonly rewards: Readonly<GridRewards>;

  // Hot-path copies of the rewards.
  private readonly stepReward: number;
  private readonly goalReward: number;
  private readonly lavaReward: number;
  private readonly holeReward: number;
  private readonly cliffReward: number;

  /** 0 index, 1 grid, 2 view. */
  private readonly mode: 0 | 1 | 2;
  /** The map's tiles at the start of an episode. */
  private readonly initialTiles: Uint8Array;
  /** The tiles now (keys picked up and doors opened become floor). */
  private readonly tiles: Uint8Array;
  /** `next[cell * 4 + action]`: the cell a move leads to, ignoring doors; the same cell for walls and the edge. */
  private readonly next: Int32Array;
  /** 1 where moves are slippery. */
  private readonly slip: Uint8Array;
  private readonly startCell: number;
  /** 'index' observation = cell * indexScale + hasKey; 2 on maps with keys and doors, else 1. */
  private readonly indexScale: number;
  /** 1 where the 'index' observation carries the key bit (indexScale 2), else 0. */
  private readonly keyBit: number;
  private readonly tracksKey: boolean;

  /** 'grid': the channels of the map now, without the agent; 'view': the same padded by r = (k-1)/2 cells of wall. */
  private readonly template: Float32Array;
  private readonly initialTemplate: Float32Array;
  /** Row length of `template`, in cells (width, or width + 2r for 'view'). */
  private readonly templateWidth: number;
  private readonly viewRadius: number;
  private templateDirty = false;
  /** Floats in one array observation, and in one slab of them (see `allocObservation`). */
  private readonly obsSize: number;
  private readonly slabLength: number;
  private slab = new Float32Array(0);
  private slabOffset = 0;

  private pos: number;
  private hasKey = 0;

  constructor(opts: GridWorldOptions<M>) {
    super();
    if (typeof opts !== 'object' || opts === null) throw new InvalidInputError('GridWorld: options must be an object with at least { map }');
    for (const k of Object.keys(opts)) {
      if (!OPTION_KEYS.has(k)) throw new InvalidInputError(`GridWorld: unknown option "${k}"; the options are ${[...OPTION_KEYS].join(', ')}`);
    }
    this.map = resolveMap(opts.map);
    const { width, height } = this.map;
    this.width = width;
    this.height = height;

    const mode = opts.observation ?? 'index';
    if (mode !== 'index' && mode !== 'grid' && mode !== 'view') {
      throw new InvalidInputError(`GridWorld: observation must be 'index', 'grid' or 'view', received ${JSON.stringify(mode)}`);
    }
    this.observationMode = mode as M;
    this.mode = mode === 'index' ? 0 : mode === 'grid' ? 1 : 2;
    const k = opts.viewSize ?? 5;
    if (!Number.isInteger(k) || k < 1 || k % 2 === 0) throw new InvalidInputError(`GridWorld: viewSize must be an odd positive integer, received ${k}`);
    this.viewSize = k;
    const slippery = opts.slippery ?? false;
    if (typeof slippery !== 'boolean') throw new InvalidInputError(`GridWorld: slippery must be a boolean, received ${JSON.stringify(slippery)}`);
    this.slippery = slippery;

    const rewards = { ...DEFAULT_GRID_REWARDS };
    for (const key of Object.keys(DEFAULT_GRID_REWARDS) as (keyof GridRewards)[]) {
      const v = opts[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidInputError(`GridWorld: ${key} must be a finite number, received ${JSON.stringify(v)}`);
      rewards[key] = v;
    }
    this.rewards = Object.freeze(rewards);
    this.stepReward = rewards.stepReward;
    this.goalReward = rewards.goalReward;
    this.lavaReward = rewards.lavaReward;
    this.holeReward = rewards.holeReward;
    this.cliffReward = rewards.cliffReward;

    const n = width * height;
    this.initialTiles = mapTiles(this.map);
    this.tiles = this.initialTiles.slice();
    this.startCell = this.map.start.y * width + this.map.start.x;
    this.pos = this.startCell;
    this.tracksKey = this.map.hasKeys;
    this.indexScale = this.map.hasKeys && this.map.hasDoors ? 2 : 1;
    this.keyBit = this.indexScale - 1;

    const dx = [0, 1, 0, -1];
    const dy = [-1, 0, 1, 0];
    this.next = new Int32Array(n * 4);
    this.slip = new Uint8Array(n);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const cell = y * width + x;
        const t = this.initialTiles[cell];
        if (t === Tile.Ice || (slippery && t !== Tile.Wall)) this.slip[cell] = 1;
        for (let a = 0; a < 4; a++) {
          const nx = x + dx[a];
          const ny = y + dy[a];
          const inside = nx >= 0 && nx < width && ny >= 0 && ny < height;
          this.next[cell * 4 + a] = inside && this.initialTiles[ny * width + nx] !== Tile.Wall ? ny * width + nx : cell;
        }
      }
    }

    if (this.mode === 0) {
      this.observationSpace = new Discrete(n * this.indexScale) as unknown as Space<GridObservation<M>>;
      this.obsSize = 0;
      this.viewRadius = 0;
      this.templateWidth = width;
      this.initialTemplate = new Float32Array(0);
    } else {
      const r = this.mode === 2 ? (k - 1) / 2 : 0;
      this.viewRadius = r;
      this.templateWidth = width + 2 * r;
      const th = height + 2 * r;
      const tpl = new Float32Array(this.templateWidth * th * C);
      for (let ty = 0; ty < th; ty++) {
        for (let tx = 0; tx < this.templateWidth; tx++) {
          const x = tx - r;
          const y = ty - r;
          const o = (ty * this.templateWidth + tx) * C;
          if (x < 0 || x >= width || y < 0 || y >= height) {
            tpl[o + CH_WALL] = 1;
            continue;
          }
          const cell = y * width + x;
          const t = this.initialTiles[cell];
          if (t === Tile.Wall) tpl[o + CH_WALL] = 1;
          else if (t === Tile.Goal) tpl[o + CH_GOAL] = 1;
          else if (t === Tile.Lava || t === Tile.Hole || t === Tile.Cliff) tpl[o + CH_HAZARD] = 1;
          else if (t === Tile.Key) tpl[o + CH_KEY] = 1;
          else if (t === Tile.Door) tpl[o + CH_DOOR] = 1;
          if (this.slip[cell]) tpl[o + CH_ICE] = 1;
        }
      }
      this.initialTemplate = tpl;
      const shape = this.mode === 1 ? [height, width, C] : [k, k, C];
      this.obsSize = shape[0] * shape[1] * C;
      this.observationSpace = new Box({ shape, low: 0, high: 1 }) as unknown as Space<GridObservation<M>>;
    }
    this.template = this.initialTemplate.slice();
    // At least 64 KiB and 16 observations a slab: few slab allocations, little memory held by a kept observation.
    this.slabLength = this.obsSize * Math.max(16, Math.ceil(16384 / Math.max(1, this.obsSize)));
  }

  /** Reseeds `this.rng` when `opts.seed` is given, puts the agent on the start, restores keys and doors. */
  reset(opts?: ResetOptions): ResetResult<GridObservation<M>> {
    this.seedOnReset(opts);
    this.tiles.set(this.initialTiles);
    if (this.templateDirty) {
      this.template.set(this.initialTemplate);
      this.templateDirty = false;
    }
    this.pos = this.startCell;
    this.hasKey = 0;
    return { observation: this.observe(), info: this.tracksKey ? { hasKey: false } : {} };
  }

  step(action: number): StepResult<GridObservation<M>> {
    if (action !== 0 && action !== 1 && action !== 2 && action !== 3) {
      throw new EnvContractError(`GridWorld: action must be 0 (up), 1 (right), 2 (down) or 3 (left), received ${String(action)}`);
    }
    const pos = this.pos;
    let dir = action;
    // Slippery: a-1, a, a+1 (mod 4) with probability 1/3 each; a +- 1 are the perpendicular directions.
    if (this.slip[pos] !== 0) dir = (action + 3 + this.rng.int(3)) & 3;
    let to = this.next[pos * 4 + dir];
    const tile = this.tiles[to];
    let reward = this.stepReward;
    let terminated = false;
    if (tile > Tile.Ice) {
      switch (tile) {
        case Tile.Goal:
          reward = this.goalReward;
          terminated = true;
          break;
        case Tile.Lava:
          reward = this.lavaReward;
          terminated = true;
          break;
        case Tile.Hole:
          reward = this.holeReward;
          terminated = true;
          break;
        case Tile.Cliff:
          reward = this.cliffReward;
          to = this.startCell;
          break;
        case Tile.Key:
          this.hasKey = 1;
          this.clearTile(to, CH_KEY);
          break;
        case Tile.Door:
          if (this.hasKey !== 0) this.clearTile(to, CH_DOOR);
          else to = pos;
          break;
      }
    }
    this.pos = to;
    return {
      observation: this.mode === 0 ? ((to * this.indexScale + (this.hasKey & this.keyBit)) as GridObservation<M>) : this.observe(),
      reward,
      terminated,
      truncated: false,
      info: this.tracksKey ? { hasKey: this.hasKey !== 0 } : {},
    };
  }

  /** The agent's cell as `{ x, y }`. */
  get agent(): { x: number; y: number } {
    return { x: this.pos % this.width, y: (this.pos / this.width) | 0 };
  }

  /** Whether the agent holds a key. */
  get holdingKey(): boolean {
    return this.hasKey !== 0;
  }

  /**
   * The state as data for the viewer: `{ kind: 'grid', width, height, tiles, agent: { x, y }, hasKey, slippery,
   * legend }`. `tiles` are the map rows as they are now: picked-up keys and opened doors show as '.', everything
   * else as in the map ('S' included); the agent is not drawn into them. `slippery` tells that every move is
   * slippery (the tiles still show '.'). `legend` maps each character to its meaning.
   */
  render(): Frame {
    const rows: string[] = [];
    for (let y = 0; y < this.height; y++) {
      let row = '';
      const src = this.map.rows[y];
      for (let x = 0; x < this.width; x++) {
        const c = src[x];
        row += (c === 'K' || c === 'D') && this.tiles[y * this.width + x] === Tile.Floor ? '.' : c;
      }
      rows.push(row);
    }
    const { x, y } = this.agent;
    return {
      kind: 'grid',
      width: this.width,
      height: this.height,
      tiles: rows,
      agent: { x, y },
      hasKey: this.hasKey !== 0,
      slippery: this.slippery,
      legend: { ...GRID_LEGEND },
    };
  }

  /** A key picked up or a door opened: the tile becomes floor, and the observation template follows. */
  private clearTile(cell: number, channel: number): void {
    this.tiles[cell] = Tile.Floor;
    if (this.mode === 0) return;
    const r = this.viewRadius;
    const tw = this.templateWidth;
    const tpl = this.template;
    const x = cell % this.width;
    const y = (cell / this.width) | 0;
    tpl[((y + r) * tw + x + r) * C + channel] = 0;
    if (channel === CH_KEY && tpl[CH_HOLDING] === 0) {
      for (let i = CH_HOLDING; i < tpl.length; i += C) tpl[i] = 1;
    }
    this.templateDirty = true;
  }

  /**
   * A fresh Float32Array for one observation, cut from a slab shared with later observations (no two overlap, and
   * nothing is written to one once handed out). Allocating each small typed array on its own costs Node ~3 us (its
   * memory lives outside the JS heap); slabs make 'grid' and 'view' steps over ten times faster.
   */
  private allocObservation(): Float32Array {
    const n = this.obsSize;
    if (this.slabOffset + n > this.slab.length) {
      this.slab = new Float32Array(this.slabLength);
      this.slabOffset = 0;
    }
    const obs = this.slab.subarray(this.slabOffset, this.slabOffset + n);
    this.slabOffset += n;
    return obs;
  }

  private observe(): GridObservation<M> {
    const pos = this.pos;
    if (this.mode === 0) return (pos * this.indexScale + (this.hasKey & this.keyBit)) as GridObservation<M>;
    const obs = this.allocObservation();
    if (this.mode === 1) {
      obs.set(this.template);
      obs[pos * C + CH_AGENT] = 1;
      return obs as GridObservation<M>;
    }
    const k = this.viewSize;
    const rowLen = k * C;
    const x = pos % this.width;
    const y = (pos / this.width) | 0;
    // The view's top-left in padded coordinates is (x + r - r, y + r - r) = (x, y).
    const tw = this.templateWidth;
    for (let j = 0; j < k; j++) {
      const from = ((y + j) * tw + x) * C;
      obs.set(this.template.subarray(from, from + rowLen), j * rowLen);
    }
    obs[((k * k) >> 1) * C + CH_AGENT] = 1;
    return obs as GridObservation<M>;
  }
}

function resolveMap(map: unknown): GridMap {
  if (typeof map === 'string') {
    if (Object.hasOwn(GRIDWORLD_MAPS, map)) return parseGridMap(GRIDWORLD_MAPS[map as keyof typeof GRIDWORLD_MAPS], `built-in map ${map}`);
    return parseGridMap(map);
  }
  if (typeof map === 'object' && map !== null && Array.isArray((map as GridMap).rows)) {
    // Re-parse: a GridMap may have been built or edited by hand.
    return parseGridMap((map as GridMap).rows.join('\n'));
  }
  throw new InvalidInputError(`GridWorld: map must be ASCII map text, a GridMap or a built-in map name (${Object.keys(GRIDWORLD_MAPS).join(', ')}), received ${map === undefined ? 'nothing' : typeof map}`);
}

