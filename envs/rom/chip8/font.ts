/**
 * The built-in fonts of the machine, written into memory below 0x200 at every load and reset.
 *
 * - Small font: the 16 hex digits, 4x5 pixels (one byte per row, the glyph in the high nibble), 5 bytes each,
 *   at {@link SMALL_FONT_ADDRESS}; `Fx29` points I at digit VX.
 * - Big font (SUPER-CHIP `Fx30`): the 16 hex digits at 8x10 pixels, 10 bytes each, at {@link BIG_FONT_ADDRESS}.
 *   This project draws it as the small font scaled by two in both directions (so it is not the HP48 bitmap).
 */

/** Where the 4x5 font starts in memory (the address most interpreters use). */
export const SMALL_FONT_ADDRESS = 0x050;
/** Where the 8x10 font starts in memory (right after the small font). */
export const BIG_FONT_ADDRESS = 0x0a0;

/** The 4x5 hex digits 0..F, 5 bytes each. */
export const SMALL_FONT: Uint8Array = Uint8Array.from([
  0xf0, 0x90, 0x90, 0x90, 0xf0, // 0
  0x20, 0x60, 0x20, 0x20, 0x70, // 1
  0xf0, 0x10, 0xf0, 0x80, 0xf0, // 2
  0xf0, 0x10, 0xf0, 0x10, 0xf0, // 3
  0x90, 0x90, 0xf0, 0x10, 0x10, // 4
  0xf0, 0x80, 0xf0, 0x10, 0xf0, // 5
  0xf0, 0x80, 0xf0, 0x90, 0xf0, // 6
  0xf0, 0x10, 0x20, 0x40, 0x40, // 7
  0xf0, 0x90, 0xf0, 0x90, 0xf0, // 8
  0xf0, 0x90, 0xf0, 0x10, 0xf0, // 9
  0xf0, 0x90, 0xf0, 0x90, 0x90, // A
  0xe0, 0x90, 0xe0, 0x90, 0xe0, // B
  0xf0, 0x80, 0x80, 0x80, 0xf0, // C
  0xe0, 0x90, 0x90, 0x90, 0xe0, // D
  0xf0, 0x80, 0xf0, 0x80, 0xf0, // E
  0xf0, 0x80, 0xf0, 0x80, 0x80, // F
]);

/** Doubles the 4 pixels in the high nibble of `row` into 8 pixels. */
function widen(row: number): number {
  let out = 0;
  for (let b = 0; b < 4; b++) if (row & (0x80 >> b)) out |= 0xc0 >> (2 * b);
  return out;
}

/** The 8x10 hex digits 0..F, 10 bytes each: the small font with every pixel doubled. */
export const BIG_FONT: Uint8Array = (() => {
  const big = new Uint8Array(16 * 10);
  for (let d = 0; d < 16; d++) {
    for (let r = 0; r < 5; r++) {
      const w = widen(SMALL_FONT[d * 5 + r]);
      big[d * 10 + 2 * r] = w;
      big[d * 10 + 2 * r + 1] = w;
    }
  }
  return big;
})();
