"""Claims of docs/doctor.md: the Init Doctor against the frameworks' own measurements, and its
input handling. The fixtures are committed data (tools/doctor_fixtures.py made them), so these run
without the frameworks."""

from __future__ import annotations

import json
import math

import pytest

from snippets.doctor import DoctorError, analyze
from snippets.doctor import claims as dc
from snippets.doctor.traps import TRAP_IDS

STATED_TOL = 0.5  # the page's "within 0.5 decades" (a factor 3.2), fixed here on purpose


def recompute():
    """Worst errors straight from the fixture files, independently of the claim functions."""
    worst_q, worst_g = {}, {}
    for f in dc.fixture_files():
        fx = json.loads(f.read_text())
        rows = {x["name"]: x for x in analyze(fx["text"], fx["input"])["rows"]}
        for name, m in fx["layers"].items():
            if name in rows:
                p = rows[name]
                worst_q[fx["name"]] = max(worst_q.get(fx["name"], 0.0), dc.decades(p["q"], m["q"]))
                if p["g"] is not None and "g" in m:
                    worst_g[fx["name"]] = max(worst_g.get(fx["name"], 0.0), dc.decades(p["g"], m["g"]))
    return worst_q, worst_g


def test_fixtures_are_from_the_frameworks():
    files = dc.fixture_files()
    assert len(files) >= 10
    for f in files:
        fx = json.loads(f.read_text())
        assert fx["made_by"] == "tools/doctor_fixtures.py" and fx["seeds"] >= 3
        assert "torch" in fx["versions"] and fx["layers"]
        for v in fx["layers"].values():
            assert len(v["q_seeds"]) == fx["seeds"]


@pytest.mark.claim("doctor.forward-within")
def test_forward_within():
    v = dc.forward_within()
    worst_q, _ = recompute()
    assert v["tol"] == STATED_TOL and v["fixtures"] == len(worst_q) >= 10
    assert v["worst"] == pytest.approx(max(worst_q.values()), rel=1e-12)
    assert v["within"] == sum(w <= STATED_TOL for w in worst_q.values())
    assert v["within"] > v["fixtures"] / 2  # "most fixtures"
    srt = sorted(worst_q.values())
    assert v["median_worst"] == pytest.approx(srt[len(srt) // 2], rel=1e-12)
    assert v["layers"] == sum(r["compared"] for r in dc.fixture_report().values()) >= 300
    out = [k for k, w in worst_q.items() if w > STATED_TOL]
    assert v["outside"] == (", ".join(f"`{k}`" for k in out) or "none")
    k = max(worst_q, key=worst_q.get)
    assert v["worst_at"].startswith(f"`{k}` (")


@pytest.mark.claim("doctor.backward-within")
def test_backward_within():
    v = dc.backward_within()
    _, worst_g = recompute()
    assert v["tol"] == STATED_TOL
    assert v["fixtures"] == len(worst_g)
    assert v["within"] == sum(w <= STATED_TOL for w in worst_g.values())
    assert v["within"] > v["fixtures"] / 2  # "most fixtures"
    assert v["layers"] == sum(r["g_compared"] for r in dc.fixture_report().values())
    out = sorted(k for k, w in worst_g.items() if w > STATED_TOL)
    assert [x.split("`")[1] for x in v["outside"].split(", ")] == out


@pytest.mark.claim("doctor.traps-exact")
def test_traps_exact():
    v = dc.traps_exact()
    rep = dc.fixture_report()
    assert v["exact"] is True
    for name, r in rep.items():  # flagged exactly where the fixture has the trap
        assert set(r["traps"]) == dc.EXPECTED_TRAPS.get(name, set()), name
    assert v["covered"] == v["traps"] == len(TRAP_IDS)  # every flag is triggered by some fixture
    assert v["fixtures"] == len(rep)


@pytest.mark.claim("doctor.fixes-work")
def test_fixes_work():
    v = dc.fixes_work()
    fixes = json.loads((dc.FIXTURES / "fixes.json").read_text())["fixes"]
    assert v["fixes"] == len(fixes) == len(TRAP_IDS) and set(fixes) == set(TRAP_IDS)
    # the quoted numbers are the measured ones
    assert v["relu_q_after"] == fixes["torch-linear-relu"]["q_last_after"]
    assert v["relu_q_before"] == fixes["torch-linear-relu"]["q_last_before"]
    assert v["trunc_max_after"] == fixes["trunc-normal-bounds"]["max_over_std_after"]
    assert v["trunc_max_before"] == fixes["trunc-normal-bounds"]["max_over_std_before"]
    assert v["tied_std_after"] == fixes["tied-embedding-n01"]["std_after"]
    assert v["keras_gate_err_fix"] == fixes["keras-recurrent-orthogonal"]["gate_orth_err_fix"]
    assert v["keras_gate_err_default"] == fixes["keras-recurrent-orthogonal"]["gate_orth_err_default"]
    res = fixes["no-residual-scaling"]
    assert v["resid_std_rel"] == max(abs(res[k] / res["target"] - 1) for k in ("std_min", "std_max"))
    assert (
        v["relu_q_before"] < 1e-2 and 0.5 <= v["relu_q_after"] <= 2
    )  # He: the signal reaches layer 12 at ~1
    assert v["trunc_max_before"] > 4 and v["trunc_max_after"] <= 2.0  # cut at 2 std only with the fix
    assert v["lstm_forget_is_one"] is True and v["encoder_fixed"] is True and v["tied_still"] is True
    assert v["tied_std_after"] == pytest.approx(0.02, rel=0.02)
    assert v["resid_std_rel"] <= 0.03  # 0.02 / sqrt(2 L), measured on 12 matrices
    assert v["keras_gate_err_fix"] < 1e-5 < 0.1 < v["keras_gate_err_default"]


@pytest.mark.claim("doctor.initial-loss")
def test_initial_loss():
    v = dc.initial_loss_claim()
    rep = dc.fixture_report()
    errs = [
        abs(r["loss_pred"] / r["loss_meas"] - 1)
        for r in rep.values()
        if r["loss_pred"] is not None and "tied-embedding-n01" not in r["traps"]
    ]
    assert v["fixtures"] == len(errs) >= 8
    assert v["worst_rel"] == pytest.approx(max(errs), rel=1e-12)
    assert v["worst_rel"] <= 0.05


def test_initial_loss_formula():
    from snippets.doctor.core import initial_loss

    assert initial_loss(0.0, 1000) == pytest.approx(math.log(1000), rel=1e-6)
    assert initial_loss(0.01, 10) == pytest.approx(math.log(10) + 0.005, rel=1e-3)  # ln C + s^2/2, small s


BAD = dc.BAD_INPUTS


@pytest.mark.parametrize("text,expect", BAD)
def test_bad_input_names_the_problem(text, expect):
    with pytest.raises(DoctorError, match=expect):
        analyze(text)


def test_unknown_layers_are_named_by_line():
    text = "Sequential(\n  (0): Linear(in_features=8, out_features=8, bias=True)\n  (1): Frobnicate(k=3)\n  (2): ReLU()\n)"
    r = analyze(text)
    assert [u["line"] for u in r["unread"]] == [3]
    assert any("Frobnicate" in n["text"] and n["line"] == 3 for n in r["notes"])


# ---------------------------------------------------------------- the JavaScript twin, in node
JS = dc.FIXTURES.parents[1] / "docs" / "assets" / "doctor" / "doctor.js"
NODE_RUN = """
import { analyze } from %s;
const cases = JSON.parse(await new Promise((r) => { let s = ""; process.stdin.on("data", (d) => (s += d)); process.stdin.on("end", () => r(s)); }));
const out = cases.map(([t, s]) => { try { return analyze(t, s); } catch (e) { return { error: e.message }; } });
process.stdout.write(JSON.stringify(out));
"""


def run_js(cases):
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    proc = subprocess.run(
        [node, "--no-warnings", "--input-type=module", "-e", NODE_RUN % json.dumps(JS.as_uri())],
        input=json.dumps(cases), capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout)


def close(a, b, tol):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol * abs(b) or a == b


@pytest.mark.claim("doctor.same-as-numpy")
def test_js_same_as_numpy():
    v = dc.same_as_numpy()
    assert v["tolerance"] == 1e-9  # the page's "to a relative 1e-9"
    cases = dc.js_cases()
    js = run_js(cases)
    checked = 0
    for (text, shape), j in zip(cases, js):
        try:
            p = analyze(text, shape)
        except DoctorError as e:
            assert j.get("error") == str(e)  # the same message, word for word
            continue
        assert "error" not in j, j.get("error")
        assert [r["name"] for r in j["rows"]] == [r["name"] for r in p["rows"]]
        for a, b in zip(j["rows"], p["rows"]):
            assert close(a["q"], b["q"], v["tolerance"]) and close(a["g"], b["g"], v["tolerance"]), b["name"]
            assert (a["fan_in"], a["fan_out"], a["init"]) == (b["fan_in"], b["fan_out"], b["init"]), b["name"]
            checked += 1
        if p["loss"]:
            assert close(j["loss"]["predicted"], p["loss"]["predicted"], v["tolerance"])
        assert [t["id"] for t in j["traps"]] == [t["id"] for t in p["traps"]]
        assert [t["fix"] for t in j["traps"]] == [t["fix"] for t in p["traps"]]
        assert [(n["line"], n["text"]) for n in j["notes"]] == [
            (n["line"], n["text"]) for n in p["notes"]
        ] or p["format"] == "hf"
        assert [u["line"] for u in j["unread"]] == [u["line"] for u in p["unread"]]
    assert checked == v["modules"] and len(cases) == v["cases"]


@pytest.mark.claim("doctor.js-size")
def test_js_size():
    v = dc.js_size()
    own = sum(f.stat().st_size for f in JS.parent.glob("*.js"))
    assert v["bytes"] == own and v["files"] == 2
    assert own <= 60_000  # "at most 60 KB" (and nothing else is loaded but the playground's 1.4 KB draw.js)


# ------------------------------------------------------------------------------- browser
@pytest.fixture(scope="module")
def site(built_site):
    if not (built_site / "doctor" / "index.html").exists():
        pytest.skip("no built doctor page")
    return built_site


@pytest.fixture(scope="module")
def base(site):
    from browser import serve

    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from browser import chromium, chromium_path

    if chromium_path() is None:
        pytest.skip("Debian's chromium is not installed (make browser)")
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, base):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    p = ctx.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: m.type == "error" and errors.append(m.text))
    p.goto(base + "doctor/")
    p.wait_for_function("document.getElementById('wrw-doctor')?.dataset.runs !== undefined")
    yield p
    ctx.close()
    assert not errors, errors  # never an exception in the console


def analyse_in_page(page, text, shape=""):
    runs = int(page.get_attribute("#wrw-doctor", "data-runs") or 0)
    page.fill("#dr-text", text)
    page.fill("#dr-shape", shape)
    page.click(".wrw-dr-run")
    page.wait_for_function(f"+document.getElementById('wrw-doctor').dataset.runs > {runs}")


@pytest.mark.browser
@pytest.mark.parametrize("text,expect", BAD)
def test_bad_input_in_the_browser(page, text, expect):
    analyse_in_page(page, text)
    assert page.is_visible(".wrw-dr-error") and not page.is_visible(".wrw-dr-out")
    msg = page.text_content(".wrw-dr-error")
    assert expect in msg and msg == page.evaluate("wrwDoctor.last.error")


@pytest.mark.browser
def test_half_pasted_names_the_line(page):
    text = json.loads((dc.FIXTURES / "resnet18.json").read_text())["text"]
    half = "\n".join(text.split("\n")[:40])  # cut mid-model
    analyse_in_page(page, half)
    assert "is never closed" in page.text_content(".wrw-dr-error")
    assert page.text_content(".wrw-dr-error").startswith("line ")


@pytest.mark.browser
def test_example_table_traps_and_shareable_url(page, base):
    page.click("button[data-example='ex-lstm']")
    page.wait_for_function("wrwDoctor.last && wrwDoctor.last.res")
    res = page.evaluate("wrwDoctor.last.res")
    fx = json.loads((dc.FIXTURES / "lstm_classifier.json").read_text())
    ref = analyze(fx["text"], fx["input"])
    assert [t["id"] for t in res["traps"]] == [t["id"] for t in ref["traps"]] == ["lstm-forget-bias"]
    assert "p.data[H:2 * H] = 1.0" in page.text_content(".wrw-dr-traps")  # the fix, in PyTorch
    assert page.locator(".wrw-dr-table tbody tr").count() == len(ref["rows"])
    url = page.url
    assert "#m=" in url
    page.goto("about:blank")
    page.goto(url)  # the shared address reproduces the paste and the result
    page.wait_for_function("wrwDoctor.last && wrwDoctor.last.res")
    assert page.input_value("#dr-text") == fx["text"].strip() and page.input_value("#dr-shape") == fx["input"]
    again = page.evaluate("wrwDoctor.last.res")
    assert [r["q"] for r in again["rows"]] == [r["q"] for r in res["rows"]]
