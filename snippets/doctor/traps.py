"""The known initialization traps the doctor flags, each with a copy-paste fix.
Twin of docs/assets/doctor/doctor.js (traps part)."""

from __future__ import annotations

TRAP_IDS = [
    "torch-linear-relu",
    "trunc-normal-bounds",
    "lstm-forget-bias",
    "encoder-identical-layers",
    "tied-embedding-n01",
    "no-residual-scaling",
    "keras-recurrent-orthogonal",
]

FIX = {
    "torch-linear-relu": """for m in model.modules():
    if isinstance(m, (nn.Linear, nn.Conv2d)):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")  # He: variance 2/fan_in
        nn.init.zeros_(m.bias)""",
    "trunc-normal-bounds": """# a and b are absolute values, not multiples of std: pass them explicitly
nn.init.trunc_normal_(w, std=std, a=-2 * std, b=2 * std)""",
    "lstm-forget-bias": """H = lstm.hidden_size
for name, p in lstm.named_parameters():
    if name.startswith("bias"):
        nn.init.zeros_(p)  # both b_ih and b_hh: PyTorch adds them
        if name.startswith("bias_ih"):
            p.data[H:2 * H] = 1.0  # forget gate (gate order i, f, g, o); total forget bias 1""",
    "encoder-identical-layers": """# nn.TransformerEncoder deep-copies one layer: give each copy its own draw
for layer in model.encoder.layers:  # adapt the path to your model
    layer.self_attn._reset_parameters()
    for m in (layer.linear1, layer.linear2):
        m.reset_parameters()""",
    "tied-embedding-n01": """nn.init.normal_(model.embed.weight, std=0.02)  # tied logits: std 0.02·√d, not √d""",
    "no-residual-scaling": """import math
L = config.num_hidden_layers
for name, p in model.named_parameters():
    if name.endswith(("o_proj.weight", "down_proj.weight")):  # the projections that write to the residual stream
        nn.init.normal_(p, std=config.initializer_range / math.sqrt(2 * L))""",
    "keras-recurrent-orthogonal": """class PerGateOrthogonal(keras.initializers.Initializer):
    def __call__(self, shape, dtype=None):  # (units, gates * units): one orthogonal block per gate
        u = shape[0]
        return keras.ops.concatenate(
            [keras.initializers.Orthogonal()((u, u), dtype) for _ in range(shape[1] // u)], axis=1)

keras.layers.LSTM(64, recurrent_initializer=PerGateOrthogonal())""",
}


def relu_chain(ops):
    """Longest run of PyTorch-default Linear/Conv layers each followed by a ReLU, with no
    normalization or residual in between: (length, first op index, last op index)."""
    best, run, start, i = (0, None, None), 0, None, 0
    while i < len(ops):
        op = ops[i]
        if op["t"] == "dense" and "PyTorch default" in op.get("info", {}).get("init", ""):
            j = i + 1
            while j < len(ops) and ops[j]["t"] in ("drop", "mark"):
                j += 1
            if j < len(ops) and ops[j]["t"] == "act" and ops[j]["fn"] == "relu":
                if run == 0:
                    start = i
                run += 1
                if run > best[0]:
                    best = (run, start, j)
                i = j + 1
                continue
        if op["t"] not in ("drop", "mark"):
            run = 0
        i += 1
    return best


def find_traps(L, fw, loss):
    out = []

    def add(tid, line, title, detail):
        if any(t["id"] == tid and t["line"] == line for t in out):
            return  # one flag per module (a 2-layer LSTM is one line)
        out.append({"id": tid, "line": line, "title": title, "detail": detail, "fix": FIX[tid]})

    n, a, b = relu_chain(L.ops)
    if L.fw == "torch" and n >= 4:
        q0, q1 = fw[a]["in"]["q"], fw[b]["out"]["q"]
        add("torch-linear-relu", L.ops[a].get("line"), "PyTorch's default Linear init in a deep ReLU stack",
            f"{n} layers in a row use U(±1/√fan_in), variance 1/(3·fan_in): a sixth of He's 2/fan_in once ReLU halves it. "
            f"The second moment goes from {q0:.3g} to {q1:.3g} over the stack (biases set the floor).")  # fmt: skip
    for x in L.layers:
        if x.get("trunc"):
            add("trunc-normal-bounds", x["line"], "trunc_normal_ with absolute bounds",
                f"`{x['name']}`: trunc_normal_(std={x['w'] ** 0.5:.3g}) keeps its default bounds a=-2, b=2, which are absolute: "
                f"{2 / x['w'] ** 0.5:.0f} standard deviations, so nothing is truncated.")  # fmt: skip
        if x["kind"] == "LSTM" and not x.get("keras") and L.fw == "torch":
            add("lstm-forget-bias", x["line"], "LSTM without a forget-gate bias, and two bias vectors",
                f"`{x['name']}`: PyTorch's forget-gate bias is b_ih + b_hh, two uniform draws with mean 0, so the cell "
                "forgets half its state per step at init. Setting 1 in both vectors gives 2, not 1.")  # fmt: skip
        if x["kind"] == "TransformerEncoder" and x.get("n", 0) >= 2:
            add("encoder-identical-layers", x["line"], "nn.TransformerEncoder's layers start identical",
                f"`{x['name'] or 'TransformerEncoder'}` builds its {x['n']} layers with copy.deepcopy of one layer: every "
                "layer starts with the same weights, a symmetry that only the data can break.")  # fmt: skip
        if x["kind"] == "Embedding" and x.get("w") == 1.0:
            for y in L.layers:
                if (
                    y["kind"] == "Linear"
                    and y.get("out") == x["V"]
                    and y.get("fin") == x["d"]
                    and not y.get("bias")
                ):
                    add("tied-embedding-n01", x["line"], "N(0, 1) embedding tied to the output layer",
                        f"`{x['name']}` ({x['V']}×{x['d']}) matches `{y['name']}` (no bias): if they are tied, as assumed, "
                        f"the logits start with std ≈ √{x['d']} = {x['d'] ** 0.5:.1f} and the initial loss is far above "
                        f"ln V = {__import__('math').log(x['V']):.2f}.")  # fmt: skip
                    break
    blocks = [x for x in L.layers if x["kind"] == "prenorm-block"]
    if len(blocks) >= 2 and not any(x["scaled"] for x in blocks):
        add("no-residual-scaling", blocks[0]["line"], "No residual-output scaling",
            f"{len(blocks)} pre-norm residual blocks add their outputs to the stream unscaled: its variance grows with "
            "depth, so the last blocks' updates are relatively smaller. GPT-2 scales the output projections by 1/√(2L).")  # fmt: skip
    for x in L.layers:
        if x.get("keras") and x.get("cell") in ("lstm", "gru"):
            add("keras-recurrent-orthogonal", x["line"], "Keras orthogonalizes the stacked recurrent matrix",
                f"`{x['name']}`: Orthogonal() is applied to the (units, gates·units) matrix, so each gate's block is not "
                "orthogonal (its singular values are about 1/√gates, not 1).")  # fmt: skip
    return out
