/**
 * The CHIP-8 / SUPER-CHIP machine (XO-CHIP opcodes as a stretch): `new Chip8({ profile })`, `load`, `step`,
 * `runFrame`, `setKeys`, `framebuffer`, `cloneState`/`restoreState`. See ../README.md.
 */
export { Chip8, Chip8Error, PROGRAM_START, STACK_DEPTH, DEFAULT_TICK_RATE, type Chip8Options, type Chip8State } from './chip8.ts';
export { CHIP8_PROFILES, QUIRK_PROFILES, type Chip8Profile, type Chip8Quirks } from './quirks.ts';
export { SMALL_FONT, BIG_FONT, SMALL_FONT_ADDRESS, BIG_FONT_ADDRESS } from './font.ts';
