"""The doctor checked against the frameworks: claims and the validation table of docs/doctor.md.

The fixtures (data/doctor_fixtures/*.json) were measured by tools/doctor_fixtures.py in the
framework venv: per module, the mean square of its output (q) and of the loss gradient with respect
to it (g), averaged over 3 independently initialized models. Nothing here draws random numbers.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from snippets import claim, figure, table
from snippets.doctor import analyze

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "doctor_fixtures"
TOL_Q = 0.5  # decades: the promise for a forward second moment (a factor 10**0.5 = 3.2)
TOL_G = 0.5  # decades, for a backward gradient scale
# The traps each fixture really has (by construction in tools/doctor_fixtures.py).
EXPECTED_TRAPS = {
    "deep_relu_mlp": {"torch-linear-relu"},
    "lstm_classifier": {"lstm-forget-bias"},
    "transformer_lm": {"encoder-identical-layers", "tied-embedding-n01"},
    "vit_tiny": {"trunc-normal-bounds", "no-residual-scaling"},
    "llama_small": {"no-residual-scaling"},
    "keras_lstm": {"keras-recurrent-orthogonal"},
}


def fixture_files():
    """The per-model fixtures (fixes.json holds the fixes' check, not a model)."""
    return [f for f in sorted(FIXTURES.glob("*.json")) if f.name != "fixes.json"]


def decades(p, m):
    """|log10(predicted / measured)|; 0 when both are exactly 0."""
    if p == m:
        return 0.0
    if p <= 0 or m <= 0:
        return math.inf
    return abs(math.log10(p / m))


@functools.cache
def fixture_report():
    """Per fixture: the layers compared and the worst forward / backward error in decades."""
    out = {}
    for f in fixture_files():
        fx = json.loads(f.read_text())
        r = analyze(fx["text"], fx["input"])
        rows = {x["name"]: x for x in r["rows"]}
        eq, eg = [], []
        for name, m in fx["layers"].items():
            if name not in rows:
                continue
            p = rows[name]
            eq.append((decades(p["q"], m["q"]), name))
            if p["g"] is not None and "g" in m:
                eg.append((decades(p["g"], m["g"]), name))
        out[fx["name"]] = {
            "framework": fx["framework"],
            "modules": len(fx["layers"]),
            "compared": len(eq),
            "q_worst": max(eq)[0],
            "q_worst_at": max(eq)[1],
            "g_compared": len(eg),
            "g_worst": max(eg)[0] if eg else None,
            "g_worst_at": max(eg)[1] if eg else "",
            "loss_pred": r["loss"]["predicted"] if r["loss"] else None,
            "loss_meas": fx["loss"]["initial"],
            "ln_c": fx["loss"]["ln_c"],
            "traps": sorted({t["id"] for t in r["traps"]}),
        }
    return out


@claim(
    "doctor.forward-within",
    "On most fixtures, the predicted forward second moment of every module is within 0.5 decades of "
    "the framework's measurement; the page names the exceptions and the worst error.",
)
def forward_within():
    rep = fixture_report()
    return {
        "fixtures": len(rep),
        "within": sum(v["q_worst"] <= TOL_Q for v in rep.values()),
        "layers": sum(v["compared"] for v in rep.values()),
        "worst": max(v["q_worst"] for v in rep.values()),
        "median_worst": sorted(v["q_worst"] for v in rep.values())[len(rep) // 2],
        "tol": TOL_Q,
        "outside": ", ".join(f"`{k}`" for k, v in rep.items() if v["q_worst"] > TOL_Q) or "none",
        "worst_at": max((v["q_worst"], f"`{k}` (`{v['q_worst_at']}`)") for k, v in rep.items())[1],
    }


@claim(
    "doctor.backward-within",
    "The predicted gradient scale is within 0.5 decades of the measurement at every compared module on "
    "most fixtures; the page names the fixtures where it is not.",
)
def backward_within():
    rep = fixture_report()
    ok = [k for k, v in rep.items() if v["g_worst"] is not None and v["g_worst"] <= TOL_G]
    has = [k for k, v in rep.items() if v["g_worst"] is not None]
    return {
        "fixtures": len(has),
        "within": len(ok),
        "layers": sum(v["g_compared"] for v in rep.values()),
        "tol": TOL_G,
        "outside": ", ".join(f"`{k}` (`{v['g_worst_at']}`)" for k in has if (v := rep[k])["g_worst"] > TOL_G)
        or "none",
    }


@claim(
    "doctor.traps-exact",
    "Every trap flag is raised by a fixture that has the trap and by no fixture that lacks it.",
)
def traps_exact():
    rep = fixture_report()
    from snippets.doctor.traps import TRAP_IDS

    exact = all(set(v["traps"]) == EXPECTED_TRAPS.get(k, set()) for k, v in rep.items())
    covered = set().union(*EXPECTED_TRAPS.values())
    return {
        "exact": exact,
        "traps": len(TRAP_IDS),
        "covered": len(covered & set(TRAP_IDS)),
        "fixtures": len(rep),
    }


@claim(
    "doctor.initial-loss",
    "Without tied N(0, 1) embeddings, the predicted initial loss is within 5% of the measured one on "
    "every fixture with a classifier or language-model head.",
)
def initial_loss_claim():
    rep = fixture_report()
    errs = [
        abs(v["loss_pred"] / v["loss_meas"] - 1)
        for v in rep.values()
        if v["loss_pred"] is not None and "tied-embedding-n01" not in v["traps"]
    ]
    return {"fixtures": len(errs), "worst_rel": max(errs)}


@table("doctor/fixtures", caption="The doctor's predictions against each framework's measurement (3 seeds).")
def tbl_fixtures():
    rep = fixture_report()
    head = [
        "fixture",
        "from",
        "modules compared",
        "worst forward error",
        "worst backward error",
        "initial loss: predicted / measured (ln C)",
        "traps flagged",
    ]
    rows = []
    for k, v in rep.items():
        g = "—" if v["g_worst"] is None else f"{v['g_worst']:.2f} dec (`{v['g_worst_at']}`)"
        loss = (
            "—"
            if v["loss_pred"] is None
            else f"{v['loss_pred']:.2f} / {v['loss_meas']:.2f} ({v['ln_c']:.2f})"
        )
        rows.append([f"`{k}`", v["framework"], str(v["compared"]), f"{v['q_worst']:.2f} dec (`{v['q_worst_at']}`)", g, loss,
                     ", ".join(v["traps"]) or "none"])  # fmt: skip
    return head, rows


JS_TOLERANCE = 1e-9
# Cases beyond the fixtures for the JavaScript-numpy comparison: the other config families, layers
# no fixture has, an unknown layer, and bad input (which must fail with the same message).
JS_EXTRA = [
    (
        json.dumps(
            {
                "model_type": "bert",
                "hidden_size": 64,
                "num_hidden_layers": 2,
                "vocab_size": 500,
                "intermediate_size": 256,
                "num_attention_heads": 4,
            }
        ),  # fmt: skip
        "4x32",
    ),
    (
        json.dumps(
            {
                "model_type": "t5",
                "d_model": 64,
                "num_layers": 2,
                "vocab_size": 500,
                "d_kv": 16,
                "num_heads": 4,
                "d_ff": 128,
                "feed_forward_proj": "gated-gelu",
            }
        ),  # fmt: skip
        "4x32",
    ),
    (
        "Net(\n  (conv): Conv1d(4, 16, kernel_size=(5,), stride=(2,), padding=(2,))\n  (act): SiLU()\n"
        "  (up): ConvTranspose1d(16, 8, kernel_size=(4,), stride=(2,), padding=(1,))\n  (bn): BatchNorm1d(8, eps=1e-05)\n"
        "  (pool): AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,))\n  (gru): GRU(8, 32, num_layers=2, bidirectional=True)\n"
        "  (rnn): RNN(64, 16)\n  (head): Linear(in_features=16, out_features=3, bias=False)\n)",
        "2x4x64",
    ),
    (
        "Sequential(\n  (0): Linear(in_features=8, out_features=8, bias=True)\n  (1): Frobnicate(k=3)\n  (2): Sigmoid()\n)",
        "",
    ),
]
BAD_INPUTS = [
    ("", "empty"),
    ("hello world, this is not a model", "line 1"),
    ("Sequential(\n  (0): Linear(in_features=4, out_features=4, bias=True)\n  (1): ReLU()\n", "cut off"),
    ('{"model_type": "gpt2", "n_embd": 64', "line"),
    ('{"model_type": "bloom"}', "model_type"),
    ("Sequential(\n  (0): Dropout(p=0.1, inplace=False)\n)", "nothing to analyse"),
]


def js_cases():
    """(text, input shape) of every case the JavaScript is compared on."""
    fx = [json.loads(f.read_text()) for f in fixture_files()]
    return [(x["text"], x["input"]) for x in fx] + JS_EXTRA + [(t, "") for t, _ in BAD_INPUTS]


@claim(
    "doctor.same-as-numpy",
    "The doctor in the browser (docs/assets/doctor/doctor.js) gives the same per-module predictions as "
    "the numpy twin to a relative 1e-9, on every fixture and test case.",
)
def same_as_numpy():
    from snippets.doctor import DoctorError

    modules = 0
    for text, shape in js_cases():
        try:
            modules += len(analyze(text, shape)["rows"])
        except DoctorError:
            pass
    return {"tolerance": JS_TOLERANCE, "cases": len(js_cases()), "modules": modules}


@claim("doctor.js-size", "The doctor's own JavaScript (docs/assets/doctor/*.js) weighs at most 60 KB.")
def js_size():
    js = FIXTURES.parents[1] / "docs" / "assets" / "doctor"
    return {"bytes": sum(f.stat().st_size for f in js.glob("*.js")), "files": len(list(js.glob("*.js")))}


@claim(
    "doctor.fixes-work",
    "Each trap's copy-paste fix, run by the framework on a model with the trap, removes it.",
)
def fixes_work():
    f = json.loads((FIXTURES / "fixes.json").read_text())["fixes"]
    lstm, res, tr = f["lstm-forget-bias"], f["no-residual-scaling"], f["trunc-normal-bounds"]
    relu = f["torch-linear-relu"]
    return {
        "fixes": len(f),
        "relu_q_after": relu["q_last_after"],
        "relu_q_before": relu["q_last_before"],
        "trunc_max_after": tr["max_over_std_after"],
        "trunc_max_before": tr["max_over_std_before"],
        "lstm_forget_is_one": lstm["forget_min"] == lstm["forget_max"] == 1.0
        and lstm["others_max_abs"] == 0.0,
        "encoder_fixed": f["encoder-identical-layers"]["identical_before"]
        and f["encoder-identical-layers"]["different_after"],
        "tied_std_after": f["tied-embedding-n01"]["std_after"],
        "tied_still": f["tied-embedding-n01"]["still_tied"],
        "resid_std_rel": max(abs(res[k] / res["target"] - 1) for k in ("std_min", "std_max")),
        "keras_gate_err_fix": f["keras-recurrent-orthogonal"]["gate_orth_err_fix"],
        "keras_gate_err_default": f["keras-recurrent-orthogonal"]["gate_orth_err_default"],
    }


@functools.cache
def scatter_points():
    """(framework, predicted, measured) for q and for g, every compared module of every fixture."""
    pts = {"q": [], "g": []}
    for f in fixture_files():
        fx = json.loads(f.read_text())
        rows = {x["name"]: x for x in analyze(fx["text"], fx["input"])["rows"]}
        for name, m in fx["layers"].items():
            p = rows.get(name)
            if p is None:
                continue
            pts["q"].append((fx["framework"], p["q"], m["q"]))
            if p["g"] is not None and m.get("g", 0) > 0 and p["g"] > 0:
                pts["g"].append((fx["framework"], p["g"], m["g"]))
    return pts


@figure(
    "doctor/predicted-vs-measured",
    alt="Two log-log scatter plots, predicted against measured, for every module of the 12 fixtures: forward "
    "second moments and gradient mean squares; the points lie along the diagonal, mostly inside the band of "
    "half a decade.",
    caption="Every module of every fixture: the doctor's prediction against the framework's measurement (mean of "
    "3 seeds). Left: forward second moment; right: gradient mean square (where predicted). Dashed: a factor "
    "10^0.5 either way.",
)
def fig_predicted_vs_measured():
    import numpy as np

    from snippets._style import COLORS, new_figure

    pts = scatter_points()
    fig, axes = new_figure(1, 2, width=7.0, height=3.4)
    style = {
        "torch": ("o", COLORS[0], "PyTorch"),
        "keras": ("s", COLORS[5], "Keras"),
        "hf": ("^", COLORS[2], "HF config"),
    }
    for ax, key, label in zip(axes, ("q", "g"), (r"$\mathbb{E}[x^2]$", r"$\mathbb{E}[g^2]$")):
        arr = pts[key]
        lo = min(min(p, m) for _, p, m in arr)
        hi = max(max(p, m) for _, p, m in arr)
        line = np.array([lo / 3, hi * 3])
        ax.plot(line, line, color="#1a1a1b", lw=1)
        for f in (10**0.5, 10**-0.5):
            ax.plot(line, line * f, color="#1a1a1b", lw=0.8, ls="--")
        for fw, (mk, col, name) in style.items():
            sel = [(p, m) for w, p, m in arr if w == fw]
            if sel:
                ax.scatter(
                    [m for _, m in sel],
                    [p for p, _ in sel],
                    marker=mk,
                    s=14,
                    color=col,
                    alpha=0.8,
                    label=name,
                )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(f"measured {label}")
        ax.set_ylabel(f"predicted {label}")
    axes[0].legend(loc="upper left", fontsize=8)
    return fig
