/**
 * Imports CHIP-8 ROM files into the ROM home, as ALE's `ale-import-roms` does for Atari ROMs: every `.ch8`, `.sc8`
 * and `.xo8` file under a folder is hashed, and the known games (recognised by SHA-256, see ./games.ts) are copied
 * to `<romHome>/<name>.ch8`, where `registerImportedRoms()` finds them. Unknown files are listed and left alone.
 *
 *   npx tsx envs/rom/import-roms.ts <dir> [--to <romHome>] [--games <module.ts>]
 *
 * `--to` defaults to `$ARCADE_RL_ROMS`, else `~/.arcade-rl/roms`. `--games` names a module whose `games` export
 * (an array of `GameSettings`) adds games to recognise, e.g. your own.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ArcadeError, InvalidInputError } from '../../core/index.ts';
import { formatZodError } from '../../core/validation.ts';
import { validateSettings, type GameSettings } from './game-settings.ts';
import { KNOWN_GAMES } from './games.ts';
import { isRomFile, romEnvId, romHome } from './registrations.ts';
import { romSha256 } from './rom-env.ts';

/** What happened to one file. */
export type ImportStatus = 'imported' | 'already-imported' | 'duplicate' | 'unknown';

export interface ImportedFile {
  /** The file found, as an absolute path. */
  readonly file: string;
  readonly sha256: string;
  readonly status: ImportStatus;
  /** The env id, for a recognised game. */
  readonly id?: string;
  /** Where the game lies in the ROM home, for a recognised game. */
  readonly dest?: string;
}

/** Game names become file names in the ROM home: letters, digits, `_`, `-` and `.` only. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** The ROM files under `dir`, recursively, sorted so that the output is the same on every run. */
function romFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && isRomFile(entry.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Writes `bytes` to `dest` through a temporary file in the same folder and a rename, so `dest` is never half written. */
function writeAtomic(dest: string, bytes: Uint8Array): void {
  const tmp = `${dest}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Copies the recognised games under `srcDir` into `home` (created when there is something to copy) as `<name>.ch8`. A game already in
 * the ROM home with the same bytes is left as it is; a second copy of one game in `srcDir` is a `duplicate`.
 * `games` adds settings to recognise beyond the known games.
 */
export function importRoms(srcDir: string, home: string, games: readonly GameSettings[] = []): ImportedFile[] {
  const src = resolve(srcDir);
  if (!existsSync(src) || !statSync(src).isDirectory()) {
    throw new InvalidInputError(`import-roms: ${JSON.stringify(srcDir)} is not a folder`);
  }
  const byHash = new Map(KNOWN_GAMES);
  for (const g of games) {
    validateSettings(g);
    if (g.sha256 === '') throw new InvalidInputError(`import-roms: game ${JSON.stringify(g.name)} has no sha256, so no file can be recognised as it`);
    byHash.set(g.sha256, g);
  }
  for (const g of byHash.values()) {
    if (!SAFE_NAME.test(g.name)) {
      throw new InvalidInputError(`import-roms: game name ${JSON.stringify(g.name)} cannot be a file name (letters, digits, _ . - only)`);
    }
  }
  const dest = resolve(home);
  const files = romFilesUnder(src);
  const out: ImportedFile[] = [];
  const done = new Set<string>();
  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(file));
    const sha256 = romSha256(bytes);
    const game = byHash.get(sha256);
    if (game === undefined) {
      out.push({ file, sha256, status: 'unknown' });
      continue;
    }
    const id = romEnvId(game.name);
    const target = join(dest, `${game.name}.ch8`);
    if (done.has(id)) {
      out.push({ file, sha256, status: 'duplicate', id, dest: target });
      continue;
    }
    done.add(id);
    if (existsSync(target) && romSha256(new Uint8Array(readFileSync(target))) === sha256) {
      out.push({ file, sha256, status: 'already-imported', id, dest: target });
      continue;
    }
    mkdirSync(dest, { recursive: true });
    writeAtomic(target, bytes);
    out.push({ file, sha256, status: 'imported', id, dest: target });
  }
  return out;
}

/** One line per file, as the CLI prints them. */
export function describeImport(r: ImportedFile, srcDir: string): string {
  const name = relative(resolve(srcDir), r.file) || r.file;
  switch (r.status) {
    case 'imported':
      return `${name}: imported as ${r.id} -> ${r.dest}`;
    case 'already-imported':
      return `${name}: already imported as ${r.id} (${r.dest})`;
    case 'duplicate':
      return `${name}: duplicate of ${r.id}, skipped`;
    case 'unknown':
      return `${name}: unknown sha256 ${r.sha256}, skipped`;
  }
}

const gamesModule = z.object({ games: z.array(z.object({ name: z.string(), sha256: z.string() }).loose()) }).loose();

/** Loads the `games` export of a module given with `--games`. */
async function loadGames(path: string): Promise<GameSettings[]> {
  const mod: unknown = await import(pathToFileURL(resolve(path)).href);
  const parsed = gamesModule.safeParse(mod);
  if (!parsed.success) throw new InvalidInputError(`import-roms: --games ${path}: ${formatZodError(parsed.error)}`);
  // The module's own objects (functions included), now known to have the shape; validateSettings checks the rest.
  return (mod as { games: GameSettings[] }).games;
}

const USAGE = 'usage: npx tsx envs/rom/import-roms.ts <dir> [--to <romHome>] [--games <module.ts>]';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { to: { type: 'string' }, games: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    console.error(`import-roms: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(`${USAGE}\nCopies the known CHIP-8 games found under <dir> (by SHA-256) into the ROM home (default ${romHome()}).`);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`import-roms: expected one folder to import from, received ${positionals.length}\n${USAGE}`);
    return 2;
  }
  const src = positionals[0];
  const home = values.to ?? romHome();
  try {
    const games = values.games === undefined ? [] : await loadGames(values.games);
    const results = importRoms(src, home, games);
    for (const r of results) console.log(describeImport(r, src));
    const count = (s: ImportStatus): number => results.filter((r) => r.status === s).length;
    console.log(
      `${results.length} ROM files: ${count('imported')} imported, ${count('already-imported')} already imported, ` +
        `${count('duplicate')} duplicates, ${count('unknown')} unknown; ROM home ${resolve(home)}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ArcadeError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
