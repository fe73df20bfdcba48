import { describe, expect, it } from 'vitest';
import { Box, Dict, Discrete, MultiBinary, MultiDiscrete, Rng, Tuple, spaceFromJSON, InvalidInputError } from '../core/index.ts';

describe('Rng', () => {
  it('gives the same stream for the same seed and resumes from saved state', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 5 }, () => a.random());
    expect(Array.from({ length: 5 }, () => b.random())).toEqual(xs);
    const state = a.getState();
    const next = [a.random(), a.int(10), a.normal()];
    const c = new Rng(1);
    c.setState(JSON.parse(JSON.stringify(state)));
    expect([c.random(), c.int(10), c.normal()]).toEqual(next);
    expect(new Rng(43).random()).not.toBe(xs[0]);
  });
});

describe('Discrete', () => {
  it('samples, contains and explains', () => {
    const s = new Discrete(3, 1);
    s.seed(0);
    for (let i = 0; i < 100; i++) expect(s.contains(s.sample())).toBe(true);
    expect(s.contains(0)).toBe(false);
    expect(s.contains(1.5)).toBe(false);
    expect(s.explain(4)).toBe('value 4 is outside [1, 3]');
    expect(s.explain('a')).toMatch(/expected an integer in \[1, 3\], received "a"/);
    expect(s.explain(2)).toBeNull();
    expect(() => new Discrete(0)).toThrow(/positive integer/);
  });

  it('is seeded: same seed, same samples', () => {
    const a = new Discrete(100);
    const b = new Discrete(100);
    a.seed(7);
    b.seed(7);
    expect(Array.from({ length: 20 }, () => a.sample())).toEqual(Array.from({ length: 20 }, () => b.sample()));
  });
});

describe('Box', () => {
  it('broadcasts bounds and samples inside them', () => {
    const s = new Box({ low: -1, high: 2, shape: [2, 3] });
    expect(s.size).toBe(6);
    s.seed(1);
    for (let i = 0; i < 50; i++) expect(s.contains(s.sample())).toBe(true);
  });

  it('samples unbounded and half-bounded dimensions', () => {
    const s = new Box({ low: [-Infinity, 0, -Infinity], high: [Infinity, Infinity, 5] });
    s.seed(2);
    for (let i = 0; i < 50; i++) {
      const x = s.sample();
      expect(x[1]).toBeGreaterThanOrEqual(0);
      expect(x[2]).toBeLessThanOrEqual(5);
    }
  });

  it('explains the offending index, position and value', () => {
    const s = new Box({ low: 0, high: 1, shape: [2, 2] });
    expect(s.explain(Float32Array.of(0, 0.5, 1, 0))).toBeNull();
    expect(s.explain(Float32Array.of(0, 0.5, 1.5, 0))).toBe('index 2 (position [1, 0]) has value 1.5, outside [0, 1]');
    expect(s.explain(Float32Array.of(0, NaN, 1, 0))).toMatch(/index 1 .* has value NaN/);
    expect(s.explain([0, 0, 0, 0])).toBe('expected a Float32Array of length 4 (shape [2, 2]), received Array(4)');
    expect(s.explain(new Float32Array(3))).toBe('expected length 4 (shape [2, 2]), received length 3');
    expect(s.explain(new Uint8Array(4))).toMatch(/expected a Float32Array/);
  });

  it('supports uint8 pixels', () => {
    const s = new Box({ low: 0, high: 255, shape: [4, 4, 1], dtype: 'uint8' });
    s.seed(3);
    const x: Uint8Array = s.sample();
    expect(x).toBeInstanceOf(Uint8Array);
    expect(s.contains(x)).toBe(true);
    expect(s.contains(new Float32Array(16))).toBe(false);
  });

  it('rejects bad bounds', () => {
    expect(() => new Box({ low: 1, high: 0, shape: [1] })).toThrow(/low\[0\]=1 must be <= high\[0\]=0/);
    expect(() => new Box({ low: [0, 0], high: [1, 1, 1] })).toThrow(/high has length 3, shape needs 2/);
    expect(() => new Box({ low: 0, high: 1 })).toThrow(/give a shape/);
  });
});

describe('MultiBinary, MultiDiscrete, Dict, Tuple', () => {
  it('contain what they sample and explain what they do not', () => {
    const mb = new MultiBinary(4);
    const md = new MultiDiscrete([2, 3]);
    const d = new Dict({ pos: new Discrete(5), vel: new Box({ low: -1, high: 1, shape: [2] }) });
    const t = new Tuple([new Discrete(2), mb] as const);
    for (const s of [mb, md, d, t]) {
      s.seed(4);
      for (let i = 0; i < 20; i++) expect(s.explain(s.sample())).toBeNull();
    }
    expect(mb.explain(Uint8Array.of(0, 1, 2, 0))).toBe('index 2 has value 2, expected 0 or 1');
    expect(md.explain(Int32Array.of(1, 3))).toBe('index 1 has value 3, outside [0, 2]');
    expect(d.explain({ pos: 9, vel: new Float32Array(2) })).toBe('at key "pos": value 9 is outside [0, 4]');
    expect(d.explain({ pos: 1 })).toBe('missing key "vel"');
    expect(t.explain([0, Uint8Array.of(1, 1, 1)])).toBe('at element 1: expected length 4, received length 3');
  });
});

describe('space JSON', () => {
  it('round-trips every space, infinities included', () => {
    const spaces = [
      new Discrete(3, 2),
      new Box({ low: [-Infinity, 0], high: [Infinity, 1] }),
      new Box({ low: 0, high: 255, shape: [2, 2], dtype: 'uint8' }),
      new MultiBinary(3),
      new MultiDiscrete([2, 5]),
      new Dict({ a: new Discrete(2), b: new Tuple([new MultiBinary(2)]) }),
    ];
    for (const s of spaces) {
      const json = JSON.parse(JSON.stringify(s.toJSON()));
      const back = spaceFromJSON(json);
      expect(back.toJSON()).toEqual(s.toJSON());
      expect(back.toString()).toBe(s.toString());
    }
  });

  it('names the bad path in a malformed description', () => {
    expect(() => spaceFromJSON({ type: 'Box', shape: [2], dtype: 'float32', low: 0, high: 'x' })).toThrow(InvalidInputError);
    expect(() => spaceFromJSON({ type: 'Discrete', n: -1, start: 0 })).toThrow(/n: /);
  });
});
