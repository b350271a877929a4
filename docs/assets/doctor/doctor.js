// Why Random Weights: the Init Doctor's analysis (no DOM). Twin of snippets/doctor/*.py: the same
// parsing, the same ops and the same arithmetic in the same order, so tests/test_doctor.py can compare
// the two to 1e-9. Runs in the browser (ui.js) and in node (the tests).

export class DoctorError extends Error {}
const fail = (m) => { throw new DoctorError(m); };

// ------------------------------------------------------------------------------ parse.py
function splitTop(s) {
  const out = []; let depth = 0, cur = "", quote = "";
  for (const ch of s) {
    if (quote) { cur += ch; if (ch === quote) quote = ""; continue; }
    if (ch === "'" || ch === '"') quote = ch;
    else if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) depth--;
    if (ch === "," && depth === 0) { out.push(cur.trim()); cur = ""; } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
function parseValue(v) {
  v = v.trim();
  if (v === "True" || v === "False") return v === "True";
  if (v === "None") return null;
  if ("([".includes(v[0] || "x") && ")]".includes(v[v.length - 1] || "x")) return splitTop(v.slice(1, -1)).map(parseValue);
  if (v[0] === "'" || v[0] === '"') return v.slice(1, -1);
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return /[.eE]/.test(v) ? parseFloat(v) : parseInt(v, 10);
  return v;
}
function parseArgs(s) {
  const args = {}; let pos = 0;
  for (const part of splitTop(s)) {
    const m = /^([A-Za-z_]\w*)\s*=\s*([\s\S]*)$/.exec(part);
    if (m) args[m[1]] = parseValue(m[2]); else args[String(pos++)] = parseValue(part);
  }
  return args;
}
const HEAD = /^\s*(?:\(([\w.\-]+)\):\s*)?(?:(\d+) x )?([A-Za-z_][\w.]*)\((.*)$/;
const clone = (n, name) => ({ ...n, name, children: n.children.map((c) => clone(c, c.name)) });
function balanced(s) {
  let d = 0;
  for (const ch of s) { d += ch === "(" ? 1 : ch === ")" ? -1 : 0; if (d < 0) return false; }
  return d === 0;
}
function attach(parent, node) {
  if (node.rep) {
    const lo = parseInt(node.name.split("-")[0], 10);
    for (let k = 0; k < parseInt(node.rep, 10); k++) parent.children.push(clone(node, String(lo + k)));
  } else parent.children.push(node);
}
export function parseTorch(text) {
  const lines = text.split("\n"), stack = [], unread = []; let root = null;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s+$/, "");
    if (!line.trim()) return;
    if (line.trim() === ")") {
      if (!stack.length) { unread.push({ line: i + 1, text: ")", why: "a closing bracket with no open module" }); return; }
      const node = stack.pop();
      if (stack.length) attach(stack[stack.length - 1], node); else root = root || node;
      return;
    }
    const m = HEAD.exec(line);
    if (!m) { unread.push({ line: i + 1, text: line.trim(), why: "not a module line" }); return; }
    const name = m[1];
    if (name === undefined && stack.length) { unread.push({ line: i + 1, text: line.trim(), why: "a module line without its (name):" }); return; }
    const node = { name: name || "", type: m[3], args: {}, line: i + 1, children: [], rep: m[2] || null };
    const rest = m[4];
    if (rest.endsWith(")") && balanced(rest.slice(0, -1))) {
      node.args = parseArgs(rest.slice(0, -1));
      if (stack.length) attach(stack[stack.length - 1], node);
      else if (root === null) root = node;
      else unread.push({ line: i + 1, text: line.trim(), why: "a second model after the first ended" });
    } else if (rest === "") {
      if (root !== null && !stack.length) { unread.push({ line: i + 1, text: line.trim(), why: "a second model after the first ended" }); return; }
      stack.push(node);
    } else unread.push({ line: i + 1, text: line.trim(), why: "unbalanced brackets" });
  });
  if (stack.length) {
    const s = stack[stack.length - 1];
    fail(`line ${s.line}: \`${s.type}(\` is never closed: the paste looks cut off (expected ${stack.length} more closing bracket(s))`);
  }
  if (root === null) fail("no PyTorch module found: expected a line like `Sequential(` or `Linear(in_features=...)`");
  return [root, unread];
}
const KROW = /^[│|]?\s*([\w.\-/]+) \((\w+)\)\s*[│|]?\s*(\([^)]*\)|\[[^\]]*\]|multiple)\s*[│|]?\s*([\d,]+)/;
export function parseKeras(text) {
  const rows = [], unread = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || /^[\s━┏┓┗┛┡┩┃┳┻╇─├┤┼└┘┴┬│=_\-+]*$/.test(line)) return;
    if (/^(Model:|[┃|]?\s*Layer \(type\)|Total params|Trainable params|Non-trainable params|Optimizer params)/.test(line)) return;
    const m = KROW.exec(line);
    if (!m) { unread.push({ line: i + 1, text: line, why: "not a layer row" }); return; }
    const dims = m[3] === "multiple" ? null : splitTop(m[3].slice(1, -1)).map((x) => (x.trim() === "None" ? null : parseInt(x, 10)));
    rows.push({ name: m[1], type: m[2], shape: dims, params: parseInt(m[4].replace(/,/g, ""), 10), line: i + 1 });
  });
  if (!rows.length) fail("no Keras layer rows found: expected rows like `dense (Dense)  (None, 128)  8,320`");
  return [rows, unread];
}
export function detect(text) {
  const s = text.trim();
  if (!s) fail("the input is empty: paste print(model), model.summary() or a config.json");
  if (s.startsWith("{")) return "hf";
  if (/Layer \(type\)/.test(s) || /^\s*[│|]?\s*\w+ \((Dense|Conv[123]D|LSTM|GRU|Embedding|InputLayer)\)/m.test(s)) return "keras";
  if (/^\s*(\([\w.\-]+\):\s*)?[A-Za-z_][\w.]*\(/m.test(s)) return "torch";
  fail(`line 1: \`${s.split("\n")[0].slice(0, 60)}\` is not print(model) output, a Keras summary or a JSON config`);
}
function jsonLine(text, e) {
  const m = /position (\d+)/.exec(e.message);
  if (m) return text.slice(0, +m[1]).split("\n").length;
  const l = /line (\d+)/.exec(e.message);
  return l ? +l[1] : text.split("\n").length;
}
export function parseHf(text) {
  let cfg;
  try { cfg = JSON.parse(text); } catch (e) { fail(`line ${jsonLine(text, e)}: the config.json does not parse (a JSON syntax error)`); }
  if (cfg === null || typeof cfg !== "object" || Array.isArray(cfg)) fail("line 1: a config.json is a JSON object ({...})");
  return cfg;
}
export function parseInputShape(s) {
  const parts = (s || "").trim().replace(/^[(\[]+|[)\]]+$/g, "").split(/[x×,\s]+/).filter((p) => p);
  if (!parts.length || !parts.every((p) => /^\d+$/.test(p))) fail(`input shape \`${s}\`: write it as numbers separated by x, e.g. 8x3x224x224`);
  return parts.map((p) => parseInt(p, 10));
}

// ------------------------------------------------------------------------------ core.py
const N_GRID = 401, N_OUTER = 41;
const T_GRID = [], W_GRID = [];
{
  let S = 0; const W = [];
  for (let i = 0; i < N_GRID; i++) { const t = -8.0 + (16.0 * i) / (N_GRID - 1); T_GRID.push(t); W.push(Math.exp(-0.5 * t * t)); }
  for (const w of W) S += w;
  for (const w of W) W_GRID.push(w / S);
}
const poly = (z, t) => -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
  + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
export function erf(x) {
  const z = Math.abs(x), t = 1.0 / (1.0 + 0.5 * z), r = t * Math.exp(poly(z, t));
  return x >= 0 ? 1.0 - r : r - 1.0;
}
export function logNcdf(x) {
  if (x > -3.0) return Math.log(0.5 * (1.0 + erf(x / Math.sqrt(2.0))));
  const z = -x / Math.sqrt(2.0), t = 1.0 / (1.0 + 0.5 * z);
  return Math.log(0.5 * t) + poly(z, t);
}
const sigmoid = (z) => (z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z)));
function act(fn, z) {
  if (fn === "relu") return z > 0 ? [z, 1.0] : [0.0, 0.0];
  if (fn === "tanh") { const h = Math.tanh(z); return [h, 1.0 - h * h]; }
  if (fn === "sigmoid") { const s = sigmoid(z); return [s, s * (1.0 - s)]; }
  if (fn === "silu") { const s = sigmoid(z); return [z * s, s * (1.0 + z * (1.0 - s))]; }
  if (fn === "gelu") {
    const p = 0.5 * (1.0 + erf(z / Math.sqrt(2.0)));
    return [z * p, p + (z * Math.exp(-0.5 * z * z)) / Math.sqrt(2.0 * Math.PI)];
  }
  if (fn === "gelu_tanh") {
    const k = Math.sqrt(2.0 / Math.PI), u = k * (z + 0.044715 * z * z * z), th = Math.tanh(u);
    return [0.5 * z * (1.0 + th), 0.5 * (1.0 + th) + 0.5 * z * (1.0 - th * th) * k * (1.0 + 3 * 0.044715 * z * z)];
  }
  if (fn === "leaky_relu") return z > 0 ? [z, 1.0] : [0.01 * z, 0.01];
  return [z, 1.0];
}
export function moments(fn, mu, v) {
  const s = Math.sqrt(Math.max(v, 0.0));
  let m1 = 0.0, m2 = 0.0, d2 = 0.0, d1 = 0.0;
  for (let i = 0; i < N_GRID; i++) {
    const w = W_GRID[i], [h, d] = act(fn, mu + s * T_GRID[i]);
    m1 += w * h; m2 += w * h * h; d2 += w * d * d; d1 += w * d;
  }
  return [m1, m2, d2, d1];
}
function maxMoments(k, mu, v, shared, relu) {
  const s = Math.sqrt(Math.max(v - shared, 0.0)), sc = Math.sqrt(Math.max(shared, 0.0)), wk = [];
  let tot = 0.0;
  for (let i = 0; i < N_GRID; i++) { const x = W_GRID[i] * k * Math.exp((k - 1) * logNcdf(T_GRID[i])); wk.push(x); tot += x; }
  let m1 = 0.0, m2 = 0.0, cc = 0.0, pp = 0.0, wsum = 0.0;
  for (let a = 0; a < N_OUTER; a++) {
    const u = -6.0 + (12.0 * a) / (N_OUTER - 1), wu = Math.exp(-0.5 * u * u);
    let e1 = 0.0, e2 = 0.0, ep = 0.0;
    for (let i = 0; i < N_GRID; i++) {
      let x = mu + sc * u + s * T_GRID[i];
      if (x > 0) ep += wk[i];
      else if (relu) x = 0.0;
      e1 += wk[i] * x; e2 += wk[i] * x * x;
    }
    e1 /= tot; e2 /= tot;
    m1 += wu * e1; m2 += wu * e2; cc += wu * e1 * e1; pp += (wu * ep) / tot; wsum += wu;
  }
  return [m1 / wsum, m2 / wsum, cc / wsum, pp / wsum];
}
export function initialLoss(q, C) {
  const s = Math.sqrt(Math.max(q, 0.0));
  if (C < 2) return 0.0;
  let tot = 0.0, acc = 0.0;
  for (let i = 0; i < N_GRID; i++) {
    const t = T_GRID[i], wk = W_GRID[i] * C * Math.exp((C - 1) * logNcdf(t));
    const a = Math.log(C - 1) + 0.5 * s * s - s * t + logNcdf(t - s) - logNcdf(t);
    const sp = a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
    tot += wk; acc += wk * (s * t + sp);
  }
  return acc / tot;
}
function mixing(s2, T, causal, p) {
  const e = Math.exp(Math.min(s2, 50.0));
  let m, sh;
  if (causal) {
    m = 0.0; sh = 0.0;
    for (let t = 1; t <= T; t++) { m += Math.min(1.0, e / t); sh += (t - 1) / t; }
    m /= T;
    sh = T > 1 ? (2.0 * sh) / (T * (T - 1)) : 1.0;
  } else { m = Math.min(1.0, e / T); sh = 1.0 / T; }
  return [m / (1.0 - p), Math.min(sh, m)];
}
function rnnForward(op, st) {
  const H = op.H, T = op.T, cell = op.cell, xin = op.fin * op.w_ih * st.q, rho = st.rho || 0.0;
  let h2 = 0.0, hm2 = 0.0, a = 0.0, V = 0.0, M = 0.0, tot = 0.0, last = 0.0, tm = 0.0, D = 0.0, rhoH = 0.0;
  for (let step = 0; step < T; step++) {
    const pre = xin + H * op.w_hh * h2 + op.b;
    if (cell === "lstm") {
      const vb = op.b + H * op.w_hh * hm2;
      const [im, i2] = moments("sigmoid", 0.0, pre), [fm, f2] = moments("sigmoid", op.bf, pre);
      const [, g2, , g1] = moments("tanh", 0.0, pre), [om, o2] = moments("sigmoid", 0.0, pre);
      a = fm * a + im * g1;
      const cPrev = M + V;
      M = a * a * vb;
      V = f2 * V + i2 * Math.max(g2 - g1 * g1 * vb, 0.0) + (f2 - fm * fm) * M + 2.0 * fm * D;
      const [, tc2, , tc1] = moments("tanh", 0.0, M + V);
      h2 = o2 * tc2;
      hm2 = om * om * tc1 * tc1 * M;
      rhoH = h2 > 0 ? Math.min((om * om * tc1 * tc1 * (fm * cPrev + D)) / h2, 0.99) : 0.0;
      D = fm * rho * D + im * im * g1 * g1 * xin * rho;
    } else if (cell === "gru") {
      const [, r2] = moments("sigmoid", 0.0, pre), [zm, z2] = moments("sigmoid", 0.0, pre);
      const [, n2] = moments("tanh", 0.0, xin + op.b + r2 * H * op.w_hh * h2);
      h2 = (1.0 - 2.0 * zm + z2) * n2 + z2 * h2;
    } else h2 = moments("tanh", 0.0, pre)[1];
    tot += h2; tm += hm2; last = h2;
  }
  return op.last ? [last, hm2, rhoH] : [tot / T, tm / T, rhoH];
}
export function forward(ops, x) {
  let cur = { ...x }, reg = null;
  const stack = [], out = [];
  for (const op of ops) {
    const t = op.t, q = cur.q, mu = cur.mu, c = cur.c;
    let pre = null;
    if (t === "dense") {
      const k = op.fwc * op.fin * op.w, b = op.b + op.bm * op.bm;
      cur = { q: k * q + b, mu: op.bm, c: k * c + b };
    } else if (t === "embed") cur = { q: op.w, mu: 0.0, c: 0.0 };
    else if (t === "addconst") cur = { q: q + op.w, mu, c };
    else if (t === "act") {
      const v = Math.max(q - mu * mu, 0.0), [m1, m2, d2, d1] = moments(op.fn, mu, v);
      cur = { q: m2, mu: m1, c: Math.min(m1 * m1 + d1 * d1 * Math.max(c - mu * mu, 0.0), m2) };
      pre = { mu, v, c: Math.max(c - mu * mu, 0.0), d2 };
    } else if (t === "norm") {
      if (op.kind === "bn") { const v = Math.max(q - c, 0.0); cur = { q: v / (v + op.eps), mu: 0.0, c: 0.0 }; }
      else if (op.kind === "ln") {
        const v = Math.max(q - mu * mu, 0.0);
        cur = { q: v / (v + op.eps), mu: 0.0, c: Math.max(c - mu * mu, 0.0) / (v + op.eps) };
      } else cur = { q: q / (q + op.eps), mu: mu / Math.sqrt(q + op.eps), c: c / (q + op.eps) };
    } else if (t === "drop") cur = { q: q / (1.0 - op.p), mu, c };
    else if (t === "avgpool") cur = { q: c + (q - c) / op.k, mu, c };
    else if (t === "maxpool") {
      const p = cur.pre;
      const r = p && op.relu !== false ? maxMoments(op.k, p.mu, p.v, p.c, true)
        : maxMoments(op.k, mu, Math.max(q - mu * mu, 0.0), Math.max(c - mu * mu, 0.0), false);
      cur = { q: r[1], mu: r[0], c: r[2], ppos: r[3] };
    } else if (t === "scale") { const f2 = op.f * op.f; cur = { q: q * f2, mu: mu * op.f, c: c * f2 }; }
    else if (t === "cls") { const f = op.n / (op.n + 1.0); cur = { q: q * f, mu: mu * f, c: c * f }; }
    else if (t === "push") stack.push({ ...cur });
    else if (t === "swap") { const top = stack.pop(); stack.push(cur); cur = top; }
    else if (t === "add") {
      const o = stack.pop(), cross = 2.0 * mu * o.mu;
      cur = { q: q + o.q + cross, mu: mu + o.mu, c: c + o.c + cross };
    } else if (t === "mul") { const o = stack.pop(); cur = { q: q * o.q, mu: mu * o.mu, c: c * o.c }; }
    else if (t === "save") reg = { ...cur };
    else if (t === "mix") {
      const [m, sh] = mixing(op.qk * reg.q * reg.q, op.T, op.causal, op.p);
      cur = { q: c + (q - c) * m, mu, c: c + (q - c) * sh };
    } else if (t === "rnn") { const [q2, c2, r2] = rnnForward(op, cur); cur = { q: q2, mu: 0.0, c: c2, rho: r2 }; }
    if (pre !== null) cur.pre = pre;
    else if (!["mark", "save", "push", "drop"].includes(t) && "pre" in cur) { const { pre: _, ...rest } = cur; cur = rest; }
    out.push({ in: { q, mu, c }, out: { ...cur }, reg });
  }
  return out;
}
export function backward(ops, fw) {
  let g = 1.0;
  const gstack = [], res = new Array(ops.length).fill(null);
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i], t = op.t, f = fw[i];
    res[i] = g;
    if (g === null && !["push", "swap", "add", "mul"].includes(t)) continue;
    if (t === "dense") g = g * op.bwc * op.fout * op.w;
    else if (t === "embed" || t === "rnn") { if (t === "rnn") res[i] = null; g = null; }
    else if (t === "act") {
      let j = i + 1;
      while (j < ops.length && ops[j].t === "mark") j++;
      g = op.fn === "relu" && j < ops.length && ops[j].t === "maxpool" ? g * fw[j].out.ppos : g * f.out.pre.d2;
    }
    else if (t === "norm") {
      const qi = f.in.q, mi = f.in.mu, ci = f.in.c;
      const v = op.kind === "bn" ? Math.max(qi - ci, 0.0) : op.kind === "ln" ? Math.max(qi - mi * mi, 0.0) : qi;
      g = g / (v + op.eps);
    } else if (t === "drop") g = g / (1.0 - op.p);
    else if (t === "avgpool" || t === "maxpool") g = (g * op.r) / (t === "avgpool" ? op.k : 1.0);
    else if (t === "scale") g = g * op.f * op.f;
    else if (t === "mix") g = g * mixing(op.qk * f.reg.q * f.reg.q, op.T, op.causal, op.p)[0];
    else if (t === "add") gstack.push(g);
    else if (t === "mul") {
      const oq = f.in.q > 0 ? f.out.q / f.in.q : 0.0;
      gstack.push(g === null ? null : g * f.in.q);
      g = g === null ? null : g * oq;
    } else if (t === "swap") { const top = gstack.pop(); gstack.push(g); g = top; }
    else if (t === "push") { const o = gstack.pop(); g = g === null || o === null ? null : g + o; }
  }
  return res;
}

// ----------------------------------------------------------------------------- lower.py
export const RULES = {
  torch: { dense: (fi) => 1.0 / (3.0 * fi), bias: (fi) => 1.0 / (3.0 * fi), embed: 1.0 },
  keras: { dense: (fi, fo) => 2.0 / (fi + fo), bias: () => 0.0, embed: (0.05 * 0.05) / 3.0 },
};
const ACTS = { ReLU: "relu", GELU: "gelu", SiLU: "silu", Tanh: "tanh", Sigmoid: "sigmoid", LeakyReLU: "leaky_relu" };
const PASS = new Set(["Identity", "Flatten", "Permute", "Unflatten", "Softmax", "LogSoftmax"]);
const fdiv = (a, b) => Math.floor(a / b);
function ntuple(v, n, dflt) {
  if (v === undefined || v === null) return new Array(n).fill(dflt);
  if (Array.isArray(v)) return v.length === n ? v.map((x) => Math.trunc(x)) : new Array(n).fill(Math.trunc(v[0]));
  return new Array(n).fill(Math.trunc(v));
}
function convDim(n, k, s, p, d) {
  const nOut = fdiv(n + 2 * p - d * (k - 1) - 1, s) + 1;
  let valid = 0;
  for (let o = 0; o < nOut; o++) for (let j = 0; j < k; j++) { const x = o * s - p + j * d; if (x >= 0 && x < n) valid++; }
  return [nOut, valid];
}
class Lowering {
  constructor(fw, shape) {
    Object.assign(this, { fw, shape, ops: [], notes: [], layers: [], spatial: null, T: null, sstack: [], calls: {}, unknown: [], family: "" });
  }
  emit(op, name = null, line = null, label = null, info = null) {
    if (name !== null && name !== undefined) {
      const k = (this.calls[name] || 0) + 1;
      this.calls[name] = k;
      op.name = k === 1 ? name : `${name}@${k}`;
    }
    op.line = line;
    if (label) op.label = label;
    if (info) op.info = info;
    this.ops.push(op);
    return op;
  }
  note(line, text) { this.notes.push({ line, text }); }
  push() { this.emit({ t: "push" }); this.sstack.push([this.spatial, this.T]); }
  swap() { this.emit({ t: "swap" }); const top = this.sstack.pop(); this.sstack.push([this.spatial, this.T]); [this.spatial, this.T] = top; }
  add(name = null, line = null) { this.emit({ t: "add" }, name, line); this.sstack.pop(); }
  dense(name, line, label, fin, fout, w, b, init, fwc = 1.0, bwc = 1.0, bm = 0.0) {
    const op = { t: "dense", fin, fout, w, b, bm, fwc, bwc };
    this.layers.push({ kind: label, name, line, init, w, fin });
    return this.emit(op, name, line, label, { fan_in: fin, fan_out: fout, std: Math.sqrt(w), init });
  }
  conv(name, line, label, cin, cout, k, s, p, d, groups, wOf, bOf, init, transposed = false) {
    const fin = fdiv(cin, groups);
    let kk = 1;
    for (const x of k) kk *= x;
    if (transposed) {
      let ks = 1.0;
      for (let i = 0; i < k.length; i++) ks *= k[i] / s[i];
      if (this.spatial && this.spatial.length === k.length) this.spatial = this.spatial.map((n, i) => (n - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + 1);
      const w = wOf(fdiv(cout, groups) * kk, fdiv(cin, groups) * kk);
      return this.dense(name, line, label, fin * ks, fdiv(cout, groups) * kk, w, bOf(fdiv(cout, groups) * kk, 0), init);
    }
    let fwc = 1.0, bwc = 1.0;
    if (this.spatial && this.spatial.length === k.length) {
      const out = [];
      for (let i = 0; i < k.length; i++) {
        const [nOut, valid] = convDim(this.spatial[i], k[i], s[i], p[i], d[i]);
        fwc *= valid / (nOut * k[i]); bwc *= valid / (this.spatial[i] * k[i]); out.push(nOut);
      }
      this.spatial = out;
    }
    const w = wOf(fin * kk, fdiv(cout * kk, groups));
    return this.dense(name, line, label, fin * kk, fdiv(cout * kk, groups), w, bOf(fin * kk, cout * kk), init, fwc, bwc);
  }
  pool(name, line, kind, k, s, p) {
    let kk = 1, r = 1.0;
    for (const x of k) kk *= x;
    if (this.spatial && this.spatial.length === k.length) {
      const out = [];
      for (let i = 0; i < k.length; i++) { const nOut = fdiv(this.spatial[i] + 2 * p[i] - k[i], s[i]) + 1; r *= nOut / this.spatial[i]; out.push(nOut); }
      this.spatial = out;
    } else for (let i = 0; i < k.length; i++) r /= s[i];
    this.emit({ t: kind, k: kk, r }, name, line, kind === "maxpool" ? "MaxPool" : "AvgPool");
  }
  rnn(name, line, label, cell, fin, H, layers, bidir, wIh, wHh, b, bf, init, last = false) {
    const dirs = bidir ? 2 : 1;
    for (let li = 0; li < layers; li++) {
      const f = li === 0 ? fin : H * dirs;
      const op = { t: "rnn", cell, fin: f, H, w_ih: wIh(f), w_hh: wHh, b, bf, T: this.T || 1, last: last && li === layers - 1 };
      this.layers.push({ kind: label, name, line, init, cell });
      this.emit(op, li === layers - 1 ? name : null, line, label, { fan_in: f, fan_out: H, std: Math.sqrt(op.w_ih), init });
    }
    if (!this.T) this.note(line, `${label}: no sequence length given; assumed 1 step (give the input as batch x steps)`);
  }
}
function need(node, key, pos = null) {
  const a = node.args;
  if (key in a) return a[key];
  if (pos !== null && String(pos) in a) return a[String(pos)];
  fail(`line ${node.line}: \`${node.type}\` needs \`${key}\`, which the line does not show`);
}
const get = (a, k, d) => (k in a ? a[k] : d);

// -------------------------------------------------------------------------- torchnet.py
const TR = RULES.torch;
const CONVS = { Conv1d: 1, Conv2d: 2, Conv3d: 3, ConvTranspose1d: 1, ConvTranspose2d: 2 };
const RNNS = { LSTM: "lstm", GRU: "gru", RNN: "rnn" };
const CONTAINERS = new Set(["Sequential", "ModuleList", "ModuleDict"]);
const FAMILIES = { ResNet: "resnet", VGG: "vgg", VisionTransformer: "vit" };
function firstLeaf(node) {
  for (const c of node.children) { const f = firstLeaf(c); if (f) return f; }
  return node.children.length ? null : node;
}
const zero = () => 0.0;
function initOf(fam, path, kind) {
  if (fam === "resnet" && kind === "conv") return [(fi, fo) => 2.0 / fo, zero, "kaiming_normal_ fan_out (torchvision ResNet)"];
  if (fam === "vgg" && kind === "conv") return [(fi, fo) => 2.0 / fo, zero, "kaiming_normal_ fan_out (torchvision VGG)"];
  if (fam === "vgg") return [() => 1e-4, zero, "normal std 0.01 (torchvision VGG)"];
  if (fam === "vit" && path.endsWith("conv_proj")) return [(fi) => 1.0 / fi, zero, "trunc_normal_ std 1/√fan_in, bounds ±2 (torchvision ViT)"];
  if (fam === "vit" && path.includes(".mlp.")) return [(fi, fo) => 2.0 / (fi + fo), () => 1e-12, "xavier_uniform_ (torchvision ViT MLP)"];
  if (fam === "vit" && path.startsWith("heads")) return [zero, zero, "zeros (torchvision ViT head)"];
  return [TR.dense, TR.bias, "PyTorch default U(±1/√fan_in)"];
}
function lowerTorch(root, shape) {
  const L = new Lowering("torch", shape);
  L.family = FAMILIES[root.type] || "";
  if (L.family) L.note(root.line, `\`${root.type}\` found: torchvision's own initialization and forward are assumed`);
  const leaf = firstLeaf(root) || root;
  if (leaf.type in CONVS && shape) L.spatial = shape.slice(2);
  else if (leaf.type in RNNS && shape && shape.length >= 2) L.T = leaf.args.batch_first ? shape[1] : shape[0];
  else if (shape && shape.length >= 2 && (leaf.type === "Embedding" || shape.length === 3)) L.T = shape[1];
  node(L, root, "");
  tie(L);
  return L;
}
function tie(L) {
  for (const x of L.layers) {
    if (x.kind !== "Embedding") continue;
    for (const op of L.ops) {
      if (op.t === "dense" && op.label === "Linear" && op.fin === x.d && op.fout === x.V && op.b === 0 && op.info.init.startsWith("PyTorch default")) {
        op.w = x.w;
        op.info = { ...op.info, std: Math.sqrt(x.w), init: `tied to ${x.name} (assumed): N(0, 1)` };
        L.note(op.line, `\`${op.name}\` has the shape of \`${x.name}\` transposed and no bias: assumed tied to it`);
      }
    }
  }
}
const pathOf = (prefix, name) => (prefix && name ? `${prefix}.${name}` : prefix || name);
function children(L, n, path) { for (const c of n.children) node(L, c, pathOf(path, c.name)); }
function mha(L, n, path, steps, causal = false, p = 0.0) {
  if (!n.children.length) fail(`line ${n.line}: MultiheadAttention without its out_proj line: paste the whole model`);
  const d = need(n.children[0], "in_features"), wIn = 2.0 / (4.0 * d);
  L.emit({ t: "save" });
  L.dense(null, n.line, "MHA v", d, d, wIn, 0.0, "xavier_uniform_ on packed in_proj");
  L.emit({ t: "mix", qk: d * wIn * (d * wIn), T: steps || 1, causal, p }, null, n.line, "attention");
  L.dense(path, n.line, "MultiheadAttention", d, d, TR.dense(d, d), 0.0, "PyTorch default U(±1/√fan_in), bias 0");
  L.layers.push({ kind: "MultiheadAttention", name: path, line: n.line, init: "torch" });
}
const byName = (n) => Object.fromEntries(n.children.map((c) => [c.name, c]));
function node(L, n, path) {
  const t = n.type, a = n.args, line = n.line, fam = L.family;
  if (["Linear", "NonDynamicallyQuantizableLinear", "LazyLinear"].includes(t)) {
    const fi = need(n, "in_features"), fo = need(n, "out_features"), [wf, bf, lab] = initOf(fam, path, "linear");
    const bias = get(a, "bias", true);
    L.dense(path, line, "Linear", fi, fo, wf(fi, fo), bias ? bf(fi, fo) : 0.0, lab);
    Object.assign(L.layers[L.layers.length - 1], { out: fo, bias });
    if (fam === "vit" && path.startsWith("heads")) L.note(line, "the zero-initialized head passes no gradient to the body at the first step");
  } else if (t in CONVS) {
    const nd = CONVS[t], k = ntuple(need(n, "kernel_size", 2), nd, 1);
    const s = ntuple(a.stride, nd, 1), p = ntuple(a.padding, nd, 0), d = ntuple(a.dilation, nd, 1);
    if (typeof a.padding === "string") fail(`line ${line}: padding='${a.padding}' is not supported; give it as numbers`);
    const [wf, bf, lab] = initOf(fam, path, "conv");
    L.conv(path, line, t, need(n, "in_channels", 0), need(n, "out_channels", 1), k, s, p, d, Math.trunc(get(a, "groups", 1)),
      wf, get(a, "bias", true) ? bf : zero, lab, t.startsWith("ConvT"));
    if (fam === "vit" && path.endsWith("conv_proj")) {
      L.layers[L.layers.length - 1].trunc = true;
      let np = 1;
      for (const x of L.spatial || [1]) np *= x;
      L.emit({ t: "cls", n: np }, null, line, "class token");
      L.T = np + 1; L.spatial = null;
    }
  } else if (t === "Embedding") {
    const V = need(n, "num_embeddings", 0), dim = need(n, "embedding_dim", 1);
    L.emit({ t: "embed", w: TR.embed }, path, line, "Embedding", { fan_in: V, fan_out: dim, std: 1.0, init: "normal std 1" });
    L.layers.push({ kind: "Embedding", name: path, line, init: "torch", V, d: dim, w: 1.0 });
  } else if (t in RNNS) {
    const fi = need(n, "input_size", 0), H = need(n, "hidden_size", 1), w = 1.0 / (3.0 * H);
    L.rnn(path, line, t, RNNS[t], fi, H, Math.trunc(get(a, "num_layers", 1)), Boolean(a.bidirectional), () => w, w, 2.0 * w, 0.0,
      "PyTorch default U(±1/√hidden), two bias vectors");
  } else if (t === "LayerNorm" || t === "RMSNorm") {
    L.emit({ t: "norm", kind: t === "LayerNorm" ? "ln" : "rms", eps: parseFloat(get(a, "eps", 1e-5)) }, path, line, t);
  } else if (t.startsWith("BatchNorm") || t.startsWith("GroupNorm") || t.startsWith("InstanceNorm")) {
    L.emit({ t: "norm", kind: "bn", eps: parseFloat(get(a, "eps", 1e-5)) }, path, line, t);
  } else if (t.startsWith("Dropout") || t === "AlphaDropout") {
    L.emit({ t: "drop", p: parseFloat(get(a, "p", get(a, "0", 0.5))) }, path, line, "Dropout");
  } else if (t in ACTS) {
    L.emit({ t: "act", fn: t === "GELU" && a.approximate === "tanh" ? "gelu_tanh" : ACTS[t] }, path, line, t);
  } else if (t.startsWith("MaxPool") || t.startsWith("AvgPool")) {
    const nd = /\d/.test(t[t.length - 2]) ? parseInt(t[t.length - 2], 10) : 2, k = ntuple(need(n, "kernel_size", 0), nd, 1);
    const s = ntuple(a.stride !== undefined && a.stride !== null ? a.stride : k, nd, 1);
    L.pool(path, line, t.startsWith("Max") ? "maxpool" : "avgpool", k, s, ntuple(a.padding, nd, 0));
  } else if (t.startsWith("AdaptiveAvgPool") || t.startsWith("AdaptiveMaxPool")) {
    const out = get(a, "output_size", a["0"]), sp = L.spatial || [], o = sp.length ? ntuple(out, sp.length, 1) : [];
    let kk = 1, r = 1.0;
    for (let i = 0; i < sp.length; i++) { kk *= Math.max(1, fdiv(sp[i], Math.max(o[i], 1))); r *= o[i] / sp[i]; }
    L.spatial = o.length ? o : null;
    L.emit({ t: t.includes("Avg") ? "avgpool" : "maxpool", k: kk, r }, path, line, "AdaptiveAvgPool");
  } else if (PASS.has(t)) {
    L.emit({ t: "mark" }, path, line, t);
    if (t === "Flatten") L.spatial = null;
  } else if (t === "MultiheadAttention") mha(L, n, path, L.T);
  else if (t === "BasicBlock" || t === "Bottleneck") block(L, n, path);
  else if (t === "TransformerEncoderLayer") encoderLayer(L, n, path);
  else if (t === "EncoderBlock" && fam === "vit") vitBlock(L, n, path);
  else if (t === "TransformerEncoder") {
    const layers = n.children.filter((c) => c.name === "layers");
    L.layers.push({ kind: "TransformerEncoder", name: path, line, n: layers.length ? layers[0].children.length : 0 });
    children(L, n, path);
    L.emit({ t: "mark" }, path, line, t);
  } else if (n.children.length) {
    if (t === "Encoder" && fam === "vit") L.emit({ t: "addconst", w: 0.02 * 0.02 }, null, line, "pos_embedding N(0, 0.02²)");
    else if (!CONTAINERS.has(t) && !fam) L.note(line, `\`${t}\`: a custom module; its children are assumed to run one after another, in the printed order`);
    else if (t === "ModuleList") L.note(line, "ModuleList: assumed to run in order, each output feeding the next");
    children(L, n, path);
    if (path) L.emit({ t: "mark" }, path, line, t);
  } else {
    L.note(line, `\`${t}\` is not a layer the doctor knows: treated as the identity (scale unchanged)`);
    L.emit({ t: "mark" }, path, line, t);
    L.unknown.push({ line, text: t });
  }
}
function block(L, n, path) {
  const c = byName(n);
  L.note(n.line, `\`${n.type}\` at ${path}: residual \`relu(branch + shortcut)\` assumed (torchvision's forward)`);
  L.push();
  const convs = "conv3" in c ? ["conv1", "conv2", "conv3"] : ["conv1", "conv2"];
  convs.forEach((cv, i) => {
    node(L, c[cv], `${path}.${cv}`);
    node(L, c[`bn${i + 1}`], `${path}.bn${i + 1}`);
    if (i < convs.length - 1) node(L, c.relu, `${path}.relu`);
  });
  L.swap();
  if ("downsample" in c) node(L, c.downsample, `${path}.downsample`);
  L.add();
  node(L, c.relu, `${path}.relu`);
  L.emit({ t: "mark" }, path, n.line, n.type);
}
function encoderLayer(L, n, path) {
  const c = byName(n);
  L.note(n.line, `TransformerEncoderLayer at ${path}: post-norm (norm_first=False) and ReLU assumed, the defaults`);
  const p = "dropout" in c ? parseFloat(get(c.dropout.args, "p", 0.1)) : 0.0;
  L.push();
  mha(L, c.self_attn, `${path}.self_attn`, L.T, false, p);
  node(L, c.dropout1, `${path}.dropout1`);
  L.add();
  node(L, c.norm1, `${path}.norm1`);
  L.push();
  node(L, c.linear1, `${path}.linear1`);
  L.emit({ t: "act", fn: "relu" }, null, n.line, "ReLU (functional)");
  node(L, c.dropout, `${path}.dropout`);
  node(L, c.linear2, `${path}.linear2`);
  node(L, c.dropout2, `${path}.dropout2`);
  L.add();
  node(L, c.norm2, `${path}.norm2`);
  L.emit({ t: "mark" }, path, n.line, n.type);
}
function vitBlock(L, n, path) {
  const c = byName(n);
  L.push();
  node(L, c.ln_1, `${path}.ln_1`);
  mha(L, c.self_attention, `${path}.self_attention`, L.T);
  node(L, c.dropout, `${path}.dropout`);
  L.add();
  L.push();
  node(L, c.ln_2, `${path}.ln_2`);
  node(L, c.mlp, `${path}.mlp`);
  L.add();
  L.emit({ t: "mark" }, path, n.line, n.type);
  L.layers.push({ kind: "prenorm-block", name: path, line: n.line, scaled: false });
}

// ---------------------------------------------------------------------------- others.py
const KR = RULES.keras;
function lowerKeras(rows, shape) {
  const L = new Lowering("keras", shape);
  let prev = shape ? [null, ...shape.slice(1)] : null;
  L.note(rows[0].line, "summary() does not show a layer's activation= argument: a Dense or Conv layer is taken as linear");
  for (const r of rows) {
    const t = r.type, out = r.shape, line = r.line, name = r.name;
    if (t === "InputLayer") { prev = out; continue; }
    if (out === null) fail(`line ${line}: \`${name}\` has output shape \`multiple\`; the doctor needs the shapes`);
    if (prev === null && t !== "Embedding") fail(`line ${line}: the input shape is unknown; give it in the input field (e.g. 32x32x32x3)`);
    if (t === "Dense") {
      const fi = prev[prev.length - 1], fo = out[out.length - 1];
      L.dense(name, line, "Dense", fi, fo, KR.dense(fi, fo), 0.0, "glorot_uniform");
      Object.assign(L.layers[L.layers.length - 1], { out: fo, bias: r.params > fi * fo });
    } else if (["Conv1D", "Conv2D", "Conv3D"].includes(t)) {
      const nd = parseInt(t[4], 10), cin = prev[prev.length - 1], cout = out[out.length - 1];
      const kk = (r.params - cout) % (cin * cout) === 0 ? (r.params - cout) / (cin * cout) : r.params / (cin * cout);
      const k = Math.round(kk ** (1.0 / nd));
      let fwc = 1.0, bwc = 1.0;
      for (let i = 0; i < nd; i++) {
        const nIn = prev[1 + i], nO = out[1 + i], s = nO >= nIn - k + 1 ? 1 : Math.round(nIn / nO);
        const p = nO === fdiv(nIn - k, s) + 1 ? 0 : fdiv(k - 1, 2), [nOut, valid] = convDim(nIn, k, s, p, 1);
        fwc *= valid / (nOut * k); bwc *= valid / (nIn * k);
      }
      const fi = cin * Math.round(kk), fo = cout * Math.round(kk);
      L.dense(name, line, t, fi, fo, KR.dense(fi, fo), 0.0, "glorot_uniform, fans × kernel size", fwc, bwc);
    } else if (["MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D"].includes(t)) {
      let k = 1, r_ = 1.0;
      for (let i = 0; i < out.length - 2; i++) { k *= Math.max(1, fdiv(prev[1 + i], out[1 + i])); r_ *= out[1 + i] / prev[1 + i]; }
      L.emit({ t: t.startsWith("Max") ? "maxpool" : "avgpool", k, r: r_ }, name, line, t);
    } else if (["GlobalAveragePooling1D", "GlobalAveragePooling2D"].includes(t)) {
      let k = 1;
      for (const x of prev.slice(1, -1)) k *= x;
      L.emit({ t: "avgpool", k, r: 1.0 / k }, name, line, t);
    } else if (["Flatten", "Reshape", "InputLayer", "Activation"].includes(t)) {
      L.emit({ t: "mark" }, name, line, t);
      if (t === "Activation") L.note(line, `\`${name}\`: Activation layers do not show their function in summary(); taken as the identity`);
    } else if (t === "ReLU" || t === "LeakyReLU") L.emit({ t: "act", fn: t === "ReLU" ? "relu" : "leaky_relu" }, name, line, t);
    else if (t === "Dropout") {
      L.note(line, `\`${name}\`: summary() does not show the dropout rate; taken as 0`);
      L.emit({ t: "drop", p: 0.0 }, name, line, t);
    } else if (t === "BatchNormalization") L.emit({ t: "norm", kind: "bn", eps: 1e-3 }, name, line, t);
    else if (t === "LayerNormalization") L.emit({ t: "norm", kind: "ln", eps: 1e-3 }, name, line, t);
    else if (t === "Embedding") {
      const d = out[out.length - 1];
      L.T = out.length === 3 ? out[1] : shape && shape.length > 1 ? shape[1] : null;
      L.emit({ t: "embed", w: KR.embed }, name, line, "Embedding", { fan_in: fdiv(r.params, d), fan_out: d, std: Math.sqrt(KR.embed), init: "uniform ±0.05" });
      L.layers.push({ kind: "Embedding", name, line, init: "keras", V: fdiv(r.params, d), d, w: KR.embed });
    } else if (["LSTM", "GRU", "SimpleRNN"].includes(t)) {
      const u = out[out.length - 1], fi = prev[prev.length - 1], g = { LSTM: 4, GRU: 3, SimpleRNN: 1 }[t];
      const cell = { LSTM: "lstm", GRU: "gru", SimpleRNN: "rnn" }[t];
      const init = g > 1 ? "glorot_uniform kernel, orthogonal recurrent on the stacked gates" : "glorot_uniform, orthogonal";
      L.rnn(name, line, t, cell, fi, u, 1, false, (f) => 2.0 / (f + g * u), 1.0 / (g * u), 0.0, t === "LSTM" ? 1.0 : 0.0, init, out.length === 2);
      L.layers[L.layers.length - 1].keras = true;
    } else {
      L.note(line, `\`${t}\` is not a layer the doctor knows: treated as the identity`);
      L.emit({ t: "mark" }, name, line, t);
      L.unknown.push({ line, text: t });
    }
    if (out !== null) prev = out;
  }
  return L;
}
function cget(cfg, keys, dflt = null) {
  for (const k of keys) if (k in cfg && cfg[k] !== null) return cfg[k];
  if (dflt === null) fail(`config.json: \`${keys[0]}\` is missing`);
  return dflt;
}
function lowerHf(cfg, shape) {
  const mt = String(cfg.model_type || "").toLowerCase(), L = new Lowering("hf", shape);
  L.T = shape && shape.length > 1 ? shape[1] : 128;
  if (!(shape && shape.length > 1)) L.note(1, "no input shape given: sequences of 128 tokens assumed");
  const std = parseFloat(cget(cfg, ["initializer_range"], 0.02)), w = std * std;
  if (mt === "gpt2") gpt2(L, cfg, w);
  else if (["llama", "mistral", "qwen2"].includes(mt)) llama(L, cfg, w);
  else if (["bert", "roberta"].includes(mt)) bert(L, cfg, w);
  else if (mt === "t5") t5(L, cfg);
  else fail(`config.json: model_type \`${mt}\` is not one the doctor knows (gpt2, llama, bert, t5)`);
  L.family = mt;
  return L;
}
function attention(L, d, wq, wk, wv, wo, causal, pAttn, names, scaleFree = false, dh = 1) {
  L.emit({ t: "save" });
  L.dense(names[0], null, "v", d, d, wv, 0.0, `normal std ${g3(Math.sqrt(wv))}`);
  const qk = d * wq * (d * wk) * (scaleFree ? dh : 1);
  L.emit({ t: "mix", qk, T: L.T, causal, p: pAttn }, null, null, "attention");
  L.dense(names[1], null, "out", d, d, wo, 0.0, `normal std ${g3(Math.sqrt(wo))}`);
}
const emb = (L, name, w, V, d, init = "normal") => L.emit({ t: "embed", w }, name, null, "Embedding", { fan_in: V, fan_out: d, std: Math.sqrt(w), init });
const norm = (L, kind, eps, name, label) => L.emit({ t: "norm", kind, eps }, name, null, label);
const drop = (L, p, name = null) => L.emit({ t: "drop", p }, name, null, "Dropout");
const mark = (L, name, label) => L.emit({ t: "mark" }, name, null, label);
function gpt2(L, cfg, w) {
  const d = cget(cfg, ["n_embd", "hidden_size"]), n = cget(cfg, ["n_layer", "num_hidden_layers"]), V = cget(cfg, ["vocab_size"]);
  const di = cget(cfg, ["n_inner"], 4 * d), eps = parseFloat(cget(cfg, ["layer_norm_epsilon"], 1e-5)), pr = parseFloat(cget(cfg, ["resid_pdrop"], 0.1));
  const act = ["gelu_new", "gelu_pytorch_tanh"].includes(String(cget(cfg, ["activation_function"], "gelu_new"))) ? "gelu_tanh" : "gelu";
  const wo = w / (2.0 * n);
  L.note(1, `GPT-2: pre-norm residual blocks x + attn(ln_1(x)), x + mlp(ln_2(x)); c_proj std ${g3(Math.sqrt(wo))} = 0.02/√(2·${n}) (Hugging Face's init)`);
  emb(L, "transformer.wte", w, V, d);
  L.emit({ t: "addconst", w }, null, null, "wpe");
  drop(L, parseFloat(cget(cfg, ["embd_pdrop"], 0.1)), "transformer.drop");
  for (let i = 0; i < n; i++) {
    const h = `transformer.h.${i}`;
    L.push();
    norm(L, "ln", eps, `${h}.ln_1`, "LayerNorm");
    attention(L, d, w, w, w, wo, true, parseFloat(cget(cfg, ["attn_pdrop"], 0.1)), [`${h}.attn.c_attn`, `${h}.attn.c_proj`]);
    L.ops[L.ops.length - 3].pack = 1.0 / 3.0;
    drop(L, pr, `${h}.attn.resid_dropout`);
    mark(L, `${h}.attn`, "attention");
    L.add();
    L.push();
    norm(L, "ln", eps, `${h}.ln_2`, "LayerNorm");
    L.dense(`${h}.mlp.c_fc`, null, "Linear", d, di, w, 0.0, "normal");
    L.emit({ t: "act", fn: act }, `${h}.mlp.act`, null, "GELU");
    L.dense(`${h}.mlp.c_proj`, null, "Linear", di, d, wo, 0.0, "normal / √(2L)");
    drop(L, pr, `${h}.mlp.dropout`);
    mark(L, `${h}.mlp`, "MLP");
    L.add();
    mark(L, h, "block");
    L.layers.push({ kind: "prenorm-block", name: h, line: null, scaled: true });
  }
  norm(L, "ln", eps, "transformer.ln_f", "LayerNorm");
  L.dense("lm_head", null, "Linear", d, V, w, 0.0, get(cfg, "tie_word_embeddings", true) ? "tied to wte" : "normal");
  L.layers.push({ kind: "Embedding", name: "transformer.wte", init: "hf", V, d, w });
}
function llama(L, cfg, w) {
  const d = cget(cfg, ["hidden_size"]), n = cget(cfg, ["num_hidden_layers"]), V = cget(cfg, ["vocab_size"]);
  const di = cget(cfg, ["intermediate_size"]), eps = parseFloat(cget(cfg, ["rms_norm_eps"], 1e-6));
  const act = { silu: "silu", gelu: "gelu", relu: "relu" }[String(cget(cfg, ["hidden_act"], "silu"))] || "silu";
  L.note(1, "Llama: pre-norm residual blocks with RMSNorm and a gated MLP down(act(gate(x)) * up(x)); every matrix N(0, 0.02²)");
  if (cget(cfg, ["num_key_value_heads"], 0) && cfg.num_key_value_heads !== cget(cfg, ["num_attention_heads"]))
    L.note(1, "grouped-query attention: shared k, v heads do not change the scale");
  emb(L, "model.embed_tokens", w, V, d);
  for (let i = 0; i < n; i++) {
    const h = `model.layers.${i}`;
    L.push();
    norm(L, "rms", eps, `${h}.input_layernorm`, "RMSNorm");
    attention(L, d, w, w, w, w, true, 0.0, [`${h}.self_attn.v_proj`, `${h}.self_attn.o_proj`]);
    mark(L, `${h}.self_attn`, "attention");
    L.add();
    L.push();
    norm(L, "rms", eps, `${h}.post_attention_layernorm`, "RMSNorm");
    L.push();
    L.dense(`${h}.mlp.gate_proj`, null, "Linear", d, di, w, 0.0, "normal");
    L.emit({ t: "act", fn: act }, `${h}.mlp.act_fn`, null, "SiLU");
    L.swap();
    L.dense(`${h}.mlp.up_proj`, null, "Linear", d, di, w, 0.0, "normal");
    L.emit({ t: "mul" }, null, null, "gate × up");
    L.sstack.pop();
    L.dense(`${h}.mlp.down_proj`, null, "Linear", di, d, w, 0.0, "normal");
    mark(L, `${h}.mlp`, "MLP");
    L.add();
    mark(L, h, "block");
    L.layers.push({ kind: "prenorm-block", name: h, line: null, scaled: false });
  }
  norm(L, "rms", eps, "model.norm", "RMSNorm");
  L.dense("lm_head", null, "Linear", d, V, w, 0.0, "normal");
  L.layers.push({ kind: "Embedding", name: "model.embed_tokens", init: "hf", V, d, w });
}
function bert(L, cfg, w) {
  const d = cget(cfg, ["hidden_size"]), n = cget(cfg, ["num_hidden_layers"]), V = cget(cfg, ["vocab_size"]);
  const di = cget(cfg, ["intermediate_size"]), eps = parseFloat(cget(cfg, ["layer_norm_eps"], 1e-12));
  const ph = parseFloat(cget(cfg, ["hidden_dropout_prob"], 0.1)), pa = parseFloat(cget(cfg, ["attention_probs_dropout_prob"], 0.1));
  L.note(1, "BERT: post-norm residual blocks LayerNorm(x + sublayer(x)); the output is the last hidden state");
  emb(L, "embeddings.word_embeddings", w, V, d);
  L.emit({ t: "addconst", w: 2 * w }, null, null, "position + token type");
  norm(L, "ln", eps, "embeddings.LayerNorm", "LayerNorm");
  drop(L, ph, "embeddings.dropout");
  for (let i = 0; i < n; i++) {
    const h = `encoder.layer.${i}`;
    L.push();
    attention(L, d, w, w, w, w, false, pa, [`${h}.attention.self.value`, `${h}.attention.output.dense`]);
    drop(L, ph, `${h}.attention.output.dropout`);
    L.add();
    norm(L, "ln", eps, `${h}.attention.output.LayerNorm`, "LayerNorm");
    L.push();
    L.dense(`${h}.intermediate.dense`, null, "Linear", d, di, w, 0.0, "normal");
    L.emit({ t: "act", fn: "gelu" }, null, null, "GELU");
    L.dense(`${h}.output.dense`, null, "Linear", di, d, w, 0.0, "normal");
    drop(L, ph, `${h}.output.dropout`);
    L.add();
    norm(L, "ln", eps, `${h}.output.LayerNorm`, "LayerNorm");
    mark(L, h, "block");
  }
}
function t5(L, cfg) {
  const d = cget(cfg, ["d_model"]), n = cget(cfg, ["num_layers"]), V = cget(cfg, ["vocab_size"]);
  const dkv = cget(cfg, ["d_kv"]), nh = cget(cfg, ["num_heads"]), dff = cget(cfg, ["d_ff"]);
  const f = parseFloat(cget(cfg, ["initializer_factor"], 1.0));
  const eps = parseFloat(cget(cfg, ["layer_norm_epsilon"], 1e-6)), pd = parseFloat(cget(cfg, ["dropout_rate"], 0.1));
  const gated = String(cget(cfg, ["feed_forward_proj"], "relu")).startsWith("gated");
  L.note(1, "T5: the encoder stack only (pre-norm, RMS LayerNorm, unscaled attention scores); the decoder is not analysed");
  emb(L, "shared", f * f, V, d, "normal std factor");
  drop(L, pd);
  for (let i = 0; i < n; i++) {
    const h = `encoder.block.${i}`;
    L.push();
    norm(L, "rms", eps, `${h}.layer.0.layer_norm`, "T5LayerNorm");
    attention(L, d, (f * f) / (d * dkv), (f * f) / d, (f * f) / d, (f * f) / (nh * dkv), false, pd,
      [`${h}.layer.0.SelfAttention.v`, `${h}.layer.0.SelfAttention.o`], true, dkv);
    drop(L, pd);
    L.add();
    L.push();
    norm(L, "rms", eps, `${h}.layer.1.layer_norm`, "T5LayerNorm");
    if (gated) {
      L.push();
      L.dense(`${h}.layer.1.DenseReluDense.wi_0`, null, "Linear", d, dff, (f * f) / d, 0.0, "normal");
      L.emit({ t: "act", fn: "gelu_tanh" }, null, null, "GELU");
      L.swap();
      L.dense(`${h}.layer.1.DenseReluDense.wi_1`, null, "Linear", d, dff, (f * f) / d, 0.0, "normal");
      L.emit({ t: "mul" }, null, null, "gate × up");
      L.sstack.pop();
    } else {
      L.dense(`${h}.layer.1.DenseReluDense.wi`, null, "Linear", d, dff, (f * f) / d, 0.0, "normal");
      L.emit({ t: "act", fn: "relu" }, null, null, "ReLU");
    }
    L.dense(`${h}.layer.1.DenseReluDense.wo`, null, "Linear", dff, d, (f * f) / dff, 0.0, "normal");
    drop(L, pd);
    L.add();
    mark(L, h, "block");
    L.layers.push({ kind: "prenorm-block", name: h, line: null, scaled: true });
  }
  norm(L, "rms", eps, "encoder.final_layer_norm", "T5LayerNorm");
}

// ------------------------------------------------------------------------------ traps.py
export const TRAP_IDS = ["torch-linear-relu", "trunc-normal-bounds", "lstm-forget-bias", "encoder-identical-layers",
  "tied-embedding-n01", "no-residual-scaling", "keras-recurrent-orthogonal"];
export const FIX = {
  "torch-linear-relu": `for m in model.modules():
    if isinstance(m, (nn.Linear, nn.Conv2d)):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")  # He: variance 2/fan_in
        nn.init.zeros_(m.bias)`,
  "trunc-normal-bounds": `# a and b are absolute values, not multiples of std: pass them explicitly
nn.init.trunc_normal_(w, std=std, a=-2 * std, b=2 * std)`,
  "lstm-forget-bias": `H = lstm.hidden_size
for name, p in lstm.named_parameters():
    if name.startswith("bias"):
        nn.init.zeros_(p)  # both b_ih and b_hh: PyTorch adds them
        if name.startswith("bias_ih"):
            p.data[H:2 * H] = 1.0  # forget gate (gate order i, f, g, o); total forget bias 1`,
  "encoder-identical-layers": `# nn.TransformerEncoder deep-copies one layer: give each copy its own draw
for layer in model.encoder.layers:  # adapt the path to your model
    layer.self_attn._reset_parameters()
    for m in (layer.linear1, layer.linear2):
        m.reset_parameters()`,
  "tied-embedding-n01": `nn.init.normal_(model.embed.weight, std=0.02)  # tied logits: std 0.02·√d, not √d`,
  "no-residual-scaling": `import math
L = config.num_hidden_layers
for name, p in model.named_parameters():
    if name.endswith(("o_proj.weight", "down_proj.weight")):  # the projections that write to the residual stream
        nn.init.normal_(p, std=config.initializer_range / math.sqrt(2 * L))`,
  "keras-recurrent-orthogonal": `class PerGateOrthogonal(keras.initializers.Initializer):
    def __call__(self, shape, dtype=None):  # (units, gates * units): one orthogonal block per gate
        u = shape[0]
        return keras.ops.concatenate(
            [keras.initializers.Orthogonal()((u, u), dtype) for _ in range(shape[1] // u)], axis=1)

keras.layers.LSTM(64, recurrent_initializer=PerGateOrthogonal())`,
};
function reluChain(ops) {
  let best = [0, null, null], run = 0, start = null, i = 0;
  while (i < ops.length) {
    const op = ops[i];
    if (op.t === "dense" && ((op.info || {}).init || "").includes("PyTorch default")) {
      let j = i + 1;
      while (j < ops.length && (ops[j].t === "drop" || ops[j].t === "mark")) j++;
      if (j < ops.length && ops[j].t === "act" && ops[j].fn === "relu") {
        if (run === 0) start = i;
        run++;
        if (run > best[0]) best = [run, start, j];
        i = j + 1;
        continue;
      }
    }
    if (op.t !== "drop" && op.t !== "mark") run = 0;
    i++;
  }
  return best;
}
const g3 = (x) => Number(x.toPrecision(3)).toString();
function findTraps(L, fw) {
  const out = [];
  const add = (id, line, title, detail) => {
    if (out.some((t) => t.id === id && t.line === line)) return;
    out.push({ id, line, title, detail, fix: FIX[id] });
  };
  const [n, a, b] = reluChain(L.ops);
  if (L.fw === "torch" && n >= 4)
    add("torch-linear-relu", L.ops[a].line, "PyTorch's default Linear init in a deep ReLU stack",
      `${n} layers in a row use U(±1/√fan_in), variance 1/(3·fan_in): a sixth of He's 2/fan_in once ReLU halves it. ` +
      `The second moment goes from ${g3(fw[a].in.q)} to ${g3(fw[b].out.q)} over the stack (biases set the floor).`);
  for (const x of L.layers) {
    if (x.trunc)
      add("trunc-normal-bounds", x.line, "trunc_normal_ with absolute bounds",
        `\`${x.name}\`: trunc_normal_(std=${g3(Math.sqrt(x.w))}) keeps its default bounds a=-2, b=2, which are absolute: ` +
        `${Math.round(2 / Math.sqrt(x.w))} standard deviations, so nothing is truncated.`);
    if (x.kind === "LSTM" && !x.keras && L.fw === "torch")
      add("lstm-forget-bias", x.line, "LSTM without a forget-gate bias, and two bias vectors",
        `\`${x.name}\`: PyTorch's forget-gate bias is b_ih + b_hh, two uniform draws with mean 0, so the cell ` +
        "forgets half its state per step at init. Setting 1 in both vectors gives 2, not 1.");
    if (x.kind === "TransformerEncoder" && (x.n || 0) >= 2)
      add("encoder-identical-layers", x.line, "nn.TransformerEncoder's layers start identical",
        `\`${x.name || "TransformerEncoder"}\` builds its ${x.n} layers with copy.deepcopy of one layer: every ` +
        "layer starts with the same weights, a symmetry that only the data can break.");
    if (x.kind === "Embedding" && x.w === 1.0)
      for (const y of L.layers)
        if (y.kind === "Linear" && y.out === x.V && y.fin === x.d && !y.bias) {
          add("tied-embedding-n01", x.line, "N(0, 1) embedding tied to the output layer",
            `\`${x.name}\` (${x.V}×${x.d}) matches \`${y.name}\` (no bias): if they are tied, as assumed, the logits start ` +
            `with std ≈ √${x.d} = ${Math.sqrt(x.d).toFixed(1)} and the initial loss is far above ln V = ${Math.log(x.V).toFixed(2)}.`);
          break;
        }
  }
  const blocks = L.layers.filter((x) => x.kind === "prenorm-block");
  if (blocks.length >= 2 && !blocks.some((x) => x.scaled))
    add("no-residual-scaling", blocks[0].line, "No residual-output scaling",
      `${blocks.length} pre-norm residual blocks add their outputs to the stream unscaled: its variance grows with ` +
      "depth, so the last blocks' updates are relatively smaller. GPT-2 scales the output projections by 1/√(2L).");
  for (const x of L.layers)
    if (x.keras && (x.cell === "lstm" || x.cell === "gru"))
      add("keras-recurrent-orthogonal", x.line, "Keras orthogonalizes the stacked recurrent matrix",
        `\`${x.name}\`: Orthogonal() is applied to the (units, gates·units) matrix, so each gate's block is not ` +
        "orthogonal (its singular values are about 1/√gates, not 1).");
  return out;
}

// ---------------------------------------------------------------------------- __init__.py
export function analyze(text, shape = "") {
  const kind = detect(text), dims = shape && shape.trim() ? parseInputShape(shape) : null;
  let unread = [], L;
  if (kind === "torch") { const [root, u] = parseTorch(text); unread = u; L = lowerTorch(root, dims); }
  else if (kind === "keras") { const [rows, u] = parseKeras(text); unread = u; L = lowerKeras(rows, dims); }
  else L = lowerHf(parseHf(text), dims);
  const ops = L.ops;
  if (!ops.some((op) => ["dense", "embed", "rnn"].includes(op.t)))
    fail("no layer with weights found (Linear, Conv, Embedding, LSTM, Dense, ...): nothing to analyse");
  const fw = forward(ops, { q: 1.0, mu: 0.0, c: 0.0 }), g = backward(ops, fw), rows = [];
  ops.forEach((op, i) => {
    if (!("name" in op)) return;
    let gi = g[i];
    if (gi !== null && "pack" in op) gi = gi * op.pack;
    const info = op.info || {};
    rows.push({ name: op.name, layer: op.label || op.t, line: op.line, fan_in: info.fan_in ?? null, fan_out: info.fan_out ?? null,
      std: info.std ?? null, init: info.init || "", q: fw[i].out.q, g: gi });
  });
  const last = fw[fw.length - 1].out.q;
  let nOut = null;
  for (let i = ops.length - 1; i >= 0; i--) if (ops[i].t === "dense") { nOut = ops[i].fout; break; }
  const loss = nOut && nOut > 1 ? { q: last, classes: nOut, ln_c: Math.log(nOut), predicted: initialLoss(last, nOut) } : null;
  return { format: kind, family: L.family || "", rows, loss, traps: findTraps(L, fw), notes: L.notes,
    unread: unread.concat(L.unknown), n_ops: ops.length };
}
