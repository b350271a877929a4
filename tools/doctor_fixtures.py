"""Fixtures for the Init Doctor (docs/doctor.md), made by the real frameworks.

For each model below, this script writes ``data/doctor_fixtures/<name>.json`` with:

* ``text``: what the reader would paste: PyTorch's ``print(model)``, Keras's ``model.summary()``,
  or a Hugging Face ``config.json`` (for GPT-2 and Llama, built here in plain PyTorch with the
  Hugging Face initialization, since ``transformers`` is not installed);
* ``input``: the input the measurement used (the doctor's "input" field);
* ``layers``: per module (dotted name, ``@2`` for a second call of the same module), the mean
  square of its output (``q``) and of the gradient of the loss with respect to that output
  (``g``), averaged over ``SEEDS`` independently initialized models, each on its own random batch;
* ``loss``: the initial cross-entropy against uniformly random labels, and ln C;
* ``versions`` of the frameworks.

The loss whose gradient is measured is ``sum(out * r)`` with ``r ~ N(0, 1)`` fixed per seed, so the
output gradient has mean square 1 (the doctor's convention). Every model is in training mode, as at
the first optimization step: Dropout is active and BatchNorm uses batch statistics.

Run it in the framework venv (tools/fw_venv.sh):

    /work/main/.fw-venv/bin/python tools/doctor_fixtures.py [NAME ...]
"""

from __future__ import annotations

import io
import json
import math
import os
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["COLUMNS"] = "160"  # rich renders summary() at the terminal width; keep the Param # column

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "doctor_fixtures"
SEEDS = 3


def versions() -> dict:
    import importlib.metadata as m

    out = {}
    for p in ("torch", "torchvision", "keras", "jax", "numpy"):
        try:
            out[p] = m.version(p)
        except m.PackageNotFoundError:
            pass
    return out


# ----------------------------------------------------------------------------------- PyTorch
def torch_measure(build, make_input, seeds=SEEDS, loss_of=None):
    """Per-module mean squares of outputs and output gradients, averaged over seeds."""
    import torch

    acc: dict[str, dict[str, list[float]]] = {}
    losses, text, n_classes = [], None, None
    for seed in range(seeds):
        torch.manual_seed(1000 + seed)
        model = build()
        if text is None:
            text = str(model)
        for m in model.modules():  # in-place ReLUs would overwrite the tensors we hook
            if getattr(m, "inplace", False):
                m.inplace = False
        model.train()
        rec: dict[str, dict] = {}
        calls: dict[str, int] = {}
        handles = []

        def hook(name, rec=rec, calls=calls):
            def f(mod, inp, res):
                t = res[0] if isinstance(res, tuple) else res
                if not isinstance(t, torch.Tensor) or not t.is_floating_point():
                    return
                calls[name] = calls.get(name, 0) + 1
                key = name if calls[name] == 1 else f"{name}@{calls[name]}"
                r = {"q": float(t.detach().double().pow(2).mean())}
                rec[key] = r
                if t.requires_grad:
                    t.register_hook(lambda g, r=r: r.__setitem__("g", float(g.double().pow(2).mean())))

            return f

        for name, m in model.named_modules():
            if name:
                handles.append(m.register_forward_hook(hook(name)))
        torch.manual_seed(5000 + seed)
        x = make_input()
        out = model(x)
        out = out[0] if isinstance(out, tuple) else out
        r = torch.randn_like(out)
        rec["(output)"] = {"q": float(out.detach().double().pow(2).mean())}
        (out * r).sum().backward()
        rec["(output)"]["g"] = 1.0
        for h in handles:
            h.remove()
        logits = out.detach().reshape(-1, out.shape[-1]).double()
        n_classes = logits.shape[-1]
        y = torch.randint(0, n_classes, (logits.shape[0],))
        losses.append(float(torch.nn.functional.cross_entropy(logits, y)))
        for k, v in rec.items():
            a = acc.setdefault(k, {"q": [], "g": []})
            a["q"].append(v["q"])
            if "g" in v:
                a["g"].append(v["g"])
    layers = {}
    for k, v in acc.items():
        layers[k] = {"q": float(np.mean(v["q"])), "q_seeds": v["q"]}
        if len(v["g"]) == seeds:
            layers[k]["g"] = float(np.mean(v["g"]))
            layers[k]["g_seeds"] = v["g"]
    return text, layers, {"initial": float(np.mean(losses)), "seeds": losses, "ln_c": math.log(n_classes)}


def fx_resnet18():
    import torch
    import torchvision

    text, layers, loss = torch_measure(
        lambda: torchvision.models.resnet18(weights=None), lambda: torch.randn(8, 3, 224, 224)
    )
    return {"framework": "torch", "input": "8x3x224x224", "text": text, "layers": layers, "loss": loss}


def fx_vgg11():
    import torch
    import torchvision

    text, layers, loss = torch_measure(
        lambda: torchvision.models.vgg11(weights=None), lambda: torch.randn(4, 3, 224, 224)
    )
    return {"framework": "torch", "input": "4x3x224x224", "text": text, "layers": layers, "loss": loss}


def fx_mlp_tanh():
    import torch
    from torch import nn

    def build():
        return nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 256),
            nn.Tanh(),
            nn.Dropout(0.1),
            nn.Linear(256, 128),
            nn.Tanh(),
            nn.Linear(128, 10),
        )

    text, layers, loss = torch_measure(build, lambda: torch.randn(256, 1, 28, 28))
    return {"framework": "torch", "input": "256x1x28x28", "text": text, "layers": layers, "loss": loss}


def fx_deep_relu_mlp():
    import torch
    from torch import nn

    def build():
        mods = []
        for _ in range(12):
            mods += [nn.Linear(256, 256), nn.ReLU()]
        return nn.Sequential(*mods, nn.Linear(256, 10))

    text, layers, loss = torch_measure(build, lambda: torch.randn(256, 256))
    return {"framework": "torch", "input": "256x256", "text": text, "layers": layers, "loss": loss}


def fx_gelu_mlp_layernorm():
    import torch
    from torch import nn

    def build():
        return nn.Sequential(
            nn.Linear(64, 512), nn.LayerNorm(512), nn.GELU(), nn.Linear(512, 512), nn.LayerNorm(512), nn.SiLU(),
            nn.Linear(512, 512), nn.Sigmoid(), nn.Linear(512, 20),
        )  # fmt: skip

    text, layers, loss = torch_measure(build, lambda: torch.randn(256, 64))
    return {"framework": "torch", "input": "256x64", "text": text, "layers": layers, "loss": loss}


def fx_lstm_classifier():
    import torch
    from torch import nn

    class LSTMClassifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(1000, 64)
            self.lstm = nn.LSTM(64, 128, num_layers=2, batch_first=True)
            self.fc = nn.Linear(128, 5)

        def forward(self, x):
            out, _ = self.lstm(self.embed(x))
            return self.fc(out[:, -1])

    text, layers, loss = torch_measure(LSTMClassifier, lambda: torch.randint(0, 1000, (32, 40)))
    return {"framework": "torch", "input": "32x40", "text": text, "layers": layers, "loss": loss}


def fx_transformer_lm():
    import torch
    from torch import nn

    class TinyLM(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(1000, 64)
            layer = nn.TransformerEncoderLayer(64, 4, dim_feedforward=128, dropout=0.1, batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, num_layers=3, enable_nested_tensor=False)
            self.head = nn.Linear(64, 1000, bias=False)
            self.head.weight = self.embed.weight  # tied

        def forward(self, x):
            return self.head(self.encoder(self.embed(x)))

    text, layers, loss = torch_measure(TinyLM, lambda: torch.randint(0, 1000, (16, 32)))
    return {"framework": "torch", "input": "16x32", "text": text, "layers": layers, "loss": loss}


def fx_vit_tiny():
    import torch
    from torchvision.models import VisionTransformer

    def build():
        return VisionTransformer(
            image_size=32, patch_size=4, num_layers=3, num_heads=4, hidden_dim=64, mlp_dim=128, num_classes=10
        )

    text, layers, loss = torch_measure(build, lambda: torch.randn(16, 3, 32, 32))
    return {"framework": "torch", "input": "16x3x32x32", "text": text, "layers": layers, "loss": loss}


# ------------------------------------- GPT-2 and Llama from their config.json, in plain PyTorch
GPT2_CONFIG = {
    "architectures": ["GPT2LMHeadModel"],
    "model_type": "gpt2",
    "vocab_size": 2000,
    "n_positions": 128,
    "n_embd": 128,
    "n_layer": 6,
    "n_head": 4,
    "n_inner": None,
    "activation_function": "gelu_new",
    "resid_pdrop": 0.1,
    "embd_pdrop": 0.1,
    "attn_pdrop": 0.1,
    "layer_norm_epsilon": 1e-05,
    "initializer_range": 0.02,
    "tie_word_embeddings": True,
}
LLAMA_CONFIG = {
    "architectures": ["LlamaForCausalLM"],
    "model_type": "llama",
    "vocab_size": 2000,
    "hidden_size": 128,
    "intermediate_size": 344,
    "num_hidden_layers": 6,
    "num_attention_heads": 4,
    "num_key_value_heads": 4,
    "max_position_embeddings": 256,
    "hidden_act": "silu",
    "rms_norm_eps": 1e-06,
    "rope_theta": 10000.0,
    "initializer_range": 0.02,
    "attention_bias": False,
    "mlp_bias": False,
    "tie_word_embeddings": False,
}


def gpt2_model(cfg):
    """GPT2LMHeadModel's modules and forward (transformers' modeling_gpt2), with its _init_weights."""
    import torch
    from torch import nn

    d, nh, L = cfg["n_embd"], cfg["n_head"], cfg["n_layer"]

    class Attn(nn.Module):
        def __init__(self):
            super().__init__()
            self.c_attn, self.c_proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
            self.attn_dropout, self.resid_dropout = (
                nn.Dropout(cfg["attn_pdrop"]),
                nn.Dropout(cfg["resid_pdrop"]),
            )

        def forward(self, x):
            B, T, _ = x.shape
            q, k, v = self.c_attn(x).split(d, dim=2)
            q, k, v = (t.view(B, T, nh, d // nh).transpose(1, 2) for t in (q, k, v))
            s = q @ k.transpose(-1, -2) / math.sqrt(d // nh)
            s = s.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool), 1), float("-inf"))
            a = self.attn_dropout(s.softmax(-1))
            return self.resid_dropout(self.c_proj((a @ v).transpose(1, 2).reshape(B, T, d)))

    class MLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.c_fc, self.c_proj = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
            self.act, self.dropout = nn.GELU(approximate="tanh"), nn.Dropout(cfg["resid_pdrop"])

        def forward(self, x):
            return self.dropout(self.c_proj(self.act(self.c_fc(x))))

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln_1, self.attn = nn.LayerNorm(d, eps=cfg["layer_norm_epsilon"]), Attn()
            self.ln_2, self.mlp = nn.LayerNorm(d, eps=cfg["layer_norm_epsilon"]), MLP()

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            return x + self.mlp(self.ln_2(x))

    class Transformer(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte, self.wpe = nn.Embedding(cfg["vocab_size"], d), nn.Embedding(cfg["n_positions"], d)
            self.drop = nn.Dropout(cfg["embd_pdrop"])
            self.h = nn.ModuleList(Block() for _ in range(L))
            self.ln_f = nn.LayerNorm(d, eps=cfg["layer_norm_epsilon"])

        def forward(self, idx):
            x = self.drop(self.wte(idx) + self.wpe(torch.arange(idx.shape[1])))
            for b in self.h:
                x = b(x)
            return self.ln_f(x)

    class GPT2LMHeadModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = Transformer()
            self.lm_head = nn.Linear(d, cfg["vocab_size"], bias=False)
            self.lm_head.weight = self.transformer.wte.weight
            std = cfg["initializer_range"]
            for m in self.modules():  # GPT2PreTrainedModel._init_weights
                if isinstance(m, (nn.Linear, nn.Embedding)):
                    m.weight.data.normal_(0.0, std)
                    if getattr(m, "bias", None) is not None:
                        m.bias.data.zero_()
                elif isinstance(m, nn.LayerNorm):
                    m.weight.data.fill_(1.0)
                    m.bias.data.zero_()
            for name, p in self.named_parameters():  # "Reinitialize selected weights": c_proj / sqrt(2 L)
                if name.endswith("c_proj.weight"):
                    p.data.normal_(0.0, std / math.sqrt(2 * L))

        def forward(self, idx):
            return self.lm_head(self.transformer(idx))

    return GPT2LMHeadModel()


def llama_model(cfg):
    """LlamaForCausalLM's modules and forward (transformers' modeling_llama), with its _init_weights."""
    import torch
    from torch import nn

    d, nh, L, di = (
        cfg["hidden_size"],
        cfg["num_attention_heads"],
        cfg["num_hidden_layers"],
        cfg["intermediate_size"],
    )
    dh = d // nh

    class RMSNorm(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(d))

        def forward(self, x):
            return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + cfg["rms_norm_eps"])

    def rope(x):
        T = x.shape[-2]
        inv = 1.0 / cfg["rope_theta"] ** (torch.arange(0, dh, 2).float() / dh)
        ang = torch.outer(torch.arange(T).float(), inv)
        cos, sin = torch.cat([ang, ang], -1).cos(), torch.cat([ang, ang], -1).sin()
        x1, x2 = x[..., : dh // 2], x[..., dh // 2 :]
        return x * cos + torch.cat([-x2, x1], -1) * sin

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.q_proj, self.k_proj = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)
            self.v_proj, self.o_proj = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)

        def forward(self, x):
            B, T, _ = x.shape
            q, k, v = (
                p(x).view(B, T, nh, dh).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj)
            )
            s = rope(q) @ rope(k).transpose(-1, -2) / math.sqrt(dh)
            s = s.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool), 1), float("-inf"))
            return self.o_proj((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T, d))

    class MLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.gate_proj, self.up_proj = nn.Linear(d, di, bias=False), nn.Linear(d, di, bias=False)
            self.down_proj, self.act_fn = nn.Linear(di, d, bias=False), nn.SiLU()

        def forward(self, x):
            return self.down_proj(self.act_fn(self.gate_proj(x)) * self.up_proj(x))

    class DecoderLayer(nn.Module):
        def __init__(self):
            super().__init__()
            self.self_attn, self.mlp = Attention(), MLP()
            self.input_layernorm, self.post_attention_layernorm = RMSNorm(), RMSNorm()

        def forward(self, x):
            x = x + self.self_attn(self.input_layernorm(x))
            return x + self.mlp(self.post_attention_layernorm(x))

    class LlamaModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed_tokens = nn.Embedding(cfg["vocab_size"], d)
            self.layers = nn.ModuleList(DecoderLayer() for _ in range(L))
            self.norm = RMSNorm()

        def forward(self, idx):
            x = self.embed_tokens(idx)
            for layer in self.layers:
                x = layer(x)
            return self.norm(x)

    class LlamaForCausalLM(nn.Module):
        def __init__(self):
            super().__init__()
            self.model = LlamaModel()
            self.lm_head = nn.Linear(d, cfg["vocab_size"], bias=False)
            std = cfg["initializer_range"]
            for m in self.modules():  # LlamaPreTrainedModel._init_weights
                if isinstance(m, (nn.Linear, nn.Embedding)):
                    m.weight.data.normal_(0.0, std)

        def forward(self, idx):
            return self.lm_head(self.model(idx))

    return LlamaForCausalLM()


def fx_gpt2_small():
    import torch

    _, layers, loss = torch_measure(lambda: gpt2_model(GPT2_CONFIG), lambda: torch.randint(0, 2000, (8, 64)))
    return {
        "framework": "hf",
        "input": "8x64",
        "text": json.dumps(GPT2_CONFIG, indent=2),
        "layers": layers,
        "loss": loss,
    }


def fx_llama_small():
    import torch

    _, layers, loss = torch_measure(
        lambda: llama_model(LLAMA_CONFIG), lambda: torch.randint(0, 2000, (8, 64))
    )
    return {
        "framework": "hf",
        "input": "8x64",
        "text": json.dumps(LLAMA_CONFIG, indent=2),
        "layers": layers,
        "loss": loss,
    }


# ---------------------------------------------------------------------------------- Keras 3
def keras_measure(build, make_input, seeds=SEEDS):
    """Per-layer mean squares of outputs and of their gradients (jax.vjp through the layer chain)."""
    import jax
    import jax.numpy as jnp
    import keras

    acc: dict[str, dict[str, list[float]]] = {}
    losses, text = [], None
    for seed in range(seeds):
        keras.backend.clear_session()  # layer names restart (conv2d, conv2d_1, ...) for every seed
        keras.utils.set_random_seed(1000 + seed)
        model = build()
        if text is None:
            buf = io.StringIO()
            with redirect_stdout(buf):
                model.summary(line_length=120)
            text = buf.getvalue()
        rng = np.random.default_rng(5000 + seed)
        x = jnp.asarray(make_input(rng))
        xs, vjps = [x], []
        for layer in model.layers:
            y, f = jax.vjp(lambda t, layer=layer: layer(t, training=True), xs[-1])
            xs.append(y)
            vjps.append(f)
        out = xs[-1]
        g = jnp.asarray(rng.standard_normal(out.shape).astype(np.float32))
        grads = [None] * len(model.layers)
        for i in range(len(model.layers) - 1, -1, -1):
            grads[i] = g
            (g,) = vjps[i](g)
            if not jnp.issubdtype(g.dtype, jnp.floating):
                break
        for i, layer in enumerate(model.layers):
            a = acc.setdefault(layer.name, {"q": [], "g": []})
            a["q"].append(float(jnp.mean(jnp.square(xs[i + 1]))))
            a["g"].append(float(jnp.mean(jnp.square(grads[i]))))
        logits = np.asarray(out, dtype=np.float64).reshape(-1, out.shape[-1])
        y = rng.integers(0, logits.shape[1], logits.shape[0])
        m = logits.max(1, keepdims=True)
        lse = (m[:, 0] + np.log(np.exp(logits - m).sum(1))).mean()
        losses.append(float(lse - logits[np.arange(len(y)), y].mean()))
        n_classes = logits.shape[1]
    layers = {
        k: {"q": float(np.mean(v["q"])), "q_seeds": v["q"], "g": float(np.mean(v["g"])), "g_seeds": v["g"]}
        for k, v in acc.items()
    }
    return text, layers, {"initial": float(np.mean(losses)), "seeds": losses, "ln_c": math.log(n_classes)}


def fx_keras_cnn():
    import keras
    from keras import layers as kl

    def build():
        return keras.Sequential(
            [
                keras.Input((32, 32, 3)), kl.Conv2D(32, 3), kl.ReLU(), kl.MaxPooling2D(), kl.Conv2D(64, 3), kl.ReLU(),
                kl.MaxPooling2D(), kl.Flatten(), kl.Dense(128), kl.ReLU(), kl.Dense(10),
            ]
        )  # fmt: skip

    text, layers, loss = keras_measure(build, lambda r: r.standard_normal((32, 32, 32, 3)).astype(np.float32))
    return {"framework": "keras", "input": "32x32x32x3", "text": text, "layers": layers, "loss": loss}


def fx_keras_lstm():
    import keras
    from keras import layers as kl

    def build():
        return keras.Sequential(
            [
                keras.Input((40,), dtype="int32"),
                kl.Embedding(1000, 32),
                kl.LSTM(64, return_sequences=True),
                kl.LSTM(64),
                kl.Dense(5),
            ]
        )

    text, layers, loss = keras_measure(build, lambda r: r.integers(0, 1000, (32, 40)).astype(np.int32))
    return {"framework": "keras", "input": "32x40", "text": text, "layers": layers, "loss": loss}


FIXTURES = {
    "resnet18": fx_resnet18,
    "vgg11": fx_vgg11,
    "mlp_tanh": fx_mlp_tanh,
    "deep_relu_mlp": fx_deep_relu_mlp,
    "gelu_mlp_layernorm": fx_gelu_mlp_layernorm,
    "lstm_classifier": fx_lstm_classifier,
    "transformer_lm": fx_transformer_lm,
    "vit_tiny": fx_vit_tiny,
    "gpt2_small": fx_gpt2_small,
    "llama_small": fx_llama_small,
    "keras_cnn": fx_keras_cnn,
    "keras_lstm": fx_keras_lstm,
}


def check_fixes() -> dict:
    """Run each trap's copy-paste fix (snippets/doctor/traps.py FIX) on a model that has the trap, and
    measure that it removes it. Written to data/doctor_fixtures/fixes.json."""
    import types

    import keras
    import torch
    from torch import nn

    sys.path.insert(0, str(ROOT))
    from snippets.doctor.traps import FIX

    out = {}
    torch.manual_seed(0)
    # He for the deep ReLU stack: the last hidden layer's second moment, relative to the input's
    model = nn.Sequential(*[m for _ in range(12) for m in (nn.Linear(256, 256), nn.ReLU())])
    x = torch.randn(512, 256)
    before = float(model(x).pow(2).mean())
    exec(FIX["torch-linear-relu"], {"model": model, "nn": nn})
    with torch.no_grad():
        out["torch-linear-relu"] = {"q_last_before": before, "q_last_after": float(model(x).pow(2).mean())}
    # trunc_normal_ bounds: the largest |w| in units of std, with the default bounds and with the fix
    std = 0.036
    w = torch.empty(1000, 1000)
    nn.init.trunc_normal_(w, std=std)
    b = float(w.abs().max()) / std
    exec(FIX["trunc-normal-bounds"], {"w": w, "std": std, "nn": nn})
    out["trunc-normal-bounds"] = {"max_over_std_before": b, "max_over_std_after": float(w.abs().max()) / std}
    # LSTM: the total forget-gate bias b_ih + b_hh, and the other gates' total bias
    lstm = nn.LSTM(64, 128)
    exec(FIX["lstm-forget-bias"], {"lstm": lstm, "nn": nn})
    tot = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach()
    out["lstm-forget-bias"] = {"forget_min": float(tot[128:256].min()), "forget_max": float(tot[128:256].max()),
                               "others_max_abs": float(torch.cat([tot[:128], tot[256:]]).abs().max())}  # fmt: skip
    # TransformerEncoder: layers 0 and 1 identical before, different after
    layer = nn.TransformerEncoderLayer(64, 4, dim_feedforward=128, batch_first=True)
    model = types.SimpleNamespace(
        encoder=nn.TransformerEncoder(layer, num_layers=3, enable_nested_tensor=False)
    )
    L0, L1 = model.encoder.layers[0], model.encoder.layers[1]
    same = bool(
        torch.equal(L0.linear1.weight, L1.linear1.weight)
        and torch.equal(L0.self_attn.in_proj_weight, L1.self_attn.in_proj_weight)
    )
    exec(FIX["encoder-identical-layers"], {"model": model, "nn": nn})
    diff = not torch.equal(L0.linear1.weight, L1.linear1.weight) and not torch.equal(
        L0.self_attn.in_proj_weight, L1.self_attn.in_proj_weight
    )
    out["encoder-identical-layers"] = {"identical_before": same, "different_after": bool(diff)}
    # tied N(0, 1) embedding: the embedding's std after the fix, still tied
    model = types.SimpleNamespace(embed=nn.Embedding(1000, 64))
    head = nn.Linear(64, 1000, bias=False)
    head.weight = model.embed.weight
    exec(FIX["tied-embedding-n01"], {"model": model, "nn": nn})
    out["tied-embedding-n01"] = {
        "std_after": float(model.embed.weight.std()),
        "still_tied": head.weight is model.embed.weight,
    }
    # residual scaling in Llama: o_proj / down_proj std after the fix, against 0.02/sqrt(2L)
    llama = llama_model(LLAMA_CONFIG)
    exec(
        FIX["no-residual-scaling"],
        {"model": llama, "nn": nn, "config": types.SimpleNamespace(**LLAMA_CONFIG)},
    )
    stds = [
        float(p.std())
        for n, p in llama.named_parameters()
        if n.endswith(("o_proj.weight", "down_proj.weight"))
    ]
    out["no-residual-scaling"] = {"std_min": min(stds), "std_max": max(stds), "count": len(stds),
                                  "target": 0.02 / math.sqrt(2 * LLAMA_CONFIG["num_hidden_layers"])}  # fmt: skip
    # Keras: each gate block of the recurrent kernel orthogonal, with the fix and without
    ns = {"keras": keras}
    exec(FIX["keras-recurrent-orthogonal"], ns)
    errs = {}
    for name, cell in (
        ("fix", ns["keras"].layers.LSTM(64, recurrent_initializer=ns["PerGateOrthogonal"]())),
        ("default", keras.layers.LSTM(64)),
    ):
        keras.Sequential([keras.Input((5, 8)), cell])
        U = np.asarray(cell.cell.recurrent_kernel)
        errs[name] = max(
            float(np.abs(U[:, g * 64 : (g + 1) * 64].T @ U[:, g * 64 : (g + 1) * 64] - np.eye(64)).max())
            for g in range(4)
        )
    out["keras-recurrent-orthogonal"] = {
        "gate_orth_err_fix": errs["fix"],
        "gate_orth_err_default": errs["default"],
    }
    return out


def main(names: list[str]) -> None:
    if names == ["fixes"]:
        res = {"made_by": "tools/doctor_fixtures.py fixes", "versions": versions(), "fixes": check_fixes()}
        (OUT / "fixes.json").write_text(json.dumps(res, indent=1) + "\n")
        print(json.dumps(res["fixes"], indent=1))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names or list(FIXTURES):
        t = time.time()
        fx = FIXTURES[name]()
        fx = {
            "name": name,
            "versions": versions(),
            "seeds": SEEDS,
            "made_by": "tools/doctor_fixtures.py",
            **fx,
        }
        (OUT / f"{name}.json").write_text(json.dumps(fx, indent=1) + "\n")
        print(
            f"{name}: {len(fx['layers'])} modules, loss {fx['loss']['initial']:.3f}, {time.time() - t:.1f} s",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
