/** Training produced a non-finite loss. */
export class PolicyGradientDivergedError extends Error {
  constructor(
    readonly agent: string,
    readonly step: number,
    readonly what: string,
  ) {
    super(`${agent}: ${what} became non-finite at env step ${step}; training stopped (lower the learning rate, or check rewards for huge values)`);
    this.name = 'PolicyGradientDivergedError';
  }
}
