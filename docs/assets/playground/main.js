// Why Random Weights playground: controls, histograms and the gradient chart. Loaded as a module by
// docs/playground.md only; re-initialised on every page swap of Material's instant navigation.
import * as core from "./core.js";
import { bootXor } from "./xor.js";
import { fmt, palette, sizeCanvas } from "./draw.js";

export const PRESETS = {
  "he-relu-30": { activation: "relu", init: "he", depth: 30, width: 256 },
  "tanh-001": { activation: "tanh", init: "normal", sigma: 0.01, depth: 20, width: 256 },
  "all-zeros": { activation: "tanh", init: "zeros", depth: 10, width: 64 },
};
const NAMES = { tanh: "tanh", relu: "ReLU", sigmoid: "sigmoid", linear: "linear", zeros: "zeros",
  constant: "constant", normal: "N(0, σ)", lecun: "LeCun", glorot: "Glorot", he: "He", orthogonal: "orthogonal" };
const USES_SIGMA = new Set(["normal", "constant"]);

function drawHistograms(cv, res, pal) {
  const L = res.layers.length, W = cv.parentElement.clientWidth || 600;
  const cols = Math.min(L, Math.max(2, Math.floor(W / 104))), cw = W / cols, ch = 64;
  const rows = Math.ceil(L / cols), c = sizeCanvas(cv, W, rows * ch);
  c.clearRect(0, 0, W, rows * ch);
  c.font = `12px ${pal.font}`;
  c.textBaseline = "top";
  res.layers.forEach((st, l) => {
    const x0 = (l % cols) * cw + 3, y0 = Math.floor(l / cols) * ch, w = cw - 8, base = y0 + ch - 6, hh = ch - 24;
    const max = Math.max(...st.hist);
    c.fillStyle = pal.light;
    c.fillText(`${l + 1}: sd ${fmt(st.std)}`, x0, y0 + 2);
    c.fillStyle = pal.bar;
    const bw = w / st.hist.length;
    st.hist.forEach((n, b) => {
      if (!n) return;
      const h = Math.max(1, hh * Math.sqrt(n / max));
      c.fillRect(x0 + b * bw, base - h, Math.max(1, bw - 0.5), h);
    });
    c.fillStyle = pal.lightest;
    c.fillRect(x0, base, w, 1);
  });
}

// log-axis ticks: 1, 2 and 5 of every decade from 10^lo to 10^hi; labels on all three when the
// axis spans at most 3 decades, else on the powers of ten only (2 and 5 stay as grid lines)
export function ticks125(lo, hi) {
  const out = [];
  for (let e = lo; e <= hi; e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (e === hi && m > 1) break;
      out.push({ v, label: m === 1 || hi - lo <= 3 });
    }
  }
  return out;
}

function drawChart(cv, res, pal) {
  const W = cv.parentElement.clientWidth || 600, H = 240, c = sizeCanvas(cv, W, H);
  c.clearRect(0, 0, W, H);
  c.font = `13px ${pal.font}`;
  const L = res.layers.length, series = [
    { key: "std", label: "activation std", color: pal.bar, dash: [] },
    { key: "signal", label: "back-propagated ‖∂L/∂hₗ‖", color: pal.accent, dash: [6, 3] },
  ];
  const vals = res.layers.flatMap((s) => [s.std, s.signal]).filter((v) => v > 0 && isFinite(v));
  const narrow = W < 440, left = 62, right = W - 12, top = narrow ? 44 : 26, bottom = H - 34;
  c.fillStyle = pal.light;
  c.textBaseline = "middle";
  series.forEach((s, i) => {
    const x = narrow ? left : left + i * 190, y = narrow ? 10 + 18 * i : 10;
    c.strokeStyle = s.color; c.lineWidth = 2; c.setLineDash(s.dash);
    c.beginPath(); c.moveTo(x, y); c.lineTo(x + 22, y); c.stroke(); c.setLineDash([]);
    c.fillStyle = s.color;
    s.key === "std" ? c.fillRect(x + 8, y - 3, 6, 6) : (c.beginPath(), c.arc(x + 11, y, 3.5, 0, 7), c.fill());
    c.fillStyle = pal.fg;
    c.fillText(s.label, x + 28, y);
  });
  if (!vals.length) {
    c.fillText("every activation and every gradient is exactly 0", left, H / 2);
    return;
  }
  let lo = Math.floor(Math.log10(Math.min(...vals))), hi = Math.ceil(Math.log10(Math.max(...vals)));
  if (hi === lo) hi += 1;
  const X = (l) => left + (L === 1 ? (right - left) / 2 : ((l - 1) / (L - 1)) * (right - left));
  const Y = (v) => (v > 0 ? bottom - ((Math.log10(v) - lo) / (hi - lo)) * (bottom - top) : bottom + 0);
  // at most ~8 labelled decades: thin them out on a very tall range
  const every = Math.max(1, Math.ceil((hi - lo) / 7));
  c.textAlign = "right";
  for (const t of ticks125(lo, hi)) {
    const e = Math.round(Math.log10(t.v)), major = t.v === 10 ** e;
    if (major && (e - lo) % every) continue;
    if (!major && every > 1) continue;
    c.fillStyle = major ? pal.lightest : pal.lightest;
    c.globalAlpha = major ? 1 : 0.55;
    c.fillRect(left, Math.round(Y(t.v)), right - left, 1);
    c.globalAlpha = 1;
    if (t.label) { c.fillStyle = pal.light; c.fillText(fmt(t.v), left - 5, Y(t.v)); }
  }
  c.textAlign = "center";
  c.textBaseline = "top";
  const tick = Math.max(1, Math.ceil(L / (narrow ? 6 : 10)));
  c.fillStyle = pal.light;
  for (let l = 1; l <= L; l += tick) c.fillText(String(l), X(l), bottom + 4);
  c.fillText("layer", (left + right) / 2, bottom + 18);
  c.textAlign = "left";
  series.forEach((s) => {
    c.strokeStyle = c.fillStyle = s.color;
    c.lineWidth = 2; c.setLineDash(s.dash); c.beginPath();
    let on = false;
    res.layers.forEach((st, i) => {
      const v = st[s.key];
      if (v > 0) { on ? c.lineTo(X(i + 1), Y(v)) : c.moveTo(X(i + 1), Y(v)); on = true; } else on = false;
    });
    c.stroke(); c.setLineDash([]);
    res.layers.forEach((st, i) => {
      const v = st[s.key], x = X(i + 1), y = Y(v);
      if (v > 0) s.key === "std" ? c.fillRect(x - 3, y - 3, 6, 6) : (c.beginPath(), c.arc(x, y, 3.5, 0, 7), c.fill());
      else { c.beginPath(); c.arc(x, bottom, 3.5, 0, 7); c.stroke(); }
    });
  });
}

function summary(res) {
  const { config: c, layers, batch } = res, a = layers[0], z = layers[layers.length - 1];
  const what = `${NAMES[c.activation]}, ${NAMES[c.init]}${USES_SIGMA.has(c.init) ? " with σ = " + fmt(c.sigma) : ""}, ` +
    `${c.depth} layers of width ${c.width}, ${batch} inputs, seed ${c.seed}.`;
  const hist = `Activation std ${fmt(a.std)} at layer 1 and ${fmt(z.std)} at layer ${layers.length}.`;
  const grad = `Back-propagated signal ‖∂L/∂h‖ ${fmt(a.signal)} at layer 1 and ${fmt(z.signal)} at layer ${layers.length}` +
    ` (weight-gradient norm ${fmt(a.grad)} and ${fmt(z.grad)}).`;
  return { what, hist, grad };
}

function table(res) {
  const rows = res.layers.map((s, i) => `<tr><td>${i + 1}</td><td>${fmt(s.mean)}</td><td>${fmt(s.std)}</td><td>${fmt(s.signal)}</td><td>${fmt(s.grad)}</td></tr>`);
  return `<table class="wrw-pg-numbers"><thead><tr><th>layer</th><th>mean</th><th>std</th><th>‖∂L/∂h‖</th><th>‖∂L/∂W‖</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function bootPlayground(root) {
  if (root.__wrw) return;
  root.__wrw = true;
  const q = (s) => root.querySelector(s), form = q("form"), el = (n) => form.elements[n];
  const cvH = q(".wrw-pg-hist"), cvC = q(".wrw-pg-chart"), out = q(".wrw-pg-summary"), tbl = q(".wrw-pg-table");
  let pending = 0, draws = 0;
  const read = () => ({
    activation: el("activation").value, init: el("init").value, sigma: 10 ** +el("logsigma").value,
    depth: +el("depth").value, width: +el("width").value, seed: +el("seed").value || 0,
  });
  const write = (cfg) => {
    for (const k of ["activation", "init", "depth", "width", "seed"]) if (k in cfg) el(k).value = cfg[k];
    if ("sigma" in cfg) el("logsigma").value = Math.log10(cfg.sigma);
  };
  // the state in the URL (?act=relu&init=he&...): a link reproduces the picture
  const KEYS = { act: "activation", init: "init", sigma: "sigma", depth: "depth", width: "width", seed: "seed" };
  function toUrl(cfg) {
    const u = new URL(location.href);
    for (const [k, v] of Object.entries(KEYS)) u.searchParams.set(k, k === "sigma" ? +cfg[v].toPrecision(4) : cfg[v]);
    if (u.href !== location.href) history.replaceState(history.state, "", u.href);
  }
  function fromUrl() {
    const u = new URL(location.href), cfg = {};
    for (const [k, v] of Object.entries(KEYS)) {
      const x = u.searchParams.get(k);
      if (x === null) continue;
      cfg[v] = ["activation", "init"].includes(v) ? x : +x;
    }
    try { core.normalize(cfg); } catch (e) { return; }  // an unknown name: keep the defaults
    if (Object.keys(cfg).length) write(cfg);
  }
  function draw() {
    pending = 0;
    if (!root.isConnected) { ro.disconnect(); mo.disconnect(); return; }
    const t0 = performance.now(), cfg = read();
    el("logsigma").disabled = !USES_SIGMA.has(cfg.init);
    form.querySelector("output[for=pg-sigma]").value = fmt(cfg.sigma);
    el("logsigma").setAttribute("aria-valuetext", `σ = ${fmt(cfg.sigma)}`);
    form.querySelector("output[for=pg-depth]").value = cfg.depth;
    form.querySelector("output[for=pg-width]").value = cfg.width;
    const res = core.stats(cfg), t1 = performance.now(), pal = palette(root), s = summary(res);
    drawHistograms(cvH, res, pal);
    drawChart(cvC, res, pal);
    cvH.setAttribute("aria-label", `Histograms of the activations of each layer. ${s.what} ${s.hist}`);
    cvC.setAttribute("aria-label", `Activation std and back-propagated signal per layer, log scale. ${s.what} ${s.hist} ${s.grad}`);
    out.textContent = `${s.what} ${s.hist} ${s.grad}`;
    if (tbl.closest("details").open) tbl.innerHTML = table(res);
    tbl.__res = res;
    const t2 = performance.now();
    if (root.dataset.draws) toUrl(cfg);  // not on the first draw: a bare URL stays bare
    root.dataset.draws = ++draws;
    api.timing = { compute: t1 - t0, draw: t2 - t1, total: t2 - t0 };
    root.dispatchEvent(new CustomEvent("wrw-drawn", { detail: api.timing }));
  }
  const schedule = () => { if (!pending) pending = requestAnimationFrame(draw); };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (e) => e.preventDefault());
  tbl.closest("details").addEventListener("toggle", (e) => { if (e.target.open && tbl.__res) tbl.innerHTML = table(tbl.__res); });
  const preset = (id) => { write({ ...core.DEFAULTS, ...PRESETS[id] }); schedule(); };
  root.querySelectorAll("[data-preset]").forEach((b) => b.addEventListener("click", () => preset(b.dataset.preset)));
  // links to #preset-... in the prose (Material's instant navigation may not fire hashchange)
  document.querySelectorAll(".md-content a[href*='#preset-']").forEach((a) => a.addEventListener("click", () => {
    const id = new URL(a.href, location.href).hash.slice(8);
    if (PRESETS[id]) preset(id);
  }));
  const ro = new ResizeObserver(schedule), mo = new MutationObserver(schedule);
  ro.observe(cvH.parentElement);
  mo.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  Object.assign(api, { root, set: (cfg) => { write(cfg); draw(); }, get: read, redraw: draw, preset });
  fromUrl();
  fromHash();
  draw();
}

// for tests: stats() with plain arrays
const api = {
  stats: (cfg) => {
    const r = core.stats(cfg);
    return { ...r, layers: r.layers.map((s) => ({ ...s, hist: Array.from(s.hist) })) };
  },
  normals: (seed, block, n) => Array.from(core.normals(seed, block, n)),
  presets: PRESETS,
};
window.wrwPlayground = api;

// a link to playground/#preset-he-relu-30 (or #he-relu-30) opens that preset
function fromHash() {
  const id = location.hash.replace(/^#(preset-)?/, "");
  if (PRESETS[id] && api.root?.isConnected) api.preset(id);
}
window.addEventListener("hashchange", fromHash);

function boot() {
  const root = document.getElementById("wrw-playground");
  if (root) bootPlayground(root);
  const xor = document.getElementById("wrw-xor");
  if (xor) bootXor(xor);
}
if (window.document$) window.document$.subscribe(boot);
boot();
