import { describe, expect, it } from 'vitest';
import { Box, Discrete, InvalidInputError, make } from '../core/index.ts';
import '../envs/index.ts';
import {
  CMAES,
  MlpPolicy,
  OpenES,
  SimpleGA,
  centredRanks,
  cmaParams,
  defaultCmaPopSize,
  deriveSeed,
  evolve,
  noiseTable,
  rankResults,
  symmetricEigen,
  utilitiesFromOrder,
  type Objective,
  type OpenESCandidate,
  type Strategy,
  type StrategySnapshot,
} from '../agents/evolution/index.ts';

const sphere = (x: Float32Array): number => x.reduce((a, v) => a + v * v, 0);
const rosenbrock = (x: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
};
const start = (): Float32Array => new Float32Array(10).fill(0.5);

type Maker = (objective: Objective, seed?: number) => Strategy;
const STRATEGIES: Record<string, Maker> = {
  ga: (objective, seed = 1) => new SimpleGA({ objective, popSize: 64, mutationRate: 0.2, seed }, start()),
  'ga tournament one-point': (objective, seed = 1) => new SimpleGA({ objective, popSize: 64, mutationRate: 0.2, selection: 'tournament', crossover: 'one-point', seed }, start()),
  'open-es': (objective, seed = 1) => new OpenES({ objective, popSize: 50, weightDecay: 0, seed }, start()),
  'cma-es': (objective, seed = 1) => new CMAES({ objective, seed }, start()),
  'cma-es passive': (objective, seed = 1) => new CMAES({ objective, active: false, seed }, start()),
  'sep-cma-es': (objective, seed = 1) => new CMAES({ objective, diagonal: true, seed }, start()),
};

/** Runs `generations` generations; returns the best fitness seen and every genome asked, in order. */
function run(strategy: Strategy, f: (x: Float32Array) => number, generations: number): { best: number; asked: Float32Array[] } {
  let best = strategy.objective === 'max' ? -Infinity : Infinity;
  const asked: Float32Array[] = [];
  for (let g = 0; g < generations; g++) {
    const candidates = strategy.ask();
    asked.push(...candidates.map((c) => c.genome));
    const stats = strategy.tell(candidates.map((c) => ({ id: c.id, fitness: f(c.genome) })));
    best = strategy.objective === 'max' ? Math.max(best, stats.best) : Math.min(best, stats.best);
  }
  return { best, asked };
}

describe('fitness shaping and ranking (pure)', () => {
  it('centred ranks match hand-computed values (Salimans et al. 2017)', () => {
    expect(Array.from(centredRanks([3, 1, 2]))).toEqual([0.5, -0.5, 0]);
    expect(Array.from(centredRanks([50, 10, 40, 20, 30]))).toEqual([0.5, -0.5, 0.25, -0.25, 0]);
    // Ties keep index order; one value is 0.
    expect(Array.from(centredRanks([7, 7]))).toEqual([-0.5, 0.5]);
    expect(Array.from(centredRanks([42]))).toEqual([0]);
  });

  it('utilities from a best-first order give +0.5 to the best and -0.5 to the worst', () => {
    // Order [2, 0, 1]: index 2 is best (+0.5), index 0 middle (0), index 1 worst (-0.5).
    expect(Array.from(utilitiesFromOrder([2, 0, 1]))).toEqual([0, -0.5, 0.5]);
  });

  it('ranks by the stated objective, feasible candidates first, ties by id', () => {
    const results = [
      { id: 0, fitness: 1 },
      { id: 1, fitness: 3 },
      { id: 2, fitness: 2 },
      { id: 3, fitness: 9, constraints: [0.5] },
      { id: 4, fitness: 2 },
    ];
    expect(rankResults(results, 'max')).toEqual([1, 2, 4, 0, 3]);
    expect(rankResults(results, 'min')).toEqual([0, 2, 4, 1, 3]);
  });

  it('derives distinct seeds from (run seed, generation, id), the same every time', () => {
    const seeds = new Set<number>();
    for (let g = 0; g < 20; g++) for (let id = 0; id < 50; id++) seeds.add(deriveSeed(1, g, id));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(1, 2, 3)).toBe(deriveSeed(1, 2, 3));
    expect(deriveSeed(1, 2, 3)).not.toBe(deriveSeed(1, 3, 2));
    expect(deriveSeed(1, 0, 2 ** 32)).not.toBe(deriveSeed(1, 0, 0));
  });
});

describe('CMA-ES parameters (Hansen 2016 tutorial, n = 10)', () => {
  // Hand-checked from the tutorial's formulas: lambda = 4 + floor(3 ln 10) = 10, mu = 5,
  // w'_i = ln(5.5) - ln(i) = [1.70475, 1.01160, 0.60614, 0.31845, 0.09531], sum 3.73625.
  const p = cmaParams(10, defaultCmaPopSize(10));
  it('population, parents and weights', () => {
    expect(p.lambda).toBe(10);
    expect(p.mu).toBe(5);
    const expected = [0.456273, 0.270753, 0.162231, 0.085234, 0.02551];
    expected.forEach((w, i) => expect(p.weights[i]).toBeCloseTo(w, 5));
    expect(p.muEff).toBeCloseTo(3.16730, 4);
  });
  it('negative weights of the active update (eq. 53)', () => {
    // w'_6..10 = ln(5.5) - ln(6..10), summing to -1.79320; mu_eff^- = 3.98912; alpha = min(1 + c1/c_mu = 1.64895,
    // 1 + 2 mu_eff^- / (mu_eff + 2) = 2.54398, (1 - c1 - c_mu) / (n c_mu) = 4.08107) = 1.64895.
    const negative = [-0.0800126, -0.2217642, -0.3445549, -0.4528641, -0.5497499];
    negative.forEach((w, i) => expect(p.weights[5 + i]).toBeCloseTo(w, 6));
    expect(p.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1 - 1.6489457, 6);
    expect(Array.from(cmaParams(10, 10, false, false).weights.subarray(5))).toEqual([0, 0, 0, 0, 0]);
  });
  it('learning rates and damping', () => {
    expect(p.c1).toBeCloseTo(2 / (11.3 ** 2 + 3.167299), 8); // 0.0152838
    expect(p.cMu).toBeCloseTo(0.0235518, 6);
    expect(p.cSigma).toBeCloseTo(0.284429, 5);
    expect(p.dSigma).toBeCloseTo(1.284429, 5);
    expect(p.cc).toBeCloseTo(0.294990, 5);
    expect(p.chiN).toBeCloseTo(3.084727, 5);
  });
  it('sep-CMA-ES scales the covariance rates by (n + 2) / 3 (Ros & Hansen 2008)', () => {
    const s = cmaParams(10, 10, true);
    expect(s.c1).toBeCloseTo(0.0611353, 6);
    expect(s.cMu).toBeCloseTo(0.0942071, 6);
    expect(s.cSigma).toBe(p.cSigma);
  });
  it('the Jacobi eigendecomposition rebuilds a symmetric matrix', () => {
    const a = Float64Array.from([4, 1, 2, 1, 3, 0.5, 2, 0.5, 5]);
    const values = new Float64Array(3);
    const vectors = new Float64Array(9);
    symmetricEigen(a, 3, values, vectors);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += vectors[i * 3 + k] * values[k] * vectors[j * 3 + k];
        expect(s).toBeCloseTo(a[i * 3 + j], 10);
      }
    }
    const two = new Float64Array(2);
    symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2, two, new Float64Array(4));
    expect(Array.from(two).sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
  });
});

describe('the ask/tell contract', () => {
  for (const [name, make] of Object.entries(STRATEGIES)) {
    it(`${name}: candidates, repeated ask, bad results`, () => {
      const s = make('min');
      const a = s.ask();
      expect(a).toHaveLength(s.popSize);
      expect(new Set(a.map((c) => c.id)).size).toBe(s.popSize);
      for (const c of a) expect(c.genome).toHaveLength(10);
      // Asking again before tell gives the same candidates.
      expect(s.ask()).toEqual(a);
      const good = a.map((c) => ({ id: c.id, fitness: sphere(c.genome) }));
      expect(() => s.tell([...good.slice(1), { id: 99_999, fitness: 1 }])).toThrow(/unknown candidate id 99999/);
      expect(() => s.tell(good.slice(1))).toThrow(/missing results for 1 of/);
      expect(() => s.tell([...good.slice(1), { id: a[0].id, fitness: Number.NaN }])).toThrow(/fitness NaN/);
      expect(() => s.tell([...good.slice(1), { id: a[0].id, fitness: Infinity }])).toThrow(InvalidInputError);
      expect(() => s.tell([...good, good[0]])).toThrow(/two results/);
      const stats = s.tell(good);
      expect(stats.generation).toBe(0);
      expect(stats.best).toBe(Math.min(...good.map((g) => g.fitness)));
      expect(stats.worst).toBe(Math.max(...good.map((g) => g.fitness)));
      expect(s.best().fitness).toBe(stats.best);
      expect(() => s.tell(good)).toThrow(/call ask\(\) first/);
      expect(s.ask()[0].id).toBe(a[a.length - 1].id + 1);
    });

    it(`${name}: a restored snapshot asks exactly the same next candidates`, () => {
      const s = make('min', 7);
      run(s, rosenbrock, 5);
      const snap = JSON.parse(JSON.stringify(s.snapshot())) as StrategySnapshot;
      const after = run(s, rosenbrock, 3).asked;
      const t = make('min', 99);
      t.restore(snap);
      expect(run(t, rosenbrock, 3).asked).toEqual(after);
      expect(t.generation).toBe(8);
      // A snapshot taken between ask and tell restores to before that ask.
      const pending = s.ask();
      const mid = s.snapshot();
      const u = make('min', 5);
      u.restore(mid);
      expect(u.ask()).toEqual(pending);
    });

    it(`${name}: 'max' on -sphere follows the same trajectory as 'min' on sphere`, () => {
      const minRun = run(make('min'), sphere, 10);
      const maxRun = run(make('max'), (x) => -sphere(x), 10);
      expect(maxRun.asked).toEqual(minRun.asked);
      expect(maxRun.best).toBe(-minRun.best);
    });

    it(`${name}: same seed, same run; another seed, another run`, () => {
      expect(run(make('min', 3), sphere, 5).asked).toEqual(run(make('min', 3), sphere, 5).asked);
      expect(run(make('min', 4), sphere, 5).asked).not.toEqual(run(make('min', 3), sphere, 5).asked);
    });
  }

  it('constraints: an infeasible candidate never becomes the best while a feasible one exists', () => {
    // Minimise the sphere subject to x[0] >= 0.3 (constraint 0.3 - x[0] <= 0).
    for (const make of Object.values(STRATEGIES)) {
      const s = make('min', 2);
      for (let g = 0; g < 60; g++) {
        const c = s.ask();
        s.tell(c.map((k) => ({ id: k.id, fitness: sphere(k.genome), constraints: [0.3 - k.genome[0]] })));
      }
      expect(s.best().genome[0]).toBeGreaterThanOrEqual(0.3);
    }
  });

  it('restore refuses another strategy, dimension or a malformed snapshot, naming it', () => {
    const cma = new CMAES({ objective: 'min' }, start());
    expect(() => new CMAES({ objective: 'min', diagonal: true }, start()).restore(cma.snapshot())).toThrow(/'cma-es' strategy, this is 'sep-cma-es'/);
    expect(() => new CMAES({ objective: 'min' }, new Float32Array(5)).restore(cma.snapshot())).toThrow(/dim 10, this strategy has 5/);
    expect(() => new CMAES({ objective: 'max' }, start()).restore(cma.snapshot())).toThrow(/objective min, this strategy has max/);
    expect(() => cma.restore({ kind: 'cma-es', version: 1 })).toThrow(InvalidInputError);
  });

  it('configs name what is wrong: no objective, populations too small, odd mirrored populations', () => {
    expect(() => new CMAES({} as { objective: Objective }, start())).toThrow(/objective/);
    expect(() => new OpenES({ objective: 'max', popSize: 7 }, start())).toThrow(/popSize.*even/);
    expect(() => new SimpleGA({ objective: 'max', popSize: 1 }, start())).toThrow(/popSize: a GA needs a population of at least 2/);
    expect(() => new CMAES({ objective: 'max', popSize: 1 }, start())).toThrow(/popSize/);
    expect(() => new SimpleGA({ objective: 'max', popSize: 4, eliteCount: 4 }, start())).toThrow(/eliteCount/);
    expect(() => new CMAES({ objective: 'max' }, [1, Number.NaN])).toThrow(/genome\[1\] is NaN/);
  });

  it('OpenAI-ES candidates are the mean plus a signed slice of the shared noise table, in mirrored pairs', () => {
    const es = new OpenES({ objective: 'max', popSize: 4, sigma: 0.1, noiseTableSize: 1000, noiseSeed: 5 }, new Float32Array(3).fill(1));
    const table = noiseTable(1000, 5);
    const c = es.ask() as OpenESCandidate[];
    expect(c[0].noiseIndex).toBe(c[1].noiseIndex);
    expect([c[0].noiseSign, c[1].noiseSign]).toEqual([1, -1]);
    for (const k of c) for (let i = 0; i < 3; i++) expect(k.genome[i]).toBe(Math.fround(1 + k.noiseSign * 0.1 * table[k.noiseIndex + i]));
  });
});

describe('each strategy minimises the 10-D sphere and Rosenbrock within a budget (seeded)', () => {
  // Thresholds are set per strategy: CMA-ES converges to machine precision, the GA and OpenAI-ES to their noise level.
  const cases: Array<[string, (x: Float32Array) => number, number, number]> = [
    ['cma-es', sphere, 200, 1e-8],
    ['cma-es', rosenbrock, 1000, 1e-8],
    ['cma-es passive', rosenbrock, 1000, 1e-8],
    ['sep-cma-es', sphere, 200, 1e-8],
    ['sep-cma-es', rosenbrock, 8000, 1e-6],
    ['open-es', sphere, 500, 1e-2],
    ['open-es', rosenbrock, 1500, 1],
    ['ga', sphere, 500, 1e-4],
    ['ga', rosenbrock, 1500, 1],
    ['ga tournament one-point', sphere, 500, 1e-3],
    ['ga tournament one-point', rosenbrock, 1500, 2], // from 58.5 at the start; tournaments of 3 select weakly
  ];
  for (const [name, f, generations, threshold] of cases) {
    it(`${name} takes ${f === sphere ? 'sphere' : 'Rosenbrock'} below ${threshold} in ${generations} generations`, () => {
      const s = STRATEGIES[name]('min', 1);
      const initial = f(start());
      const { best } = run(s, f, generations);
      expect(initial).toBeGreaterThan(1);
      expect(best).toBeLessThan(threshold);
    });
  }
});

describe('MlpPolicy and evolve inputs', () => {
  it('the genome is the MLP parameters in Network order; Discrete actions are the argmax', () => {
    const env = make('CartPole-v1');
    const policy = new MlpPolicy({ kind: 'mlp', hidden: [16], activation: 'tanh' }, env.observationSpace, env.actionSpace);
    expect(policy.parameterCount).toBe(4 * 16 + 16 + 16 * 2 + 2);
    expect(Object.keys(policy.toWeights())).toEqual(['dense0/w', 'dense0/b', 'out/w', 'out/b']);
    const genome = new Float32Array(policy.parameterCount);
    genome[4 * 16 + 16 + 16 * 2 + 1] = 1; // bias of output 1
    policy.setGenome(genome);
    expect(policy.act(new Float32Array([0.1, 0.2, 0.3, 0.4]))).toBe(1);
    expect(() => policy.setGenome(new Float32Array(5))).toThrow(/genome has length 5, this network \(4-16-2\) has 114 parameters/);
    const weights = policy.toWeights();
    expect(Array.from(policy.fromWeights(weights))).toEqual(Array.from(genome));
  });

  it('Box actions are tanh outputs scaled into the bounds; Discrete observations are one-hot', () => {
    const policy = new MlpPolicy({ kind: 'mlp', hidden: [], activation: 'tanh' }, new Discrete(3), new Box({ low: [-2, 0], high: [2, 10] }));
    expect(policy.parameterCount).toBe(3 * 2 + 2);
    // out = w^T onehot + b: w row 1 (observation 1) is [1, -1], biases 0.
    policy.setGenome(Float32Array.from([0, 0, 1, -1, 0, 0, 0, 0]));
    const action = policy.act(1) as Float32Array;
    expect(action[0]).toBeCloseTo(-2 + ((Math.tanh(1) + 1) / 2) * 4, 6);
    expect(action[1]).toBeCloseTo(((Math.tanh(-1) + 1) / 2) * 10, 5);
    expect(() => new MlpPolicy({ kind: 'mlp', hidden: [], activation: 'tanh' }, new Discrete(3), new Box({ low: [-Infinity], high: [1] }))).toThrow(/finite bounds/);
  });

  it('evolve refuses a minimising strategy and a genome that does not fit the policy', async () => {
    const policy = { kind: 'mlp' as const, hidden: [], activation: 'tanh' as const };
    await expect(evolve({ env: 'CartPole-v1', policy, strategy: new CMAES({ objective: 'min' }, new Float32Array(10)), seed: 1, generations: 1 })).rejects.toThrow(/objective is 'min'.*objective: 'max'/);
    await expect(evolve({ env: 'CartPole-v1', policy, strategy: new CMAES({ objective: 'max' }, new Float32Array(11)), seed: 1, generations: 1 })).rejects.toThrow(/11 values, the policy .* has 10 parameters/);
    await expect(evolve({ env: 'CartPole-v1', policy, strategy: new CMAES({ objective: 'max' }, new Float32Array(10)), seed: 1, generations: 0 })).rejects.toThrow(/generations/);
  });
});
