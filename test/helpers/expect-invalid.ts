import { expect } from 'vitest';
import { InvalidInputError } from '../../core/errors.ts';

/** Asserts that `fn` throws an `InvalidInputError` whose message matches `pattern`. */
export function expectInvalid(fn: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InvalidInputError);
  expect((caught as Error).message).toMatch(pattern);
}
