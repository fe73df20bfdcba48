/*
 * arcade-rl's OpenBLAS addon: row-major single-precision GEMM on Float32Arrays (or ArrayBuffers, such as the TF.js
 * wasm heap) without copies, through Node-API only (no V8 API), so one build serves every Node ABI.
 *
 *   sgemm(transA, transB, m, n, k, alpha, A, aOffset, lda, B, bOffset, ldb, beta, C, cOffset, ldc)
 *   sgemmBatched(transA, transB, m, n, k, alpha, A, aOffset, lda, aStride, B, bOffset, ldb, bStride,
 *                beta, C, cOffset, ldc, cStride, batch)
 *   im2col(x, xOffset, cols, colsOffset, ...geometry), col2im(cols, colsOffset, dx, dxOffset, ...geometry)
 *   setThreads(n), getThreads(), config()
 *
 * C = alpha * op(A) * op(B) + beta * C with op(A) m x k and op(B) k x n. Offsets, leading dimensions and batch
 * strides count float32 elements from the start of the array (a typed array's own start, or byte 0 of an
 * ArrayBuffer). A stride of 0 repeats one matrix across the batch (broadcasting). Every extent is checked against
 * the array's length before OpenBLAS runs: a bad call throws a RangeError naming the argument, never reads past.
 *
 * im2col / col2im are the NHWC patch copies around a convolution's sgemm (the same layout as
 * core/backend/kernels/im2col.ts, which they replace: memcpy runs instead of a JS loop). geometry is
 * batch, H, W, C, OH, OW, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft; cols is
 * [batch*OH*OW, KH*KW*C]; col2im adds every patch back onto dx (which the caller zeroes).
 */
#include <node_api.h>
#include <cblas.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_ARGS 20

typedef struct {
  float *data;
  size_t length; /* in float32 elements */
} Floats;

static napi_value fail(napi_env env, const char *code, const char *message) {
  if (code != NULL && code[0] == 'R') napi_throw_range_error(env, NULL, message);
  else napi_throw_type_error(env, NULL, message);
  return NULL;
}

static bool get_bool(napi_env env, napi_value v, const char *name, bool *out) {
  napi_status s = napi_get_value_bool(env, v, out);
  if (s != napi_ok) {
    char msg[128];
    snprintf(msg, sizeof msg, "openblas addon: %s must be a boolean", name);
    fail(env, "T", msg);
    return false;
  }
  return true;
}

static bool get_int(napi_env env, napi_value v, const char *name, int64_t min, int64_t *out) {
  double d;
  char msg[160];
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    snprintf(msg, sizeof msg, "openblas addon: %s must be a number", name);
    fail(env, "T", msg);
    return false;
  }
  if (!(d >= (double)min && d <= 2147483647.0) || d != (double)(int64_t)d) {
    snprintf(msg, sizeof msg, "openblas addon: %s must be an integer in [%lld, 2^31), got %g", name, (long long)min, d);
    fail(env, "R", msg);
    return false;
  }
  *out = (int64_t)d;
  return true;
}

static bool get_float(napi_env env, napi_value v, const char *name, float *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    char msg[128];
    snprintf(msg, sizeof msg, "openblas addon: %s must be a number", name);
    fail(env, "T", msg);
    return false;
  }
  *out = (float)d;
  return true;
}

/* A Float32Array (data from its own byte offset) or an ArrayBuffer (data from byte 0). */
static bool get_floats(napi_env env, napi_value v, const char *name, Floats *out) {
  bool is_typed = false, is_buffer = false;
  char msg[160];
  napi_is_typedarray(env, v, &is_typed);
  if (is_typed) {
    napi_typedarray_type type;
    size_t length;
    void *data;
    if (napi_get_typedarray_info(env, v, &type, &length, &data, NULL, NULL) != napi_ok || type != napi_float32_array) {
      snprintf(msg, sizeof msg, "openblas addon: %s must be a Float32Array or an ArrayBuffer", name);
      fail(env, "T", msg);
      return false;
    }
    out->data = (float *)data;
    out->length = length;
    return true;
  }
  napi_is_arraybuffer(env, v, &is_buffer);
  if (is_buffer) {
    void *data;
    size_t bytes;
    if (napi_get_arraybuffer_info(env, v, &data, &bytes) != napi_ok) return false;
    if (((uintptr_t)data & 3) != 0) {
      snprintf(msg, sizeof msg, "openblas addon: %s is an ArrayBuffer not aligned to 4 bytes", name);
      fail(env, "R", msg);
      return false;
    }
    out->data = (float *)data;
    out->length = bytes / 4;
    return true;
  }
  snprintf(msg, sizeof msg, "openblas addon: %s must be a Float32Array or an ArrayBuffer", name);
  fail(env, "T", msg);
  return false;
}

/* Checks that `batch` matrices of `rows` x `cols` (row-major, leading dimension ld, stride apart) fit in `f`. */
static bool check_extent(napi_env env, const char *name, const Floats *f, int64_t offset, int64_t rows, int64_t cols, int64_t ld,
                         int64_t stride, int64_t batch) {
  char msg[256];
  if (ld < (cols > 1 ? cols : 1)) {
    snprintf(msg, sizeof msg, "openblas addon: %s: leading dimension %lld is below its %lld columns", name, (long long)ld, (long long)cols);
    fail(env, "R", msg);
    return false;
  }
  if (rows == 0 || cols == 0 || batch == 0) return true;
  int64_t last = offset + (batch - 1) * stride + (rows - 1) * ld + cols;
  if (last > (int64_t)f->length) {
    snprintf(msg, sizeof msg, "openblas addon: %s needs %lld floats from its start but has %zu", name, (long long)last, f->length);
    fail(env, "R", msg);
    return false;
  }
  return true;
}

typedef struct {
  bool transA, transB;
  int64_t m, n, k, aOffset, lda, aStride, bOffset, ldb, bStride, cOffset, ldc, cStride, batch;
  float alpha, beta;
  Floats a, b, c;
} Gemm;

static napi_value run(napi_env env, Gemm *g) {
  int64_t aRows = g->transA ? g->k : g->m, aCols = g->transA ? g->m : g->k;
  int64_t bRows = g->transB ? g->n : g->k, bCols = g->transB ? g->k : g->n;
  if (!check_extent(env, "A", &g->a, g->aOffset, aRows, aCols, g->lda, g->aStride, g->batch)) return NULL;
  if (!check_extent(env, "B", &g->b, g->bOffset, bRows, bCols, g->ldb, g->bStride, g->batch)) return NULL;
  if (!check_extent(env, "C", &g->c, g->cOffset, g->m, g->n, g->ldc, g->cStride, g->batch)) return NULL;
  if (g->m == 0 || g->n == 0) return NULL;
  for (int64_t i = 0; i < g->batch; i++) {
    float *c = g->c.data + g->cOffset + i * g->cStride;
    if (g->k == 0) {
      /* BLAS leaves C scaled by beta when k is 0; do it here so that every k gives the same contract. */
      for (int64_t r = 0; r < g->m; r++)
        for (int64_t j = 0; j < g->n; j++) c[r * g->ldc + j] = g->beta == 0.0f ? 0.0f : g->beta * c[r * g->ldc + j];
      continue;
    }
    cblas_sgemm(CblasRowMajor, g->transA ? CblasTrans : CblasNoTrans, g->transB ? CblasTrans : CblasNoTrans, (blasint)g->m, (blasint)g->n,
                (blasint)g->k, g->alpha, g->a.data + g->aOffset + i * g->aStride, (blasint)g->lda, g->b.data + g->bOffset + i * g->bStride,
                (blasint)g->ldb, g->beta, c, (blasint)g->ldc);
  }
  return NULL;
}

static bool args(napi_env env, napi_callback_info info, size_t expected, napi_value *argv, const char *usage) {
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return false;
  if (argc != expected) {
    char msg[256];
    snprintf(msg, sizeof msg, "openblas addon: expected %zu arguments (%s), got %zu", expected, usage, argc);
    fail(env, "T", msg);
    return false;
  }
  return true;
}

static napi_value sgemm(napi_env env, napi_callback_info info) {
  napi_value v[MAX_ARGS];
  Gemm g = {0};
  if (!args(env, info, 16, v, "transA, transB, m, n, k, alpha, A, aOffset, lda, B, bOffset, ldb, beta, C, cOffset, ldc")) return NULL;
  g.batch = 1;
  if (!get_bool(env, v[0], "transA", &g.transA) || !get_bool(env, v[1], "transB", &g.transB) || !get_int(env, v[2], "m", 0, &g.m) ||
      !get_int(env, v[3], "n", 0, &g.n) || !get_int(env, v[4], "k", 0, &g.k) || !get_float(env, v[5], "alpha", &g.alpha) ||
      !get_floats(env, v[6], "A", &g.a) || !get_int(env, v[7], "aOffset", 0, &g.aOffset) || !get_int(env, v[8], "lda", 1, &g.lda) ||
      !get_floats(env, v[9], "B", &g.b) || !get_int(env, v[10], "bOffset", 0, &g.bOffset) || !get_int(env, v[11], "ldb", 1, &g.ldb) ||
      !get_float(env, v[12], "beta", &g.beta) || !get_floats(env, v[13], "C", &g.c) || !get_int(env, v[14], "cOffset", 0, &g.cOffset) ||
      !get_int(env, v[15], "ldc", 1, &g.ldc))
    return NULL;
  return run(env, &g);
}

static napi_value sgemm_batched(napi_env env, napi_callback_info info) {
  napi_value v[MAX_ARGS];
  Gemm g = {0};
  if (!args(env, info, 20, v,
            "transA, transB, m, n, k, alpha, A, aOffset, lda, aStride, B, bOffset, ldb, bStride, beta, C, cOffset, ldc, cStride, batch"))
    return NULL;
  if (!get_bool(env, v[0], "transA", &g.transA) || !get_bool(env, v[1], "transB", &g.transB) || !get_int(env, v[2], "m", 0, &g.m) ||
      !get_int(env, v[3], "n", 0, &g.n) || !get_int(env, v[4], "k", 0, &g.k) || !get_float(env, v[5], "alpha", &g.alpha) ||
      !get_floats(env, v[6], "A", &g.a) || !get_int(env, v[7], "aOffset", 0, &g.aOffset) || !get_int(env, v[8], "lda", 1, &g.lda) ||
      !get_int(env, v[9], "aStride", 0, &g.aStride) || !get_floats(env, v[10], "B", &g.b) || !get_int(env, v[11], "bOffset", 0, &g.bOffset) ||
      !get_int(env, v[12], "ldb", 1, &g.ldb) || !get_int(env, v[13], "bStride", 0, &g.bStride) || !get_float(env, v[14], "beta", &g.beta) ||
      !get_floats(env, v[15], "C", &g.c) || !get_int(env, v[16], "cOffset", 0, &g.cOffset) || !get_int(env, v[17], "ldc", 1, &g.ldc) ||
      !get_int(env, v[18], "cStride", 0, &g.cStride) || !get_int(env, v[19], "batch", 0, &g.batch))
    return NULL;
  if (g.batch > 1 && g.cStride < g.m * g.ldc) return fail(env, "R", "openblas addon: cStride is below one C matrix: batch outputs would overlap");
  return run(env, &g);
}

typedef struct {
  int64_t batch, H, W, C, OH, OW, KH, KW, sh, sw, dh, dw, top, left;
} Geometry;

static const char *GEOMETRY_NAMES[14] = {"batch", "H", "W", "C", "OH", "OW", "KH", "KW", "strideH", "strideW", "dilationH", "dilationW", "padTop", "padLeft"};

/* argv[0..3] = (from, fromOffset, to, toOffset); argv[4..17] = geometry. `imageFirst`: from is the image (im2col). */
static bool patch_args(napi_env env, napi_callback_info info, napi_value *v, Floats *from, int64_t *fromOffset, Floats *to, int64_t *toOffset,
                       Geometry *g, bool imageFirst) {
  const char *usage = imageFirst ? "x, xOffset, cols, colsOffset, batch, H, W, C, OH, OW, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft"
                                 : "cols, colsOffset, dx, dxOffset, batch, H, W, C, OH, OW, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft";
  if (!args(env, info, 18, v, usage)) return false;
  if (!get_floats(env, v[0], imageFirst ? "x" : "cols", from) || !get_int(env, v[1], imageFirst ? "xOffset" : "colsOffset", 0, fromOffset) ||
      !get_floats(env, v[2], imageFirst ? "cols" : "dx", to) || !get_int(env, v[3], imageFirst ? "colsOffset" : "dxOffset", 0, toOffset))
    return false;
  int64_t *fields = &g->batch;
  for (int i = 0; i < 14; i++) {
    int64_t min = i >= 12 ? -2147483647 : (i >= 8 ? 1 : 0);
    if (!get_int(env, v[4 + i], GEOMETRY_NAMES[i], min, &fields[i])) return false;
  }
  int64_t image = g->batch * g->H * g->W * g->C;
  int64_t cols = g->batch * g->OH * g->OW * g->KH * g->KW * g->C;
  char msg[200];
  const Floats *x = imageFirst ? from : to;
  const Floats *c = imageFirst ? to : from;
  int64_t xOffset = imageFirst ? *fromOffset : *toOffset;
  int64_t cOffset = imageFirst ? *toOffset : *fromOffset;
  if (xOffset + image > (int64_t)x->length || cOffset + cols > (int64_t)c->length) {
    snprintf(msg, sizeof msg, "openblas addon: %s needs %lld floats from its start but has %zu",
             xOffset + image > (int64_t)x->length ? (imageFirst ? "x" : "dx") : "cols",
             (long long)(xOffset + image > (int64_t)x->length ? xOffset + image : cOffset + cols),
             xOffset + image > (int64_t)x->length ? x->length : c->length);
    fail(env, "R", msg);
    return false;
  }
  return true;
}

/* Filter columns kw in [*kw0, *kw1) of the patch starting at input column iw0 fall inside the image. */
static void inside_columns(const Geometry *g, int64_t iw0, int64_t *kw0, int64_t *kw1) {
  int64_t lo = 0, hi = g->KW;
  while (lo < g->KW && iw0 + lo * g->dw < 0) lo++;
  while (hi > lo && iw0 + (hi - 1) * g->dw >= g->W) hi--;
  *kw0 = lo;
  *kw1 = hi;
}

static napi_value im2col(napi_env env, napi_callback_info info) {
  napi_value v[MAX_ARGS];
  Floats xs, cs;
  int64_t xOffset, cOffset;
  Geometry g;
  if (!patch_args(env, info, v, &xs, &xOffset, &cs, &cOffset, &g, true)) return NULL;
  const float *x = xs.data + xOffset;
  float *cols = cs.data + cOffset;
  const int64_t C = g.C, rowLen = g.KW * C, K = g.KH * rowLen;
  for (int64_t b = 0; b < g.batch; b++) {
    for (int64_t oh = 0; oh < g.OH; oh++) {
      for (int64_t ow = 0; ow < g.OW; ow++, cols += K) {
        int64_t iw0 = ow * g.sw - g.left, kw0, kw1;
        inside_columns(&g, iw0, &kw0, &kw1);
        for (int64_t kh = 0; kh < g.KH; kh++) {
          int64_t ih = oh * g.sh - g.top + kh * g.dh;
          float *row = cols + kh * rowLen;
          if (ih < 0 || ih >= g.H || kw1 == kw0) {
            memset(row, 0, (size_t)rowLen * sizeof(float));
            continue;
          }
          memset(row, 0, (size_t)(kw0 * C) * sizeof(float));
          const float *base = x + (b * g.H + ih) * g.W * C;
          if (g.dw == 1) {
            memcpy(row + kw0 * C, base + (iw0 + kw0) * C, (size_t)((kw1 - kw0) * C) * sizeof(float));
          } else {
            for (int64_t kw = kw0; kw < kw1; kw++) memcpy(row + kw * C, base + (iw0 + kw * g.dw) * C, (size_t)C * sizeof(float));
          }
          memset(row + kw1 * C, 0, (size_t)((g.KW - kw1) * C) * sizeof(float));
        }
      }
    }
  }
  return NULL;
}

static napi_value col2im(napi_env env, napi_callback_info info) {
  napi_value v[MAX_ARGS];
  Floats cs, xs;
  int64_t cOffset, xOffset;
  Geometry g;
  if (!patch_args(env, info, v, &cs, &cOffset, &xs, &xOffset, &g, false)) return NULL;
  const float *cols = cs.data + cOffset;
  float *dx = xs.data + xOffset;
  const int64_t C = g.C, rowLen = g.KW * C, K = g.KH * rowLen;
  for (int64_t b = 0; b < g.batch; b++) {
    for (int64_t oh = 0; oh < g.OH; oh++) {
      for (int64_t ow = 0; ow < g.OW; ow++, cols += K) {
        int64_t iw0 = ow * g.sw - g.left, kw0, kw1;
        inside_columns(&g, iw0, &kw0, &kw1);
        if (kw1 <= kw0) continue;
        for (int64_t kh = 0; kh < g.KH; kh++) {
          int64_t ih = oh * g.sh - g.top + kh * g.dh;
          if (ih < 0 || ih >= g.H) continue;
          float *base = dx + (b * g.H + ih) * g.W * C;
          for (int64_t kw = kw0; kw < kw1; kw++) {
            float *out = base + (iw0 + kw * g.dw) * C;
            const float *in = cols + (kh * g.KW + kw) * C;
            for (int64_t i = 0; i < C; i++) out[i] += in[i];
          }
        }
      }
    }
  }
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  napi_value v[MAX_ARGS];
  int64_t n;
  if (!args(env, info, 1, v, "n") || !get_int(env, v[0], "threads", 1, &n)) return NULL;
  openblas_set_num_threads((int)n);
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  napi_value out;
  (void)info;
  napi_create_int32(env, openblas_get_num_threads(), &out);
  return out;
}

static napi_value get_config(napi_env env, napi_callback_info info) {
  napi_value out;
  (void)info;
  napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &out);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sgemmBatched", NULL, sgemm_batched, NULL, NULL, NULL, napi_enumerable, NULL},
      {"im2col", NULL, im2col, NULL, NULL, NULL, napi_enumerable, NULL},
      {"col2im", NULL, col2im, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getThreads", NULL, get_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"config", NULL, get_config, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
