// The XOR symmetry demo: a tanh 2-8-1 net trained by full-batch gradient descent in the browser.
// Twin of xor_train in snippets/playground.py (same operations in the same order).
import { normals } from "./core.js";
import { fmt, palette, sizeCanvas } from "./draw.js";

const X = [[-1, -1], [-1, 1], [1, -1], [1, 1]], Y = [0, 1, 1, 0];
export const H = 8, LR = 0.5, STEPS = 2000, CONST = 0.5;
// the site's figure palette (snippets/_style.py), per theme: every colour >= 3:1 on its background
const LIGHT = ["#0072b2", "#b35c00", "#007f5c", "#b8498a", "#00838f", "#c8400b", "#6e6e6e", "#857200"];
const DARK = ["#4fa8ec", "#e69f00", "#1fbf8f", "#e58fc4", "#5fd4e3", "#ff7a3d", "#a8a8a8", "#f0e442"];
const colours = () => (document.body.getAttribute("data-md-color-scheme") === "slate" ? DARK : LIGHT);

// "constant": every weight 0.5; "noisy": 0.5 + eps * N(0, 1) on every weight (the symmetry
// chapter's epsilon experiment); "random": LeCun normal. Biases start at 0.
export function init(kind, seed = 0, eps = 0) {
  const p = { W1: new Float64Array(2 * H), b1: new Float64Array(H), w2: new Float64Array(H), b2: 0 };
  if (kind === "constant") { p.W1.fill(CONST); p.w2.fill(CONST); return p; }
  const g1 = normals(seed, 60, 2 * H), g2 = normals(seed, 61, H);
  if (kind === "noisy") {
    for (let i = 0; i < 2 * H; i++) p.W1[i] = CONST + eps * g1[i];
    for (let i = 0; i < H; i++) p.w2[i] = CONST + eps * g2[i];
    return p;
  }
  for (let i = 0; i < 2 * H; i++) p.W1[i] = g1[i] / Math.sqrt(2);
  for (let i = 0; i < H; i++) p.w2[i] = g2[i] / Math.sqrt(H);
  return p;
}

export function predict(p, x0, x1, h = new Float64Array(H)) {
  let o = 0;
  for (let i = 0; i < H; i++) { h[i] = Math.tanh(x0 * p.W1[2 * i] + x1 * p.W1[2 * i + 1] + p.b1[i]); o += h[i] * p.w2[i]; }
  return 1 / (1 + Math.exp(-(o + p.b2)));
}

// one gradient step on the mean cross-entropy of the 4 points; returns how many of the 4 the
// parameters before the step got right
export function step(p, lr = LR) {
  const hs = X.map(() => new Float64Array(H)), q = X.map((x, n) => predict(p, x[0], x[1], hs[n]));
  const d = q.map((v, n) => (v - Y[n]) / 4), right = q.filter((v, n) => (v > 0.5) === (Y[n] > 0.5)).length;
  const gW = new Float64Array(2 * H), gb = new Float64Array(H), gw2 = new Float64Array(H);
  let gb2 = 0;
  for (let n = 0; n < 4; n++) {
    for (let i = 0; i < H; i++) {
      const h = hs[n][i], dz = d[n] * p.w2[i] * (1 - h * h);
      gW[2 * i] += dz * X[n][0]; gW[2 * i + 1] += dz * X[n][1]; gb[i] += dz; gw2[i] += d[n] * h;
    }
    gb2 += d[n];
  }
  for (let i = 0; i < 2 * H; i++) p.W1[i] -= lr * gW[i];
  for (let i = 0; i < H; i++) { p.b1[i] -= lr * gb[i]; p.w2[i] -= lr * gw2[i]; }
  p.b2 -= lr * gb2;
  return right;
}

// largest difference between two hidden units' parameters (W1 row, bias, outgoing weight)
export function spread(p) {
  let m = 0;
  for (let i = 0; i < H; i++) for (let j = 0; j < i; j++)
    m = Math.max(m, Math.abs(p.W1[2 * i] - p.W1[2 * j]), Math.abs(p.W1[2 * i + 1] - p.W1[2 * j + 1]),
      Math.abs(p.b1[i] - p.b1[j]), Math.abs(p.w2[i] - p.w2[j]));
  return m;
}

export function evaluate(p) {
  const probs = X.map((x) => predict(p, x[0], x[1]));
  const loss = -probs.reduce((s, q, n) => s + (Y[n] ? Math.log(q) : Math.log(1 - q)), 0) / 4;
  return { probs, loss, correct: probs.filter((q, n) => (q > 0.5) === (Y[n] > 0.5)).length, spread: spread(p) };
}

// escape: the first step at which all 4 points are right (-1 if never), as in snippets/playground.py
export function train({ init: kind = "random", seed = 0, steps = STEPS, lr = LR, eps = 0 } = {}) {
  const p = init(kind, seed, eps);
  let escape = -1;
  for (let t = 0; t < steps; t++) if (step(p, lr) === 4 && escape < 0) escape = t;
  return { ...evaluate(p), W1: Array.from(p.W1), b1: Array.from(p.b1), w2: Array.from(p.w2), b2: p.b2, steps, escape };
}

const RGB = [[0, 114, 178], [230, 159, 0]]; // shading only (text-free, low alpha)
function drawBoundary(cv, p, pal) {
  const S = Math.min(300, cv.parentElement.clientWidth || 300), c = sizeCanvas(cv, S, S), R = 1.6, G = 64;
  cv.style.width = S + "px";
  const toPx = (v) => ((v + R) / (2 * R)) * S, h = new Float64Array(H), q = new Float64Array((G + 1) * (G + 1));
  // predicted probability on a (G+1) x (G+1) lattice; shading from the G x G cell centres
  for (let a = 0; a <= G; a++) for (let b = 0; b <= G; b++) q[a * (G + 1) + b] = predict(p, -R + (2 * R * a) / G, R - (2 * R * b) / G, h);
  const img = new ImageData(G, G);
  for (let a = 0; a < G; a++) for (let b = 0; b < G; b++) {
    const v = (q[a * (G + 1) + b] + q[(a + 1) * (G + 1) + b] + q[a * (G + 1) + b + 1] + q[(a + 1) * (G + 1) + b + 1]) / 4;
    const o = 4 * (b * G + a), rgb = RGB[v > 0.5 ? 1 : 0];
    img.data.set([...rgb, Math.round(255 * (0.1 + 0.45 * Math.abs(2 * v - 1)))], o);
  }
  const off = document.createElement("canvas");
  off.width = off.height = G;
  off.getContext("2d").putImageData(img, 0, 0);
  c.imageSmoothingEnabled = true;
  c.drawImage(off, 0, 0, S, S);
  // decision boundary q = 1/2: marching squares with linear interpolation along cell edges
  c.strokeStyle = pal.fg; c.lineWidth = 2; c.beginPath();
  const cell = S / G, at = (a, b) => q[a * (G + 1) + b] - 0.5;
  for (let a = 0; a < G; a++) for (let b = 0; b < G; b++) {
    const corners = [[a, b], [a + 1, b], [a + 1, b + 1], [a, b + 1]], pts = [];
    for (let e = 0; e < 4; e++) {
      const [a0, b0] = corners[e], [a1, b1] = corners[(e + 1) % 4], v0 = at(a0, b0), v1 = at(a1, b1);
      if ((v0 > 0) !== (v1 > 0)) { const t = v0 / (v0 - v1); pts.push([(a0 + t * (a1 - a0)) * cell, (b0 + t * (b1 - b0)) * cell]); }
    }
    for (let k = 0; k + 1 < pts.length; k += 2) { c.moveTo(...pts[k]); c.lineTo(...pts[k + 1]); }
  }
  c.stroke();
  c.strokeStyle = pal.light; c.lineWidth = 1; c.setLineDash([3, 3]); // each hidden unit's line w.x + b = 0
  for (let i = 0; i < H; i++) {
    const w0 = p.W1[2 * i], w1 = p.W1[2 * i + 1], b = p.b1[i];
    c.beginPath();
    if (Math.abs(w1) > Math.abs(w0)) { c.moveTo(0, S - toPx(-(-w0 * R + b) / w1)); c.lineTo(S, S - toPx(-(w0 * R + b) / w1)); }
    else { c.moveTo(toPx(-(w1 * R + b) / w0), 0); c.lineTo(toPx(-(-w1 * R + b) / w0), S); }
    c.stroke();
  }
  c.setLineDash([]);
  X.forEach((x, n) => {
    const px = toPx(x[0]), py = S - toPx(x[1]);
    c.fillStyle = Y[n] ? colours()[1] : colours()[0]; c.strokeStyle = pal.fg; c.lineWidth = 2;
    c.beginPath();
    Y[n] ? c.arc(px, py, 8, 0, 7) : c.rect(px - 7, py - 7, 14, 14);
    c.fill(); c.stroke();
  });
}

function drawWeights(cv, trail, pal, tied) {
  const S = Math.min(300, cv.parentElement.clientWidth || 300), c = sizeCanvas(cv, S, S);
  cv.style.width = S + "px";
  let m = 1;
  for (const p of trail) for (const v of p) m = Math.max(m, Math.abs(v));
  m = Math.ceil(m);
  const P = (v) => S / 2 + (v / m) * (S / 2 - 14);
  c.fillStyle = pal.lightest; c.fillRect(0, S / 2, S, 1); c.fillRect(S / 2, 0, 1, S);
  c.fillStyle = pal.light; c.font = `13px ${pal.font}`; c.textBaseline = "top";
  c.fillText(`w₁ (±${m})`, S - 62, S / 2 + 4); c.fillText(`w₂`, S / 2 + 4, 2);
  for (let i = H - 1; i >= 0; i--) { // unit 0 (blue) on top
    c.strokeStyle = c.fillStyle = colours()[i]; c.lineWidth = 1.5; c.beginPath();
    trail.forEach((p, t) => (t ? c.lineTo(P(p[2 * i]), S - P(p[2 * i + 1])) : c.moveTo(P(p[2 * i]), S - P(p[2 * i + 1]))));
    c.stroke();
    const last = trail[trail.length - 1];
    c.strokeStyle = pal.fg; c.lineWidth = 1;
    c.beginPath(); c.arc(P(last[2 * i]), S - P(last[2 * i + 1]), 5, 0, 7); c.fill(); c.stroke();
  }
  if (tied) { // all 8 dots on one spot: say so
    const last = trail[trail.length - 1], x = P(last[0]), y = S - P(last[1]);
    c.fillStyle = pal.fg; c.textAlign = x > S / 2 ? "right" : "left"; c.textBaseline = "middle";
    c.fillText("all 8 units", x + (x > S / 2 ? -10 : 10), y);
  }
}

export function bootXor(root) {
  if (root.__wrw) return;
  root.__wrw = true;
  const q = (s) => root.querySelector(s), form = q("form");
  const cvB = q(".wrw-xor-boundary"), cvW = q(".wrw-xor-weights"), out = q(".wrw-xor-summary"), btn = q(".wrw-xor-run");
  let p, t, trail, escape, running = false;
  const kind = () => form.elements.xorinit.value;
  const eps = () => 10 ** +form.elements.xoreps.value;
  const KEYS = { xinit: "xorinit", xeps: "xoreps", xseed: "xorseed" };
  function toUrl() {
    const u = new URL(location.href);
    for (const [k, n] of Object.entries(KEYS)) u.searchParams.set(k, form.elements[n].value);
    if (u.href !== location.href) history.replaceState(history.state, "", u.href);
  }
  (function fromUrl() {
    const u = new URL(location.href);
    const k = u.searchParams.get("xinit"), e = u.searchParams.get("xeps"), s = u.searchParams.get("xseed");
    if (["constant", "noisy", "random"].includes(k)) form.elements.xorinit.value = k;
    if (e !== null && +e >= -6 && +e <= -1) form.elements.xoreps.value = Math.round(+e);
    if (s !== null && +s >= 0 && +s <= 63) form.elements.xorseed.value = Math.round(+s);
  })();
  function render() {
    const pal = palette(root), e = evaluate(p);
    drawBoundary(cvB, p, pal);
    drawWeights(cvW, trail, pal, e.spread === 0);
    const tie = e.spread === 0 ? "0: the 8 hidden units are identical" : fmt(e.spread);
    const name = kind() === "noisy" ? `constant + noise ε = ${fmt(eps())}` : kind();
    const esc = escape >= 0 ? ` All 4 right from step ${escape}: the symmetry broke.` : "";
    const text = `Step ${t} of ${STEPS}, ${name} init: loss ${fmt(e.loss)}, ${e.correct} of 4 points right; ` +
      `largest difference between two hidden units' weights ${tie}.${esc}`;
    out.textContent = text;
    cvB.setAttribute("aria-label", `Decision boundary of the XOR net. ${text}`);
    cvW.setAttribute("aria-label", `First-layer weights (w₁, w₂) of the 8 hidden units, with their paths. ${text}`);
    root.dataset.step = t;
    root.dataset.escape = escape;
  }
  function reset() {
    running = false; btn.textContent = "Train";
    p = init(kind(), +form.elements.xorseed.value || 0, eps()); t = 0; escape = -1; trail = [Array.from(p.W1)];
    form.elements.xoreps.disabled = kind() !== "noisy";
    form.querySelector("output[for=xor-eps]").value = fmt(eps());
    form.elements.xoreps.setAttribute("aria-valuetext", `ε = ${fmt(eps())}`);
    render();
  }
  function frame() {
    if (!running || !root.isConnected) return;
    for (let k = 0; k < 10 && t < STEPS; k++, t++) if (step(p) === 4 && escape < 0) escape = t;
    if (t % 20 === 0) trail.push(Array.from(p.W1));
    if (t >= STEPS) { running = false; btn.textContent = "Train"; }
    render();
    if (running) requestAnimationFrame(frame);
  }
  btn.addEventListener("click", () => {
    if (t >= STEPS) reset();
    running = !running; btn.textContent = running ? "Pause" : "Train";
    if (running) requestAnimationFrame(frame);
  });
  q(".wrw-xor-reset").addEventListener("click", reset);
  form.addEventListener("change", () => { reset(); toUrl(); });
  form.addEventListener("input", (e) => { if (e.target.name === "xoreps") { reset(); toUrl(); } });
  form.addEventListener("submit", (e) => e.preventDefault());
  new MutationObserver(() => p && render()).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  reset();
}

window.wrwXor = { train, init: (k, s, e) => { const p = init(k, s, e); return { W1: Array.from(p.W1), w2: Array.from(p.w2) }; } };
