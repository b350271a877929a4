"""The claims ledger: one section per page slug; a row per claim with its statement, where it is
made, the test that checks it, and the values measured in this build."""

from __future__ import annotations

from mkdocs.utils import get_relative_url

from wrw.sources import code_url


def short(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, list):
        return "[" + ", ".join(short(x) for x in v[:6]) + (", …" if len(v) > 6 else "") + "]"
    return str(v)


def render(b, page) -> str:
    src = page.file.src_uri
    tests: dict = {}
    for t in b.claim_tests:
        tests.setdefault(t.claim, t)
    out = [f"{len(b.claims)} claims, {sum(1 for c in b.claims if c in tests)} of them with a test."]
    for slug in sorted({e.slug for e in b.claims.values()}, key=lambda s: (s != "index", s)):
        out += [
            "",
            f"## `{slug}` {{#ledger-{slug}}}",
            "",
            "| Claim | Made in | Tested by | Measured in this build |",
            "|---|---|---|---|",
        ]
        for cid in sorted(c for c, e in b.claims.items() if e.slug == slug):
            e = b.claims[cid]
            made = b.marker_pages.get(cid)
            made_md = f"[{made[0]}]({get_relative_url(made[0], src)}#{made[1]})" if made else "—"
            t = tests.get(cid)
            test_md = (
                f'<a href="{code_url(page.file.url, "tests/" + t.file, t.line)}"><code>{t.test}</code></a>'
                if t
                else "—"
            )
            vals = b.values.get(cid, {})
            val = "<br>".join(f"{k} = {short(v)}" if k else short(v) for k, v in vals.items())
            out.append(
                f'| <span id="{cid}"></span>**`{cid.split(".", 1)[1]}`**<br>{e.text} | {made_md} | {test_md} | {val} |'
            )
    return "\n".join(out)
