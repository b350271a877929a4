"""Every page of the built site in headless Chromium (Debian's), at desktop and phone widths.

For each page: no console errors, every image loaded, math typeset with no raw TeX left, no
request to any host but the loopback server, no horizontal overflow at 390 px, headings in order,
no table or equation cut off without a scroll cue (and every table whole at 1280 px), and no
serious or critical axe-core violation. Screenshots go to artifacts/screenshots/.

Separately: figure text renders at >= 12 px on a 390 px phone (measured from each SVG's glyph
scales and its displayed width), and a tap on a number opens its popover instead of leaving.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from browser import chromium, chromium_path, serve, site_pages


def browser_test(f):
    """Marks a test that drives Chromium (skipped where Debian's chromium is missing)."""
    f = pytest.mark.skipif(
        chromium_path() is None, reason="Debian's chromium is not installed (make browser)"
    )(f)
    return pytest.mark.browser(f)


ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Text of the page outside code, scripts and styles (code may legitimately contain `$` or `\(`).
PROSE_JS = """() => {
  const root = document.querySelector('.md-content') || document.body;
  const c = root.cloneNode(true);
  c.querySelectorAll('pre, code, script, style, .katex, .jp-InputArea-editor, .jp-OutputArea').forEach(e => e.remove());
  return c.textContent;
}"""

CHECK_JS = """() => {
  const imgs = [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);
  const heads = [...document.querySelectorAll('.md-content h1, .md-content h2, .md-content h3, .md-content h4, .md-content h5, .md-content h6')]
      .map(h => +h.tagName[1]);
  let order = [];
  for (let i = 1; i < heads.length; i++) if (heads[i] > heads[i-1] + 1) order.push(`h${heads[i-1]} -> h${heads[i]}`);
  if (heads.length && heads[0] !== 1) order.unshift('first heading is not h1');
  return {
    brokenImages: imgs,
    headingOrder: order,
    rawMath: document.querySelectorAll('.arithmatex').length,
    katex: document.querySelectorAll('.katex').length,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    // a table or equation wider than its box must scroll with the cue (site.js: data-wrw-scrolls,
    // edge shadows, and for a table the hint line before it); report those that do not, and every
    // table that scrolls at all (the desktop must show every column)
    uncued: [...document.querySelectorAll('.md-content .md-typeset__scrollwrap, .md-content .wrw-math')].filter(e => {
      if (e.closest('.wrw-source, .jupyter-wrapper')) return false;
      const cut = e.scrollWidth > e.clientWidth + 1;
      const cued = e.hasAttribute('data-wrw-scrolls') && getComputedStyle(e).backgroundImage !== 'none' &&
          (e.classList.contains('wrw-math') || (e.previousElementSibling || {}).className === 'wrw-scroll-hint');
      return cut && !cued;
    }).map(e => (e.classList.contains('wrw-math') ? 'equation: ' : 'table: ') + e.textContent.trim().slice(0, 50)),
    scrollingTables: [...document.querySelectorAll('.md-content .md-typeset__scrollwrap[data-wrw-scrolls]')]
        .map(e => e.textContent.trim().slice(0, 50)),
    nbRawDollar: [...document.querySelectorAll('.jp-RenderedMarkdown')].some(e => {
      const c = e.cloneNode(true); c.querySelectorAll('.katex, code, pre').forEach(x => x.remove());
      return c.textContent.includes('$');
    }),
  };
}"""

# axe-core on the whole page. On the published source listings (thousands of highlighted tokens)
# the colour-contrast rule takes minutes, so it runs there on one element of each distinct token
# class: every token of a class has the same colours, so that sample covers them all.
AXE_JS = """async () => {
  const serious = v => v.filter(x => ['serious', 'critical'].includes(x.impact))
      .map(x => x.id + ' (' + x.impact + '): ' + x.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', '));
  const source = document.querySelector('.wrw-source');
  if (!source) return serious((await axe.run(document, {resultTypes: ['violations']})).violations);
  const seen = new Set();
  source.querySelectorAll('span, a').forEach(e => {
    const key = e.tagName + '.' + e.className;
    if (!seen.has(key)) { seen.add(key); e.setAttribute('data-axe-sample', ''); }
  });
  const rest = await axe.run(document, {resultTypes: ['violations'], rules: {'color-contrast': {enabled: false}}});
  const contrast = await axe.run({include: [['[data-axe-sample]']]}, {resultTypes: ['violations'], runOnly: ['color-contrast']});
  return serious(rest.violations).concat(serious(contrast.violations));
}"""

MODES = {
    "desktop-light": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"},
    "phone-dark": {"viewport": {"width": 390, "height": 844}, "color_scheme": "dark", "is_mobile": True},
}


@browser_test
@pytest.mark.parametrize("mode", sorted(MODES))
def test_every_page_in_chromium(built_site, mode):
    problems: list[str] = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve(built_site) as base, chromium() as browser:
        ctx = browser.new_context(**MODES[mode])
        page = ctx.new_page()
        errors: list[str] = []
        offsite: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on(
            "request",
            lambda r: offsite.append(r.url) if not r.url.startswith((base, "data:", "blob:")) else None,
        )
        for rel in site_pages(built_site):
            errors.clear()
            offsite.clear()
            page.goto(base + rel, wait_until="load")
            info = page.evaluate(CHECK_JS)
            prose = page.evaluate(PROSE_JS)
            where = f"[{mode}] /{rel}"
            problems += [f"{where}: console error: {e}" for e in errors]
            problems += [f"{where}: request off the loopback host: {u}" for u in offsite]
            problems += [f"{where}: image not loaded: {u}" for u in info["brokenImages"]]
            problems += [f"{where}: heading order: {h}" for h in info["headingOrder"]]
            if info["nbRawDollar"]:
                problems.append(f"{where}: untypeset $ math in a notebook Markdown cell")
            if info["rawMath"]:
                problems.append(f"{where}: {info['rawMath']} untypeset math elements")
            for raw in ("$$", "\\(", "\\[", "\\frac", "\\sqrt"):
                if raw in prose:
                    problems.append(f"{where}: raw TeX {raw!r} in the text")
            if mode.startswith("phone") and info["overflow"] > 1:
                problems.append(f"{where}: page is {info['overflow']} px wider than the 390 px screen")
            problems += [f"{where}: cut off without a scroll cue: {t!r}" for t in info["uncued"]]
            if mode.startswith("desktop") and not rel.startswith(("code/", "notebooks/")):
                problems += [
                    f"{where}: a table hides columns at 1280 px: {t!r}" for t in info["scrollingTables"]
                ]
            if AXE.exists():
                page.add_script_tag(path=str(AXE))
                problems += [f"{where}: axe {v}" for v in page.evaluate(AXE_JS)]
            name = (rel.strip("/").replace("/", "_") or "home") + f"-{mode}.png"
            # the top of the page, at most 6000 px: Chromium's full-page capture of a very tall
            # phone-width page can take minutes
            height = min(page.evaluate("document.documentElement.scrollHeight"), 6000)
            width = MODES[mode]["viewport"]["width"]
            page.screenshot(
                path=str(SHOTS / name),
                full_page=True,
                clip={"x": 0, "y": 0, "width": width, "height": height},
            )
        ctx.close()
    assert not problems, "\n".join(problems)


# The smallest glyph of each figure as displayed: matplotlib draws text as glyphs scaled by
# size / 100 (svg.fonttype path), in a viewBox measured in pt (see snippets._style.text_px).
FIG_TEXT_JS = """async () => {
  const out = [];
  for (const img of document.querySelectorAll('.wrw-figure img')) {
    if (!img.offsetParent) continue;                   // the other theme's copy is hidden
    const svg = await (await fetch(img.src.split('#')[0])).text();
    const vb = svg.match(/viewBox="0 0 ([\\d.]+) /);
    const scales = [...svg.matchAll(/scale\\(([\\d.]+) -[\\d.]+\\)/g)].map(m => +m[1]);
    if (!vb || !scales.length) continue;
    const w = img.getBoundingClientRect().width;
    out.push({id: img.closest('figure').id, px: Math.min(...scales) * 100 * w / +vb[1], width: w});
  }
  return out;
}"""

MIN_FIGURE_TEXT_PX = 12.0
# Figures whose text is still below 12 px on a 390 px phone, with the size measured on main
# (3994c12) and the reason; the chapters' owners redraw them (issue 13, item 2: see the rules in
# snippets/_style.py). The test fails for any figure not listed; a listed one that now passes is
# reported with a warning, to be removed from the list.
KNOWN_SMALL_FIGURE_TEXT: dict[str, str] = {
    "fig-architectures-mup-sweep": "10.4 px, drawn in the parallel chapter work of 2026-11-29 before the phone rule: redraw at <= 5.1 in",
    "fig-deep-glorot-ratios": "10.4 px, drawn in the parallel chapter work of 2026-11-29 before the phone rule: redraw at <= 5.1 in",
    "fig-deep-hanin": "8.3 px, drawn in the parallel chapter work of 2026-11-29 before the phone rule: redraw at <= 5.1 in",
    "fig-deep-he-training": "10.4 px, drawn in the parallel chapter work of 2026-11-29 before the phone rule: redraw at <= 5.1 in",
    "fig-doctor-predicted-vs-measured": "5.7 px, drawn in the parallel chapter work of 2026-11-29 before the phone rule: redraw at <= 5.1 in",
    "fig-philosophy-completion": "6.2 px, drawn in the parallel chapter work of 2026-11-29 before the phone rule: redraw at <= 5.1 in",
    "fig-philosophy-guess": "7.0 px, drawn in the parallel chapter work of 2026-11-29 before the phone rule: redraw at <= 5.1 in",
    "fig-philosophy-lazy-rich": "6.2 px, drawn in the parallel chapter work of 2026-11-29 before the phone rule: redraw at <= 5.1 in",
    "fig-philosophy-sparse": "6.2 px, drawn in the parallel chapter work of 2026-11-29 before the phone rule: redraw at <= 5.1 in",
    "fig-practice-born-dead": "9.6 px, drawn in the parallel chapter work of 2026-11-29 before the phone rule: redraw at <= 5.1 in",
    "fig-architectures-conv-fan": "4.8 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-architectures-defaults-deep-relu": "6.2 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-architectures-embedding": "6.6 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-architectures-gpt2": "6.6 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-architectures-lstm-forget": "6.2 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-architectures-lsuv": "5.5 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-architectures-mup": "6.6 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-architectures-norm-range": "6.6 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-architectures-resnet": "4.7 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-architectures-rnn-norm": "6.2 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-deep-glorot-histograms": "4.6 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-deep-he-depth": "8.3 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-deep-meanfield-maps": "4.1 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-deep-pennington": "4.1 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-deep-phase-diagram": "6.3 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-deep-saxe": "8.3 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-deep-trainability": "11.3 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-index-hidden-trajectories": "8.6 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-scale-activation-scale": "5.3 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-scale-bias": "5.7 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-scale-distributions": "5.7 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-scale-gains-depth": "4.6 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-scale-goldilocks": "8.3 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-scale-gradient-norms": "5.3 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-scale-histograms": "5.0 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-symmetry-boundaries": "8.6 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-symmetry-cosine": "5.5 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-symmetry-epsilon": "4.8 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-symmetry-lazy-rich": "8.0 px on main: drawn wider than 5.1 in or with small explicit font sizes",
    "fig-symmetry-trajectories": "8.6 px on main: drawn wider than 5.1 in or with small explicit font sizes",
}


@browser_test
def test_figure_text_on_a_phone(built_site):
    """Every figure's smallest text is >= 12 CSS px as shown in a 390 px-wide viewport."""
    small, fixed, seen = [], [], 0
    with serve(built_site) as base, chromium() as browser:
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = ctx.new_page()
        for rel in site_pages(built_site):
            if rel.startswith("code/"):
                continue
            page.goto(base + rel, wait_until="load")
            for f in page.evaluate(FIG_TEXT_JS):
                seen += 1
                ok = f["px"] >= MIN_FIGURE_TEXT_PX
                if not ok and f["id"] not in KNOWN_SMALL_FIGURE_TEXT:
                    small.append(
                        f"/{rel}#{f['id']}: smallest text {f['px']:.1f} px (shown {f['width']:.0f} px wide)"
                    )
                if ok and f["id"] in KNOWN_SMALL_FIGURE_TEXT:
                    fixed.append(f"#{f['id']} now passes: remove it from KNOWN_SMALL_FIGURE_TEXT")
        ctx.close()
    assert seen, "no figure found"
    if fixed:
        warnings.warn("\n".join(fixed), stacklevel=1)
    assert not small, "\n".join(small)


@browser_test
def test_numbers_do_not_navigate_on_tap(built_site):
    """On a touch screen a tap on a number opens its popover (value, claim, ledger link) and the
    page stays; the ✓ after the sentence still goes to the ledger."""
    with serve(built_site) as base, chromium() as browser:
        ctx = browser.new_context(**MODES["phone-dark"], has_touch=True)
        page = ctx.new_page()
        page.goto(base + "symmetry/", wait_until="load")
        value = page.locator("a.wrw-value").first
        value.scroll_into_view_if_needed()
        before = page.url.split("#")[0]  # navigation.tracking rewrites the fragment on scroll
        value.tap()
        page.wait_for_selector(".wrw-pop", timeout=5000)
        assert page.url.split("#")[0] == before
        text = page.text_content(".wrw-pop")
        cid = value.get_attribute("href").split("#")[1]
        assert cid in text and value.text_content() in text
        assert page.locator(".wrw-pop a[href*='claims/']").count() == 1
        page.keyboard.press("Escape")
        assert page.locator(".wrw-pop").count() == 0
        tick = page.locator("a.wrw-claim").first
        tick.scroll_into_view_if_needed()
        tick.tap()
        page.wait_for_url("**/claims/**", timeout=10000)
        ctx.close()


# ------------------------------------------------------------------------------ no browser needed
def test_search_finds_words_after_quotes_and_brackets(built_site):
    """The search index splits words as the site's search does (its configured separator), and a
    word right after a quote or a bracket is a word of its own: "sacrifices" (after a quote),
    "marchenko" (after a bracket), "sylvester"."""
    import json
    import re

    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    sep = re.compile(index["config"]["separator"])
    words = set()
    for doc in index["docs"]:
        text = re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"])
        words |= {w.lower() for w in sep.split(text) if w}
    missing = [w for w in ("marchenko", "sylvester", "sacrifices") if w not in words]
    assert not missing, f"not findable in the search index: {missing}"


def test_figure_palettes_contrast_and_theming():
    """Every data colour is >= 3:1 against the page background in its theme (WCAG 1.4.11), the
    SVG swaps each one for a CSS variable, and site.css defines the same variables."""
    import re

    from snippets import _style

    def lum(h):
        c = [int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    def ratio(a, b):
        la, lb = sorted((lum(a), lum(b)))
        return (lb + 0.05) / (la + 0.05)

    slate = "#1e2129"  # Material's slate: hsl(225deg, 15%, 14%)
    for light, dark in zip(_style.LIGHT, _style.DARK, strict=True):
        assert ratio(light, "#ffffff") >= 3, light
        assert ratio(dark, slate) >= 3, dark
    assert "#f0e442" not in _style.LIGHT  # Okabe-Ito yellow is 1.3:1 on white
    svg = (
        b'<svg viewBox="0 0 360 230"><defs></defs><path style="stroke: #0072b2"/>'
        b'<path style="fill: #857200; stroke: #1a1a1b"/></svg>'
    )
    out = _style.theme_svg(svg).decode()
    assert "#0072b2;" not in out.split("</style>")[1] and "var(--wrw-c0)" in out and "var(--wrw-c7)" in out
    css = (ROOT / "docs" / "assets" / "site.css").read_text(encoding="utf-8")
    for i, (light, dark) in enumerate(zip(_style.LIGHT, _style.DARK, strict=True)):
        assert re.search(rf"--wrw-c{i}: {light};", css) and re.search(rf"--wrw-c{i}: {dark};", css), i
