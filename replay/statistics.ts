/** Summary statistics the policy-gradient agents log and normalise with: pure functions over typed arrays. */

/**
 * Explained variance 1 - Var(y - yPred) / Var(y) (SB3 `explained_variance`): 1 is a perfect value function, 0 is
 * no better than predicting the mean, negative is worse. NaN when Var(y) is 0. Only the first `n` entries count.
 */
export function explainedVariance(yPred: ArrayLike<number>, y: ArrayLike<number>, n = y.length): number {
  if (yPred.length < n || y.length < n) throw new RangeError(`explainedVariance: need ${n} entries, yPred has ${yPred.length}, y has ${y.length}`);
  if (n === 0) return Number.NaN;
  let meanY = 0;
  let meanD = 0;
  for (let i = 0; i < n; i++) {
    meanY += y[i];
    meanD += y[i] - yPred[i];
  }
  meanY /= n;
  meanD /= n;
  let varY = 0;
  let varD = 0;
  for (let i = 0; i < n; i++) {
    varY += (y[i] - meanY) ** 2;
    varD += (y[i] - yPred[i] - meanD) ** 2;
  }
  return varY === 0 ? Number.NaN : 1 - varD / varY;
}

/**
 * Standardises `values[0..n)` in place to zero mean and unit (population) standard deviation:
 * (x - mean) / (std + eps). With one value or zero spread it only centres. Returns `values`.
 */
export function standardizeInPlace<T extends Float32Array | Float64Array>(values: T, n = values.length, eps = 1e-8): T {
  if (n > values.length) throw new RangeError(`standardizeInPlace: n = ${n} is past the array's length ${values.length}`);
  if (n === 0) return values;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (values[i] - mean) ** 2;
  const std = Math.sqrt(variance / n);
  const scale = std > 0 ? 1 / (std + eps) : 1;
  for (let i = 0; i < n; i++) values[i] = (values[i] - mean) * scale;
  return values;
}
