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
import { CORRUPT_LINE, CORRUPT_NAME, GRID_PATH, gridEpisodeText, writeDemoRun } from '../viewer/fixtures.ts';
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
  state: { index: number; name?: string; error?: string; playing: boolean; current?: { steps: unknown[] } };
  loadEpisode(name: string): Promise<void>;
  seek(i: number): void;
  cellCenter(x: number, y: number): { x: number; y: number } | undefined;
  pixelAt(x: number, y: number): number[];
  measureReplay(ms: number): Promise<{ fps: number; frames: number; meanDrawMs: number }>;
}
declare const window: { __viewer: Hooks };

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
    expect(rows).toHaveLength(7);
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
    expect(r.frames).toBeGreaterThan(10);
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
