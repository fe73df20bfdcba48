/**
 * CMA-ES strategy parameters from the formulas of Hansen, "The CMA Evolution Strategy: A Tutorial" (2016,
 * arXiv:1604.00772), Table 1 (eqs. 48-58), including the negative weights of the active covariance update, and the
 * sep-CMA-ES learning rates of Ros & Hansen 2008 ("A Simple Modification in CMA-ES Achieving Linear Time and Space
 * Complexity"), scaled by (n+2)/3 as pycma does. Pure functions of n and lambda.
 */
export interface CmaParams {
  /** Population size lambda. */
  lambda: number;
  /** Parents mu = floor(lambda / 2). */
  mu: number;
  /**
   * One weight per rank, best first (length lambda): the mu best positive and summing to 1 (they move the mean);
   * with `active`, the rest negative (they only shrink the covariance), else 0.
   */
  weights: Float64Array;
  /** Variance-effective selection mass 1 / sum(w_i^2). */
  muEff: number;
  /** Cumulation rate of the step-size path. */
  cSigma: number;
  /** Step-size damping. */
  dSigma: number;
  /** Cumulation rate of the rank-one path. */
  cc: number;
  /** Rank-one learning rate. */
  c1: number;
  /** Rank-mu learning rate. */
  cMu: number;
  /** E||N(0, I)||, approximated as sqrt(n) (1 - 1/(4n) + 1/(21 n^2)). */
  chiN: number;
}

/** Tutorial default population size: 4 + floor(3 ln n). */
export function defaultCmaPopSize(n: number): number {
  return 4 + Math.floor(3 * Math.log(n));
}

/**
 * The tutorial's parameters for dimension `n` and population `lambda`. `separable` applies Ros & Hansen's rates;
 * `active` adds the tutorial's negative weights (eq. 53), otherwise the worse half gets weight 0.
 */
export function cmaParams(n: number, lambda: number, separable = false, active = true): CmaParams {
  const mu = Math.floor(lambda / 2);
  const raw = new Float64Array(lambda);
  for (let i = 0; i < lambda; i++) raw[i] = Math.log((lambda + 1) / 2) - Math.log(i + 1);
  let sumPos = 0;
  let sumPos2 = 0;
  let sumNeg = 0;
  let sumNeg2 = 0;
  for (let i = 0; i < lambda; i++) {
    if (i < mu) {
      sumPos += raw[i];
      sumPos2 += raw[i] ** 2;
    } else if (raw[i] < 0) {
      sumNeg -= raw[i];
      sumNeg2 += raw[i] ** 2;
    }
  }
  const muEff = (sumPos * sumPos) / sumPos2;
  const muEffNeg = sumNeg2 > 0 ? (sumNeg * sumNeg) / sumNeg2 : 0;
  const alphaCov = 2;
  let c1 = alphaCov / ((n + 1.3) ** 2 + muEff);
  let cMu = Math.min(1 - c1, (alphaCov * (0.25 + muEff + 1 / muEff - 2)) / ((n + 2) ** 2 + (alphaCov * muEff) / 2));
  if (separable) {
    const scale = (n + 2) / 3;
    c1 = Math.min(1, c1 * scale);
    cMu = Math.min(1 - c1, cMu * scale);
  }
  const weights = new Float64Array(lambda);
  // eq. 53: the negative weights sum to -min(alpha_mu^-, alpha_mueff^-, alpha_posdef^-).
  const alphaNeg = Math.min(1 + c1 / cMu, 1 + (2 * muEffNeg) / (muEff + 2), (1 - c1 - cMu) / (n * cMu));
  for (let i = 0; i < lambda; i++) {
    if (i < mu) weights[i] = raw[i] / sumPos;
    else if (active && raw[i] < 0) weights[i] = (alphaNeg * raw[i]) / sumNeg;
  }
  const cSigma = (muEff + 2) / (n + muEff + 5);
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
  const cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n);
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  return { lambda, mu, weights, muEff, cSigma, dSigma, cc, c1, cMu, chiN };
}
