// Shared by the playground and the XOR demo: number format, theme colours, canvas sizing.

const SUP = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
// 3 significant digits; powers of ten for very small or large numbers (1.2×10⁻⁸)
export function fmt(x) {
  if (x === 0) return "0";
  if (!isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 0.01 && a < 999.5) {
    const s = x.toPrecision(3);
    return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
  }
  const [m, e] = x.toExponential(1).split("e");
  return `${m}×10${[...e.replace("+", "")].map((ch) => SUP[ch]).join("")}`;
}

export function palette(el) {
  const cs = getComputedStyle(el), v = (n, d) => cs.getPropertyValue(n).trim() || d;
  return {
    fg: v("--md-default-fg-color", "#000"), light: v("--md-default-fg-color--light", "#555"),
    lightest: v("--md-default-fg-color--lightest", "#ddd"), bar: v("--md-typeset-a-color", "#3f51b5"),
    accent: v("--wrw-pg-accent", "#d55e00"), font: cs.fontFamily || "sans-serif",
  };
}

export function sizeCanvas(cv, cssW, cssH) {
  const r = window.devicePixelRatio || 1;
  cv.style.height = cssH + "px";
  cv.width = Math.round(cssW * r);
  cv.height = Math.round(cssH * r);
  const c = cv.getContext("2d");
  c.setTransform(r, 0, 0, r, 0, 0);
  return c;
}
