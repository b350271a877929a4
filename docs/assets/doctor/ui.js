// Why Random Weights: the Init Doctor's page (DOM, chart, URL). The analysis is doctor.js.
import { analyze, DoctorError } from "./doctor.js";
import { fmt, palette, sizeCanvas } from "../playground/draw.js";

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const b64 = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64 = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
async function pipe(bytes, Stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new Stream("deflate-raw"))).arrayBuffer());
}
// the pasted model and input shape in the address: #m=<deflated, base64url>&s=<shape>
export async function encode(text, shape) {
  const raw = new TextEncoder().encode(text);
  const m = typeof CompressionStream === "function" ? "z" + b64(await pipe(raw, CompressionStream)) : "p" + b64(raw);
  return `#m=${m}&s=${encodeURIComponent(shape || "")}`;
}
export async function decode(hash) {
  const p = new URLSearchParams(hash.replace(/^#/, "")), m = p.get("m");
  if (!m) return null;
  const bytes = unb64(m.slice(1));
  const raw = m[0] === "z" ? await pipe(bytes, DecompressionStream) : bytes;
  return { text: new TextDecoder().decode(raw), shape: p.get("s") || "" };
}

function chart(cv, rows, pal) {
  const W = cv.parentElement.clientWidth || 600, H = 220, c = sizeCanvas(cv, W, H), n = rows.length;
  c.clearRect(0, 0, W, H);
  c.font = `11px ${pal.font}`;
  const vals = rows.flatMap((r) => [r.q, r.g]).filter((v) => v > 0 && isFinite(v)).map(Math.log10);
  if (!vals.length) return;
  const lo = Math.floor(Math.min(...vals)), hi = Math.ceil(Math.max(...vals)) + (Math.min(...vals) === Math.max(...vals));
  const left = 58, right = W - 10, top = 24, bottom = H - 24;
  const X = (i) => left + ((right - left) * (i + 0.5)) / n, Y = (v) => bottom - ((bottom - top) * (Math.log10(v) - lo)) / (hi - lo);
  c.fillStyle = pal.light; c.strokeStyle = pal.lightest; c.textBaseline = "middle"; c.textAlign = "right";
  const step = Math.max(1, Math.ceil((hi - lo) / 6));
  for (let e = lo; e <= hi; e += step) { const y = Y(10 ** e); c.fillRect(left, y, right - left, 0.5); c.fillText(fmt(10 ** e), left - 4, y); }
  c.textAlign = "center";
  c.fillText(`module (1 to ${n}, in forward order)`, (left + right) / 2, H - 8);
  const series = [{ k: "q", label: "forward second moment", color: pal.bar, dash: [] }, { k: "g", label: "gradient mean square", color: pal.accent, dash: [5, 3] }];
  series.forEach((s, j) => {
    c.strokeStyle = s.color; c.fillStyle = s.color; c.lineWidth = 2; c.setLineDash(s.dash);
    c.beginPath();
    let on = false;
    rows.forEach((r, i) => { const v = r[s.k]; if (!(v > 0)) { on = false; return; } on ? c.lineTo(X(i), Y(v)) : c.moveTo(X(i), Y(v)); on = true; });
    c.stroke(); c.setLineDash([]);
    rows.forEach((r, i) => { const v = r[s.k]; if (v > 0) j ? (c.beginPath(), c.arc(X(i), Y(v), 2.5, 0, 7), c.fill()) : c.fillRect(X(i) - 2, Y(v) - 2, 4, 4); });
    const x = left + j * 190;
    c.beginPath(); c.setLineDash(s.dash); c.moveTo(x, 9); c.lineTo(x + 22, 9); c.stroke(); c.setLineDash([]);
    c.fillStyle = pal.light; c.textAlign = "left"; c.fillText(s.label, x + 27, 9);
  });
}

function render(root, res) {
  const $ = (s) => root.querySelector(s);
  const loss = res.loss
    ? ` Predicted initial loss ${fmt(res.loss.predicted)} against ln C = ${fmt(res.loss.ln_c)} for C = ${res.loss.classes} outputs` +
      (res.loss.predicted > 1.5 * res.loss.ln_c ? ": the outputs start too large." : ".")
    : "";
  const last = res.rows[res.rows.length - 1];
  $(".wrw-dr-summary").textContent = `Read as ${{ torch: "PyTorch print(model)", keras: "Keras summary()", hf: "a Hugging Face config" }[res.format]}: ` +
    `${res.rows.length} modules. ${res.traps.length ? res.traps.length + " trap(s) found." : "No known trap found."}${loss}`;
  $(".wrw-dr-traps").innerHTML = res.traps.map((t) => `<details open><summary><strong>${esc(t.title)}</strong>${t.line ? ` (line ${t.line})` : ""}</summary>` +
    `<p>${esc(t.detail)}</p><p>The fix:</p><pre><code>${esc(t.fix)}</code></pre></details>`).join("");
  $(".wrw-dr-notes").innerHTML = [...res.unread.map((u) => `<li>Line ${u.line}: could not read <code>${esc(u.text)}</code>${u.why ? ` (${esc(u.why)})` : ""}.</li>`),
    ...res.notes.map((n) => `<li>${n.line ? `Line ${n.line}: ` : ""}${esc(n.text)}</li>`)].join("");
  $(".wrw-dr-table").innerHTML = "<table><thead><tr><th>#</th><th>module</th><th>layer</th><th>fan-in</th><th>fan-out</th><th>default init (std)</th>" +
    "<th>forward E[x²]</th><th>gradient E[g²]</th></tr></thead><tbody>" + res.rows.map((r, i) => `<tr><td>${i + 1}</td><td><code>${esc(r.name)}</code></td>` +
    `<td>${esc(r.layer)}</td><td>${r.fan_in ?? ""}</td><td>${r.fan_out ?? ""}</td><td>${esc(r.init)}${r.std != null ? ` (${fmt(r.std)})` : ""}</td>` +
    `<td>${fmt(r.q)}</td><td>${r.g == null ? "—" : fmt(r.g)}</td></tr>`).join("") + "</tbody></table>";
  const cv = $(".wrw-dr-chart");
  chart(cv, res.rows, palette(root));
  cv.setAttribute("aria-label", `Per module, on a log scale: predicted forward second moment (squares) from ${fmt(res.rows[0].q)} to ${fmt(last.q)}, ` +
    `and gradient mean square (circles, dashed) from ${fmt(res.rows[0].g ?? 0)} at the first module to ${fmt(last.g ?? 0)} at the output.`);
}

function boot() {
  const root = document.getElementById("wrw-doctor");
  if (!root || root.dataset.booted) return;
  root.dataset.booted = "1";
  const $ = (s) => root.querySelector(s), text = $("#dr-text"), shape = $("#dr-shape"), err = $(".wrw-dr-error");
  const out = $(".wrw-dr-out");
  const run = async (push = true) => {
    const t0 = performance.now();
    let res = null;
    try {
      res = analyze(text.value, shape.value);
      err.hidden = true; err.textContent = ""; out.hidden = false;
      render(root, res);
      if (push) history.replaceState(null, "", await encode(text.value, shape.value));
    } catch (e) {
      out.hidden = true; err.hidden = false;
      err.textContent = e instanceof DoctorError ? e.message : `The doctor could not analyse this (${e && e.message}). Check the paste is complete.`;
    }
    const ms = performance.now() - t0;
    window.wrwDoctor.last = { res, ms, error: err.hidden ? null : err.textContent };
    root.dataset.runs = String(+(root.dataset.runs || 0) + 1);
  };
  window.wrwDoctor = { analyze, encode, decode, run, last: null };
  $(".wrw-dr-run").addEventListener("click", () => run());
  root.querySelectorAll("[data-example]").forEach((b) => b.addEventListener("click", () => {
    const tpl = document.getElementById(b.dataset.example);
    text.value = tpl.textContent.trim(); shape.value = tpl.dataset.shape || ""; run();
  }));
  decode(location.hash).then((m) => { if (m) { text.value = m.text; shape.value = m.shape; run(false); } else root.dataset.runs = "0"; })
    .catch(() => { err.hidden = false; err.textContent = "The address does not hold a readable model (was it cut off?)."; root.dataset.runs = "0"; });
}

if (window.document$) window.document$.subscribe(boot);
else boot();
