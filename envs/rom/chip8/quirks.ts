/**
 * Quirk profiles: the behaviours on which CHIP-8 interpreters disagree, named as the common emulators and the
 * community quirk tests name them. A game's settings pick a profile; single flags can be overridden on top.
 */

/** The four profiles. */
export type Chip8Profile = 'chip8' | 'schip-modern' | 'schip-legacy' | 'xo-chip';

/** All profile names, in documentation order. */
export const CHIP8_PROFILES: readonly Chip8Profile[] = ['chip8', 'schip-modern', 'schip-legacy', 'xo-chip'];

export interface Chip8Quirks {
  /** `8xy6`/`8xyE` shift VX in place (true) or put VY shifted into VX (false, the COSMAC VIP). */
  shiftVx: boolean;
  /** `Fx55`/`Fx65` leave I as it was (`'none'`), add X (`'x'`) or add X+1 (`'x+1'`, the COSMAC VIP). */
  loadStoreIncrement: 'none' | 'x' | 'x+1';
  /** `Bnnn` jumps to nnn+V0 (false) or, as `Bxnn`, to xnn+VX (true, SUPER-CHIP). */
  jumpVx: boolean;
  /** `8xy1`/`8xy2`/`8xy3` set VF to 0 (the COSMAC VIP). */
  vfReset: boolean;
  /** Display wait / vblank: after a draw the frame ends (`'on'`), only in low-res (`'lores'`), or never (`'off'`). */
  displayWait: 'on' | 'lores' | 'off';
  /** Sprites are clipped at the screen edges (true) or wrap around (false). The start position always wraps. */
  clip: boolean;
  /** Which opcode set is understood beyond CHIP-8: none, SUPER-CHIP, or SUPER-CHIP plus XO-CHIP. */
  extensions: 'chip8' | 'schip' | 'xo-chip';
  /**
   * SUPER-CHIP 1.1 on the HP48: in low-res `Dxy0` draws 8x16 and scrolls move half a low-res pixel (rounded down);
   * in high-res a draw sets VF to the number of sprite rows that collided or were clipped at the bottom.
   */
  legacySchip: boolean;
}

/** The flags of each profile (see envs/rom/README.md for the table). */
export const QUIRK_PROFILES: Readonly<Record<Chip8Profile, Readonly<Chip8Quirks>>> = {
  chip8: {
    shiftVx: false,
    loadStoreIncrement: 'x+1',
    jumpVx: false,
    vfReset: true,
    displayWait: 'on',
    clip: true,
    extensions: 'chip8',
    legacySchip: false,
  },
  'schip-modern': {
    shiftVx: true,
    loadStoreIncrement: 'none',
    jumpVx: true,
    vfReset: false,
    displayWait: 'off',
    clip: true,
    extensions: 'schip',
    legacySchip: false,
  },
  'schip-legacy': {
    shiftVx: true,
    loadStoreIncrement: 'none',
    jumpVx: true,
    vfReset: false,
    displayWait: 'lores',
    clip: true,
    extensions: 'schip',
    legacySchip: true,
  },
  'xo-chip': {
    shiftVx: false,
    loadStoreIncrement: 'x+1',
    jumpVx: false,
    vfReset: false,
    displayWait: 'off',
    clip: false,
    extensions: 'xo-chip',
    legacySchip: false,
  },
};
