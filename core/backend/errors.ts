import { ArcadeError } from '../errors.ts';

/** A TF.js backend that was asked for cannot be used here; the message says why and how to get it. */
export class BackendUnavailableError extends ArcadeError {
  constructor(
    /** The backend that was asked for. */
    readonly backend: string,
    message: string,
  ) {
    super(message);
  }
}
