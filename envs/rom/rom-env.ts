import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BaseEnv, Box, Discrete, EnvContractError, InvalidInputError, type EnvMetadata, type Frame, type Info, type ResetOptions, type ResetResult, type RngState, type StepResult } from '../../core/index.ts';
import { Chip8, type Chip8State } from './chip8/index.ts';
import { keyMask, validateSettings, type GameSettings, type RomState } from './game-settings.ts';
import { KNOWN_GAMES, knownGameList } from './games.ts';

/** What a `RomEnv` observes: the screen, or the machine's memory and registers (as ALE's RAM observations). */
export type RomObservation = 'pixels' | 'ram';

export interface RomEnvOptions {
  /** The ROM: its bytes, or the path of a `.ch8` file. */
  rom: Uint8Array | string;
  /** The game's settings; without them the ROM must be a known game (recognised by its SHA-256). */
  settings?: GameSettings;
  /** Frames (60 Hz) per step, the action repeated on each; rewards are summed. Default 4 (ALE). */
  frameSkip?: number;
  /** Sticky actions: on each frame, the previous frame's keys are kept with this probability. Default 0.25 (ALE v5). */
  repeatActionProbability?: number;
  /** Episode frame cap (frames after the reset sequence): the step that reaches it is truncated. Default none. */
  maxFrames?: number;
  /** NOOP frames run at reset before the starting actions, as ALE runs 60 on every reset (for the game to set
   * itself up). Default 60. */
  resetFrames?: number;
  /** Up to this many NOOP frames (uniform in 0..noopMax) run at reset after the starting actions. Default 0. */
  noopMax?: number;
  /** Pixels: the observation is the pixel-wise max of the step's last two frames (ALE's max-pooling). Default false. */
  maxPool?: boolean;
  /** End the episode (terminated) when the settings' `lives` goes down. Default false. */
  terminalOnLifeLoss?: boolean;
  /** `'pixels'` (default) or `'ram'`. */
  observation?: RomObservation;
}

/** Everything needed to continue a `RomEnv` exactly (`cloneState`/`restoreState`), for search and the viewer. */
export interface RomEnvState {
  readonly machine: Chip8State;
  readonly rng: RngState;
  readonly lastMask: number;
  readonly episodeFrames: number;
  readonly lives: number;
  readonly started: boolean;
  readonly done: boolean;
}

/** SHA-256 of a ROM file's bytes, lower-case hex. */
export function romSha256(rom: Uint8Array): string {
  return createHash('sha256').update(rom).digest('hex');
}

/** Reads a ROM: bytes are copied, a string is a file path. */
export function readRom(rom: Uint8Array | string): Uint8Array {
  if (rom instanceof Uint8Array) return rom.slice();
  if (typeof rom !== 'string') throw new InvalidInputError(`RomEnv: rom must be a Uint8Array or a file path, received ${typeof rom}`);
  try {
    return new Uint8Array(readFileSync(rom));
  } catch (e) {
    throw new InvalidInputError(`RomEnv: cannot read the ROM file ${JSON.stringify(rom)}: ${(e as Error).message}`);
  }
}

/** The settings of a ROM: those given, else the known game with its checksum. */
export function settingsFor(rom: Uint8Array, settings?: GameSettings): GameSettings {
  if (settings !== undefined) {
    validateSettings(settings);
    return settings;
  }
  const sha = romSha256(rom);
  const known = KNOWN_GAMES.get(sha);
  if (known === undefined) {
    throw new InvalidInputError(`RomEnv: unknown ROM, sha256 ${sha}; pass settings to run it. Known games: ${knownGameList()}`);
  }
  return known;
}

/** The machine seen through `RomState`, live (no copy). */
class LiveState implements RomState {
  constructor(private readonly vm: Chip8) {}
  get v(): Uint8Array {
    return this.vm.v;
  }
  get i(): number {
    return this.vm.i;
  }
  get memory(): Uint8Array {
    return this.vm.memory;
  }
  get framebuffer(): Uint8Array {
    return this.vm.framebuffer;
  }
  get width(): number {
    return this.vm.width;
  }
  get height(): number {
    return this.vm.height;
  }
  get frame(): number {
    return this.vm.frames;
  }
  get waitingForKey(): boolean {
    return this.vm.waitingForKey;
  }
  get halted(): boolean {
    return this.vm.halted;
  }
}

/** A copy of the machine at the previous frame boundary, in buffers allocated once. */
class SavedState implements RomState {
  readonly v = new Uint8Array(16);
  readonly memory: Uint8Array;
  private readonly screen = new Uint8Array(128 * 64);
  i = 0;
  width = 64;
  height = 32;
  frame = 0;
  waitingForKey = false;
  halted = false;
  constructor(memorySize: number) {
    this.memory = new Uint8Array(memorySize);
  }
  get framebuffer(): Uint8Array {
    return this.screen.subarray(0, this.width * this.height);
  }
  copy(vm: Chip8): void {
    this.v.set(vm.v);
    this.memory.set(vm.memory);
    this.screen.set(vm.framebuffer);
    this.i = vm.i;
    this.width = vm.width;
    this.height = vm.height;
    this.frame = vm.frames;
    this.waitingForKey = vm.waitingForKey;
    this.halted = vm.halted;
  }
}

const posInt = (x: unknown, what: string, min: number): number => {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min) throw new InvalidInputError(`RomEnv: ${what} must be an integer >= ${min}, received ${String(x)}`);
  return x;
};

/**
 * A CHIP-8 ROM as an env, after the Arcade Learning Environment: a minimal action set of key combinations,
 * frame skip, sticky actions, no-op starts, a frame cap, and rewards, ends and lives read from the machine by the
 * game's `GameSettings` at frame boundaries.
 *
 * Pixels: `Box` uint8 of shape `[height, width, 1]`, values 0 (off) and 255 (on). The shape is fixed per game:
 * 32x64 for the `chip8` opcode set, 64x128 for SUPER-CHIP/XO-CHIP profiles, whose low-res screens are scaled up
 * 2x. RAM: `Box` uint8 of shape `[16 + memory size]`, V0..VF then memory.
 */
export class RomEnv extends BaseEnv<Uint8Array, number> {
  readonly observationSpace: Box<'uint8'>;
  readonly actionSpace: Discrete;
  override readonly metadata: EnvMetadata;
  readonly settings: GameSettings;
  /** SHA-256 of the ROM. */
  readonly sha256: string;
  /** The machine (read it freely; writing to it breaks determinism). */
  readonly vm: Chip8;
  readonly frameSkip: number;
  readonly repeatActionProbability: number;
  readonly maxFrames: number | undefined;
  readonly noopMax: number;
  readonly resetFrames: number;
  readonly maxPool: boolean;
  readonly terminalOnLifeLoss: boolean;
  readonly observationMode: RomObservation;

  private readonly masks: Int32Array;
  private readonly live: LiveState;
  private readonly prev: SavedState;
  private readonly obsHeight: number;
  private readonly obsWidth: number;
  /** XO-CHIP pixels hold plane bits (0..3), not just 0/1. */
  private readonly planePixels: boolean;
  private lastMask = 0;
  private episodeFrames = 0;
  private lives = 0;
  private started = false;
  private done = false;

  constructor(options: RomEnvOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new InvalidInputError('RomEnv: options must be an object { rom, settings?, ... }');
    const rom = readRom(options.rom);
    this.sha256 = romSha256(rom);
    this.settings = settingsFor(rom, options.settings);
    this.frameSkip = posInt(options.frameSkip ?? 4, 'frameSkip', 1);
    const p = options.repeatActionProbability ?? 0.25;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new InvalidInputError(`RomEnv: repeatActionProbability must be in [0, 1], received ${String(p)}`);
    this.repeatActionProbability = p;
    this.maxFrames = options.maxFrames === undefined ? undefined : posInt(options.maxFrames, 'maxFrames', 1);
    this.noopMax = posInt(options.noopMax ?? 0, 'noopMax', 0);
    this.resetFrames = posInt(options.resetFrames ?? 60, 'resetFrames', 0);
    this.maxPool = options.maxPool ?? false;
    this.terminalOnLifeLoss = options.terminalOnLifeLoss ?? false;
    const mode = options.observation ?? 'pixels';
    if (mode !== 'pixels' && mode !== 'ram') throw new InvalidInputError(`RomEnv: observation must be 'pixels' or 'ram', received ${JSON.stringify(mode)}`);
    this.observationMode = mode;
    this.planePixels = this.settings.profile === 'xo-chip';

    this.vm = new Chip8({ profile: this.settings.profile, quirks: this.settings.quirks, tickRate: this.settings.tickRate });
    this.vm.load(rom);
    this.live = new LiveState(this.vm);
    this.prev = new SavedState(this.vm.memory.length);
    this.masks = Int32Array.from(this.settings.actions.map((a) => keyMask(a.keys)));
    this.actionSpace = new Discrete(this.settings.actions.length);
    const big = this.vm.quirks.extensions !== 'chip8';
    this.obsHeight = big ? 64 : 32;
    this.obsWidth = big ? 128 : 64;
    this.observationSpace =
      mode === 'pixels'
        ? new Box({ low: 0, high: 255, shape: [this.obsHeight, this.obsWidth, 1], dtype: 'uint8' })
        : new Box({ low: 0, high: 255, shape: [16 + this.vm.memory.length], dtype: 'uint8' });
    this.metadata = Object.freeze({ renderModes: Object.freeze(['frame']), renderFps: 60 / this.frameSkip });
  }

  /** The names of the actions, in action-index order (ALE's `getActionMeanings`). */
  getActionMeanings(): string[] {
    return this.settings.actions.map((a) => a.name);
  }

  reset(opts?: ResetOptions): ResetResult<Uint8Array> {
    this.seedOnReset(opts);
    const vm = this.vm;
    vm.seed(this.rng.nextSeed());
    vm.reset();
    vm.setKeys(0);
    for (let f = 0; f < this.resetFrames; f++) vm.runFrame();
    for (const s of this.settings.startingActions ?? []) {
      vm.setKeys(keyMask(s.keys));
      for (let f = 0; f < s.frames; f++) vm.runFrame();
    }
    vm.setKeys(0);
    const noops = this.noopMax > 0 ? this.rng.int(this.noopMax + 1) : 0;
    for (let f = 0; f < noops; f++) vm.runFrame();
    this.lastMask = 0;
    this.episodeFrames = 0;
    this.lives = this.readLives();
    this.started = true;
    this.done = false;
    return { observation: this.observe(null), info: this.info() };
  }

  step(action: number): StepResult<Uint8Array> {
    if (!Number.isInteger(action) || action < 0 || action >= this.masks.length) {
      throw new EnvContractError(`RomEnv: action must be an integer in 0..${this.masks.length - 1} (${this.getActionMeanings().join(', ')}), received ${String(action)}`);
    }
    if (!this.started || this.done) throw new EnvContractError(this.started ? 'RomEnv: step() after the episode ended; call reset()' : 'RomEnv: call reset() before step()');
    const vm = this.vm;
    const s = this.settings;
    const p = this.repeatActionProbability;
    const mask = this.masks[action];
    let reward = 0;
    let terminated = false;
    let truncated = false;
    let pooled: Uint8Array | null = null;
    for (let f = 0; f < this.frameSkip; f++) {
      // ALE: with probability p the previous frame's action is kept (drawn on every frame when p > 0).
      if (p === 0 || this.rng.random() >= p) this.lastMask = mask;
      if (this.maxPool && this.observationMode === 'pixels' && f === this.frameSkip - 1 && f > 0) pooled = this.observe(null);
      this.prev.copy(vm);
      vm.setKeys(this.lastMask);
      vm.runFrame();
      this.episodeFrames++;
      reward += s.reward(this.live, this.prev);
      if (s.terminal(this.live)) {
        terminated = true;
        break;
      }
      const lives = this.readLives();
      const lost = lives < this.lives;
      this.lives = lives;
      if (lost && this.terminalOnLifeLoss) {
        terminated = true;
        break;
      }
      if (this.maxFrames !== undefined && this.episodeFrames >= this.maxFrames) {
        truncated = true;
        break;
      }
    }
    this.lives = this.readLives();
    this.done = terminated || truncated;
    return { observation: this.observe(pooled), reward, terminated, truncated, info: this.info() };
  }

  /** A copy of the env's full state: the machine, the env's RNG (sticky actions, no-ops) and the episode counters. */
  cloneState(): RomEnvState {
    return {
      machine: this.vm.cloneState(),
      rng: this.rng.getState(),
      lastMask: this.lastMask,
      episodeFrames: this.episodeFrames,
      lives: this.lives,
      started: this.started,
      done: this.done,
    };
  }

  /** Continues exactly from a state `cloneState` returned (of an env of the same game and profile). */
  restoreState(state: RomEnvState): void {
    this.vm.restoreState(state.machine);
    this.rng.setState(state.rng);
    this.lastMask = state.lastMask;
    this.episodeFrames = state.episodeFrames;
    this.lives = state.lives;
    this.started = state.started;
    this.done = state.done;
  }

  /** The screen as rows of digits (`'0'`/`'1'`; XO-CHIP plane bits `'0'`..`'3'`), joined by `'\n'`. */
  render(): Frame {
    const { width, height, framebuffer } = this.vm;
    const rows: string[] = [];
    for (let y = 0; y < height; y++) {
      let row = '';
      for (let x = 0; x < width; x++) row += String(framebuffer[y * width + x]);
      rows.push(row);
    }
    return { kind: 'chip8', game: this.settings.name, width, height, pixels: rows.join('\n'), frame: this.episodeFrames, lives: this.lives };
  }

  private readLives(): number {
    return this.settings.lives === undefined ? 0 : this.settings.lives(this.live);
  }

  private info(): Info {
    const info: Info = { lives: this.lives, frame: this.episodeFrames };
    if (this.settings.score !== undefined) info.score = this.settings.score(this.live);
    return info;
  }

  /** A fresh observation; with `pool`, the pixel-wise max with it. */
  private observe(pool: Uint8Array | null): Uint8Array {
    const vm = this.vm;
    const out = this.observationSpace.zeros();
    if (this.observationMode === 'ram') {
      out.set(vm.v, 0);
      out.set(vm.memory, 16);
      return out;
    }
    const fb = vm.framebuffer;
    const w = vm.width;
    const W = this.obsWidth;
    const scale = W / w; // 1, or 2 for a low-res screen in a 128x64 observation (then each pixel is doubled)
    const H = this.obsHeight;
    if (scale === 1 && !this.planePixels && (fb.byteOffset & 3) === 0 && (out.length & 3) === 0) {
      // Pixels are 0 or 1 here: four at a time, 0x01 * 255 = 0xff per byte with no carry between bytes.
      const src = new Uint32Array(fb.buffer, fb.byteOffset, out.length >> 2);
      const dst = new Uint32Array(out.buffer, out.byteOffset, out.length >> 2);
      for (let k = 0; k < dst.length; k++) dst[k] = Math.imul(src[k], 255);
    } else if (scale === 1) {
      for (let k = 0; k < out.length; k++) out[k] = fb[k] !== 0 ? 255 : 0;
    } else {
      for (let y = 0; y < H; y++) {
        const src = (y >> 1) * w;
        for (let x = 0; x < W; x++) out[y * W + x] = fb[src + (x >> 1)] !== 0 ? 255 : 0;
      }
    }
    if (pool !== null) for (let k = 0; k < out.length; k++) if (pool[k] > out[k]) out[k] = pool[k];
    return out;
  }
}
