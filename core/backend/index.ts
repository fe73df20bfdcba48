/**
 * arcade-rl's face onto TensorFlow.js: one tfjs-core instance for every layer (`tf`), the choice of backend
 * (`useBackend`), the wasm kernels that make training on the wasm backend fast and possible, and the optional
 * OpenBLAS addon they can hand their products to (`wasm+openblas`).
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
export { loadOpenblas, openblasSgemm, OPENBLAS_HOWTO, type OpenblasAddon, type OpenblasLoad, type FloatStorage } from './openblas.ts';
