"""PyTorch ``print(model)`` trees to ops: layers, known blocks (torchvision ResNet, VGG, ViT;
nn.TransformerEncoder) and each one's initialization. Twin of docs/assets/doctor/doctor.js."""

from __future__ import annotations

from snippets.doctor.lower import ACTS, PASS, RULES, Lowering, need, ntuple
from snippets.doctor.parse import DoctorError

T = RULES["torch"]
CONVS = {"Conv1d": 1, "Conv2d": 2, "Conv3d": 3, "ConvTranspose1d": 1, "ConvTranspose2d": 2}
RNNS = {"LSTM": "lstm", "GRU": "gru", "RNN": "rnn"}
CONTAINERS = {"Sequential", "ModuleList", "ModuleDict"}
FAMILIES = {"ResNet": "resnet", "VGG": "vgg", "VisionTransformer": "vit"}


def first_leaf(node):
    for c in node["children"]:
        f = first_leaf(c)
        if f:
            return f
    return node if not node["children"] else None


def init_of(fam, path, kind):
    """(weight variance fn, bias variance fn, label) for a Linear/Conv at ``path`` in family ``fam``."""
    zero = lambda fi, fo: 0.0  # noqa: E731
    if fam == "resnet" and kind == "conv":
        return (lambda fi, fo: 2.0 / fo), zero, "kaiming_normal_ fan_out (torchvision ResNet)"
    if fam == "vgg" and kind == "conv":
        return (lambda fi, fo: 2.0 / fo), zero, "kaiming_normal_ fan_out (torchvision VGG)"
    if fam == "vgg":
        return (lambda fi, fo: 1e-4), zero, "normal std 0.01 (torchvision VGG)"
    if fam == "vit" and path.endswith("conv_proj"):
        return (lambda fi, fo: 1.0 / fi), zero, "trunc_normal_ std 1/√fan_in, bounds ±2 (torchvision ViT)"
    if fam == "vit" and ".mlp." in path:
        return (
            (lambda fi, fo: 2.0 / (fi + fo)),
            (lambda fi, fo: 1e-12),
            "xavier_uniform_ (torchvision ViT MLP)",
        )
    if fam == "vit" and path.startswith("heads"):
        return zero, zero, "zeros (torchvision ViT head)"
    return T["dense"], T["bias"], "PyTorch default U(±1/√fan_in)"


def lower_torch(root, shape):
    L = Lowering("torch", shape)
    L.family = FAMILIES.get(root["type"], "")
    if L.family:
        L.note(
            root["line"], f"`{root['type']}` found: torchvision's own initialization and forward are assumed"
        )
    leaf = first_leaf(root) or root
    if leaf["type"] in CONVS and shape:
        L.spatial = shape[2:]
    elif leaf["type"] in RNNS and shape and len(shape) >= 2:
        L.T = shape[1] if leaf["args"].get("batch_first") else shape[0]
    elif shape and len(shape) >= 2 and (leaf["type"] == "Embedding" or len(shape) == 3):
        L.T = shape[1]
    node(L, root, "")
    tie(L)
    return L


def tie(L):
    """An Embedding (V, d) and a later bias-free Linear(d, V): assume they are tied (weight sharing)."""
    for x in L.layers:
        if x["kind"] != "Embedding":
            continue
        for op in L.ops:
            if (
                op["t"] == "dense"
                and op.get("label") == "Linear"
                and op["fin"] == x["d"]
                and op["fout"] == x["V"]
                and op["b"] == 0
            ):
                if op["info"]["init"].startswith("PyTorch default"):
                    op["w"] = x["w"]
                    op["info"] = {
                        **op["info"],
                        "std": x["w"] ** 0.5,
                        "init": f"tied to {x['name']} (assumed): N(0, 1)",
                    }
                    L.note(
                        op["line"],
                        f"`{op.get('name')}` has the shape of `{x['name']}` transposed and no bias: assumed tied to it",
                    )


def path_of(prefix, name):
    return f"{prefix}.{name}" if prefix and name else prefix or name


def children(L, n, path):
    for c in n["children"]:
        node(L, c, path_of(path, c["name"]))


def mha(L, n, path, steps, causal=False, p=0.0):
    """nn.MultiheadAttention (self-attention): in_proj xavier_uniform_ on the packed (3d, d) matrix,
    out_proj PyTorch's Linear default with a zero bias."""
    if not n["children"]:
        raise DoctorError(
            f"line {n['line']}: MultiheadAttention without its out_proj line: paste the whole model"
        )
    op = n["children"][0]
    d = need(op, "in_features")
    w_in = 2.0 / (4.0 * d)
    L.emit({"t": "save"})
    L.dense(None, n["line"], "MHA v", d, d, w_in, 0.0, "xavier_uniform_ on packed in_proj")
    L.emit(
        {"t": "mix", "qk": (d * w_in) * (d * w_in), "T": steps or 1, "causal": causal, "p": p},
        None,
        n["line"],
        "attention",
    )
    L.dense(
        path,
        n["line"],
        "MultiheadAttention",
        d,
        d,
        T["dense"](d, d),
        0.0,
        "PyTorch default U(±1/√fan_in), bias 0",
    )
    L.layers.append({"kind": "MultiheadAttention", "name": path, "line": n["line"], "init": "torch"})


def node(L, n, path):
    t, a, line = n["type"], n["args"], n["line"]
    fam = getattr(L, "family", "")
    if t in ("Linear", "NonDynamicallyQuantizableLinear", "LazyLinear"):
        fi, fo = need(n, "in_features"), need(n, "out_features")
        wf, bf, lab = init_of(fam, path, "linear")
        L.dense(path, line, "Linear", fi, fo, wf(fi, fo), bf(fi, fo) if a.get("bias", True) else 0.0, lab)
        L.layers[-1].update(out=fo, bias=a.get("bias", True))
        if fam == "vit" and path.startswith("heads"):
            L.note(line, "the zero-initialized head passes no gradient to the body at the first step")
    elif t in CONVS:
        nd = CONVS[t]
        k = ntuple(need(n, "kernel_size", 2), nd, 1)
        s, p, d = (
            ntuple(a.get("stride"), nd, 1),
            ntuple(a.get("padding"), nd, 0),
            ntuple(a.get("dilation"), nd, 1),
        )
        if isinstance(a.get("padding"), str):
            raise DoctorError(f"line {line}: padding='{a['padding']}' is not supported; give it as numbers")
        wf, bf, lab = init_of(fam, path, "conv")
        L.conv(path, line, t, need(n, "in_channels", 0), need(n, "out_channels", 1), k, s, p, d, int(a.get("groups", 1)),
               wf, bf if a.get("bias", True) else (lambda fi, fo: 0.0), lab, transposed=t.startswith("ConvT"))  # fmt: skip
        if fam == "vit" and path.endswith("conv_proj"):
            L.layers[-1]["trunc"] = True
            np_ = 1
            for x in L.spatial or [1]:
                np_ *= x
            L.emit({"t": "cls", "n": np_}, None, line, "class token")
            L.T = np_ + 1
            L.spatial = None
    elif t == "Embedding":
        V, dim = need(n, "num_embeddings", 0), need(n, "embedding_dim", 1)
        L.emit(
            {"t": "embed", "w": T["embed"]},
            path,
            line,
            "Embedding",
            {"fan_in": V, "fan_out": dim, "std": 1.0, "init": "normal std 1"},
        )
        L.layers.append(
            {"kind": "Embedding", "name": path, "line": line, "init": "torch", "V": V, "d": dim, "w": 1.0}
        )
    elif t in RNNS:
        fi, H = need(n, "input_size", 0), need(n, "hidden_size", 1)
        w = 1.0 / (3.0 * H)
        L.rnn(path, line, t, RNNS[t], fi, H, int(a.get("num_layers", 1)), bool(a.get("bidirectional")),
              lambda f: w, w, 2.0 * w, 0.0, "PyTorch default U(±1/√hidden), two bias vectors")  # fmt: skip
    elif t in ("LayerNorm", "RMSNorm"):
        eps = float(a.get("eps", 1e-5))
        L.emit({"t": "norm", "kind": "ln" if t == "LayerNorm" else "rms", "eps": eps}, path, line, t)
    elif t.startswith("BatchNorm") or t.startswith("GroupNorm") or t.startswith("InstanceNorm"):
        L.emit({"t": "norm", "kind": "bn", "eps": float(a.get("eps", 1e-5))}, path, line, t)
    elif t.startswith("Dropout") or t == "AlphaDropout":
        L.emit({"t": "drop", "p": float(a.get("p", a.get("0", 0.5)))}, path, line, "Dropout")
    elif t in ACTS:
        fn = "gelu_tanh" if t == "GELU" and a.get("approximate") == "tanh" else ACTS[t]
        L.emit({"t": "act", "fn": fn}, path, line, t)
    elif t.startswith("MaxPool") or t.startswith("AvgPool"):
        nd = int(t[-2]) if t[-2].isdigit() else 2
        k = ntuple(need(n, "kernel_size", 0), nd, 1)
        s = ntuple(a.get("stride") if a.get("stride") is not None else k, nd, 1)
        L.pool(
            path, line, "maxpool" if t.startswith("Max") else "avgpool", k, s, ntuple(a.get("padding"), nd, 0)
        )
    elif t.startswith("AdaptiveAvgPool") or t.startswith("AdaptiveMaxPool"):
        out = a.get("output_size", a.get("0"))
        sp = L.spatial or []
        o = ntuple(out, len(sp), 1) if sp else []
        kk, r = 1, 1.0
        for i in range(len(sp)):
            kk *= max(1, sp[i] // max(o[i], 1))
            r *= o[i] / sp[i]
        L.spatial = o or None
        L.emit({"t": "avgpool" if "Avg" in t else "maxpool", "k": kk, "r": r}, path, line, "AdaptiveAvgPool")
    elif t in PASS:
        L.emit({"t": "mark"}, path, line, t)
        if t == "Flatten":
            L.spatial = None
    elif t == "MultiheadAttention":
        mha(L, n, path, L.T)
    elif t == "BasicBlock" or t == "Bottleneck":
        block(L, n, path)
    elif t == "TransformerEncoderLayer":
        encoder_layer(L, n, path)
    elif t == "EncoderBlock" and fam == "vit":
        vit_block(L, n, path)
    elif t == "TransformerEncoder":
        layers = [c for c in n["children"] if c["name"] == "layers"]
        k = len(layers[0]["children"]) if layers else 0
        L.layers.append({"kind": "TransformerEncoder", "name": path, "line": line, "n": k})
        children(L, n, path)
        L.emit({"t": "mark"}, path, line, t)
    elif n["children"]:
        if t == "Encoder" and fam == "vit":
            L.emit({"t": "addconst", "w": 0.02 * 0.02}, None, line, "pos_embedding N(0, 0.02²)")
        elif t not in CONTAINERS and not fam:
            L.note(
                line,
                f"`{t}`: a custom module; its children are assumed to run one after another, in the printed order",
            )
        elif t == "ModuleList":
            L.note(line, "ModuleList: assumed to run in order, each output feeding the next")
        children(L, n, path)
        if path:
            L.emit({"t": "mark"}, path, line, t)
    else:
        L.note(line, f"`{t}` is not a layer the doctor knows: treated as the identity (scale unchanged)")
        L.emit({"t": "mark"}, path, line, t)
        L.unknown = getattr(L, "unknown", []) + [{"line": line, "text": t}]


def by_name(n):
    return {c["name"]: c for c in n["children"]}


def block(L, n, path):
    """torchvision BasicBlock / Bottleneck: relu(bn(conv(...)) + downsample(x)), the relu reused."""
    c = by_name(n)
    L.note(
        n["line"],
        f"`{n['type']}` at {path}: residual `relu(branch + shortcut)` assumed (torchvision's forward)",
    )
    L.push()
    convs = ["conv1", "conv2", "conv3"] if "conv3" in c else ["conv1", "conv2"]
    for i, cv in enumerate(convs):
        node(L, c[cv], f"{path}.{cv}")
        node(L, c[f"bn{i + 1}"], f"{path}.bn{i + 1}")
        if i < len(convs) - 1:
            node(L, c["relu"], f"{path}.relu")
    L.swap()
    if "downsample" in c:
        node(L, c["downsample"], f"{path}.downsample")
    L.add()
    node(L, c["relu"], f"{path}.relu")
    L.emit({"t": "mark"}, path, n["line"], n["type"])


def encoder_layer(L, n, path):
    """nn.TransformerEncoderLayer, norm_first=False (post-norm), activation ReLU: the defaults."""
    c = by_name(n)
    L.note(
        n["line"],
        f"TransformerEncoderLayer at {path}: post-norm (norm_first=False) and ReLU assumed, the defaults",
    )
    p = float(c["dropout"]["args"].get("p", 0.1)) if "dropout" in c else 0.0
    L.push()
    mha(L, c["self_attn"], f"{path}.self_attn", L.T, p=p)
    node(L, c["dropout1"], f"{path}.dropout1")
    L.add()
    node(L, c["norm1"], f"{path}.norm1")
    L.push()
    node(L, c["linear1"], f"{path}.linear1")
    L.emit({"t": "act", "fn": "relu"}, None, n["line"], "ReLU (functional)")
    node(L, c["dropout"], f"{path}.dropout")
    node(L, c["linear2"], f"{path}.linear2")
    node(L, c["dropout2"], f"{path}.dropout2")
    L.add()
    node(L, c["norm2"], f"{path}.norm2")
    L.emit({"t": "mark"}, path, n["line"], n["type"])


def vit_block(L, n, path):
    """torchvision EncoderBlock: x + dropout(attn(ln_1(x))), then + mlp(ln_2(.)): pre-norm."""
    c = by_name(n)
    L.push()
    node(L, c["ln_1"], f"{path}.ln_1")
    mha(L, c["self_attention"], f"{path}.self_attention", L.T)
    node(L, c["dropout"], f"{path}.dropout")
    L.add()
    L.push()
    node(L, c["ln_2"], f"{path}.ln_2")
    node(L, c["mlp"], f"{path}.mlp")
    L.add()
    L.emit({"t": "mark"}, path, n["line"], n["type"])
    L.layers.append({"kind": "prenorm-block", "name": path, "line": n["line"], "scaled": False})
