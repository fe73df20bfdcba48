import { z } from 'zod';
import { InvalidInputError, type JsonValue } from '../../core/index.ts';
import { BaseStrategy, parseOrThrow } from './base-strategy.ts';
import { resolveCMAESConfig, type CMAESConfig, type CMAESOptions } from './cmaes-config.ts';
import { cmaParams, type CmaParams } from './cmaes-params.ts';
import { symmetricEigen } from './eigen.ts';
import type { Candidate, FitnessResult } from './strategy.ts';
import { checkGenome } from './tell-check.ts';

const stateSchema = z.object({
  mean: z.array(z.number()),
  sigma: z.number().positive(),
  pSigma: z.array(z.number()),
  pc: z.array(z.number()),
  cov: z.array(z.number()),
  basis: z.array(z.number()),
  scales: z.array(z.number()),
  evalsAtEigen: z.number().int().min(0),
  evals: z.number().int().min(0),
});

/**
 * CMA-ES (Hansen & Ostermeier 2001) as in Hansen's 2016 tutorial, Figure 6 / Algorithm "(mu/mu_w, lambda)-CMA-ES":
 * weighted recombination, cumulative step-size adaptation, rank-one and rank-mu covariance updates with the
 * h_sigma stall and (by default) the active update's negative weights, and a lazy eigendecomposition (every lambda / (c1 + c_mu) / n / 10 evaluations, as purecma).
 * With `{ diagonal: true }` it is sep-CMA-ES (Ros & Hansen 2008): a diagonal covariance, O(n) per sample.
 *
 * ```ts
 * const es = new CMAES({ objective: 'min', sigma0: 0.5 }, new Float32Array(10));
 * for (let g = 0; g < 200; g++) es.tell(es.ask().map((c) => ({ id: c.id, fitness: sphere(c.genome) })));
 * ```
 */
export class CMAES extends BaseStrategy {
  readonly kind: string;
  readonly config: CMAESConfig;
  readonly params: CmaParams;
  private readonly n: number;
  private readonly mean: Float64Array;
  private sigma: number;
  private readonly pSigma: Float64Array;
  private readonly pc: Float64Array;
  /** Full: n x n row-major. Diagonal: the n variances. */
  private readonly cov: Float64Array;
  /** Full: eigenvectors in columns (n x n). Diagonal: unused (length 0). */
  private readonly basis: Float64Array;
  /** Square roots of the eigenvalues (diagonal: of the variances). */
  private readonly scales: Float64Array;
  private evalsAtEigen = 0;
  private evals = 0;
  private readonly z: Float64Array;
  private readonly y: Float64Array;

  /** `initialGenome` is the initial mean; its length is the genome length. */
  constructor(options: CMAESOptions, initialGenome: ArrayLike<number>) {
    const x0 = checkGenome('CMAES', initialGenome);
    const config = resolveCMAESConfig(options, x0.length);
    super(config, x0.length);
    this.config = config;
    this.kind = config.diagonal ? 'sep-cma-es' : 'cma-es';
    const n = x0.length;
    this.n = n;
    this.params = cmaParams(n, config.popSize, config.diagonal, config.active);
    this.mean = x0;
    this.sigma = config.sigma0;
    this.pSigma = new Float64Array(n);
    this.pc = new Float64Array(n);
    this.scales = new Float64Array(n).fill(1);
    if (config.diagonal) {
      this.cov = new Float64Array(n).fill(1);
      this.basis = new Float64Array(0);
    } else {
      this.cov = new Float64Array(n * n);
      this.basis = new Float64Array(n * n);
      for (let i = 0; i < n; i++) this.cov[i * n + i] = this.basis[i * n + i] = 1;
    }
    this.z = new Float64Array(n);
    this.y = new Float64Array(n);
  }

  /** The current step size. */
  get stepSize(): number {
    return this.sigma;
  }

  /** A copy of the distribution's mean. */
  get distributionMean(): Float64Array {
    return this.mean.slice();
  }

  protected sample(): Array<Omit<Candidate, 'id' | 'seed'>> {
    const { n, z, y } = this;
    const out: Array<Omit<Candidate, 'id' | 'seed'>> = [];
    for (let k = 0; k < this.popSize; k++) {
      for (let i = 0; i < n; i++) z[i] = this.scales[i] * this.rng.normal();
      this.rotate(z, y);
      const genome = new Float32Array(n);
      for (let i = 0; i < n; i++) genome[i] = this.mean[i] + this.sigma * y[i];
      out.push({ genome });
    }
    return out;
  }

  protected update(candidates: readonly Candidate[], _results: readonly FitnessResult[], order: readonly number[]): void {
    const { n, params: p } = this;
    const { weights, mu, muEff, cSigma, dSigma, cc, c1, cMu, chiN } = p;
    // Every candidate's step, best first, recomputed from the float32 genome that was actually evaluated.
    const lambda = this.popSize;
    const ys: Float64Array[] = [];
    const yw = new Float64Array(n);
    for (let r = 0; r < lambda; r++) {
      const g = candidates[order[r]].genome;
      const yr = new Float64Array(n);
      for (let i = 0; i < n; i++) yr[i] = (g[i] - this.mean[i]) / this.sigma;
      if (r < mu) for (let i = 0; i < n; i++) yw[i] += weights[r] * yr[i];
      ys.push(yr);
    }
    // Rank-mu weights (tutorial eq. 46): a negative weight is rescaled by n / ||C^(-1/2) y||^2.
    const covWeights = new Float64Array(lambda);
    let weightSum = 0;
    for (let r = 0; r < lambda; r++) {
      weightSum += weights[r];
      if (weights[r] >= 0) covWeights[r] = weights[r];
      else {
        const z = this.invSqrtC(ys[r]);
        let norm2 = 0;
        for (let i = 0; i < n; i++) norm2 += z[i] * z[i];
        covWeights[r] = norm2 > 0 ? (weights[r] * n) / norm2 : 0;
      }
    }
    const ranks: number[] = [];
    for (let r = 0; r < lambda; r++) if (covWeights[r] !== 0) ranks.push(r);
    for (let i = 0; i < n; i++) this.mean[i] += this.sigma * yw[i];

    // p_sigma <- (1 - c_sigma) p_sigma + sqrt(c_sigma (2 - c_sigma) mu_eff) C^(-1/2) y_w
    const invSqrtYw = this.invSqrtC(yw);
    const kSigma = Math.sqrt(cSigma * (2 - cSigma) * muEff);
    let psNorm2 = 0;
    for (let i = 0; i < n; i++) {
      this.pSigma[i] = (1 - cSigma) * this.pSigma[i] + kSigma * invSqrtYw[i];
      psNorm2 += this.pSigma[i] ** 2;
    }
    const psNorm = Math.sqrt(psNorm2);
    const g = this.generation + 1;
    const hSigma = psNorm / Math.sqrt(1 - (1 - cSigma) ** (2 * g)) < (1.4 + 2 / (n + 1)) * chiN ? 1 : 0;
    const kc = hSigma * Math.sqrt(cc * (2 - cc) * muEff);
    for (let i = 0; i < n; i++) this.pc[i] = (1 - cc) * this.pc[i] + kc * yw[i];

    // C <- (1 + c1 delta(h_sigma) - c1 - c_mu sum w) C + c1 p_c p_c^T + c_mu sum w_i° y_i y_i^T (tutorial eq. 47)
    const delta = (1 - hSigma) * cc * (2 - cc);
    const decay = 1 + c1 * delta - c1 - cMu * weightSum;
    if (this.config.diagonal) {
      for (let i = 0; i < n; i++) {
        let rankMu = 0;
        for (const r of ranks) rankMu += covWeights[r] * ys[r][i] * ys[r][i];
        this.cov[i] = decay * this.cov[i] + c1 * this.pc[i] * this.pc[i] + cMu * rankMu;
        this.scales[i] = Math.sqrt(this.cov[i]);
      }
    } else {
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) {
          let rankMu = 0;
          for (const r of ranks) rankMu += covWeights[r] * ys[r][i] * ys[r][j];
          const v = decay * this.cov[i * n + j] + c1 * this.pc[i] * this.pc[j] + cMu * rankMu;
          this.cov[i * n + j] = v;
          this.cov[j * n + i] = v;
        }
      }
    }
    this.sigma *= Math.exp((cSigma / dSigma) * (psNorm / chiN - 1));
    this.evals += this.popSize;
    if (!this.config.diagonal && this.evals - this.evalsAtEigen > this.popSize / (c1 + cMu) / n / 10) this.decompose();
  }

  protected stateJson(): JsonValue {
    return {
      mean: Array.from(this.mean),
      sigma: this.sigma,
      pSigma: Array.from(this.pSigma),
      pc: Array.from(this.pc),
      cov: Array.from(this.cov),
      basis: Array.from(this.basis),
      scales: Array.from(this.scales),
      evalsAtEigen: this.evalsAtEigen,
      evals: this.evals,
    };
  }

  protected restoreState(state: unknown, where: string): void {
    const s = parseOrThrow(stateSchema, state, `${where}: state`);
    const n = this.n;
    const sizes: Array<[string, number, number]> = [
      ['mean', s.mean.length, n],
      ['pSigma', s.pSigma.length, n],
      ['pc', s.pc.length, n],
      ['cov', s.cov.length, this.cov.length],
      ['basis', s.basis.length, this.basis.length],
      ['scales', s.scales.length, n],
    ];
    for (const [name, got, want] of sizes) if (got !== want) throw new InvalidInputError(`${where}: state.${name} has ${got} values, expected ${want}`);
    this.mean.set(s.mean);
    this.sigma = s.sigma;
    this.pSigma.set(s.pSigma);
    this.pc.set(s.pc);
    this.cov.set(s.cov);
    this.basis.set(s.basis);
    this.scales.set(s.scales);
    this.evalsAtEigen = s.evalsAtEigen;
    this.evals = s.evals;
  }

  /** `out = B x` (full) or `out = x` (diagonal: B is the identity). */
  private rotate(x: Float64Array, out: Float64Array): void {
    const n = this.n;
    if (this.config.diagonal) {
      out.set(x);
      return;
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += this.basis[i * n + j] * x[j];
      out[i] = s;
    }
  }

  /** C^(-1/2) v = B D^-1 B^T v. */
  private invSqrtC(v: Float64Array): Float64Array {
    const n = this.n;
    const out = new Float64Array(n);
    if (this.config.diagonal) {
      for (let i = 0; i < n; i++) out[i] = v[i] / this.scales[i];
      return out;
    }
    const t = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += this.basis[i * n + j] * v[i];
      t[j] = s / this.scales[j];
    }
    this.rotate(t, out);
    return out;
  }

  private decompose(): void {
    const n = this.n;
    const values = new Float64Array(n);
    symmetricEigen(this.cov, n, values, this.basis);
    // Guard against round-off making a tiny eigenvalue negative.
    for (let i = 0; i < n; i++) this.scales[i] = Math.sqrt(Math.max(values[i], 1e-300));
    this.evalsAtEigen = this.evals;
  }
}
