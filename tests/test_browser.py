"""Every page of the built site in headless Chromium (Debian's), at desktop and phone widths.

For each page: no console errors, every image loaded, math typeset with no raw TeX left, no
request to any host but the loopback server, no horizontal overflow at 390 px, headings in order,
and no serious or critical axe-core violation. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import chromium, chromium_path, serve, site_pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed (make browser)"),
]

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
