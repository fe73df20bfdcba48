/**
 * arcade-rl's face onto TensorFlow.js: one tfjs-core instance for every layer (`tf`), the choice of backend
 * (`useBackend`), and the wasm kernels that make training on the wasm backend fast and possible.
 */
export * as tf from './tf.ts';
export {
  useBackend,
  describeBackend,
  currentBackend,
  defaultBackendRequest,
  parseBackendRequest,
  BACKEND_REQUESTS,
  AUTO_ORDER,
  type BackendName,
  type BackendRequest,
  type UseBackendOptions,
} from './use-backend.ts';
export { BackendUnavailableError } from './errors.ts';
