/** Base class of every error arcade-rl raises on purpose, so callers can tell them from bugs. */
export class ArcadeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An env id that is unknown, malformed or registered twice. */
export class RegistryError extends ArcadeError {}

/** An env broke its contract: wrong call order, an action or observation outside its space, a bad return value. */
export class EnvContractError extends ArcadeError {}

/** Data from outside (a map, an episode file, a config) is malformed. */
export class InvalidInputError extends ArcadeError {}
