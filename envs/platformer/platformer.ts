import {
  BaseEnv,
  Discrete,
  EnvContractError,
  InvalidInputError,
  type EnvMetadata,
  type Frame,
  type Info,
  type RngState,
  type ResetOptions,
  type ResetResult,
  type Space,
  type StepResult,
} from '../../core/index.ts';
import { MONSTER_KINDS, PLATFORMER_LEGEND, TILE_CHARS, Tile, levelTiles, parseLevel, type PlatformerLevel } from './level-format.ts';
import { shippedLevel, LEVEL_COUNT } from './levels.ts';
import { Monsters } from './monsters.ts';
import { CAMERA_TILES, PIXEL_SIZE, PixelRenderer, cameraX, cameraY, pixelSpace } from './observe-pixels.ts';
import { SYMBOLIC_SIZE, SymbolicObserver, symbolicSpace } from './observe-symbolic.ts';
import * as K from './physics.ts';
import { TileWorld } from './physics.ts';
import { Player } from './player.ts';
import { PROCGEN_DEFAULTS, generateLevel, procgenSeed, type ProcgenSplit } from './procgen.ts';
import { Slab } from './slab.ts';

// Module-local copies of the constants the per-step code reads (see physics.ts on why).
const INVULNERABLE_STEPS = K.INVULNERABLE_STEPS;
const JUMP_SPEED = K.JUMP_SPEED;
const MONSTER_H = K.MONSTER_H;
const MONSTER_W = K.MONSTER_W;
const PLAYER_H = K.PLAYER_H;
const PLAYER_W = K.PLAYER_W;
const SHIFT = K.SHIFT;
const STOMP_BOUNCE = K.STOMP_BOUNCE;
const STOMP_TOLERANCE = K.STOMP_TOLERANCE;
const UNIT = K.UNIT;
const AIR = Tile.Air;
const COIN = Tile.Coin;
const SHIELD = Tile.Shield;
const FLAG = Tile.Flag;

/** The actions, Discrete(6). A held jump rises higher (releasing cuts the rise); holding it on landing jumps again. */
export const PlatformerAction = Object.freeze({ Noop: 0, Left: 1, Right: 2, Jump: 3, LeftJump: 4, RightJump: 5 } as const);
export type PlatformerAction = (typeof PlatformerAction)[keyof typeof PlatformerAction];
export const NOOP = PlatformerAction.Noop;
export const LEFT = PlatformerAction.Left;
export const RIGHT = PlatformerAction.Right;
export const JUMP = PlatformerAction.Jump;
export const LEFT_JUMP = PlatformerAction.LeftJump;
export const RIGHT_JUMP = PlatformerAction.RightJump;
/** Action names by action number. */
export const PLATFORMER_ACTION_NAMES = Object.freeze(['noop', 'left', 'right', 'jump', 'left+jump', 'right+jump'] as const);
const ACTION_DIR = [0, -1, 1, 0, -1, 1];
const ACTION_JUMP = [false, false, false, true, true, true];

/**
 * What an observation is (`observation` option):
 * - `symbolic` (default): Box `[400]` Float32Array: an 11 x 7 window of 5 channels around the player, then 15
 *   scalars (see observe-symbolic.ts, `SYMBOLIC_CHANNELS`, `SYMBOLIC_SCALARS`).
 * - `pixels`: Box `[84, 84, 1]` Uint8Array grey (`[84, 84, 3]` RGB with `rgb: true`), the camera's view.
 */
export type PlatformerObservationMode = 'symbolic' | 'pixels';
export type PlatformerObservation<M extends PlatformerObservationMode> = M extends 'pixels' ? Uint8Array : Float32Array;

/** Why the player died. */
export type CauseOfDeath = 'pit' | 'monster';

/**
 * Reward weights. A step's reward is the sum of what happened in it: `stepReward`, plus `progressReward` per tile
 * of new rightmost position, plus `coinReward` per coin, `powerUpReward` per power-up, `killReward` per stomped
 * monster, plus `completionReward` on reaching the flag or `deathReward` on dying.
 */
export interface PlatformerRewards {
  /** Per tile the player's x passes its furthest so far (0.1: ~4.5 over level 1). Default 0.1. */
  progressReward: number;
  /** Per coin. Default 1. */
  coinReward: number;
  /** Per monster stomped. Default 1. */
  killReward: number;
  /** Per power-up (shield, double jump) picked up. Default 1. */
  powerUpReward: number;
  /** Reaching the flag; the episode terminates. Default 10. */
  completionReward: number;
  /** Dying (pit or monster); the episode terminates. Default -5. */
  deathReward: number;
  /** Every step. Default 0. */
  stepReward: number;
}

export const DEFAULT_PLATFORMER_REWARDS: Readonly<PlatformerRewards> = Object.freeze({
  progressReward: 0.1,
  coinReward: 1,
  killReward: 1,
  powerUpReward: 1,
  completionReward: 10,
  deathReward: -5,
  stepReward: 0,
});

/** Options of {@link Platformer} (the registration's `kwargs`). All optional. */
export interface PlatformerOptions<M extends PlatformerObservationMode = PlatformerObservationMode> extends Partial<PlatformerRewards> {
  /**
   * The level: a shipped level's number (1-6, default 1), ASCII level text (legend in `PLATFORMER_LEGEND`), a
   * `PlatformerLevel` from `parseLevel`/`loadLevelFile`/`generateLevel`, or `'procgen'`: a new generated level
   * every reset.
   */
  level?: number | string | PlatformerLevel;
  /** Observation mode, default `'symbolic'`. */
  observation?: M;
  /** Pixels in RGB (`[84, 84, 3]`) instead of grey (`[84, 84, 1]`). Default false; 'pixels' only. */
  rgb?: boolean;
  /** Procgen: which seed range levels come from: 'train' [0, 2^31) (default) or 'test' [2^31, 2^32). */
  procgenSplit?: ProcgenSplit;
  /** Procgen: difficulty in [0, 1], default 0.5. */
  procgenDifficulty?: number;
  /** Procgen: level width in tiles (>= 30), default 80. */
  procgenWidth?: number;
  /** Procgen: draw from only the first n seeds of the split (Procgen's `num_levels`); 0 (default) for all. */
  procgenLevels?: number;
}

const OPTION_KEYS = new Set(['level', 'observation', 'rgb', 'procgenSplit', 'procgenDifficulty', 'procgenWidth', 'procgenLevels', ...Object.keys(DEFAULT_PLATFORMER_REWARDS)]);

/** Where a player or monster is in a {@link PlatformerFrame}: tiles (floats), top-left corner of its box. */
export interface PlatformerFrame extends Frame {
  readonly kind: 'platformer';
  /** Level size in tiles. */
  readonly width: number;
  readonly height: number;
  /** The level's rows as they are now: pickups taken show as '.', and so do the player start and the monsters'
   * spawn cells (the player and monsters are listed apart). */
  readonly tiles: string[];
  /** Top-left of the 14 x 14 tile view the pixels observation shows, in tiles. */
  readonly camera: { x: number; y: number; width: number; height: number };
  readonly player: {
    x: number;
    y: number;
    w: number;
    h: number;
    /** Tiles per step. */
    vx: number;
    vy: number;
    facing: 'left' | 'right';
    onGround: boolean;
    /** The last action held jump. */
    jumpHeld: boolean;
    shield: boolean;
    doubleJump: boolean;
    invulnerable: number;
    alive: boolean;
  };
  readonly monsters: Array<{ kind: string; x: number; y: number; w: number; h: number; vx: number; vy: number; alive: boolean }>;
  readonly coins: number;
  readonly kills: number;
  /** Sum of the rewards of the episode so far. */
  readonly score: number;
  readonly steps: number;
  readonly completed: boolean;
  readonly causeOfDeath: CauseOfDeath | null;
  readonly legend: Record<string, string>;
}

/**
 * Everything that changes in an episode, as plain JSON: `Platformer.getState()` returns it and `setState()` puts it
 * back, so the env can be saved mid-episode or searched (the solver backtracks with it). Positions and speeds are
 * the engine's fixed-point integers (1/256 tile).
 */
export interface PlatformerState {
  /** Procgen mode: the seed of the level being played; null otherwise. */
  levelSeed: number | null;
  /** Cells (`y * width + x`) whose pickups have been taken. */
  taken: number[];
  player: {
    x: number;
    y: number;
    vx: number;
    vy: number;
    onGround: boolean;
    facing: number;
    jumpHeld: boolean;
    shield: boolean;
    doubleJump: boolean;
    doubleJumpReady: boolean;
    invulnerable: number;
    alive: boolean;
  };
  monsters: { alive: number[]; x: number[]; y: number[]; vx: number[]; vy: number[]; prevY: number[]; onGround: number[]; timer: number[] };
  coins: number;
  kills: number;
  score: number;
  steps: number;
  maxX: number;
  completed: boolean;
  causeOfDeath: CauseOfDeath | null;
  done: boolean;
  started: boolean;
  rng: RngState;
}

/** Procgen levels kept ready to play again (each ~50-200 KB). */
const STAGE_CACHE = 8;

/** The level-dependent parts of the env, rebuilt when the level changes (procgen: every reset). */
interface Stage {
  level: PlatformerLevel;
  initialTiles: Uint8Array;
  tiles: Uint8Array;
  world: TileWorld;
  monsters: Monsters;
  symbolic: SymbolicObserver | null;
  pixels: PixelRenderer | null;
  dirty: boolean;
}

/**
 * A side-view, tile-based platformer: run and jump right to the flag, over pits, past monsters, picking up coins
 * and power-ups. Fixed-point integer physics (physics.ts): the same seed and actions give the same episode, bit for
 * bit.
 *
 * - Actions: Discrete(6), {@link PlatformerAction}: noop, left, right, jump, left+jump, right+jump.
 * - Observations: see {@link PlatformerObservationMode}. Fresh arrays each step (the caller owns them).
 * - Rewards: {@link PlatformerRewards}. `terminated` on death (falling below the level, or touching a monster
 *   other than by stomping it) and on touching the flag; never `truncated` (the registry's TimeLimit does that).
 * - `info`: `{ coins, kills, causeOfDeath: 'pit' | 'monster' | null, completed, x, maxX }` (x: the player's centre
 *   in tiles; maxX: the furthest it got), plus `levelSeed` on reset in procgen mode. A fresh object each step.
 * - Randomness, from the env's seeded RNG at reset: monster headings and jump phases, and the procgen level seed.
 */
export class Platformer<M extends PlatformerObservationMode = 'symbolic'> extends BaseEnv<PlatformerObservation<M>, number> {
  readonly observationSpace: Space<PlatformerObservation<M>>;
  readonly actionSpace: Discrete = new Discrete(6);
  override readonly metadata: EnvMetadata = Object.freeze({ renderModes: Object.freeze(['frame']), renderFps: 30 });

  readonly observationMode: M;
  readonly rgb: boolean;
  readonly rewards: Readonly<PlatformerRewards>;
  /** Procgen mode: a new level every reset. */
  readonly procgen: boolean;
  readonly procgenSplit: ProcgenSplit;
  readonly procgenDifficulty: number;
  readonly procgenWidth: number;
  readonly procgenLevels: number;

  private readonly progressReward: number;
  private readonly coinReward: number;
  private readonly killReward: number;
  private readonly powerUpReward: number;
  private readonly completionReward: number;
  private readonly deathReward: number;
  private readonly stepReward: number;

  private stage: Stage;
  private readonly player = new Player();
  private readonly slabF32: Slab<Float32Array> | null;
  private readonly slabU8: Slab<Uint8Array> | null;
  private levelSeed: number | null = null;
  private readonly stageCache = new Map<number, Stage>();

  private coins = 0;
  private kills = 0;
  private score = 0;
  private steps = 0;
  private maxX = 0;
  private completed = false;
  private causeOfDeath: CauseOfDeath | null = null;
  private done = false;
  private started = false;

  constructor(opts: PlatformerOptions<M> = {}) {
    super();
    if (typeof opts !== 'object' || opts === null) throw new InvalidInputError('Platformer: options must be an object');
    for (const key of Object.keys(opts)) {
      if (!OPTION_KEYS.has(key)) throw new InvalidInputError(`Platformer: unknown option ${JSON.stringify(key)} (options: ${[...OPTION_KEYS].join(', ')})`);
    }
    const mode = opts.observation ?? 'symbolic';
    if (mode !== 'symbolic' && mode !== 'pixels') {
      throw new InvalidInputError(`Platformer: observation must be 'symbolic' or 'pixels', received ${JSON.stringify(mode)}`);
    }
    this.observationMode = mode as M;
    const rgb = opts.rgb ?? false;
    if (typeof rgb !== 'boolean') throw new InvalidInputError(`Platformer: rgb must be a boolean, received ${JSON.stringify(rgb)}`);
    this.rgb = rgb;

    const rewards = { ...DEFAULT_PLATFORMER_REWARDS };
    for (const key of Object.keys(DEFAULT_PLATFORMER_REWARDS) as (keyof PlatformerRewards)[]) {
      const v = opts[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidInputError(`Platformer: ${key} must be a finite number, received ${JSON.stringify(v)}`);
      rewards[key] = v;
    }
    this.rewards = Object.freeze(rewards);
    this.progressReward = rewards.progressReward;
    this.coinReward = rewards.coinReward;
    this.killReward = rewards.killReward;
    this.powerUpReward = rewards.powerUpReward;
    this.completionReward = rewards.completionReward;
    this.deathReward = rewards.deathReward;
    this.stepReward = rewards.stepReward;

    const split = opts.procgenSplit ?? 'train';
    if (split !== 'train' && split !== 'test') throw new InvalidInputError(`Platformer: procgenSplit must be 'train' or 'test', received ${JSON.stringify(split)}`);
    this.procgenSplit = split;
    const difficulty = opts.procgenDifficulty ?? PROCGEN_DEFAULTS.difficulty;
    if (typeof difficulty !== 'number' || !(difficulty >= 0 && difficulty <= 1)) {
      throw new InvalidInputError(`Platformer: procgenDifficulty must be a number in [0, 1], received ${JSON.stringify(difficulty)}`);
    }
    this.procgenDifficulty = difficulty;
    const width = opts.procgenWidth ?? PROCGEN_DEFAULTS.width;
    if (!Number.isInteger(width) || width < PROCGEN_DEFAULTS.minWidth || width > PROCGEN_DEFAULTS.maxWidth) {
      throw new InvalidInputError(`Platformer: procgenWidth must be an integer in [${PROCGEN_DEFAULTS.minWidth}, ${PROCGEN_DEFAULTS.maxWidth}], received ${JSON.stringify(width)}`);
    }
    this.procgenWidth = width;
    const levels = opts.procgenLevels ?? 0;
    if (!Number.isInteger(levels) || levels < 0 || levels > 2 ** 31) {
      throw new InvalidInputError(`Platformer: procgenLevels must be an integer in [0, 2^31] (0: every seed of the split), received ${JSON.stringify(levels)}`);
    }
    this.procgenLevels = levels;

    const level = opts.level ?? 1;
    this.procgen = level === 'procgen';
    // Procgen: the split's first level until the first reset draws one.
    if (this.procgen) this.levelSeed = procgenSeed(split, 0);
    const first = this.procgen ? generateLevel(procgenSeed(split, 0), { difficulty, width }) : resolveLevel(level);
    if (mode === 'symbolic') {
      this.observationSpace = symbolicSpace() as unknown as Space<PlatformerObservation<M>>;
      this.slabF32 = new Slab((n) => new Float32Array(n), SYMBOLIC_SIZE, 4);
      this.slabU8 = null;
    } else {
      this.observationSpace = pixelSpace(rgb) as unknown as Space<PlatformerObservation<M>>;
      this.slabF32 = null;
      this.slabU8 = new Slab((n) => new Uint8Array(n), PIXEL_SIZE * PIXEL_SIZE * (rgb ? 3 : 1), 1);
    }
    this.stage = this.buildStage(first);
  }

  /** The level being played (in procgen mode, the one generated at the last reset). */
  get level(): PlatformerLevel {
    return this.stage.level;
  }

  /**
   * The stage of a procgen level seed: from a cache of the last {@link STAGE_CACHE} levels played (so that
   * `procgenLevels: n` with small n, and solvers going back and forth, rarely regenerate), else generated.
   */
  private procgenStage(seed: number): Stage {
    const cache = this.stageCache;
    let stage = cache.get(seed);
    if (stage === undefined) {
      stage = this.buildStage(generateLevel(seed, { difficulty: this.procgenDifficulty, width: this.procgenWidth }));
      if (cache.size >= STAGE_CACHE) cache.delete(cache.keys().next().value as number);
    } else {
      cache.delete(seed); // re-inserted below: most recently used last
    }
    cache.set(seed, stage);
    return stage;
  }

  private buildStage(level: PlatformerLevel): Stage {
    const initialTiles = levelTiles(level);
    const tiles = initialTiles.slice();
    const symbolic = this.observationMode === 'symbolic';
    return {
      level,
      initialTiles,
      tiles,
      world: new TileWorld(tiles, level.width, level.height),
      monsters: new Monsters(level.monsters),
      symbolic: symbolic ? new SymbolicObserver(level, initialTiles) : null,
      pixels: symbolic ? null : new PixelRenderer(level, initialTiles, this.rgb),
      dirty: false,
    };
  }

  /**
   * Starts an episode: reseeds the RNG when `seed` is given; in procgen mode generates the next level (seed drawn
   * from the RNG in the split's range, or `options.levelSeed` when given); puts back pickups, monsters and the
   * player.
   */
  reset(opts?: ResetOptions): ResetResult<PlatformerObservation<M>> {
    this.seedOnReset(opts);
    if (this.procgen) {
      const given = opts?.options?.levelSeed;
      let seed: number;
      if (given !== undefined) {
        if (typeof given !== 'number' || !Number.isInteger(given) || given < 0 || given >= 2 ** 32) {
          throw new InvalidInputError(`Platformer.reset: options.levelSeed must be an integer in [0, 2^32), received ${JSON.stringify(given)}`);
        }
        seed = given;
      } else {
        const n = this.procgenLevels;
        seed = procgenSeed(this.procgenSplit, n > 0 ? this.rng.int(n) : this.rng.nextSeed() >>> 1);
      }
      this.levelSeed = seed;
      this.stage = this.procgenStage(seed);
    }
    if (this.stage.dirty) {
      const s = this.stage;
      s.tiles.set(s.initialTiles);
      s.symbolic?.reset();
      s.pixels?.reset();
      s.dirty = false;
    }
    const { level, monsters, world } = this.stage;
    const p = this.player;
    p.reset(level.start.x, level.start.y);
    // Standing if the start cell has a floor (a one-unit probe down is blocked).
    world.moveY(p.x, p.y, PLAYER_W, PLAYER_H, 1);
    p.onGround = world.blocked;
    monsters.reset(this.rng);
    this.coins = 0;
    this.kills = 0;
    this.score = 0;
    this.steps = 0;
    this.maxX = this.player.x;
    this.completed = false;
    this.causeOfDeath = null;
    this.done = false;
    this.started = true;
    const info: Info = this.info();
    if (this.procgen) info.levelSeed = this.levelSeed;
    return { observation: this.observe(), info };
  }

  step(action: number): StepResult<PlatformerObservation<M>> {
    if (!(action >= 0 && action <= 5 && (action | 0) === action)) {
      throw new EnvContractError(`Platformer: action must be an integer in 0..5 (noop, left, right, jump, left+jump, right+jump), received ${String(action)}`);
    }
    if (this.done || !this.started) {
      throw new EnvContractError(this.started ? 'Platformer: step() after the episode ended; call reset()' : 'Platformer: call reset() before step()');
    }
    const p = this.player;
    const stage = this.stage;
    const world = stage.world;
    const m = stage.monsters;
    this.steps++;
    if (p.invulnerable > 0) p.invulnerable--;
    const prevY = p.y;
    p.move(world, ACTION_DIR[action], ACTION_JUMP[action]);
    m.update(world);
    let reward = this.stepReward;

    // Pickups and the flag: every cell the player's box overlaps.
    const tx0 = p.x >> SHIFT;
    const tx1 = (p.x + PLAYER_W - 1) >> SHIFT;
    let ty0 = p.y >> SHIFT;
    let ty1 = (p.y + PLAYER_H - 1) >> SHIFT;
    const w = world.width;
    if (ty0 < 0) ty0 = 0;
    if (ty1 >= world.height) ty1 = world.height - 1;
    const tiles = stage.tiles;
    for (let ty = ty0; ty <= ty1; ty++) {
      for (let tx = tx0; tx <= tx1; tx++) {
        const t = tiles[ty * w + tx];
        if (t === AIR || t > FLAG) continue;
        if (t === FLAG) {
          this.completed = true;
          continue;
        }
        if (t === COIN) {
          this.coins++;
          reward += this.coinReward;
        } else {
          if (t === SHIELD) p.shield = true;
          else {
            p.doubleJump = true;
            if (!p.onGround) p.doubleJumpReady = true;
          }
          reward += this.powerUpReward;
        }
        tiles[ty * w + tx] = AIR;
        stage.symbolic?.clearCell(tx, ty);
        stage.pixels?.clearCell(tx, ty);
        stage.dirty = true;
      }
    }

    // Monsters: stomped when the player comes down onto them from above, else they hurt.
    if (!this.completed) {
      const px = p.x;
      const py = p.y;
      const falling = p.vy > 0 || py > prevY;
      const prevBottom = prevY + PLAYER_H;
      for (let i = 0; i < m.count; i++) {
        if (m.alive[i] === 0) continue;
        const k = m.kind[i];
        const mx = m.x[i];
        const my = m.y[i];
        if (px >= mx + MONSTER_W[k] || mx >= px + PLAYER_W || py >= my + MONSTER_H[k] || my >= py + PLAYER_H) continue;
        if (falling && prevBottom <= m.prevY[i] + STOMP_TOLERANCE) {
          m.alive[i] = 0;
          this.kills++;
          reward += this.killReward;
          p.vy = p.jumpHeld ? -JUMP_SPEED : -STOMP_BOUNCE;
          p.onGround = false;
        } else if (p.invulnerable > 0) {
          // Harmless for a while after a shield hit.
        } else if (p.shield) {
          p.shield = false;
          p.invulnerable = INVULNERABLE_STEPS;
        } else {
          p.alive = false;
          this.causeOfDeath = 'monster';
          break;
        }
      }
    }
    if (p.alive && !this.completed && p.y >= world.height * UNIT) {
      p.alive = false;
      this.causeOfDeath = 'pit';
    }
    if (p.x > this.maxX) {
      reward += (this.progressReward * (p.x - this.maxX)) / UNIT;
      this.maxX = p.x;
    }
    let terminated = false;
    if (this.completed) {
      reward += this.completionReward;
      terminated = true;
    } else if (!p.alive) {
      reward += this.deathReward;
      terminated = true;
    }
    this.done = terminated;
    this.score += reward;
    return { observation: this.observe(), reward, terminated, truncated: false, info: this.info() };
  }

  /** The episode's state (see {@link PlatformerState}); a snapshot, not a view. */
  getState(): PlatformerState {
    const { tiles, initialTiles, monsters: m } = this.stage;
    const taken: number[] = [];
    for (let i = 0; i < tiles.length; i++) if (tiles[i] !== initialTiles[i]) taken.push(i);
    const p = this.player;
    return {
      levelSeed: this.procgen ? this.levelSeed : null,
      taken,
      player: {
        x: p.x,
        y: p.y,
        vx: p.vx,
        vy: p.vy,
        onGround: p.onGround,
        facing: p.facing,
        jumpHeld: p.jumpHeld,
        shield: p.shield,
        doubleJump: p.doubleJump,
        doubleJumpReady: p.doubleJumpReady,
        invulnerable: p.invulnerable,
        alive: p.alive,
      },
      monsters: {
        alive: Array.from(m.alive),
        x: Array.from(m.x),
        y: Array.from(m.y),
        vx: Array.from(m.vx),
        vy: Array.from(m.vy),
        prevY: Array.from(m.prevY),
        onGround: Array.from(m.onGround),
        timer: Array.from(m.timer),
      },
      coins: this.coins,
      kills: this.kills,
      score: this.score,
      steps: this.steps,
      maxX: this.maxX,
      completed: this.completed,
      causeOfDeath: this.causeOfDeath,
      done: this.done,
      started: this.started,
      rng: this.getRngState(),
    };
  }

  /**
   * Puts back a state from {@link getState} of an env made with the same options (in procgen mode the level is
   * regenerated from the state's seed). The next `step` continues exactly as the saved env would have.
   */
  setState(state: PlatformerState): void {
    if (this.procgen) {
      if (typeof state.levelSeed !== 'number') throw new InvalidInputError('Platformer.setState: a procgen env needs a state with a levelSeed');
      if (state.levelSeed !== this.levelSeed) {
        this.levelSeed = state.levelSeed;
        this.stage = this.procgenStage(state.levelSeed);
      }
    }
    const s = this.stage;
    const m = s.monsters;
    if (state.monsters.x.length !== m.count) {
      throw new InvalidInputError(`Platformer.setState: the state has ${state.monsters.x.length} monsters, this level ${m.count}; was it saved from another level?`);
    }
    s.tiles.set(s.initialTiles);
    s.symbolic?.reset();
    s.pixels?.reset();
    s.dirty = false;
    for (const cell of state.taken) {
      if (!Number.isInteger(cell) || cell < 0 || cell >= s.tiles.length) throw new InvalidInputError(`Platformer.setState: taken cell ${cell} is outside the level`);
      s.tiles[cell] = AIR;
      s.symbolic?.clearCell(cell % s.level.width, Math.floor(cell / s.level.width));
      s.pixels?.clearCell(cell % s.level.width, Math.floor(cell / s.level.width));
      s.dirty = true;
    }
    Object.assign(this.player, state.player);
    m.alive.set(state.monsters.alive);
    m.x.set(state.monsters.x);
    m.y.set(state.monsters.y);
    m.vx.set(state.monsters.vx);
    m.vy.set(state.monsters.vy);
    m.prevY.set(state.monsters.prevY);
    m.onGround.set(state.monsters.onGround);
    m.timer.set(state.monsters.timer);
    this.coins = state.coins;
    this.kills = state.kills;
    this.score = state.score;
    this.steps = state.steps;
    this.maxX = state.maxX;
    this.completed = state.completed;
    this.causeOfDeath = state.causeOfDeath;
    this.done = state.done;
    this.started = state.started;
    this.setRngState(state.rng);
  }

  private info(): Info {
    const p = this.player;
    return {
      coins: this.coins,
      kills: this.kills,
      causeOfDeath: this.causeOfDeath,
      completed: this.completed,
      x: (p.x + (PLAYER_W >> 1)) / UNIT,
      maxX: (this.maxX + (PLAYER_W >> 1)) / UNIT,
    };
  }

  private observe(): PlatformerObservation<M> {
    const s = this.stage;
    if (this.slabF32 !== null) {
      const obs = this.slabF32.next();
      (s.symbolic as SymbolicObserver).write(obs, this.player, s.monsters);
      return obs as PlatformerObservation<M>;
    }
    const obs = (this.slabU8 as Slab<Uint8Array>).next();
    (s.pixels as PixelRenderer).render(obs, cameraX(this.player, s.level), cameraY(this.player, s.level), this.player, s.monsters);
    return obs as PlatformerObservation<M>;
  }

  /**
   * The state as data for the viewer ({@link PlatformerFrame}): level rows as they are now (taken pickups, the start
   * and monster spawn cells as '.'), camera, player, monsters (dead ones included, `alive: false`), counters and the
   * legend. Positions in tiles (floats), boxes by their top-left corner.
   */
  render(): PlatformerFrame {
    const s = this.stage;
    const { level, tiles, monsters: m } = s;
    const rows: string[] = [];
    for (let y = 0; y < level.height; y++) {
      let row = '';
      for (let x = 0; x < level.width; x++) row += TILE_CHARS[tiles[y * level.width + x]];
      rows.push(row);
    }
    const p = this.player;
    const monsters: PlatformerFrame['monsters'] = [];
    for (let i = 0; i < m.count; i++) {
      const k = m.kind[i];
      monsters.push({
        kind: MONSTER_KINDS[k],
        x: m.x[i] / UNIT,
        y: m.y[i] / UNIT,
        w: MONSTER_W[k] / UNIT,
        h: MONSTER_H[k] / UNIT,
        vx: m.vx[i] / UNIT,
        vy: m.vy[i] / UNIT,
        alive: m.alive[i] !== 0,
      });
    }
    return {
      kind: 'platformer',
      width: level.width,
      height: level.height,
      tiles: rows,
      camera: { x: cameraX(p, level) / UNIT, y: cameraY(p, level) / UNIT, width: CAMERA_TILES, height: CAMERA_TILES },
      player: {
        x: p.x / UNIT,
        y: p.y / UNIT,
        w: PLAYER_W / UNIT,
        h: PLAYER_H / UNIT,
        vx: p.vx / UNIT,
        vy: p.vy / UNIT,
        facing: p.facing > 0 ? 'right' : 'left',
        onGround: p.onGround,
        jumpHeld: p.jumpHeld,
        shield: p.shield,
        doubleJump: p.doubleJump,
        invulnerable: p.invulnerable,
        alive: p.alive,
      },
      monsters,
      coins: this.coins,
      kills: this.kills,
      score: this.score,
      steps: this.steps,
      completed: this.completed,
      causeOfDeath: this.causeOfDeath,
      legend: { ...PLATFORMER_LEGEND },
    };
  }
}

function resolveLevel(level: unknown): PlatformerLevel {
  if (typeof level === 'number') {
    if (!Number.isInteger(level) || level < 1 || level > LEVEL_COUNT) {
      throw new InvalidInputError(`Platformer: level must be a shipped level number 1-${LEVEL_COUNT}, ASCII level text, a PlatformerLevel or 'procgen', received ${level}`);
    }
    return shippedLevel(level);
  }
  if (typeof level === 'string') return parseLevel(level);
  if (typeof level === 'object' && level !== null && Array.isArray((level as PlatformerLevel).rows)) {
    // Re-parse: a PlatformerLevel may have been built or edited by hand.
    return parseLevel((level as PlatformerLevel).rows.join('\n'));
  }
  throw new InvalidInputError(`Platformer: level must be a shipped level number 1-${LEVEL_COUNT}, ASCII level text, a PlatformerLevel or 'procgen', received ${level === null ? 'null' : typeof level}`);
}
