/**
 * Renderers per frame kind, chosen from the episode header's `render.kind`: 'grid' (grid worlds), 'platformer',
 * 'cartpole', 'chip8' (ROM envs), and a generic fallback that draws a frame's numbers as a heatmap (so a new env
 * is watchable with no viewer code). Each draws into its own Pixi container sized to the stage.
 */
import { BufferImageSource, Container, Graphics, Sprite, Texture } from 'pixi.js';
import type { FrameJSON } from '../types.ts';

export interface Renderer {
  /** The render kind it was made for. */
  readonly kind: string;
  /** Which renderer draws it: 'grid', 'platformer', 'cartpole', 'chip8' or 'heatmap' (the fallback). */
  readonly name: string;
  readonly view: Container;
  draw(frame: FrameJSON): void;
  /** Stage pixel at the centre of a cell or tile, for tests; undefined where the idea does not apply. */
  cellCenter?(x: number, y: number): { x: number; y: number } | undefined;
  destroy(): void;
}

export const GRID_COLORS: Record<string, number> = {
  '#': 0x5a5f6a,
  '.': 0x202329,
  S: 0x233826,
  G: 0x2ecc40,
  L: 0xff4500,
  H: 0x050505,
  C: 0x7a1010,
  K: 0x202329,
  D: 0x8b5a2b,
  '~': 0x9fd8ef,
};
export const AGENT_COLOR = 0x3aa0ff;

function num(v: unknown, d = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : d;
}
function rows(v: unknown): string[] {
  return Array.isArray(v) ? v.map((r) => (typeof r === 'string' ? r : '')) : [];
}

class GridRenderer implements Renderer {
  readonly kind = 'grid';
  readonly name = 'grid';
  readonly view = new Container();
  private tiles = new Graphics();
  private agent = new Graphics();
  private tilesKey = '';
  private cell = 1;
  private ox = 0;
  private oy = 0;
  constructor(private readonly w: number, private readonly h: number) {
    this.view.addChild(this.tiles, this.agent);
  }
  draw(frame: FrameJSON): void {
    const t = rows(frame.tiles);
    const width = num(frame.width, t[0]?.length ?? 1);
    const height = num(frame.height, t.length);
    const key = `${width}x${height}:${t.join('\n')}`;
    if (key !== this.tilesKey) {
      this.tilesKey = key;
      this.cell = Math.max(1, Math.floor(Math.min(this.w / width, this.h / height)));
      this.ox = Math.floor((this.w - this.cell * width) / 2);
      this.oy = Math.floor((this.h - this.cell * height) / 2);
      const c = this.cell;
      const g = this.tiles.clear();
      for (let y = 0; y < height; y++) {
        const row = t[y] ?? '';
        for (let x = 0; x < width; x++) {
          const ch = row[x] ?? '.';
          g.rect(this.ox + x * c, this.oy + y * c, c, c).fill(GRID_COLORS[ch] ?? 0x884488);
          if (ch === 'K') {
            g.circle(this.ox + x * c + c / 2, this.oy + y * c + c / 2, c * 0.22).fill(0xffd700);
          } else if (ch === 'D') {
            g.rect(this.ox + x * c + c * 0.4, this.oy + y * c + c * 0.45, c * 0.2, c * 0.2).fill(0xffd700);
          } else if (ch === 'G') {
            g.rect(this.ox + x * c + c * 0.3, this.oy + y * c + c * 0.3, c * 0.4, c * 0.4).fill(0x1f8a2b);
          }
        }
      }
      // grid lines
      for (let x = 0; x <= width; x++) g.rect(this.ox + x * c, this.oy, 1, height * c).fill({ color: 0x000000, alpha: 0.35 });
      for (let y = 0; y <= height; y++) g.rect(this.ox, this.oy + y * c, width * c, 1).fill({ color: 0x000000, alpha: 0.35 });
    }
    const a = (frame.agent ?? {}) as { x?: unknown; y?: unknown };
    const c = this.cell;
    const g = this.agent.clear();
    g.circle(c / 2, c / 2, c * 0.36).fill(AGENT_COLOR);
    if (frame.hasKey === true) g.circle(c * 0.75, c * 0.25, c * 0.12).fill(0xffd700);
    this.agent.position.set(this.ox + num(a.x) * c, this.oy + num(a.y) * c);
  }
  cellCenter(x: number, y: number): { x: number; y: number } {
    return { x: Math.floor(this.ox + (x + 0.5) * this.cell), y: Math.floor(this.oy + (y + 0.5) * this.cell) };
  }
  destroy(): void {
    this.view.destroy({ children: true });
  }
}

const PLAT_COLORS: Record<string, number> = { '#': 0x8a5a34, '=': 0xc49a6c, F: 0xffffff, o: 0xffd700, S: 0x40e0ff, J: 0xe040ff };
const MONSTER_COLORS: Record<string, number> = { walker: 0xe04040, jumper: 0xff8c1a, flyer: 0xb060ff };

class PlatformerRenderer implements Renderer {
  readonly kind = 'platformer';
  readonly name = 'platformer';
  readonly view = new Container();
  private world = new Container();
  private sky = new Graphics();
  private tiles = new Graphics();
  private actors = new Graphics();
  private tilesKey = '';
  private scale = 1;
  constructor(private readonly w: number, private readonly h: number) {
    this.sky.rect(0, 0, w, h).fill(0x5c94fc);
    this.world.addChild(this.tiles, this.actors);
    this.view.addChild(this.sky, this.world);
  }
  draw(frame: FrameJSON): void {
    const t = rows(frame.tiles);
    const cam = (frame.camera ?? {}) as { x?: unknown; y?: unknown; width?: unknown; height?: unknown };
    const camW = num(cam.width, 14);
    const camH = num(cam.height, 14);
    this.scale = Math.max(1, Math.floor(Math.min(this.w / camW, this.h / camH)));
    const s = this.scale;
    const key = `${s}:${t.join('\n')}`;
    if (key !== this.tilesKey) {
      this.tilesKey = key;
      const g = this.tiles.clear();
      for (let y = 0; y < t.length; y++) {
        const row = t[y];
        for (let x = 0; x < row.length; x++) {
          const ch = row[x];
          if (ch === '.' || ch === 'P' || ch === 'w' || ch === 'j' || ch === 'f') continue;
          const color = PLAT_COLORS[ch] ?? 0x888888;
          if (ch === '#') g.rect(x * s, y * s, s, s).fill(color).rect(x * s, y * s, s, 2).fill(0x6b3f1f);
          else if (ch === '=') g.rect(x * s, y * s, s, Math.max(2, s * 0.25)).fill(color);
          else if (ch === 'F') g.rect(x * s + s * 0.45, y * s, s * 0.1, s).fill(0xdddddd).rect(x * s + s * 0.55, y * s, s * 0.4, s * 0.3).fill(0x2ecc40);
          else g.circle(x * s + s / 2, y * s + s / 2, s * 0.3).fill(color);
        }
      }
    }
    const g = this.actors.clear();
    for (const m of Array.isArray(frame.monsters) ? (frame.monsters as Array<Record<string, unknown>>) : []) {
      if (m.alive === false) continue;
      g.rect(num(m.x) * s, num(m.y) * s, num(m.w, 1) * s, num(m.h, 1) * s).fill(MONSTER_COLORS[String(m.kind)] ?? 0xe04040);
    }
    const p = (frame.player ?? {}) as Record<string, unknown>;
    if (p.alive !== false) {
      const px = num(p.x) * s;
      const py = num(p.y) * s;
      const pw = num(p.w, 0.8) * s;
      const ph = num(p.h, 0.9) * s;
      const blink = num(p.invulnerable) > 0 ? 0.5 : 1;
      g.rect(px, py, pw, ph).fill({ color: 0xd82800, alpha: blink });
      const eyeX = p.facing === 'left' ? px + pw * 0.2 : px + pw * 0.6;
      g.rect(eyeX, py + ph * 0.2, pw * 0.2, ph * 0.15).fill(0xffffff);
      if (p.shield === true) g.circle(px + pw / 2, py + ph / 2, Math.max(pw, ph) * 0.75).stroke({ color: 0x40e0ff, width: 2 });
      if (p.doubleJump === true) g.rect(px, py + ph, pw, 2).fill(0xe040ff);
    }
    // camera follows the player: the frame's camera box fills the stage
    this.world.position.set(-num(cam.x) * s, -num(cam.y) * s);
  }
  cellCenter(x: number, y: number): { x: number; y: number } {
    return { x: Math.floor((x + 0.5) * this.scale + this.world.position.x), y: Math.floor((y + 0.5) * this.scale + this.world.position.y) };
  }
  destroy(): void {
    this.view.destroy({ children: true });
  }
}

class CartPoleRenderer implements Renderer {
  readonly kind = 'cartpole';
  readonly name = 'cartpole';
  readonly view = new Container();
  private g = new Graphics();
  constructor(private readonly w: number, private readonly h: number) {
    this.view.addChild(this.g);
  }
  draw(frame: FrameJSON): void {
    const { w, h } = this;
    const xT = num(frame.xThreshold, 2.4);
    const tT = num(frame.thetaThreshold, 0.2095);
    const span = xT * 2.4;
    const scale = w / span;
    const trackY = h * 0.65;
    const cx = w / 2 + num(frame.x) * scale;
    const theta = num(frame.theta);
    const poleLen = scale * 1.0; // the pole is 1 m long (half-length 0.5)
    const g = this.g.clear();
    g.rect(0, 0, w, h).fill(0xf4f4f0);
    g.rect(0, trackY, w, 2).fill(0x333333);
    g.rect(w / 2 - xT * scale, trackY - 8, 2, 16).fill(0xcc3333).rect(w / 2 + xT * scale, trackY - 8, 2, 16).fill(0xcc3333);
    const cartW = 50;
    const cartH = 30;
    g.rect(cx - cartW / 2, trackY - cartH / 2, cartW, cartH).fill(0x222222);
    const tipX = cx + Math.sin(theta) * poleLen;
    const tipY = trackY - cartH / 4 - Math.cos(theta) * poleLen;
    const danger = Math.min(1, Math.abs(theta) / tT);
    const poleColor = (Math.round(202 + 53 * danger) << 16) | (Math.round(152 * (1 - danger)) << 8) | 101;
    g.moveTo(cx, trackY - cartH / 4).lineTo(tipX, tipY).stroke({ color: poleColor, width: 10, cap: 'round' });
    g.circle(cx, trackY - cartH / 4, 5).fill(0x8180d0);
  }
  destroy(): void {
    this.view.destroy({ children: true });
  }
}

/** Flattens a frame's numbers into a 2-D array: a `width` x `height` (x channels) array when the frame says so. */
export function frameToHeatmap(frame: FrameJSON): { width: number; height: number; values: Float64Array } | undefined {
  const nums: number[] = [];
  let best: number[] | undefined;
  const walk = (v: unknown, depth: number): void => {
    if (depth > 6) return;
    if (typeof v === 'number') nums.push(v);
    else if (typeof v === 'boolean') nums.push(v ? 1 : 0);
    else if (Array.isArray(v)) {
      const flat: number[] = [];
      const flatten = (a: unknown): void => {
        if (typeof a === 'number') flat.push(a);
        else if (Array.isArray(a)) for (const x of a) flatten(x);
      };
      flatten(v);
      if (flat.length > (best?.length ?? 0)) best = flat;
      for (const x of v) if (!Array.isArray(x) && typeof x !== 'number') walk(x, depth + 1);
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'kind') walk(x, depth + 1);
  };
  walk(frame, 0);
  const values = best && best.length >= 4 ? best : nums;
  if (values.length === 0) return undefined;
  let width = num(frame.width);
  let height = num(frame.height);
  if (!(width > 0 && height > 0 && values.length % (width * height) === 0)) {
    width = Math.ceil(Math.sqrt(values.length));
    height = Math.ceil(values.length / width);
  }
  const channels = Math.max(1, Math.floor(values.length / (width * height)));
  const out = new Float64Array(width * height);
  for (let i = 0; i < width * height; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += values[i * channels + c] ?? 0;
    out[i] = s / channels;
  }
  return { width, height, values: out };
}

class HeatmapRenderer implements Renderer {
  readonly name = 'heatmap';
  readonly view = new Container();
  private canvas = document.createElement('canvas');
  private texture: Texture | undefined;
  private sprite = new Sprite();
  private size = '';
  constructor(readonly kind: string, private readonly w: number, private readonly h: number) {
    this.view.addChild(this.sprite);
  }
  draw(frame: FrameJSON): void {
    const hm = frameToHeatmap(frame);
    if (!hm) return;
    const { width, height, values } = hm;
    if (this.size !== `${width}x${height}`) {
      this.size = `${width}x${height}`;
      this.texture?.destroy(true);
      this.canvas = document.createElement('canvas');
      this.canvas.width = width;
      this.canvas.height = height;
      this.texture = Texture.from(this.canvas);
      this.texture.source.scaleMode = 'nearest';
      this.sprite.texture = this.texture;
      const s = Math.min(this.w / width, this.h / height);
      this.sprite.scale.set(s);
      this.sprite.position.set((this.w - width * s) / 2, (this.h - height * s) / 2);
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const range = hi > lo ? hi - lo : 1;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(width, height);
    for (let i = 0; i < values.length; i++) {
      const u = (values[i] - lo) / range;
      // dark blue -> teal -> yellow
      img.data[i * 4] = Math.round(255 * Math.min(1, Math.max(0, 2 * u - 0.6)));
      img.data[i * 4 + 1] = Math.round(30 + 200 * u);
      img.data[i * 4 + 2] = Math.round(90 + 80 * Math.sin(Math.PI * u));
      img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    this.texture?.source.update();
  }
  destroy(): void {
    this.view.destroy({ children: true });
    this.texture?.destroy(true);
  }
}

/** CHIP-8 phosphor palette, by pixel value: off, lit (XO-CHIP: plane 1), plane 2 only, both planes. 0xRRGGBB. */
export const CHIP8_PALETTE: readonly number[] = [0x0a140d, 0x4dff88, 0xffb03a, 0xfff4c2];

/** One RGBA texture per screen size, updated in place from the frame's digit rows. */
interface Chip8Screen {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
  /** The same bytes seen as one 32-bit RGBA word per pixel. */
  readonly words: Uint32Array;
  readonly texture: Texture;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** A palette colour as the 32-bit word whose bytes in memory are R, G, B, 255. */
function rgbaWord(rgb: number): number {
  const r = (rgb >> 16) & 255;
  const g = (rgb >> 8) & 255;
  const b = rgb & 255;
  return (LITTLE_ENDIAN ? ((255 << 24) | (b << 16) | (g << 8) | r) : ((r << 24) | (g << 16) | (b << 8) | 255)) >>> 0;
}

/**
 * CHIP-8 / SUPER-CHIP / XO-CHIP screens (`{ kind: 'chip8', width, height, pixels }`, `pixels` being `height` rows
 * of `width` digits joined by '\n'): one nearest-neighbour texture at the largest integer scale that fits, so every
 * machine pixel is a crisp square. Drawing a frame writes into a buffer made once per screen size (64x32 and
 * 128x64 can alternate within an episode) and uploads it: no per-pixel objects and no allocation per frame.
 */
class Chip8Renderer implements Renderer {
  readonly kind = 'chip8';
  readonly name = 'chip8';
  readonly view = new Container();
  private readonly sprite = new Sprite();
  private readonly screens = new Map<string, Chip8Screen>();
  private readonly colors = Uint32Array.from(CHIP8_PALETTE, rgbaWord);
  private screen: Chip8Screen | undefined;
  private lastPixels: string | undefined;
  private scale = 1;
  private ox = 0;
  private oy = 0;
  constructor(private readonly w: number, private readonly h: number) {
    const bg = new Graphics().rect(0, 0, w, h).fill(0x000000);
    this.view.addChild(bg, this.sprite);
  }
  draw(frame: FrameJSON): void {
    const pixels = typeof frame.pixels === 'string' ? frame.pixels : '';
    const width = Math.floor(num(frame.width, pixels.indexOf('\n') >= 0 ? pixels.indexOf('\n') : 64));
    const height = Math.floor(num(frame.height, 32));
    if (!(width > 0 && height > 0 && width <= 256 && height <= 256)) return;
    const screen = this.screenFor(width, height);
    if (screen === this.screen && pixels === this.lastPixels) return;
    this.screen = screen;
    this.lastPixels = pixels;
    const { words } = screen;
    const colors = this.colors;
    // Row y starts at y * (width + 1) in the string ('\n' between rows); a short or malformed string leaves the
    // rest dark, and a digit outside 0..3 shows as lit.
    let k = 0;
    const n = pixels.length;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const c = k < n ? pixels.charCodeAt(k) - 48 : 0;
        words[row + x] = colors[c >= 0 && c <= 3 ? c : 1];
        k++;
      }
      k++; // the '\n'
    }
    screen.texture.source.update();
  }
  private screenFor(width: number, height: number): Chip8Screen {
    const current = this.screen;
    if (current !== undefined && current.width === width && current.height === height) return current;
    const key = `${width}x${height}`;
    let screen = this.screens.get(key);
    if (screen === undefined) {
      const rgba = new Uint8Array(width * height * 4);
      const source = new BufferImageSource({ resource: rgba, width, height, format: 'rgba8unorm', scaleMode: 'nearest' });
      screen = { width, height, rgba, words: new Uint32Array(rgba.buffer), texture: new Texture({ source }) };
      this.screens.set(key, screen);
    }
    this.sprite.texture = screen.texture;
    this.scale = Math.max(1, Math.floor(Math.min(this.w / width, this.h / height)));
    this.sprite.scale.set(this.scale);
    this.ox = Math.floor((this.w - width * this.scale) / 2);
    this.oy = Math.floor((this.h - height * this.scale) / 2);
    this.sprite.position.set(this.ox, this.oy);
    return screen;
  }
  /** Stage pixel at the centre of machine pixel (x, y) of the screen drawn now. */
  cellCenter(x: number, y: number): { x: number; y: number } | undefined {
    if (!this.screen) return undefined;
    return { x: Math.floor(this.ox + (x + 0.5) * this.scale), y: Math.floor(this.oy + (y + 0.5) * this.scale) };
  }
  destroy(): void {
    this.view.destroy({ children: true });
    for (const s of this.screens.values()) s.texture.destroy(true);
    this.screens.clear();
  }
}

/** The renderer for a render kind: grid, platformer, cartpole, chip8, else the generic heatmap. */
export function createRenderer(kind: string, width: number, height: number): Renderer {
  switch (kind) {
    case 'grid':
      return new GridRenderer(width, height);
    case 'platformer':
      return new PlatformerRenderer(width, height);
    case 'cartpole':
      return new CartPoleRenderer(width, height);
    case 'chip8':
      return new Chip8Renderer(width, height);
    default:
      return new HeatmapRenderer(kind, width, height);
  }
}
