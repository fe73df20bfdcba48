import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvalidInputError, listEnvs, register } from '../../core/index.ts';
import { validateSettings, type GameSettings } from './game-settings.ts';
import { KNOWN_GAMES } from './games.ts';
import { RomEnv, romSha256, type RomEnvOptions } from './rom-env.ts';

/** ALE v5's episode cap: 108,000 frames (30 minutes at 60 Hz). */
export const DEFAULT_MAX_FRAMES = 108_000;

/** File name endings of ROM files: CHIP-8, SUPER-CHIP and XO-CHIP programs (lower case). */
export const ROM_EXTENSIONS: readonly string[] = Object.freeze(['.ch8', '.sc8', '.xo8']);

/** True when a file name ends in one of `ROM_EXTENSIONS` (any case). */
export const isRomFile = (file: string): boolean => ROM_EXTENSIONS.some((e) => file.toLowerCase().endsWith(e));

/**
 * The ROM home, where `import-roms` puts the games it recognises and `registerImportedRoms` looks:
 * `$ARCADE_RL_ROMS` when set, else `~/.arcade-rl/roms` (after ALE's `ale-import-roms` and its `ALE_ROMS`).
 */
export function romHome(): string {
  const env = process.env.ARCADE_RL_ROMS;
  return env !== undefined && env.trim() !== '' ? resolve(env) : join(homedir(), '.arcade-rl', 'roms');
}

/** Builds a `RomEnv` from `make` kwargs. */
export const romEntryPoint = (kwargs: Record<string, unknown>): RomEnv => new RomEnv(kwargs as unknown as RomEnvOptions);

/**
 * `Chip8-v0`: any ROM, `make('Chip8-v0', { rom: path | bytes, settings })` (settings may be left out for a known
 * game). Not registered by this module.
 */
export const CHIP8_GENERIC_ENV = Object.freeze({
  id: 'Chip8-v0',
  entryPoint: romEntryPoint,
  kwargs: Object.freeze({ maxFrames: DEFAULT_MAX_FRAMES }),
  description: 'Any CHIP-8 ROM: make("Chip8-v0", { rom, settings }); frame skip 4, sticky actions 0.25.',
});

/** The env id of a game: `Chip8-<Name>-v0`, the name capitalised (`dinorun` -> `Chip8-Dinorun-v0`). */
export function romEnvId(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_.]/g, '');
  if (clean.length === 0) throw new InvalidInputError(`romEnvId: game name ${JSON.stringify(name)} has no letters or digits`);
  return `Chip8-${clean[0].toUpperCase()}${clean.slice(1)}-v0`;
}

/** One ROM file `registerRoms` registered. */
export interface RomImport {
  readonly id: string;
  readonly name: string;
  readonly path: string;
  readonly sha256: string;
}

export interface RegisterRomsOptions {
  /** More games (or replacements for known ones), recognised by their `sha256`. */
  games?: readonly GameSettings[];
  /** Replace registrations already there with the same id (default true: importing again updates them). */
  replace?: boolean;
}

/**
 * Hashes the ROM files (`.ch8`, `.sc8`, `.xo8`) of a folder and registers `Chip8-<Name>-v0` for each file it recognises (the known
 * games, and `opts.games`), with ALE v5's defaults (frame skip 4, sticky actions 0.25, a 108,000-frame cap; the
 * env truncates itself). Files it does not recognise are skipped. Returns what was registered, sorted by id.
 */
export function registerRoms(dir: string, opts: RegisterRomsOptions = {}): RomImport[] {
  const games = new Map(KNOWN_GAMES);
  for (const g of opts.games ?? []) {
    validateSettings(g);
    games.set(g.sha256, g);
  }
  let files: string[];
  try {
    files = readdirSync(dir).filter(isRomFile).sort();
  } catch (e) {
    throw new InvalidInputError(`registerRoms: cannot read the folder ${JSON.stringify(dir)}: ${(e as Error).message}`);
  }
  const existing = new Set(listEnvs().map((s) => s.id));
  const out: RomImport[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const path = resolve(join(dir, f));
    const sha256 = romSha256(new Uint8Array(readFileSync(path)));
    const settings = games.get(sha256);
    if (settings === undefined) continue;
    const id = romEnvId(settings.name);
    if (seen.has(id)) continue; // two copies of one game
    seen.add(id);
    const known = KNOWN_GAMES.get(sha256) === settings;
    const kwargs: Record<string, unknown> = { rom: path, maxFrames: DEFAULT_MAX_FRAMES };
    if (!known) kwargs.settings = settings;
    const replace = opts.replace ?? true;
    if (existing.has(id) && !replace) continue;
    register({ id, entryPoint: romEntryPoint, kwargs, description: settings.description ?? `${settings.name} (CHIP-8 ROM ${f})`, replace: true });
    out.push({ id, name: settings.name, path, sha256 });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Registers the games imported into the ROM home (`romHome()`, filled by `npx tsx envs/rom/import-roms.ts <dir>`).
 * A ROM home that does not exist registers nothing and is no error: the project ships no ROMs.
 */
export function registerImportedRoms(opts: RegisterRomsOptions = {}): RomImport[] {
  const home = romHome();
  if (!existsSync(home)) return [];
  return registerRoms(home, opts);
}
