/**
 * `Conv2D` and `FusedConv2D` for the wasm backend: TF.js's own kernel where it is right, im2col + the fast wasm
 * matMul where it is not.
 *
 * Why: measured against the cpu backend, TF.js wasm 4.22's conv (XNNPACK) returns wrong values for 'same' padding
 * when a stride exceeds the filter size or the filter is not square (e.g. 2x2 filter, stride 3; 3x1 filter,
 * stride 2), and with a numeric pad it can write past its output and corrupt the wasm heap. 'valid' padding, and
 * 'same' with a square filter no smaller than the strides, came out right on every shape tried, so those keep the
 * native kernel. With the OpenBLAS addon installed (`wasm+openblas`) every conv goes through im2col + OpenBLAS.
 */
import {
  backend_util,
  Add,
  Conv2D,
  FusedConv2D,
  util,
  type Conv2DAttrs,
  type FusedConv2DAttrs,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { applyActivation, NATIVE_ACTIVATIONS } from './activation.ts';
import { kernelBlas } from './blas.ts';
import { im2col } from './im2col.ts';
import { fastMatMul, fusedMatMul } from './matmul.ts';
import { assertFloat32, heapF32, input, release, replace, runWasm, withShape } from './wasm-heap.ts';

type KernelArgs = { inputs: NamedTensorInfoMap; backend: BackendWasm; attrs?: NamedAttrMap };

function convInfo(kernelName: string, x: TensorInfo, filter: TensorInfo, a: Conv2DAttrs): backend_util.Conv2DInfo {
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(a.dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error(`arcade-rl ${kernelName} on wasm supports dataFormat 'NHWC' only`);
  return info;
}

/** Whether TF.js's own wasm conv computes this convolution right (see the file comment). */
export function nativeConvIsRight(c: backend_util.Conv2DInfo, pad: Conv2DAttrs['pad']): boolean {
  if (pad === 'valid') return true;
  return (
    pad === 'same' &&
    c.filterHeight === c.filterWidth &&
    c.strideHeight <= c.filterHeight &&
    c.strideWidth <= c.filterWidth
  );
}

/** y = activation(conv(x, filter) + bias) as im2col, then one matMul. */
function im2colConv(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  c: backend_util.Conv2DInfo,
  bias: TensorInfo | undefined,
  activation: string,
  leakyreluAlpha: number,
  prelu: TensorInfo | undefined,
): TensorInfo {
  const P = c.batchSize * c.outHeight * c.outWidth;
  const K = c.filterHeight * c.filterWidth * c.inChannels;
  const CO = c.outChannels;
  const cols = backend.makeOutput([P, K], 'float32');
  im2col(heapF32(backend, x), heapF32(backend, cols), c);
  const w = withShape(filter, [K, CO]);
  const perChannel = (t: TensorInfo | undefined): boolean => t === undefined || util.sizeFromShape(t.shape) === CO;
  let y: TensorInfo;
  if (perChannel(bias) && perChannel(prelu)) {
    // Bias and prelu weights hold one value per output channel: one fused matMul on [P, CO] does it all.
    const inputs: NamedTensorInfoMap = { a: cols, b: w };
    if (bias !== undefined) inputs.bias = withShape(bias, [CO]);
    if (prelu !== undefined) inputs.preluActivationWeights = withShape(prelu, [CO]);
    y = fusedMatMul({ inputs, backend, attrs: { transposeA: false, transposeB: false, activation, leakyreluAlpha } });
    (y as { shape: number[] }).shape = [...c.outShape];
  } else {
    y = fastMatMul(backend, cols, w, false, false);
    (y as { shape: number[] }).shape = [...c.outShape];
    if (bias !== undefined) y = replace(backend, y, runWasm(Add, backend, { a: y, b: bias }));
    y = applyActivation(backend, y, activation, leakyreluAlpha, prelu);
  }
  release(backend, cols);
  return y;
}

export function conv2D({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const x = input(Conv2D, inputs, 'x');
  const filter = input(Conv2D, inputs, 'filter');
  const a = (attrs ?? {}) as unknown as Conv2DAttrs;
  assertFloat32(Conv2D, x, filter);
  const c = convInfo(Conv2D, x, filter, a);
  if (kernelBlas() === undefined && nativeConvIsRight(c, a.pad)) return runWasm(Conv2D, backend, { x, filter }, attrs);
  return im2colConv(backend, x, filter, c, undefined, 'linear', 0, undefined);
}

export function fusedConv2D({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const x = input(FusedConv2D, inputs, 'x');
  const filter = input(FusedConv2D, inputs, 'filter');
  const { bias, preluActivationWeights: prelu } = inputs;
  const a = (attrs ?? {}) as unknown as FusedConv2DAttrs;
  assertFloat32(FusedConv2D, x, filter);
  const c = convInfo(FusedConv2D, x, filter, a);
  const activation = a.activation ?? 'linear';
  const alpha = a.leakyreluAlpha ?? 0.2;
  // TF.js's fused conv takes only a rank-1 bias of one value per channel.
  const nativeBias = bias === undefined || (bias.shape.length === 1 && bias.shape[0] === c.outChannels);
  if (kernelBlas() === undefined && nativeConvIsRight(c, a.pad) && nativeBias && NATIVE_ACTIVATIONS.has(activation)) {
    return runWasm(FusedConv2D, backend, inputs, attrs);
  }
  return im2colConv(backend, x, filter, c, bias, activation, alpha, prelu);
}
