/**
 * Adam (Kingma & Ba 2015) on a flat Float64Array, written as `Adam` in openai/evolution-strategies-starter: the
 * bias corrections are folded into the step size. `ascend` moves the parameters along the gradient.
 */
export class FlatAdam {
  readonly m: Float64Array;
  readonly v: Float64Array;
  t = 0;

  constructor(
    size: number,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** `theta += a * m / (sqrt(v) + eps)`, with `a = stepSize * sqrt(1 - beta2^t) / (1 - beta1^t)`. */
  ascend(theta: Float64Array, gradient: Float64Array, stepSize: number): void {
    this.t++;
    const { beta1, beta2, epsilon, m, v } = this;
    const a = (stepSize * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
    for (let i = 0; i < theta.length; i++) {
      m[i] = beta1 * m[i] + (1 - beta1) * gradient[i];
      v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] * gradient[i];
      theta[i] += (a * m[i]) / (Math.sqrt(v[i]) + epsilon);
    }
  }
}
