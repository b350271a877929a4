// Why Random Weights playground: the numbers (no DOM). Twin of snippets/playground.py.
// Random numbers: mulberry32's output function on a counter seed*2^26 + block*2^19 + j, Box-Muller,
// rounded to float32 (so numpy and JavaScript draw the same weights up to libm rounding).

const M32 = 0x6d2b79f5;
export const SEED_STRIDE = 2 ** 26, BLOCK_STRIDE = 2 ** 19, SEEDS = 64;
export const BINS = 40;
export const HIST_RANGE = { tanh: [-1, 1], sigmoid: [0, 1], relu: [0, 4], linear: [-4, 4] };

function uniform(counter) {
  let a = Math.imul(counter >>> 0, M32) >>> 0;
  let t = Math.imul(a ^ (a >>> 15), a | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

// n standard normals of (seed, block) into a new Float32Array.
export function normals(seed, block, n) {
  const out = new Float32Array(n), base = seed * SEED_STRIDE + block * BLOCK_STRIDE;
  for (let p = 0; 2 * p < n; p++) {
    const u1 = uniform(base + 2 * p + 1), u2 = uniform(base + 2 * p + 2);
    const r = Math.sqrt(-2 * Math.log(1 - u1)), th = 2 * Math.PI * u2;
    out[2 * p] = r * Math.cos(th);
    if (2 * p + 1 < n) out[2 * p + 1] = r * Math.sin(th);
  }
  return out;
}

// the batch: a multiple of 4, with at least 1024 activations per layer
export const batchSize = (width) => 4 * Math.ceil(256 / width);

const ACT = {
  tanh: (z) => Math.tanh(z),
  relu: (z) => (z > 0 ? z : 0),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  linear: (z) => z,
};
// derivative from z and h = act(z)
const DACT = {
  tanh: (z, h) => 1 - h * h,
  relu: (z) => (z > 0 ? 1 : 0),
  sigmoid: (z, h) => h * (1 - h),
  linear: () => 1,
};

// ---- weights: a cache of unit Gaussian matrices (float32) and Householder factors, per seed+width
const cache = { key: "", gauss: [], house: [] };
function gauss(seed, width, layer) {
  const key = seed + ":" + width;
  if (cache.key !== key) Object.assign(cache, { key, gauss: [], house: [] });
  return (cache.gauss[layer] ||= normals(seed, 1 + layer, width * width));
}

// Householder vectors of the Haar orthogonal Q = H_0 ... H_{n-2} D built from rows g[k, k:]
// (Stewart 1980), packed: v_k occupies n-k entries from offset k*n - k(k-1)/2.
function house(seed, width, layer) {
  gauss(seed, width, layer);
  if (cache.house[layer]) return cache.house[layer];
  const g = cache.gauss[layer], n = width;
  const v = new Float64Array((n * (n + 1)) / 2), d = new Float64Array(n);
  for (let k = 0, off = 0; k < n - 1; off += n - k, k++) {
    let ss = 0;
    for (let j = k; j < n; j++) ss += g[k * n + j] * g[k * n + j];
    const x0 = g[k * n + k], s = x0 >= 0 ? 1 : -1, alpha = -s * Math.sqrt(ss);
    for (let j = k; j < n; j++) v[off + j - k] = g[k * n + j];
    v[off] -= alpha;
    let vv = 0;
    for (let j = 0; j < n - k; j++) vv += v[off + j] * v[off + j];
    const inv = 1 / Math.sqrt(vv);
    for (let j = 0; j < n - k; j++) v[off + j] *= inv;
    d[k] = alpha >= 0 ? 1 : -1;
  }
  d[n - 1] = g[n * n - 1] >= 0 ? 1 : -1;
  return (cache.house[layer] = { v, d });
}

// rows r of buf (N x n) <- Q row (transpose=false) or Q^T row (transpose=true), 4 rows at a time
function applyQ(hq, n, buf, N, transpose) {
  const { v, d } = hq;
  const refl = (k) => {
    const off = k * n - (k * (k - 1)) / 2, m = n - k;
    for (let r = 0; r < N; r += 4) {
      const o0 = r * n + k, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < m; j++) {
        const w = v[off + j];
        s0 += w * buf[o0 + j]; s1 += w * buf[o1 + j]; s2 += w * buf[o2 + j]; s3 += w * buf[o3 + j];
      }
      s0 *= 2; s1 *= 2; s2 *= 2; s3 *= 2;
      for (let j = 0; j < m; j++) {
        const w = v[off + j];
        buf[o0 + j] -= s0 * w; buf[o1 + j] -= s1 * w; buf[o2 + j] -= s2 * w; buf[o3 + j] -= s3 * w;
      }
    }
  };
  const signs = () => { for (let i = 0; i < N * n; i++) buf[i] *= d[i % n]; };
  if (!transpose) {
    signs();
    for (let k = n - 2; k >= 0; k--) refl(k);
  } else {
    for (let k = 0; k <= n - 2; k++) refl(k);
    signs();
  }
}

function weightStd(init, width, sigma) {
  return { normal: sigma, lecun: Math.sqrt(1 / width), glorot: Math.sqrt(2 / (width + width)), he: Math.sqrt(2 / width) }[init];
}

// z (N x n) = h W^T for layer `layer`; W = scale * G (Gaussian), constant, zero or orthogonal
function forwardLayer(cfg, layer, h, z, N) {
  const { init, width: n, sigma, seed } = cfg;
  if (init === "zeros") return z.fill(0);
  if (init === "constant") {
    for (let r = 0; r < N; r++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += h[r * n + k];
      z.fill(sigma * s, r * n, r * n + n);
    }
    return z;
  }
  if (init === "orthogonal") {
    const hq = house(seed, n, layer), gain = cfg.activation === "relu" ? Math.SQRT2 : 1;
    z.set(h);
    applyQ(hq, n, z, N, false);
    for (let i = 0; i < N * n; i++) z[i] *= gain;
    return z;
  }
  // 4 inputs at a time share each weight row (N is a multiple of 4)
  const g = gauss(seed, n, layer), sc = weightStd(init, n, sigma);
  for (let i = 0; i < n; i++) {
    const gi = i * n;
    for (let r = 0; r < N; r += 4) {
      const h0 = r * n, h1 = h0 + n, h2 = h1 + n, h3 = h2 + n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < n; k++) {
        const w = g[gi + k];
        s0 += h[h0 + k] * w; s1 += h[h1 + k] * w; s2 += h[h2 + k] * w; s3 += h[h3 + k] * w;
      }
      z[h0 + i] = sc * s0; z[h1 + i] = sc * s1; z[h2 + i] = sc * s2; z[h3 + i] = sc * s3;
    }
  }
  return z;
}

// out (N x n) = dz W
function backwardLayer(cfg, layer, dz, out, N) {
  const { init, width: n, sigma, seed } = cfg;
  if (init === "zeros") return out.fill(0);
  if (init === "constant") {
    for (let r = 0; r < N; r++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += dz[r * n + i];
      out.fill(sigma * s, r * n, r * n + n);
    }
    return out;
  }
  if (init === "orthogonal") {
    const hq = house(seed, n, layer), gain = cfg.activation === "relu" ? Math.SQRT2 : 1;
    out.set(dz);
    applyQ(hq, n, out, N, true);
    for (let i = 0; i < N * n; i++) out[i] *= gain;
    return out;
  }
  const g = gauss(seed, n, layer), sc = weightStd(init, n, sigma);
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const gi = i * n;
    for (let r = 0; r < N; r += 4) {
      const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      const a0 = sc * dz[o0 + i], a1 = sc * dz[o1 + i], a2 = sc * dz[o2 + i], a3 = sc * dz[o3 + i];
      for (let k = 0; k < n; k++) {
        const w = g[gi + k];
        out[o0 + k] += a0 * w; out[o1 + k] += a1 * w; out[o2 + k] += a2 * w; out[o3 + k] += a3 * w;
      }
    }
  }
  return out;
}

// ||A^T B||_F for A, B (N x n): via the N x N Gram matrices, sum_(r,s) (A A^T)_rs (B B^T)_rs
function gradNorm(A, B, N, n) {
  let tot = 0;
  for (let r = 0; r < N; r++) {
    for (let s = 0; s <= r; s++) {
      let ga = 0, gb = 0;
      for (let k = 0; k < n; k++) { ga += A[r * n + k] * A[s * n + k]; gb += B[r * n + k] * B[s * n + k]; }
      tot += (r === s ? 1 : 2) * ga * gb;
    }
  }
  return Math.sqrt(Math.max(tot, 0));
}

export const DEFAULTS = { activation: "relu", init: "he", depth: 10, width: 64, sigma: 0.01, seed: 0 };

export function normalize(c) {
  const cfg = { ...DEFAULTS, ...c };
  cfg.depth = Math.min(50, Math.max(1, Math.round(cfg.depth)));
  cfg.width = Math.min(512, Math.max(1, Math.round(cfg.width)));
  cfg.seed = Math.min(SEEDS - 1, Math.max(0, Math.round(cfg.seed)));
  if (!ACT[cfg.activation]) throw new Error("unknown activation " + cfg.activation);
  if (!["zeros", "constant", "normal", "lecun", "glorot", "he", "orthogonal"].includes(cfg.init))
    throw new Error("unknown init " + cfg.init);
  return cfg;
}

// Per-layer statistics: [{mean, std, signal, grad, hist}] for layers 1..depth (see snippets/playground.py).
export function stats(config, { hist = true } = {}) {
  const cfg = normalize(config), { activation: a, depth: L, width: n, seed } = cfg;
  const N = batchSize(n), f = ACT[a], df = DACT[a];
  const hs = [Float64Array.from(normals(seed, 0, N * n))], zs = [null];
  const out = [];
  const [lo, hi] = HIST_RANGE[a];
  for (let l = 1; l <= L; l++) {
    const z = forwardLayer(cfg, l, hs[l - 1], new Float64Array(N * n), N);
    const h = new Float64Array(N * n);
    let s = 0;
    for (let i = 0; i < N * n; i++) s += (h[i] = f(z[i]));
    const mean = s / (N * n);
    let v = 0;
    for (let i = 0; i < N * n; i++) v += (h[i] - mean) * (h[i] - mean);
    const st = { mean, std: Math.sqrt(v / (N * n)), signal: 0, grad: 0 };
    if (hist) {
      const counts = new Uint32Array(BINS), w = BINS / (hi - lo);
      for (let i = 0; i < N * n; i++) {
        const b = Math.floor((h[i] - lo) * w);
        counts[b < 0 ? 0 : b >= BINS ? BINS - 1 : b]++;
      }
      st.hist = counts;
      st.outside = h.reduce((c, x) => c + (x < lo || x > hi ? 1 : 0), 0);
    }
    out.push(st);
    hs.push(h);
    zs.push(z);
  }
  // L = (1/N) sum_n g_n . h_L,n  ->  dL/dh_L = g / N
  const g = normals(seed, 1, N * n);
  let delta = new Float64Array(N * n);
  for (let i = 0; i < N * n; i++) delta[i] = g[i] / N;
  let buf = new Float64Array(N * n);
  for (let l = L; l >= 1; l--) {
    const z = zs[l], h = hs[l];
    let ss = 0;
    for (let i = 0; i < N * n; i++) ss += delta[i] * delta[i];
    out[l - 1].signal = Math.sqrt(ss); // ||dL/dh_l||_F, the back-propagated signal
    for (let i = 0; i < N * n; i++) delta[i] *= df(z[i], h[i]);
    out[l - 1].grad = gradNorm(delta, hs[l - 1], N, n);
    if (l > 1) {
      backwardLayer(cfg, l, delta, buf, N);
      [delta, buf] = [buf, delta];
    }
  }
  return { config: cfg, batch: N, range: [lo, hi], layers: out };
}
