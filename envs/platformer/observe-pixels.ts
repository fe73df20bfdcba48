import { Box } from '../../core/index.ts';
import { Tile, type PlatformerLevel } from './level-format.ts';
import type { Monsters } from './monsters.ts';
import * as K from './physics.ts';
import type { Player } from './player.ts';

// Module-local copies of the constants the per-step code reads (see physics.ts on why).
const MONSTER_H = K.MONSTER_H;
const MONSTER_W = K.MONSTER_W;
const PLAYER_H = K.PLAYER_H;
const PLAYER_W = K.PLAYER_W;
const UNIT = K.UNIT;
const T_AIR = Tile.Air;
const T_SOLID = Tile.Solid;
const T_PLATFORM = Tile.Platform;
const T_COIN = Tile.Coin;
const T_SHIELD = Tile.Shield;
const T_DOUBLE_JUMP = Tile.DoubleJump;
const T_FLAG = Tile.Flag;

/** Side of a pixel observation. */
export const PIXEL_SIZE = 84;
/** Pixels per tile side. */
export const TILE_PIXELS = 6;
/** Tiles the camera shows across and down: 84 / 6 = 14. */
export const CAMERA_TILES = PIXEL_SIZE / TILE_PIXELS;
/** Where the camera keeps the player's centre, in tiles from the view's left edge (a little left of the middle). */
const CAMERA_LEAD = 5.5 * UNIT;
const CAMERA_SPAN = CAMERA_TILES * UNIT;

/**
 * The camera's top-left corner, in level units: it follows the player's centre (5.5 tiles from the view's left
 * edge, 7 from its top), clamped to the level; a level narrower or lower than the 14 x 14 tile view is shown
 * against its left and bottom edges (the extra columns right read as wall, the extra rows above as sky).
 */
export function cameraX(p: Player, level: PlatformerLevel): number {
  const max = (level.width - CAMERA_TILES) * UNIT;
  if (max <= 0) return 0;
  const x = p.x + (PLAYER_W >> 1) - CAMERA_LEAD;
  return x < 0 ? 0 : x > max ? max : x;
}

/** See {@link cameraX}; negative for levels lower than the view. */
export function cameraY(p: Player, level: PlatformerLevel): number {
  const max = (level.height - CAMERA_TILES) * UNIT;
  if (max <= 0) return max;
  const y = p.y + (PLAYER_H >> 1) - (CAMERA_SPAN >> 1);
  return y < 0 ? 0 : y > max ? max : y;
}

/** Grey levels (0-255) and RGB colours of what is drawn. */
const GRAY = {
  sky: 0,
  solid: 96,
  platform: 128,
  coin: 192,
  shield: 176,
  doubleJump: 160,
  flag: 224,
  player: 255,
  playerInvulnerable: 208,
  shieldHalo: 176,
  walker: 64,
  jumper: 80,
  flyer: 48,
} as const;
type Colour = keyof typeof GRAY;
const RGB: Readonly<Record<Colour, readonly [number, number, number]>> = {
  sky: [92, 148, 252],
  solid: [136, 76, 24],
  platform: [208, 168, 96],
  coin: [252, 216, 0],
  shield: [0, 200, 255],
  doubleJump: [176, 80, 255],
  flag: [40, 200, 40],
  player: [228, 36, 36],
  playerInvulnerable: [252, 160, 160],
  shieldHalo: [0, 200, 255],
  walker: [120, 56, 0],
  jumper: [24, 120, 24],
  flyer: [200, 0, 200],
};
const COLOURS = Object.keys(GRAY) as Colour[];
/** Palette index of each colour. */
const CI = Object.fromEntries(COLOURS.map((c, i) => [c, i])) as Readonly<Record<Colour, number>>;
const MONSTER_COLOUR: readonly number[] = [CI.walker, CI.jumper, CI.flyer];

/** The observation space: `[84, 84, 1]` grey or `[84, 84, 3]` RGB, uint8. */
export function pixelSpace(rgb: boolean): Box<'uint8'> {
  return new Box({ low: 0, high: 255, shape: [PIXEL_SIZE, PIXEL_SIZE, rgb ? 3 : 1], dtype: 'uint8' });
}

/**
 * A software rasteriser of filled rectangles. The level (tiles, pickups, flag) is drawn once into a background
 * image at 6 pixels a tile; an observation is the camera's 84 x 84 crop of it, with the monsters and the player
 * drawn on top. Taking a pickup redraws its cell as sky.
 */
export class PixelRenderer {
  private readonly background: Uint8Array;
  private readonly initial: Uint8Array;
  private dirty = false;
  /** Channels per pixel: 1 grey, 3 RGB. */
  private readonly ch: number;
  /** Background size in pixels. */
  private readonly bgWidth: number;
  /** Rows of sky added above a level lower than the view. */
  private readonly rowOffset: number;
  private readonly level: PlatformerLevel;
  private readonly palette: Uint8Array;

  constructor(level: PlatformerLevel, tiles: Uint8Array, rgb: boolean) {
    this.level = level;
    this.ch = rgb ? 3 : 1;
    const cols = Math.max(level.width, CAMERA_TILES);
    const rows = Math.max(level.height, CAMERA_TILES);
    this.rowOffset = rows - level.height;
    this.bgWidth = cols * TILE_PIXELS;
    this.palette = new Uint8Array(COLOURS.length * 3);
    COLOURS.forEach((k, i) => {
      if (rgb) this.palette.set(RGB[k], i * 3);
      else this.palette[i * 3] = GRAY[k];
    });
    this.background = new Uint8Array(this.bgWidth * rows * TILE_PIXELS * this.ch);
    this.fill(this.background, this.bgWidth, rows * TILE_PIXELS, 0, 0, this.bgWidth, rows * TILE_PIXELS, 'sky');
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        const ly = y - this.rowOffset;
        const t = x >= level.width ? T_SOLID : ly < 0 ? T_AIR : tiles[ly * level.width + x];
        if (t !== T_AIR) this.drawTile(x, y, t); // the background is sky already
      }
    }
    this.initial = this.background.slice();
  }

  /** Restores the pickups taken during the last episode. */
  reset(): void {
    if (this.dirty) {
      this.background.set(this.initial);
      this.dirty = false;
    }
  }

  /** A pickup at level cell (x, y) was taken. */
  clearCell(x: number, y: number): void {
    this.drawTile(x, y + this.rowOffset, T_AIR);
    this.dirty = true;
  }

  private drawTile(x: number, y: number, t: number): void {
    const bg = this.background;
    const W = this.bgWidth;
    const H = bg.length / (W * this.ch);
    const px = x * TILE_PIXELS;
    const py = y * TILE_PIXELS;
    const T = TILE_PIXELS;
    this.fill(bg, W, H, px, py, px + T, py + T, 'sky');
    switch (t) {
      case T_SOLID:
        this.fill(bg, W, H, px, py, px + T, py + T, 'solid');
        break;
      case T_PLATFORM:
        this.fill(bg, W, H, px, py, px + T, py + 2, 'platform');
        break;
      case T_COIN:
        this.fill(bg, W, H, px + 1, py + 1, px + T - 1, py + T - 1, 'coin');
        break;
      case T_SHIELD:
        this.fill(bg, W, H, px + 1, py + 1, px + T - 1, py + T - 1, 'shield');
        this.fill(bg, W, H, px + 2, py + 2, px + T - 2, py + T - 2, 'sky');
        break;
      case T_DOUBLE_JUMP:
        this.fill(bg, W, H, px + 1, py + 1, px + T - 1, py + 3, 'doubleJump');
        this.fill(bg, W, H, px + 2, py + 3, px + T - 2, py + T - 1, 'doubleJump');
        break;
      case T_FLAG:
        this.fill(bg, W, H, px + 1, py, px + 2, py + T, 'flag');
        this.fill(bg, W, H, px + 2, py, px + T, py + 3, 'flag');
        break;
    }
  }

  /** Fills the rectangle [x0, x1) x [y0, y1) of an image `w` x `h` pixels, clipped to it. */
  private fill(img: Uint8Array, w: number, h: number, x0: number, y0: number, x1: number, y1: number, colour: Colour): void {
    this.fillIndex(img, w, h, x0, y0, x1, y1, CI[colour]);
  }

  private fillIndex(img: Uint8Array, w: number, h: number, x0: number, y0: number, x1: number, y1: number, colour: number): void {
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > w) x1 = w;
    if (y1 > h) y1 = h;
    if (x0 >= x1 || y0 >= y1) return;
    const pal = this.palette;
    if (this.ch === 1) {
      const v = pal[colour * 3];
      for (let y = y0; y < y1; y++) {
        const o = y * w;
        for (let x = x0; x < x1; x++) img[o + x] = v;
      }
    } else {
      const r = pal[colour * 3];
      const g = pal[colour * 3 + 1];
      const b = pal[colour * 3 + 2];
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const o = (y * w + x) * 3;
          img[o] = r;
          img[o + 1] = g;
          img[o + 2] = b;
        }
      }
    }
  }

  /**
   * Draws the view of camera (`camX`, `camY`) (level units, from {@link cameraX}/{@link cameraY}) into `obs`
   * (84 x 84 x channels, row-major, channels last).
   */
  render(obs: Uint8Array, camX: number, camY: number, p: Player, m: Monsters): void {
    const T = TILE_PIXELS;
    const S = PIXEL_SIZE;
    const ch = this.ch;
    const bg = this.background;
    // Camera in background pixels.
    const cx = (camX * T) >> 8;
    const cy = ((camY + this.rowOffset * UNIT) * T) >> 8;
    const rowLen = S * ch;
    const stride = this.bgWidth * ch;
    let src = cy * stride + cx * ch;
    let dst = 0;
    for (let r = 0; r < S; r++) {
      obs.set(bg.subarray(src, src + rowLen), dst);
      src += stride;
      dst += rowLen;
    }
    // Sprites: a box at level units (x, y) is at background pixels ((x * 6) >> 8, ((y + rowOffset*UNIT) * 6) >> 8).
    const oy = this.rowOffset * UNIT;
    const n = m.count;
    for (let i = 0; i < n; i++) {
      if (m.alive[i] === 0) continue;
      const k = m.kind[i];
      this.sprite(obs, m.x[i], m.y[i] + oy, MONSTER_W[k], MONSTER_H[k], cx, cy, MONSTER_COLOUR[k]);
    }
    if (p.alive) {
      if (p.shield) this.sprite(obs, p.x - 48, p.y + oy - 48, PLAYER_W + 96, PLAYER_H + 96, cx, cy, CI.shieldHalo);
      this.sprite(obs, p.x, p.y + oy, PLAYER_W, PLAYER_H, cx, cy, p.invulnerable > 0 ? CI.playerInvulnerable : CI.player);
    }
  }

  private sprite(obs: Uint8Array, x: number, y: number, w: number, h: number, cx: number, cy: number, colour: number): void {
    const T = TILE_PIXELS;
    const x0 = ((x * T) >> 8) - cx;
    const y0 = ((y * T) >> 8) - cy;
    const x1 = (((x + w) * T + 255) >> 8) - cx;
    const y1 = (((y + h) * T + 255) >> 8) - cy;
    this.fillIndex(obs, PIXEL_SIZE, PIXEL_SIZE, x0, y0, x1, y1, colour);
  }
}
