/**
 * Where the wasm binaries of @tensorflow/tfjs-backend-wasm lie on disk, for Node. Emscripten in Node reads the
 * binary with `fs` from the path given, so absolute file paths work; resolving them through the package (rather
 * than leaving TF.js to use its script's directory) keeps working under bundlers and test runners that move the JS.
 * Browsers skip this and let the bundler serve the files.
 */
const WASM_BINARIES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

export type WasmBinaryName = (typeof WASM_BINARIES)[number];

export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** Absolute paths of the three wasm binaries, or undefined outside Node. */
export async function locateWasmBinaries(): Promise<Record<WasmBinaryName, string> | undefined> {
  if (!isNode()) return undefined;
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const paths = {} as Record<WasmBinaryName, string>;
  for (const name of WASM_BINARIES) paths[name] = require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${name}`);
  return paths;
}
