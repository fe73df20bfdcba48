/** Words with a meaning of their own in Octo: they cannot name a label, constant, alias or macro (Octo's list). */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ':=', '|=', '&=', '^=', '-=', '=-', '+=', '>>=', '<<=', '==', '!=', '<', '>', '<=', '>=',
  'key', '-key', 'hex', 'bighex', 'random', 'delay', ':', ':next', ':unpack', ':breakpoint', ':proto', ':alias',
  ':const', ':org', ';', 'return', 'clear', 'bcd', 'save', 'load', 'buzzer', 'if', 'then', 'begin', 'else', 'end',
  'jump', 'jump0', 'native', 'sprite', 'loop', 'while', 'again', 'scroll-down', 'scroll-right', 'scroll-left',
  'lores', 'hires', 'loadflags', 'saveflags', 'i', 'audio', 'plane', 'scroll-up', ':macro', ':calc', ':byte',
  ':call', ':stringmode', ':assert', ':monitor', ':pointer', 'pitch', 'long', '{', '}',
]);

/** Octo's predefined constants: the CHIP-8 key behind each keyboard key of Octo's layout. */
export const OCTO_KEYS: ReadonlyMap<string, number> = new Map([
  ['OCTO_KEY_1', 0x1], ['OCTO_KEY_2', 0x2], ['OCTO_KEY_3', 0x3], ['OCTO_KEY_4', 0xc],
  ['OCTO_KEY_Q', 0x4], ['OCTO_KEY_W', 0x5], ['OCTO_KEY_E', 0x6], ['OCTO_KEY_R', 0xd],
  ['OCTO_KEY_A', 0x7], ['OCTO_KEY_S', 0x8], ['OCTO_KEY_D', 0x9], ['OCTO_KEY_F', 0xe],
  ['OCTO_KEY_Z', 0xa], ['OCTO_KEY_X', 0x0], ['OCTO_KEY_C', 0xb], ['OCTO_KEY_V', 0xf],
]);

const REGISTER = /^[vV][0-9a-fA-F]$/;

/** The register number of `v0`..`vF` (either case), or -1. */
export function registerNumber(text: string): number {
  return REGISTER.test(text) ? parseInt(text[1], 16) : -1;
}
