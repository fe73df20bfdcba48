/**
 * Viewer figures in headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM_PATH):
 * - page ready (list shown and the latest episode drawn) for a run with N recorded episodes (default 1,000);
 * - replay frames/s of an 84x84 pixels episode and of a platformer episode, by the page's own frame timer
 *   (one step per animation frame), with the test's launch flags and with the frame-rate limit lifted.
 *
 *   npx tsx bench/viewer.ts [--episodes 1000] [--seconds 3]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { buildPage } from '../viewer/build.ts';
import { gridEpisodeText, platformerEpisodeText, pixelsEpisodeText } from '../viewer/fixtures.ts';
import { startViewerServer } from '../viewer/server.ts';

const { values } = parseArgs({ options: { episodes: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '3' } } });
const N = Number(values.episodes);
const SECONDS = Number(values.seconds);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const UNLIMITED = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];

if (!fs.existsSync(CHROMIUM)) {
  console.error(`bench/viewer: no Chromium at ${CHROMIUM} (apt-get install -y --no-install-recommends chromium, or set CHROMIUM_PATH)`);
  process.exit(1);
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'viewer-bench-'));
const epDir = path.join(root, 'episodes');
fs.mkdirSync(epDir);
const t0 = performance.now();
for (let i = 0; i < N; i++) fs.writeFileSync(path.join(epDir, `episode-${String(i).padStart(6, '0')}.jsonl`), gridEpisodeText(i * 100, i));
fs.writeFileSync(path.join(epDir, 'pixels-000001.jsonl'), pixelsEpisodeText(600));
fs.writeFileSync(path.join(epDir, 'platformer-000001.jsonl'), platformerEpisodeText(600));
let metrics = '';
for (let s = 1; s <= 2000; s++) metrics += `${JSON.stringify({ step: s * 100, time: s, 'charts/episodic_return': Math.sin(s / 50), 'losses/td_loss': 1 / s })}\n`;
fs.writeFileSync(path.join(root, 'metrics.jsonl'), metrics);
console.log(`run with ${N} episodes written in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${root}`);

const page0 = await buildPage({ log: console.log });
console.log(`page ${page0.built ? 'built' : 'cached'} in ${(page0.ms / 1000).toFixed(1)} s`);
const srv = await startViewerServer({ runDir: root, pageDir: page0.dir });

type Hooks = { ready: boolean; readyMs: number; loadEpisode(n: string): Promise<void>; measureReplay(ms: number): Promise<{ fps: number; frames: number; meanDrawMs: number }>; rendererName: string };
declare const window: { __viewer: Hooks };

try {
  for (const [label, flags] of [
    ['test flags', FLAGS],
    ['test flags + --disable-frame-rate-limit --disable-gpu-vsync', [...FLAGS, ...UNLIMITED]],
  ] as const) {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...flags] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const readies: number[] = [];
      for (let rep = 0; rep < 3; rep++) {
        await page.goto(srv.url);
        await page.waitForFunction(() => window.__viewer?.ready === true, undefined, { timeout: 30_000 });
        readies.push(await page.evaluate(() => window.__viewer.readyMs));
      }
      console.log(`[${label}] renderer ${await page.evaluate(() => window.__viewer.rendererName)}`);
      console.log(`[${label}] page ready with ${N} episodes: ${readies.map((r) => r.toFixed(0)).join(', ')} ms (navigation start to list shown and latest episode drawn)`);
      for (const name of ['pixels-000001.jsonl', 'platformer-000001.jsonl']) {
        await page.evaluate((n) => window.__viewer.loadEpisode(n), name);
        const r = await page.evaluate((ms) => window.__viewer.measureReplay(ms), SECONDS * 1000);
        console.log(`[${label}] ${name}: ${r.fps.toFixed(1)} frames/s over ${SECONDS} s (${r.frames} frames), ${r.meanDrawMs.toFixed(2)} ms per draw`);
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await srv.close();
  fs.rmSync(root, { recursive: true, force: true });
}
