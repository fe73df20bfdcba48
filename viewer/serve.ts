/**
 * The viewer's command line:
 *
 *   npx tsx viewer/serve.ts <runDir> [--port N] [--host H]
 *   npx tsx viewer/serve.ts --play <env-id> [--roms <dir>] [--out <runDir>] [--no-record] [--port N] [--host H]
 *
 * Builds the page when needed (Vite, cached), serves the run folder read-only on 127.0.0.1 (unless --host), and
 * prints the URL. See viewer/README.md.
 */
import * as fs from 'node:fs';
import { buildPage } from './build.ts';
import { startViewerServer } from './server.ts';

const USAGE = `usage: npx tsx viewer/serve.ts <runDir> [--port N] [--host H]
       npx tsx viewer/serve.ts --play <env-id> [--roms <dir>] [--out <runDir>] [--no-record] [--port N] [--host H]

  <runDir>     a run folder (episodes/, metrics.jsonl, config.json) or a folder of episode files
  --play ID    play a registered env (e.g. GridWorld-KeyDoor-v0, Platformer-1-v0, CartPole-v1) with the keyboard;
               finished episodes are recorded into <runDir>/episodes (default runs/play-<env-id>-<time>)
  --roms DIR   with --play: register the CHIP-8 ROMs of DIR first (registerRoms), to play Chip8-<Name>-v0
  --no-record  with --play: do not record
  --port N     port to listen on (default 8080; 0 picks a free one)
  --host H     address to bind (default 127.0.0.1; 0.0.0.0 exposes the run to the network)`;

interface Args {
  runDir: string;
  play?: string;
  roms?: string;
  record: boolean;
  port: number;
  host: string;
}

function parseArgs(argv: string[]): Args {
  let runDir: string | undefined;
  let play: string | undefined;
  let roms: string | undefined;
  let record = true;
  let port = 8080;
  let host = '127.0.0.1';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a === '--port') {
      const v = value();
      port = Number(v);
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port: expected an integer 0..65535, got ${JSON.stringify(v)}`);
    } else if (a === '--host') host = value();
    else if (a === '--play') play = value();
    else if (a === '--out') runDir = value();
    else if (a === '--roms') roms = value();
    else if (a === '--no-record') record = false;
    else if (a.startsWith('--')) fail(`unknown option ${a}`);
    else if (runDir === undefined) runDir = a;
    else fail(`unexpected argument ${JSON.stringify(a)}`);
  }
  if (play !== undefined && runDir === undefined) runDir = `runs/play-${play}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  if (runDir === undefined) fail('missing <runDir>');
  return { runDir, play, roms, record, port, host };
}

function fail(msg: string): never {
  console.error(`viewer: ${msg}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let extraRoutes: Parameters<typeof startViewerServer>[0]['extraRoutes'];
  if (args.play !== undefined) {
    const { PlaySession } = await import('./play.ts'); // loads the env registry (and TF.js): only when playing
    const session = new PlaySession(args.play, args.runDir, { record: args.record, roms: args.roms });
    fs.mkdirSync(args.runDir, { recursive: true });
    extraRoutes = session.routes();
  }
  if (!fs.existsSync(args.runDir) || !fs.statSync(args.runDir).isDirectory()) fail(`${args.runDir}: no such run folder`);
  const page = await buildPage({ log: (m) => console.error(m) });
  if (page.built) console.error(`viewer: page built in ${(page.ms / 1000).toFixed(1)} s`);
  const srv = await startViewerServer({
    runDir: args.runDir,
    pageDir: page.dir,
    host: args.host,
    port: args.port,
    extraRoutes,
    runInfo: args.play !== undefined ? { mode: 'play', play: { envId: args.play } } : undefined,
  });
  if (args.play !== undefined) console.log(`arcade-rl viewer: play ${args.play} at ${srv.url}  (${args.record ? `recording into ${args.runDir}/episodes` : 'not recording'}; Ctrl-C stops)`);
  else console.log(`arcade-rl viewer: ${srv.url}  (run ${args.runDir}; Ctrl-C stops)`);
  if (args.host !== '127.0.0.1' && args.host !== 'localhost' && args.host !== '::1') {
    console.error(`viewer: warning: bound to ${args.host}: anyone who can reach this address can read the run folder`);
  }
  const stop = (): void => {
    void srv.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`viewer: ${(err as Error).message}`);
  process.exit(1);
});
