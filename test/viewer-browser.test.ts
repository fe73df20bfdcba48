/**
 * The viewer page in a real browser: Debian's Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) driven through
 * playwright-core; no browser is ever downloaded. Without Chromium these tests skip with a loud warning, except
 * under CI=true, where they fail (.ci/run installs it).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage } from '../viewer/build.ts';
import {
  CHIP8_DEMO_OPTIONS,
  CHIP8_DEMO_ROM,
  CHIP8_DEMO_SETTINGS,
  CORRUPT_LINE,
  CORRUPT_NAME,
  GRID_PATH,
  gridEpisodeText,
  writeChip8Episode,
  writeDemoRun,
  writeXoChipEpisode,
} from '../viewer/fixtures.ts';
import { startViewerServer, type ViewerServer } from '../viewer/server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const haveChromium = fs.existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';

if (!haveChromium && !inCI) {
  console.warn(
    `\n*** viewer browser tests SKIPPED: no Chromium at ${CHROMIUM}. Install it (apt-get install -y --no-install-recommends chromium) or set CHROMIUM_PATH. Under CI=true this is a failure. ***\n`,
  );
}

describe('viewer browser tests: Chromium present', () => {
  it.runIf(inCI)('has Chromium under CI', () => {
    expect(haveChromium, `Chromium missing at ${CHROMIUM}: .ci/run should install it`).toBe(true);
  });
  it.skipIf(haveChromium || inCI)('SKIPPED: Chromium missing (see the warning above)', () => {});
});

interface Hooks {
  ready: boolean;
  rendererName: string;
  frameRenderer: string | undefined;
  stagePixels(): ArrayLike<number>;
  state: { index: number; name?: string; error?: string; playing: boolean; current?: { steps: unknown[] } };
  loadEpisode(name: string): Promise<void>;
  seek(i: number): void;
  cellCenter(x: number, y: number): { x: number; y: number } | undefined;
  pixelAt(x: number, y: number): number[];
  measureReplay(ms: number): Promise<{ fps: number; frames: number; meanDrawMs: number }>;
}
declare const window: { __viewer: Hooks };

/** The chip8 renderer's phosphor palette (viewer/page/renderers.ts CHIP8_PALETTE): off, plane 1, plane 2, both. */
const CHIP8_RGB = [
  [0x0a, 0x14, 0x0d],
  [0x4d, 0xff, 0x88],
  [0xff, 0xb0, 0x3a],
  [0xff, 0xf4, 0xc2],
];

interface ScreenCheck {
  /** Stage pixels per machine pixel. */
  scale: number;
  /** Machine pixels lit in the frame. */
  lit: number;
  /** Machine pixels whose square on the canvas (centre and two corners) is not the palette colour of their digit. */
  wrong: number;
  firstWrong: string[];
}

/**
 * Compares every machine pixel of a chip8 frame (`rows` of digits) with the stage as drawn now: the centre and the
 * top-left and bottom-right corners of its square must all be the palette colour of its digit.
 */
async function checkChip8Screen(page: Page, rows: string[]): Promise<ScreenCheck> {
  return page.evaluate(
    ([rws, rgb]) => {
      const h = window.__viewer;
      const data = h.stagePixels();
      const W = 512;
      const c0 = h.cellCenter(0, 0)!;
      const scale = h.cellCenter(1, 0)!.x - c0.x;
      const half = Math.floor(scale / 2);
      let lit = 0;
      let wrong = 0;
      const firstWrong: string[] = [];
      for (let y = 0; y < rws.length; y++) {
        for (let x = 0; x < rws[y].length; x++) {
          const v = rws[y].charCodeAt(x) - 48;
          if (v > 0) lit++;
          const c = h.cellCenter(x, y)!;
          const points = [
            [c.x, c.y],
            [c.x - half, c.y - half],
            [c.x - half + scale - 1, c.y - half + scale - 1],
          ];
          for (const [px, py] of points) {
            const k = (py * W + px) * 4;
            if (data[k] !== rgb[v][0] || data[k + 1] !== rgb[v][1] || data[k + 2] !== rgb[v][2]) {
              wrong++;
              if (firstWrong.length < 5) firstWrong.push(`(${x},${y}) digit ${v}: stage (${px},${py}) is ${data[k]},${data[k + 1]},${data[k + 2]}`);
              break;
            }
          }
        }
      }
      return { scale, lit, wrong, firstWrong };
    },
    [rows, CHIP8_RGB] as const,
  );
}

/** A chip8 frame's rows of digits. */
function chip8Rows(frame: { readonly [key: string]: unknown } | undefined): string[] {
  const pixels = frame?.pixels;
  if (typeof pixels !== 'string') throw new Error('not a chip8 frame');
  return pixels.split('\n');
}

/** Launches Chromium on the viewer at `url`, collecting console errors and page errors into `errors`. */
async function openViewer(url: string, errors: string[]): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.__viewer?.ready === true, undefined, { timeout: 15_000 });
  return { browser, page };
}

describe.runIf(haveChromium)('viewer page in Chromium', { timeout: 30_000 }, () => {
  let root: string;
  let srv: ViewerServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const hooks = <T>(fn: (h: Hooks) => T | Promise<T>): Promise<T> => page.evaluate(`(${fn.toString()})(window.__viewer)`) as Promise<T>;
  const pixelAtCell = async (x: number, y: number): Promise<number[]> =>
    page.evaluate(([cx, cy]) => {
      const h = window.__viewer;
      const p = h.cellCenter(cx, cy)!;
      return h.pixelAt(p.x, p.y);
    }, [x, y] as const);

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'viewer-browser-'));
    writeDemoRun(root, { pixels: true, cartpole: true, platformer: true });
    await writeChip8Episode(root);
    await writeXoChipEpisode(root);
    const built = await buildPage();
    srv = await startViewerServer({ runDir: root, pageDir: built.dir, pollMs: 100 });
    ({ browser, page } = await openViewer(srv.url, errors));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('draws with WebGL (not the canvas fallback)', async () => {
    expect(await hooks((h) => h.rendererName)).toBe('webgl');
  });

  it('lists the episodes with step, return and length', async () => {
    const rows = (await page.evaluate(
      `Array.from(document.querySelectorAll('#episodes tr')).map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent))`,
    )) as string[][];
    expect(rows).toHaveLength(9);
    expect(rows.find((r) => r[0] === 'episode-000003')).toEqual(['episode-000003', '1000', (1 - 0.01 * (GRID_PATH.length - 2)).toFixed(2), String(GRID_PATH.length - 1)]);
  });

  it('two steps draw different pixels at a known cell, and the controls move the frame', async () => {
    await page.click('tr[data-name="episode-000001.jsonl"]');
    await page.waitForFunction(() => window.__viewer.state.name === 'episode-000001.jsonl' && window.__viewer.state.current !== undefined);
    expect(await hooks((h) => h.state.index)).toBe(0);
    const agentAt0 = await pixelAtCell(1, 1); // the agent stands on (1,1) at position 0
    await page.click('#fwd');
    expect(await hooks((h) => h.state.index)).toBe(1);
    const startAt1 = await pixelAtCell(1, 1); // it moved to (2,1): (1,1) shows the start tile
    const agentAt1 = await pixelAtCell(2, 1);
    expect(agentAt0).not.toEqual(startAt1);
    expect(agentAt1).toEqual(agentAt0);
    expect(agentAt0.slice(0, 3)).toEqual([0x3a, 0xa0, 0xff]);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await hooks((h) => h.state.index)).toBe(3);
    await page.keyboard.press('ArrowLeft');
    expect(await hooks((h) => h.state.index)).toBe(2);
    expect(await page.textContent('#pos')).toBe(`t 2 / ${GRID_PATH.length - 1}`);
    await page.click('#back');
    await page.click('#back');
    expect(await pixelAtCell(1, 1)).toEqual(agentAt0);
    await page.keyboard.press('End');
    expect(await hooks((h) => h.state.index)).toBe(GRID_PATH.length - 1);
    expect(await pixelAtCell(5, 4)).toEqual(agentAt0); // on the goal
    await page.keyboard.press('Home');
    // the scrubber
    await page.evaluate(`(() => { const s = document.getElementById('scrub'); s.value = '6'; s.dispatchEvent(new Event('input')); })()`);
    expect(await hooks((h) => h.state.index)).toBe(6);
    expect(await pixelAtCell(GRID_PATH[6][0], GRID_PATH[6][1])).toEqual(agentAt0);
    // the side panel: action, reward, running return, Q-value bars
    expect(await page.textContent('dd[data-key="return so far"]')).toBe((-0.06).toFixed(3));
    expect(await page.$$eval('.bars[data-kind="Q-values"] .bar', (b) => b.length)).toBe(4);
    // play: space starts, the frame advances at 8 steps/s x speed, space stops
    await page.selectOption('#speed', '4');
    await page.keyboard.press('Home');
    await page.keyboard.press(' ');
    await page.waitForFunction(() => window.__viewer.state.index >= 3, undefined, { timeout: 5000 });
    await page.keyboard.press(' ');
    const stopped = await hooks((h) => h.state.index);
    expect(await hooks((h) => h.state.playing)).toBe(false);
    await page.waitForTimeout(300);
    expect(await hooks((h) => h.state.index)).toBe(stopped);
  });

  it('shows a corrupt episode as an error naming file and line, and the other episodes still play', async () => {
    await page.click(`tr[data-name="${CORRUPT_NAME}"]`);
    await page.waitForSelector('#error.show');
    const text = await page.textContent('#error');
    expect(text).toContain(`${CORRUPT_NAME}, line ${CORRUPT_LINE}: malformed JSON`);
    expect(await page.evaluate(`document.querySelector('#stage canvas').style.visibility`)).toBe('hidden');
    await page.keyboard.press('ArrowUp'); // the episode above it
    await page.waitForFunction(() => window.__viewer.state.current !== undefined);
    expect(await page.$eval('#error', (e) => e.classList.contains('show'))).toBe(false);
    expect(await hooks((h) => h.state.name)).toBe('episode-000001.jsonl');
    expect(await pixelAtCell(1, 1)).toEqual([0x3a, 0xa0, 0xff, 255]);
  });

  it('draws the generic heatmap and the cart-pole, and measures replay frames/s', async () => {
    await hooks((h) => h.loadEpisode('pixels-000001.jsonl'));
    const a = await hooks((h) => h.pixelAt(256, 256));
    await hooks((h) => h.seek(5));
    const b = await hooks((h) => h.pixelAt(256, 256));
    expect(a).not.toEqual(b);
    const r = await hooks((h) => h.measureReplay(1000));
    console.log(`viewer: 84x84 pixels episode replays at ${r.fps.toFixed(0)} frames/s (${r.frames} frames, ${r.meanDrawMs.toFixed(2)} ms per draw) in headless Chromium`);
    expect(r.frames).toBeGreaterThan(0); // the replay advances; its speed is a figure (bench/viewer.ts), not a test
    await hooks((h) => h.loadEpisode('cartpole-000001.jsonl'));
    const sky = await hooks((h) => h.pixelAt(5, 5));
    expect(sky.slice(0, 3)).toEqual([0xf4, 0xf4, 0xf0]);
  });

  it('draws the platformer with the camera following the player', async () => {
    await hooks((h) => h.loadEpisode('platformer-000001.jsonl'));
    const player = [0xd8, 0x28, 0x00, 255];
    // The pixel just inside the player's box, found through the renderer's tile-to-stage mapping (camera included).
    const at = async (i: number): Promise<{ px: number[]; screenX: number }> => {
      await page.evaluate((k) => window.__viewer.seek(k), i);
      const x = 1 + i * 0.25; // the fixture's player x, in tiles
      return page.evaluate((px) => {
        const h = window.__viewer;
        const p = h.cellCenter(px + 0.1, 14 - 2 - 0.9 + 0.1)!;
        return { px: h.pixelAt(p.x - 16, p.y), screenX: p.x };
      }, x);
    };
    const a = await at(0);
    const b = await at(100);
    expect(a.px).toEqual(player);
    expect(b.px).toEqual(player);
    // the player moved 25 tiles (900 px at this zoom), but stays on screen: the camera followed
    expect(b.screenX).toBeLessThan(512);
    expect(b.screenX).toBeGreaterThan(0);
    const r = await hooks((h) => h.measureReplay(1000));
    console.log(`viewer: platformer episode replays at ${r.fps.toFixed(0)} frames/s (${r.frames} frames, ${r.meanDrawMs.toFixed(2)} ms per draw) in headless Chromium`);
  });

  it('replays a recorded RomEnv episode with the chip8 renderer: lit pixels where the frame has them, 64x32 then 128x64', async () => {
    const name = 'chip8-000001.jsonl';
    const { parseEpisode } = await import('../core/episode/reader.ts');
    const ep = parseEpisode(fs.readFileSync(path.join(root, 'episodes', name), 'utf8'), name);
    const frames = [ep.header.initialFrame, ...ep.steps.map((st) => st.frame)];
    const hires = frames.findIndex((f) => f?.width === 128);
    expect(frames[0]).toMatchObject({ kind: 'chip8', width: 64, height: 32, lives: 3 });
    expect(hires).toBeGreaterThan(1);
    expect(frames[frames.length - 1]).toMatchObject({ width: 128, height: 64, lives: 2 });
    await hooks((h) => h.loadEpisode('chip8-000001.jsonl'));
    expect(await hooks((h) => h.frameRenderer)).toBe('chip8');
    for (const i of [0, hires - 1, hires, frames.length - 1]) {
      await page.evaluate((k) => window.__viewer.seek(k), i);
      const rows = chip8Rows(frames[i]);
      const check = await checkChip8Screen(page, rows);
      expect(check.firstWrong, `position ${i}`).toEqual([]);
      expect(check.wrong).toBe(0);
      expect(check.lit).toBeGreaterThan(100); // the 16 digits and the block
      expect(check.scale).toBe(rows[0].length === 64 ? 8 : 4); // the largest integer scale in the 512 px stage
      // the HUD (step panel) shows the frame's lives and frame count
      expect(await page.textContent('dd[data-key="lives"]')).toBe(String(frames[i]!.lives));
      expect(await page.textContent('dd[data-key="frame"]')).toBe(String(frames[i]!.frame));
    }
    const r = await hooks((h) => h.measureReplay(1000));
    console.log(`viewer: chip8 episode (64x32 and 128x64 frames) replays at ${r.fps.toFixed(0)} frames/s (${r.frames} frames, ${r.meanDrawMs.toFixed(2)} ms per draw) in headless Chromium`);
    // The replay advances; how fast is a figure for bench/viewer.ts, never a timed assertion.
    expect(r.frames).toBeGreaterThan(0);
  });

  it('draws XO-CHIP planes in four colours', async () => {
    const name = 'chip8-xo-000001.jsonl';
    const { parseEpisode } = await import('../core/episode/reader.ts');
    const ep = parseEpisode(fs.readFileSync(path.join(root, 'episodes', name), 'utf8'), name);
    const rows = chip8Rows(ep.header.initialFrame);
    expect(rows[0].slice(0, 20)).toBe('11110000222200003333');
    await hooks((h) => h.loadEpisode('chip8-xo-000001.jsonl'));
    const check = await checkChip8Screen(page, rows);
    expect(check.firstWrong).toEqual([]);
    expect(check.lit).toBe(48);
    const colours = await page.evaluate(() => [0, 8, 16, 30].map((x) => {
      const h = window.__viewer;
      const p = h.cellCenter(x, 1)!;
      return h.pixelAt(p.x, p.y).slice(0, 3);
    }));
    expect(colours).toEqual([CHIP8_RGB[1], CHIP8_RGB[2], CHIP8_RGB[3], CHIP8_RGB[0]]);
  });

  it('charts the metrics', async () => {
    await page.waitForSelector('.chart[data-metric="charts/episodic_return"] svg path');
    const metrics = (await page.evaluate(`Array.from(document.querySelectorAll('.chart')).map((c) => c.dataset.metric)`)) as string[];
    expect(metrics.slice(0, 4)).toEqual(['charts/episodic_return', 'eval/mean_return', 'losses/td_loss', 'charts/epsilon']);
  });

  it('follows the run live: a new episode and new metrics appear without a reload', async () => {
    await page.waitForSelector('#live.on');
    fs.writeFileSync(path.join(root, 'episodes', 'episode-000777.jsonl'), gridEpisodeText(777_000, 777));
    fs.appendFileSync(path.join(root, 'metrics.jsonl'), '{"step":9999,"time":9,"charts/sps":1234}\n');
    await page.waitForSelector('tr[data-name="episode-000777.jsonl"]', { timeout: 5000 });
    await page.waitForSelector('.chart[data-metric="charts/sps"]', { timeout: 5000 });
    expect(await page.textContent('tr[data-name="episode-000777.jsonl"] td:nth-child(2)')).toBe('777000');
  });

  it('logged no console error and no page error', () => {
    expect(errors).toEqual([]);
  });
});

describe.runIf(haveChromium)('human play in Chromium (serve.ts --play)', { timeout: 30_000 }, () => {
  let root: string;
  let srv: ViewerServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'viewer-play-'));
    const { PlaySession } = await import('../viewer/play.ts');
    const session = new PlaySession('GridWorld-Empty-v0', root);
    const built = await buildPage();
    srv = await startViewerServer({ runDir: root, pageDir: built.dir, pollMs: 100, extraRoutes: session.routes(), runInfo: { mode: 'play', play: { envId: 'GridWorld-Empty-v0' } } });
    ({ browser, page } = await openViewer(srv.url, errors));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('moves the agent with the arrow keys and records the finished episode in the same format', async () => {
    const t = async (): Promise<string | null> => page.textContent('dd[data-key="t"]');
    expect(await t()).toBe('0');
    const agent = [0x3a, 0xa0, 0xff, 255];
    const cell = async (x: number, y: number): Promise<number[]> =>
      page.evaluate(([cx, cy]) => {
        const h = window.__viewer;
        const p = h.cellCenter(cx, cy)!;
        return h.pixelAt(p.x, p.y);
      }, [x, y] as const);
    expect(await cell(1, 1)).toEqual(agent);
    // Empty 8x8: start (1,1), goal (6,6): 5 right, 5 down.
    const keys = [...Array(5).fill('ArrowRight'), ...Array(5).fill('ArrowDown')] as string[];
    for (let i = 0; i < keys.length; i++) {
      await page.keyboard.press(keys[i]);
      await page.waitForFunction(`document.querySelector('dd[data-key="t"]')?.textContent === '${i + 1}'`);
      if (i === 0) {
        expect(await cell(2, 1)).toEqual(agent);
        expect(await cell(1, 1)).not.toEqual(agent);
      }
    }
    await page.waitForSelector('dd[data-key="over"]');
    // the recorded episode shows up in the list (live), and replays
    await page.waitForSelector('tr[data-name="episode-000001.jsonl"]', { timeout: 5000 });
    expect(await page.textContent('tr[data-name="episode-000001.jsonl"] td:nth-child(4)')).toBe('10');
    await page.click('tr[data-name="episode-000001.jsonl"]');
    await page.waitForFunction(() => window.__viewer.state.current !== undefined);
    await page.keyboard.press('End');
    expect(await cell(6, 6)).toEqual(agent);
    const text = fs.readFileSync(path.join(root, 'episodes', 'episode-000001.jsonl'), 'utf8');
    const { parseEpisode } = await import('../core/episode/reader.ts');
    const ep = parseEpisode(text, 'episode-000001.jsonl');
    expect(ep.header.agent).toBe('human');
    expect(ep.steps.map((st) => st.action)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    // back to playing: Enter starts a new episode
    await page.click('#playmode');
    await page.keyboard.press('Enter');
    await page.waitForFunction(`document.querySelector('dd[data-key="t"]')?.textContent === '0'`);
    expect(await cell(1, 1)).toEqual(agent);
    expect(errors).toEqual([]);
  });
});

describe.runIf(haveChromium)('human play of a ROM env in Chromium (serve.ts --play)', { timeout: 30_000 }, () => {
  const ENV_ID = 'Chip8-Viewerdemo-v0';
  let root: string;
  let srv: ViewerServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'viewer-play-rom-'));
    const [{ register }, { RomEnv }, { PlaySession }] = await Promise.all([import('../core/index.ts'), import('../envs/rom/index.ts'), import('../viewer/play.ts')]);
    register({ id: ENV_ID, entryPoint: () => new RomEnv({ rom: CHIP8_DEMO_ROM, settings: CHIP8_DEMO_SETTINGS, ...CHIP8_DEMO_OPTIONS }), replace: true });
    const session = new PlaySession(ENV_ID, root);
    const built = await buildPage();
    srv = await startViewerServer({ runDir: root, pageDir: built.dir, pollMs: 100, extraRoutes: session.routes(), runInfo: { mode: 'play', play: { envId: ENV_ID } } });
    ({ browser, page } = await openViewer(srv.url, errors));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    const { unregister } = await import('../core/index.ts');
    unregister(ENV_ID);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('drives the game with held keys (D on the hex keypad, the arrows by action name) and records the episode', async () => {
    const { romKeypad } = await import('../viewer/play.ts');
    const keypad = romKeypad(CHIP8_DEMO_SETTINGS.actions);
    expect(keypad.bindings.KeyD).toEqual([9]); // hex keypad: D is key 9 (RIGHT in this game)
    expect(keypad.bindings.ArrowDown).toEqual([8]);
    expect(await page.textContent('p.hint')).toContain('→ RIGHT');
    const t = async (): Promise<number> => Number(await page.textContent('dd[data-key="t"]'));
    // The game runs in real time (15 steps/s) from the page's start, so the first episode may be over by now: hold
    // D (RIGHT) and press Enter, so that the second episode starts with the key held; then hold the down arrow.
    await page.keyboard.down('d');
    await page.keyboard.press('Enter');
    await page.waitForFunction(`document.querySelector('dd[data-key="episode"]')?.textContent === '2'`);
    await page.waitForFunction(`Number(document.querySelector('dd[data-key="t"]')?.textContent) >= 3`);
    await page.keyboard.up('d');
    await page.keyboard.down('ArrowDown');
    const t1 = await t();
    await page.waitForFunction(`Number(document.querySelector('dd[data-key="t"]')?.textContent) >= ${t1 + 3}`);
    await page.keyboard.up('ArrowDown');
    await page.waitForSelector('dd[data-key="over"]', { timeout: 10_000 });
    const name = 'episode-000002.jsonl'; // the second reset: episode index 1
    await page.waitForSelector(`tr[data-name="${name}"]`, { timeout: 5000 });
    const text = fs.readFileSync(path.join(root, 'episodes', name), 'utf8');
    const { parseEpisode } = await import('../core/episode/reader.ts');
    const ep = parseEpisode(text, name);
    expect(ep.header.agent).toBe('human');
    expect(ep.header.render.kind).toBe('chip8');
    const actions = ep.steps.map((st) => st.action as number);
    expect(actions[0]).toBe(4); // RIGHT, held before the episode started
    expect(actions).toContain(2); // DOWN
    expect(actions.every((a) => a === 0 || a === 2 || a === 4)).toBe(true);
    expect(actions.indexOf(4)).toBeLessThan(actions.indexOf(2));
    // the return counts the frames the block moved right: 4 per RIGHT step (frame skip 4, no sticky actions)
    expect(ep.steps.reduce((sum, st) => sum + st.reward, 0)).toBe(4 * actions.filter((a) => a === 4).length);
    // it replays: the last frame as drawn matches the recorded one
    await page.click(`tr[data-name="${name}"]`);
    await page.waitForFunction(() => window.__viewer.state.current !== undefined);
    await page.keyboard.press('End');
    const check = await checkChip8Screen(page, chip8Rows(ep.steps[ep.steps.length - 1].frame));
    expect(check.firstWrong).toEqual([]);
    expect(errors).toEqual([]);
  });
});
