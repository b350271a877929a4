"""What PyTorch, Keras and Flax do by default (measured), the traps, and the decision guide.

The tables read ``data/framework_defaults.json`` (``tools/check_framework_defaults.py``) and
``data/framework_traps.json`` (``tools/measure_framework_traps.py``); both scripts measure the real
frameworks in a separate venv and record versions and source lines.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from snippets import claim, figure, table
from snippets._seeds import rng
from snippets._style import COLORS
from snippets.architectures._common import (
    EXP,
    LINES,
    MARKERS,
    block_stats,
    defaults_data,
    fig_axes,
    gaussian_layers,
    torch_default_layers,
    traps_data,
)

FW = ("torch", "keras", "flax")


def _row(row_id):
    return next(r for r in defaults_data()["rows"] if r["id"] == row_id)


def _stat(c: dict) -> str:
    if "src" not in c:
        return ""
    if "gamma" in c:
        return "exactly"
    if "value" in c:
        return f"all {c['value']:g}"
    return f"σ = {c['std']:.3g}" + (
        f", max {c['bound']:.3g}" if c.get("bound") and c.get("bound_reached", True) else ""
    )


def _code_ref(src: dict) -> str:
    """``file.py:line`` with the full path in a tooltip (keeps the table narrow)."""
    name = src["file"].rsplit("/", 1)[-1]
    return f'<code title="{src["file"]}">{name}:{src["line"]}</code>'


def _versions():
    v = defaults_data()["checked_with"]
    return [f"PyTorch {v['torch']['torch']}", f"Keras {v['keras']['keras']}", f"Flax {v['flax']['flax']}"]


NAMES = {"torch": "PyTorch", "keras": "Keras", "flax": "Flax"}


def _defaults_table(group):
    """Two columns (layer; one line per framework), so that the table fits any page width."""
    rows = []
    for r in defaults_data()["rows"]:
        if r["group"] != group:
            continue
        shape = f" ({r['shape']})" if r["shape"] else ""
        lines = []
        for fw in FW:
            c = r[fw]
            stat = _stat(c)
            lines.append(f"**{NAMES[fw]}**: {c['init']}" + (f"; *{stat}*" if stat else ""))
        rows.append([r["layer"] + shape, "<br>".join(lines)])
    return ["layer (shape)", "default: " + " · ".join(_versions())], rows


@table(
    "architectures/framework-defaults",
    caption="Default initialisation of feed-forward layers, measured by tools/check_framework_defaults.py on the "
    "installed frameworks (σ: the measured std, checked against the formula, at the stated shape). The source "
    "line of each cell is in the next table.",
)
def tbl_framework_defaults():
    return _defaults_table("ff")


@table(
    "architectures/framework-defaults-recurrent",
    caption="Default initialisation of recurrent layers (input size 128, hidden size 256), measured the same way.",
)
def tbl_framework_defaults_recurrent():
    return _defaults_table("rec")


@table(
    "architectures/framework-sources",
    caption="Where each default is set: file:line of the installed source, re-checked by the script "
    "(versions as in the table headers; hover a file name for its full path).",
)
def tbl_framework_sources():
    rows = []
    for r in defaults_data()["rows"]:
        cells = [f"{NAMES[fw]} {_code_ref(r[fw]['src'])}" for fw in FW if "src" in r[fw]]
        rows.append([r["layer"], " · ".join(cells) or "—"])
    return ["layer", "set in (" + " · ".join(_versions()) + ")"], rows


@claim(
    "architectures.embedding-scales-differ",
    "The default embedding std differs across PyTorch, Keras and Flax by more than an order of magnitude.",
)
def embedding_scales():
    stds = {fw: _row("embedding")[fw]["measured"]["std"] for fw in FW}
    return {**stds, "ratio": max(stds.values()) / min(stds.values())}


@claim(
    "architectures.torch-linear-not-he",
    "PyTorch's default Linear weight std is 1/sqrt(3·fan_in): its variance is one sixth of He's.",
)
def torch_linear_vs_he():
    m = _row("linear-weight")["torch"]["measured"]
    he = math.sqrt(2 / 256)  # fan_in 256
    return {"std": m["std"], "he_std": he, "var_ratio": (m["std"] / he) ** 2, "max_abs": m["max_abs"]}


# ------------------------------------------------------------------------------------------------
# traps measured by tools/measure_framework_traps.py
# ------------------------------------------------------------------------------------------------
def _trap(name):
    return traps_data()["traps"][name]


def _src(t, i=0):
    return _code_ref(t["src"][i])


@claim(
    "architectures.recurrent-per-gate",
    "Keras orthogonalizes the stacked (units, 4·units) LSTM recurrent kernel, so no gate block is orthogonal "
    "(RMS singular value 1/2, i.e. sqrt(units / (4·units))); Flax's LSTM and GRU cells and Keras's SimpleRNN are "
    "orthogonal per block.",
)
def recurrent_per_gate():
    m = _trap("recurrent-per-gate")["measured"]
    k, g = m["keras-LSTM"], m["keras-GRU"]
    return {
        "keras_lstm_sv_rms": float(np.mean(k["block_sv_rms"])),
        "keras_lstm_sv_rms_min": min(k["block_sv_rms"]),
        "keras_lstm_sv_rms_max": max(k["block_sv_rms"]),
        "keras_lstm_sv_max": max(b["sv_max"] for b in k["blocks"]),
        "keras_lstm_sv_min": min(b["sv_min"] for b in k["blocks"]),
        "keras_lstm_whole_ortho_err": k["whole_ortho_err"],
        "keras_gru_sv_rms": float(np.mean(g["block_sv_rms"])),
        "flax_block_ortho_err": max(
            m["flax-LSTMCell"]["block_ortho_err_max"], m["flax-GRUCell"]["block_ortho_err_max"]
        ),
        "keras_simplernn_ortho_err": m["keras-SimpleRNN"]["block_ortho_err_max"],
    }


@claim(
    "architectures.torch-encoder-clones",
    "nn.TransformerEncoder deep-copies the layer it is given: all its layers start with identical parameters.",
)
def torch_encoder_clones():
    m = _trap("torch-encoder-clones")["measured"]
    return {
        "layers": m["layers"],
        "max_diff": m["max_param_diff_from_layer0"],
        "same_object": m["same_python_object"],
    }


@claim(
    "architectures.torch-transformer-xavier",
    "nn.Transformer re-initializes every matrix with xavier_uniform_, so its FFN weights have Glorot's std, "
    "not nn.Linear's default (1.10 times larger at 256→1024).",
)
def torch_transformer_xavier():
    m = _trap("torch-transformer-xavier")["measured"]
    return {
        "linear1_std": m["linear1_std"],
        "xavier_std": m["xavier_std"],
        "linear_default_std": m["linear_default_std"],
        "ratio_to_default": m["linear1_std"] / m["linear_default_std"],
        "in_proj_std": m["in_proj_std"],
        "in_proj_xavier_std": m["in_proj_xavier_std"],
    }


@claim(
    "architectures.keras-shared-initializer",
    "Two Keras layers given the same initializer instance start with identical kernels, whether the instance "
    "was seeded or not, and Keras emits no warning about the seed; separate instances or the string name give "
    "different kernels.",
)
def keras_shared_initializer():
    m = _trap("keras-shared-initializer")["measured"]
    return {
        "shared_unseeded": m["shared_unseeded_instance"],
        "shared_seeded": m["shared_seeded_instance"],
        "separate": m["two_unseeded_instances"],
        "string": m["string_name"],
        "seed_warnings": len(m.get("seed_warnings", [])),
    }


@claim(
    "architectures.keras-3d-fans",
    "Keras's GlorotUniform on a 3-D shape (3, 256, 256) treats the first axis as a convolution window: "
    "fans 768 and 768, std 1/sqrt(3) of the 2-D Glorot std.",
)
def keras_3d_fans():
    m = _trap("keras-3d-fans")["measured"]
    return {
        **{k: m[k] for k in ("std_3d", "std_2d", "glorot_2d_std", "conv_fans_std")},
        "ratio": m["std_3d"] / m["std_2d"],
    }


@table(
    "architectures/framework-traps",
    caption="Traps outside the defaults table, measured by tools/measure_framework_traps.py (versions in the "
    "defaults table headers; file:line of the installed source).",
)
def tbl_framework_traps():
    t = {k: _trap(k) for k in traps_data()["traps"]}
    rg = t["recurrent-per-gate"]["measured"]
    tx = t["torch-transformer-xavier"]["measured"]
    ks = t["keras-shared-initializer"]["measured"]
    k3 = t["keras-3d-fans"]["measured"]
    rows = [
        [
            "Keras `LSTM`/`GRU`: orthogonal on the stacked kernel",
            f"gate blocks have RMS singular value {np.mean(rg['keras-LSTM']['block_sv_rms']):.3f} (LSTM) and "
            f"{np.mean(rg['keras-GRU']['block_sv_rms']):.3f} (GRU), not 1; Flax per gate: "
            f"max |BBᵀ − I| = {rg['flax-LSTMCell']['block_ortho_err_max']:.0e}",
            f"{_src(t['recurrent-per-gate'], 1)}, {_src(t['recurrent-per-gate'], 2)}",
        ],
        [
            "`nn.TransformerEncoder(layer, N)` copies `layer`",
            f"all {t['torch-encoder-clones']['measured']['layers']} layers identical (largest difference "
            f"{t['torch-encoder-clones']['measured']['max_param_diff_from_layer0']:g})",
            f"{_src(t['torch-encoder-clones'], 0)}, {_src(t['torch-encoder-clones'], 1)}",
        ],
        [
            "`nn.Transformer` re-initializes",
            f"FFN weight σ = {tx['linear1_std']:.4f} = Glorot's {tx['xavier_std']:.4f}, not nn.Linear's "
            f"{tx['linear_default_std']:.4f}",
            f"{_src(t['torch-transformer-xavier'], 1)}",
        ],
        [
            "Keras: one initializer instance in two layers",
            f"identical kernels (difference {ks['shared_unseeded_instance']:g} unseeded, "
            f"{ks['shared_seeded_instance']:g} seeded); separate instances differ by up to {ks['two_unseeded_instances']:.2f}",
            f"{_src(t['keras-shared-initializer'], 0)}, {_src(t['keras-shared-initializer'], 2)}",
        ],
        [
            "Keras `GlorotUniform` on shape (3, 256, 256)",
            f"σ = {k3['std_3d']:.4f}: fans 768 and 768 (window 3), against {k3['std_2d']:.4f} for (256, 256)",
            f"{_src(t['keras-3d-fans'], 1)}",
        ],
    ]
    return ["trap", "measured", "source"], rows


# --8<-- [start:default_depth]
def depth_profile(Ws, bs, X):
    """Mean squared pre-activation after each layer of a ReLU MLP, averaged over seeds."""
    h, q = X, []
    for W, b in zip(Ws, bs):
        z = h @ W + (0.0 if b is None else b)
        q.append(float((z**2).mean()))
        h = np.maximum(z, 0.0)
    return np.array(q)


# --8<-- [end:default_depth]


@functools.cache
def defaults_in_deep_relu(width=128, depth=20, block=0):
    """Pre-activation second moment vs depth of a ReLU MLP under each framework's Linear/Dense default."""
    g = rng(EXP["defaults-depth"], block)
    X = g.standard_normal((128, width))
    sizes = [width] * (depth + 1)
    s = 4  # seeds: the profile is an average over width x batch x seeds
    tW, tb = torch_default_layers(g, sizes, s)
    bound = np.sqrt(6 / (2 * width))
    kW = [g.uniform(-bound, bound, (s, width, width)) for _ in range(depth)]
    hW = gaussian_layers(g, sizes, lambda a, b: np.sqrt(2 / a), s)
    return {
        "PyTorch default (with its biases)": depth_profile(tW, tb, X),
        "PyTorch default, biases off": depth_profile(tW, [None] * depth, X),
        "Keras glorot_uniform / Flax lecun_normal": depth_profile(kW, [None] * depth, X),
        "He": depth_profile(hW, [None] * depth, X),
    }


BLOCKS = 5


@claim(
    "architectures.torch-default-shrinks-relu",
    "In a deep ReLU MLP without biases, PyTorch's default Linear init divides the pre-activation "
    "second moment by about 6 per layer (He keeps it at 1); its biases then set a floor of order 1/(3·fan_in).",
)
def torch_default_shrink():
    per = []
    for b in range(BLOCKS):
        prof = defaults_in_deep_relu(block=b)
        nob = prof["PyTorch default, biases off"]
        per.append(
            {
                "per_layer_factor": float(np.exp(np.mean(np.diff(np.log(nob))))),
                "he_per_layer": float(np.exp(np.mean(np.diff(np.log(prof["He"]))))),
                "with_bias_layer20": float(prof["PyTorch default (with its biases)"][-1]),
                "no_bias_layer20": float(nob[-1]),
            }
        )
    return {**block_stats(per), "bias_floor": 1 / (3 * 128)}


@figure(
    "architectures/defaults-deep-relu",
    alt="Log-scale plot of pre-activation second moment against layer index for a 20-layer ReLU MLP of width 128. "
    "He stays near 1; Keras/Flax defaults halve it every layer; PyTorch's default divides it by about six per layer "
    "until its random biases hold it at a floor near 1e-3.",
    caption="What each framework's default Linear/Dense init does to a deep ReLU MLP (width 128, no normalization).",
)
def fig_defaults_deep_relu():
    prof = defaults_in_deep_relu()
    fig, ax = fig_axes(height=3.4)
    labels = ("PyTorch, its biases", "PyTorch, no biases", "Keras / Flax", "He")
    for q, c, ls, m, lab in zip(prof.values(), COLORS, LINES, MARKERS, labels):
        layers = np.arange(1, len(q) + 1)
        ax.semilogy(layers, q, marker=m, ms=3, color=c, ls=ls, label=lab)
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.set_xlabel("layer $l$")
    ax.set_ylabel(r"mean $z_l^2$")
    ax.legend(ncols=2, loc="lower left")
    return fig


# ------------------------------------------------------------------------------------------------
# the decision guide
# ------------------------------------------------------------------------------------------------
@table(
    "architectures/decision-guide",
    caption="Which init to use, and what PyTorch, Keras and Flax do by default (from the measured tables above).",
)
def tbl_decision_guide():
    v = torch_linear_vs_he()["var_ratio"]
    rg = recurrent_per_gate()
    rows = [
        [
            "MLP/CNN · ReLU, GELU",
            "He: N(0, 2/fan_in), fan_in = C_in·k_h·k_w ([CNN](#cnn))",
            f"PyTorch U(±1/√fan_in), {v:.2f} of He's variance; Keras Glorot and Flax LeCun, ½ of He's for a square "
            "layer. **Change** all three for a deep net without normalization ([defaults](#framework-defaults)).",
        ],
        [
            "MLP/CNN · tanh",
            "LeCun: N(0, 1/fan_in), the critical point at zero bias; not the gain 5/3, which is chaotic "
            "([diagnose](#diagnose))",
            "PyTorch: variance ⅓ of LeCun's, **change**. Keras Glorot (equal to LeCun for a square layer) and "
            "Flax LeCun: keep.",
        ],
        [
            "any · with BatchNorm/LayerNorm",
            "any sane scale; γ = 1, β = 0 ([normalization](#normalization))",
            "All three start γ = 1, β = 0: keep.",
        ],
        [
            "ResNet without normalization",
            "Fixup, or at least the last layer of each branch at zero ([residual](#residual))",
            "None of the three does it: **change**.",
        ],
        [
            "ResNet with BatchNorm",
            "zero-γ in the last BN of each block ([residual](#residual))",
            "γ = 1 everywhere; torchvision has `zero_init_residual=True`. Optional.",
        ],
        [
            "Transformer (pre-LN)",
            "N(0, 0.02²); residual projections × 1/√(2·blocks) or zero ([transformers](#transformers))",
            "PyTorch: Linear default, or Glorot inside `nn.Transformer`, and `nn.TransformerEncoder` copies one "
            "layer N times; Keras/Flax: Glorot/LeCun. **Change** for deep stacks.",
        ],
        [
            "RNN (tanh)",
            "orthogonal recurrent matrix ([RNN](#rnn))",
            "PyTorch U(±1/√hidden): **change** (`orthogonal_`). Keras `SimpleRNN` and Flax: orthogonal, keep.",
        ],
        [
            "LSTM / GRU",
            "orthogonal recurrent block per gate, forget bias 1 ([RNN](#rnn), [LSTM](#lstm))",
            "PyTorch: neither, **change** both. Keras: forget bias 1, but orthogonal only on the stacked matrix "
            f"(gate blocks' RMS singular value {rg['keras_lstm_sv_rms']:.2f}). Flax: orthogonal per gate, "
            "forget bias 0: **set it to 1**.",
        ],
        [
            "Embedding with a tied readout",
            "σ with σ·d ≪ ln V ([embeddings](#embeddings))",
            "PyTorch N(0, 1) and Flax N(0, 1/d) break it; Keras U(±0.05) is closer. **Change** if tied.",
        ],
        [
            "a model tuned narrow, trained wide",
            "μP: zero readout, per-layer learning rates ([width](#width))",
            "None of the three: **change**.",
        ],
        [
            "anything unusual",
            "LSUV, or check with `diagnose()` ([LSUV](#lsuv), [diagnose](#diagnose))",
            "Measure it.",
        ],
    ]
    return ["network", "use", "what the defaults do"], rows
