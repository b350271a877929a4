"""Keras ``model.summary()`` rows and Hugging Face configs to ops. Twin of docs/assets/doctor/doctor.js."""

from __future__ import annotations

import math

from snippets.doctor.lower import RULES, Lowering, conv_dim
from snippets.doctor.parse import DoctorError

K = RULES["keras"]


# ---------------------------------------------------------------------------------- Keras
def lower_keras(rows, shape):
    L = Lowering("keras", shape)
    prev = [None, *shape[1:]] if shape else None
    L.note(
        rows[0]["line"],
        "summary() does not show a layer's activation= argument: a Dense or Conv layer is taken as linear",
    )
    for r in rows:
        t, out, line, name = r["type"], r["shape"], r["line"], r["name"]
        if t == "InputLayer":
            prev = out
            continue
        if out is None:
            raise DoctorError(
                f"line {line}: `{name}` has output shape `multiple`; the doctor needs the shapes"
            )
        if prev is None and t not in ("Embedding",):
            raise DoctorError(
                f"line {line}: the input shape is unknown; give it in the input field (e.g. 32x32x32x3)"
            )
        if t == "Dense":
            fi, fo = prev[-1], out[-1]
            L.dense(name, line, "Dense", fi, fo, K["dense"](fi, fo), 0.0, "glorot_uniform")
            L.layers[-1].update(out=fo, bias=r["params"] > fi * fo)
        elif t in ("Conv1D", "Conv2D", "Conv3D"):
            nd, cin, cout = int(t[4]), prev[-1], out[-1]
            kk = (
                (r["params"] - cout) / (cin * cout)
                if (r["params"] - cout) % (cin * cout) == 0
                else r["params"] / (cin * cout)
            )
            k = round(kk ** (1.0 / nd))
            fwc = bwc = 1.0
            for i in range(nd):
                n_in, n_o = prev[1 + i], out[1 + i]
                s = 1 if n_o >= n_in - k + 1 else round(n_in / n_o)
                p = 0 if n_o == (n_in - k) // s + 1 else (k - 1) // 2
                n_out, valid = conv_dim(n_in, k, s, p, 1)
                fwc *= valid / (n_out * k)
                bwc *= valid / (n_in * k)
            fi, fo = cin * round(kk), cout * round(kk)
            L.dense(
                name, line, t, fi, fo, K["dense"](fi, fo), 0.0, "glorot_uniform, fans × kernel size", fwc, bwc
            )
        elif t in ("MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D"):
            k, r_ = 1, 1.0
            for i in range(len(out) - 2):
                k *= max(1, prev[1 + i] // out[1 + i])
                r_ *= out[1 + i] / prev[1 + i]
            L.emit({"t": "maxpool" if t.startswith("Max") else "avgpool", "k": k, "r": r_}, name, line, t)
        elif t in ("GlobalAveragePooling1D", "GlobalAveragePooling2D"):
            k = 1
            for x in prev[1:-1]:
                k *= x
            L.emit({"t": "avgpool", "k": k, "r": 1.0 / k}, name, line, t)
        elif t in ("Flatten", "Reshape", "InputLayer", "Activation"):
            L.emit({"t": "mark"}, name, line, t)
            if t == "Activation":
                L.note(
                    line,
                    f"`{name}`: Activation layers do not show their function in summary(); taken as the identity",
                )
        elif t in ("ReLU", "LeakyReLU"):
            L.emit({"t": "act", "fn": "relu" if t == "ReLU" else "leaky_relu"}, name, line, t)
        elif t == "Dropout":
            L.note(line, f"`{name}`: summary() does not show the dropout rate; taken as 0")
            L.emit({"t": "drop", "p": 0.0}, name, line, t)
        elif t == "BatchNormalization":
            L.emit({"t": "norm", "kind": "bn", "eps": 1e-3}, name, line, t)
        elif t == "LayerNormalization":
            L.emit({"t": "norm", "kind": "ln", "eps": 1e-3}, name, line, t)
        elif t == "Embedding":
            d = out[-1]
            L.T = out[1] if len(out) == 3 else (shape[1] if shape and len(shape) > 1 else None)
            L.emit({"t": "embed", "w": K["embed"]}, name, line, "Embedding", {"fan_in": r["params"] // d, "fan_out": d,
                   "std": math.sqrt(K["embed"]), "init": "uniform ±0.05"})  # fmt: skip
            L.layers.append({"kind": "Embedding", "name": name, "line": line, "init": "keras", "V": r["params"] // d, "d": d,
                             "w": K["embed"]})  # fmt: skip
        elif t in ("LSTM", "GRU", "SimpleRNN"):
            u, fi = out[-1], prev[-1]
            g = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}[t]
            cell = {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "rnn"}[t]
            init = (
                "glorot_uniform kernel, orthogonal recurrent on the stacked gates"
                if g > 1
                else "glorot_uniform, orthogonal"
            )
            L.rnn(name, line, t, cell, fi, u, 1, False, lambda f, g=g, u=u: 2.0 / (f + g * u), 1.0 / (g * u), 0.0,
                  1.0 if t == "LSTM" else 0.0, init, last=len(out) == 2)  # fmt: skip
            L.layers[-1]["keras"] = True
        else:
            L.note(line, f"`{t}` is not a layer the doctor knows: treated as the identity")
            L.emit({"t": "mark"}, name, line, t)
            L.unknown = getattr(L, "unknown", []) + [{"line": line, "text": t}]
        if out is not None:
            prev = out
    return L


# ---------------------------------------------------------------------------- Hugging Face
def get(cfg, *keys, default=None):
    for k in keys:
        if k in cfg and cfg[k] is not None:
            return cfg[k]
    if default is None:
        raise DoctorError(f"config.json: `{keys[0]}` is missing")
    return default


def lower_hf(cfg, shape):
    mt = str(cfg.get("model_type", "")).lower()
    L = Lowering("hf", shape)
    L.T = shape[1] if shape and len(shape) > 1 else 128
    if not (shape and len(shape) > 1):
        L.note(1, "no input shape given: sequences of 128 tokens assumed")
    std = float(get(cfg, "initializer_range", default=0.02))
    w = std * std
    if mt == "gpt2":
        gpt2(L, cfg, w)
    elif mt in ("llama", "mistral", "qwen2"):
        llama(L, cfg, w)
    elif mt in ("bert", "roberta"):
        bert(L, cfg, w)
    elif mt == "t5":
        t5(L, cfg)
    else:
        raise DoctorError(
            f"config.json: model_type `{mt}` is not one the doctor knows (gpt2, llama, bert, t5)"
        )
    L.family = mt
    return L


def attention(L, path, d, wq, wk, wv, wo, causal, p_attn, names, scale_free=False, dh=1):
    L.emit({"t": "save"})
    L.dense(names[0], None, "v", d, d, wv, 0.0, f"normal std {math.sqrt(wv):.3g}")
    qk = (d * wq) * (d * wk) * (dh if scale_free else 1)
    L.emit({"t": "mix", "qk": qk, "T": L.T, "causal": causal, "p": p_attn}, None, None, "attention")
    L.dense(names[1], None, "out", d, d, wo, 0.0, f"normal std {math.sqrt(wo):.3g}")


def gpt2(L, cfg, w):
    d, n, V = (
        get(cfg, "n_embd", "hidden_size"),
        get(cfg, "n_layer", "num_hidden_layers"),
        get(cfg, "vocab_size"),
    )
    di = get(cfg, "n_inner", default=4 * d)
    eps, pr = float(get(cfg, "layer_norm_epsilon", default=1e-5)), float(get(cfg, "resid_pdrop", default=0.1))
    act = (
        "gelu_tanh"
        if str(get(cfg, "activation_function", default="gelu_new")) in ("gelu_new", "gelu_pytorch_tanh")
        else "gelu"
    )
    wo = w / (2.0 * n)
    L.note(
        1,
        f"GPT-2: pre-norm residual blocks x + attn(ln_1(x)), x + mlp(ln_2(x)); c_proj std {math.sqrt(wo):.3g} = 0.02/√(2·{n}) (Hugging Face's init)",
    )
    L.emit(
        {"t": "embed", "w": w},
        "transformer.wte",
        None,
        "Embedding",
        {"fan_in": V, "fan_out": d, "std": math.sqrt(w), "init": "normal"},
    )
    L.emit({"t": "addconst", "w": w}, None, None, "wpe")
    L.emit(
        {"t": "drop", "p": float(get(cfg, "embd_pdrop", default=0.1))}, "transformer.drop", None, "Dropout"
    )
    for i in range(n):
        h = f"transformer.h.{i}"
        L.push()
        L.emit({"t": "norm", "kind": "ln", "eps": eps}, f"{h}.ln_1", None, "LayerNorm")
        attention(
            L,
            h,
            d,
            w,
            w,
            w,
            wo,
            True,
            float(get(cfg, "attn_pdrop", default=0.1)),
            [f"{h}.attn.c_attn", f"{h}.attn.c_proj"],
        )
        L.ops[-3]["pack"] = (
            1.0 / 3.0
        )  # c_attn's output packs q, k and v: v's gradient is a third of its mean square
        L.emit({"t": "drop", "p": pr}, f"{h}.attn.resid_dropout", None, "Dropout")
        L.emit({"t": "mark"}, f"{h}.attn", None, "attention")
        L.add()
        L.push()
        L.emit({"t": "norm", "kind": "ln", "eps": eps}, f"{h}.ln_2", None, "LayerNorm")
        L.dense(f"{h}.mlp.c_fc", None, "Linear", d, di, w, 0.0, "normal")
        L.emit({"t": "act", "fn": act}, f"{h}.mlp.act", None, "GELU")
        L.dense(f"{h}.mlp.c_proj", None, "Linear", di, d, wo, 0.0, "normal / √(2L)")
        L.emit({"t": "drop", "p": pr}, f"{h}.mlp.dropout", None, "Dropout")
        L.emit({"t": "mark"}, f"{h}.mlp", None, "MLP")
        L.add()
        L.emit({"t": "mark"}, h, None, "block")
        L.layers.append({"kind": "prenorm-block", "name": h, "line": None, "scaled": True})
    L.emit({"t": "norm", "kind": "ln", "eps": eps}, "transformer.ln_f", None, "LayerNorm")
    L.dense(
        "lm_head",
        None,
        "Linear",
        d,
        V,
        w,
        0.0,
        "tied to wte" if cfg.get("tie_word_embeddings", True) else "normal",
    )
    L.layers.append({"kind": "Embedding", "name": "transformer.wte", "init": "hf", "V": V, "d": d, "w": w})


def llama(L, cfg, w):
    d, n, V = get(cfg, "hidden_size"), get(cfg, "num_hidden_layers"), get(cfg, "vocab_size")
    di, eps = get(cfg, "intermediate_size"), float(get(cfg, "rms_norm_eps", default=1e-6))
    act = {"silu": "silu", "gelu": "gelu", "relu": "relu"}.get(
        str(get(cfg, "hidden_act", default="silu")), "silu"
    )
    L.note(
        1,
        "Llama: pre-norm residual blocks with RMSNorm and a gated MLP down(act(gate(x)) * up(x)); every matrix N(0, 0.02²)",
    )
    if get(cfg, "num_key_value_heads", default=0) and cfg["num_key_value_heads"] != get(
        cfg, "num_attention_heads"
    ):
        L.note(1, "grouped-query attention: shared k, v heads do not change the scale")
    L.emit(
        {"t": "embed", "w": w},
        "model.embed_tokens",
        None,
        "Embedding",
        {"fan_in": V, "fan_out": d, "std": math.sqrt(w), "init": "normal"},
    )
    for i in range(n):
        h = f"model.layers.{i}"
        L.push()
        L.emit({"t": "norm", "kind": "rms", "eps": eps}, f"{h}.input_layernorm", None, "RMSNorm")
        attention(L, h, d, w, w, w, w, True, 0.0, [f"{h}.self_attn.v_proj", f"{h}.self_attn.o_proj"])
        L.emit({"t": "mark"}, f"{h}.self_attn", None, "attention")
        L.add()
        L.push()
        L.emit({"t": "norm", "kind": "rms", "eps": eps}, f"{h}.post_attention_layernorm", None, "RMSNorm")
        L.push()
        L.dense(f"{h}.mlp.gate_proj", None, "Linear", d, di, w, 0.0, "normal")
        L.emit({"t": "act", "fn": act}, f"{h}.mlp.act_fn", None, "SiLU")
        L.swap()
        L.dense(f"{h}.mlp.up_proj", None, "Linear", d, di, w, 0.0, "normal")
        L.emit({"t": "mul"}, None, None, "gate × up")
        L.sstack.pop()
        L.dense(f"{h}.mlp.down_proj", None, "Linear", di, d, w, 0.0, "normal")
        L.emit({"t": "mark"}, f"{h}.mlp", None, "MLP")
        L.add()
        L.emit({"t": "mark"}, h, None, "block")
        L.layers.append({"kind": "prenorm-block", "name": h, "line": None, "scaled": False})
    L.emit({"t": "norm", "kind": "rms", "eps": eps}, "model.norm", None, "RMSNorm")
    L.dense("lm_head", None, "Linear", d, V, w, 0.0, "normal")
    L.layers.append({"kind": "Embedding", "name": "model.embed_tokens", "init": "hf", "V": V, "d": d, "w": w})


def bert(L, cfg, w):
    d, n, V = get(cfg, "hidden_size"), get(cfg, "num_hidden_layers"), get(cfg, "vocab_size")
    di, eps = get(cfg, "intermediate_size"), float(get(cfg, "layer_norm_eps", default=1e-12))
    ph, pa = (
        float(get(cfg, "hidden_dropout_prob", default=0.1)),
        float(get(cfg, "attention_probs_dropout_prob", default=0.1)),
    )
    L.note(
        1, "BERT: post-norm residual blocks LayerNorm(x + sublayer(x)); the output is the last hidden state"
    )
    L.emit(
        {"t": "embed", "w": w},
        "embeddings.word_embeddings",
        None,
        "Embedding",
        {"fan_in": V, "fan_out": d, "std": math.sqrt(w), "init": "normal"},
    )
    L.emit({"t": "addconst", "w": 2 * w}, None, None, "position + token type")
    L.emit({"t": "norm", "kind": "ln", "eps": eps}, "embeddings.LayerNorm", None, "LayerNorm")
    L.emit({"t": "drop", "p": ph}, "embeddings.dropout", None, "Dropout")
    for i in range(n):
        h = f"encoder.layer.{i}"
        L.push()
        attention(
            L, h, d, w, w, w, w, False, pa, [f"{h}.attention.self.value", f"{h}.attention.output.dense"]
        )
        L.emit({"t": "drop", "p": ph}, f"{h}.attention.output.dropout", None, "Dropout")
        L.add()
        L.emit({"t": "norm", "kind": "ln", "eps": eps}, f"{h}.attention.output.LayerNorm", None, "LayerNorm")
        L.push()
        L.dense(f"{h}.intermediate.dense", None, "Linear", d, di, w, 0.0, "normal")
        L.emit({"t": "act", "fn": "gelu"}, None, None, "GELU")
        L.dense(f"{h}.output.dense", None, "Linear", di, d, w, 0.0, "normal")
        L.emit({"t": "drop", "p": ph}, f"{h}.output.dropout", None, "Dropout")
        L.add()
        L.emit({"t": "norm", "kind": "ln", "eps": eps}, f"{h}.output.LayerNorm", None, "LayerNorm")
        L.emit({"t": "mark"}, h, None, "block")


def t5(L, cfg):
    d, n, V = get(cfg, "d_model"), get(cfg, "num_layers"), get(cfg, "vocab_size")
    dkv, nh, dff = get(cfg, "d_kv"), get(cfg, "num_heads"), get(cfg, "d_ff")
    f = float(get(cfg, "initializer_factor", default=1.0))
    eps, pd = (
        float(get(cfg, "layer_norm_epsilon", default=1e-6)),
        float(get(cfg, "dropout_rate", default=0.1)),
    )
    gated = str(get(cfg, "feed_forward_proj", default="relu")).startswith("gated")
    L.note(
        1,
        "T5: the encoder stack only (pre-norm, RMS LayerNorm, unscaled attention scores); the decoder is not analysed",
    )
    L.emit(
        {"t": "embed", "w": f * f},
        "shared",
        None,
        "Embedding",
        {"fan_in": V, "fan_out": d, "std": f, "init": "normal std factor"},
    )
    L.emit({"t": "drop", "p": pd}, None, None, "Dropout")
    for i in range(n):
        h = f"encoder.block.{i}"
        L.push()
        L.emit({"t": "norm", "kind": "rms", "eps": eps}, f"{h}.layer.0.layer_norm", None, "T5LayerNorm")
        attention(L, h, d, f * f / (d * dkv), f * f / d, f * f / d, f * f / (nh * dkv), False, pd,
                  [f"{h}.layer.0.SelfAttention.v", f"{h}.layer.0.SelfAttention.o"], scale_free=True, dh=dkv)  # fmt: skip
        L.emit({"t": "drop", "p": pd}, None, None, "Dropout")
        L.add()
        L.push()
        L.emit({"t": "norm", "kind": "rms", "eps": eps}, f"{h}.layer.1.layer_norm", None, "T5LayerNorm")
        if gated:
            L.push()
            L.dense(f"{h}.layer.1.DenseReluDense.wi_0", None, "Linear", d, dff, f * f / d, 0.0, "normal")
            L.emit({"t": "act", "fn": "gelu_tanh"}, None, None, "GELU")
            L.swap()
            L.dense(f"{h}.layer.1.DenseReluDense.wi_1", None, "Linear", d, dff, f * f / d, 0.0, "normal")
            L.emit({"t": "mul"}, None, None, "gate × up")
            L.sstack.pop()
        else:
            L.dense(f"{h}.layer.1.DenseReluDense.wi", None, "Linear", d, dff, f * f / d, 0.0, "normal")
            L.emit({"t": "act", "fn": "relu"}, None, None, "ReLU")
        L.dense(f"{h}.layer.1.DenseReluDense.wo", None, "Linear", dff, d, f * f / dff, 0.0, "normal")
        L.emit({"t": "drop", "p": pd}, None, None, "Dropout")
        L.add()
        L.emit({"t": "mark"}, h, None, "block")
        L.layers.append({"kind": "prenorm-block", "name": h, "line": None, "scaled": True})
    L.emit({"t": "norm", "kind": "rms", "eps": eps}, "encoder.final_layer_norm", None, "T5LayerNorm")
