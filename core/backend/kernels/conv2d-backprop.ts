/**
 * `Conv2DBackpropFilter` and `Conv2DBackpropInput` for the wasm backend, NHWC, as im2col / col2im around the fast
 * wasm matMul. TF.js wasm 4.22 has no `Conv2DBackpropFilter` at all (so `tf.grad` of a conv2d throws there), and
 * its `Conv2DBackpropInput` is a direct loop. Dilation is always 1: TF.js itself refuses conv gradients with
 * dilation > 1. Padding: 'same', 'valid', a number, or explicit pads, all resolved by `computeConv2DInfo`.
 */
import {
  backend_util,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  util,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { kernelBlas } from './blas.ts';
import { fastMatMul, transposeLast2 } from './matmul.ts';
import { col2im, im2col } from './im2col.ts';
import { assertFloat32, heapF32, input, release, withShape } from './wasm-heap.ts';

type KernelArgs = { inputs: NamedTensorInfoMap; backend: BackendWasm; attrs?: NamedAttrMap };

function convInfo(
  kernelName: string,
  xShape: number[],
  filterShape: number[],
  attrs: Conv2DBackpropFilterAttrs | Conv2DBackpropInputAttrs,
): backend_util.Conv2DInfo {
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error(`arcade-rl ${kernelName} on wasm supports dataFormat 'NHWC' only`);
  return info;
}

export function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const x = input(Conv2DBackpropFilter, inputs, 'x');
  const dy = input(Conv2DBackpropFilter, inputs, 'dy');
  const a = (attrs ?? {}) as unknown as Conv2DBackpropFilterAttrs;
  assertFloat32(Conv2DBackpropFilter, x, dy);
  const c = convInfo(Conv2DBackpropFilter, x.shape, a.filterShape, a);
  const P = c.batchSize * c.outHeight * c.outWidth;
  const K = c.filterHeight * c.filterWidth * c.inChannels;
  const CO = c.outChannels;
  assertSize(Conv2DBackpropFilter, dy, P * CO);
  const cols = backend.makeOutput([P, K], 'float32');
  im2col(heapF32(backend, x), heapF32(backend, cols), c);
  const dy2 = withShape(dy, [P, CO]);
  let dw: TensorInfo;
  // dW[K,CO] = colsᵀ·dy. OpenBLAS takes the transpose as it is; the wasm path transposes whichever side is
  // cheaper: cols (P·K) or dy and the result (P·CO + K·CO).
  if (kernelBlas() !== undefined || P * K <= P * CO + K * CO) {
    dw = fastMatMul(backend, cols, dy2, true, false);
  } else {
    const dwT = fastMatMul(backend, dy2, cols, true, false);
    dw = transposeLast2(backend, dwT);
    release(backend, dwT);
  }
  release(backend, cols);
  return withShapeInPlace(dw, a.filterShape);
}

export function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const dy = input(Conv2DBackpropInput, inputs, 'dy');
  const filter = input(Conv2DBackpropInput, inputs, 'filter');
  const a = (attrs ?? {}) as unknown as Conv2DBackpropInputAttrs;
  assertFloat32(Conv2DBackpropInput, dy, filter);
  const c = convInfo(Conv2DBackpropInput, a.inputShape, filter.shape, a);
  const P = c.batchSize * c.outHeight * c.outWidth;
  const K = c.filterHeight * c.filterWidth * c.inChannels;
  assertSize(Conv2DBackpropInput, dy, P * c.outChannels);
  // dcols[P,K] = dy[P,CO]·Wᵀ, W seen as [K,CO]; then scatter-add the patches back.
  const dcols = fastMatMul(backend, withShape(dy, [P, c.outChannels]), withShape(filter, [K, c.outChannels]), false, true);
  const dx = backend.makeOutput([...a.inputShape], 'float32');
  const dxv = heapF32(backend, dx);
  dxv.fill(0);
  col2im(heapF32(backend, dcols), dxv, c);
  release(backend, dcols);
  return dx;
}

function assertSize(kernelName: string, dy: TensorInfo, expected: number): void {
  const got = util.sizeFromShape(dy.shape);
  if (got !== expected) throw new Error(`arcade-rl ${kernelName}: dy has ${got} values where the convolution makes ${expected}`);
}

function withShapeInPlace(info: TensorInfo, shape: number[]): TensorInfo {
  (info as { shape: number[] }).shape = [...shape];
  return info;
}
