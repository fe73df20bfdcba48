/**
 * The one TF.js namespace every arcade-rl layer uses: tfjs-core, plus what only the union package registers.
 *
 * Why the side-effect import: in Node, tfjs-core's bundle registers no gradient functions and no chained tensor
 * methods (`tf.grad` of a `sum` throws "gradient function not found for Sum", `x.square()` is undefined); the
 * union package @tensorflow/tfjs registers both into TF.js's global registries, which all copies share. Its layers,
 * converter and webgl parts load too but are not used here.
 */
import '@tensorflow/tfjs';

export * from '@tensorflow/tfjs-core';
