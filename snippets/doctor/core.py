"""The Init Doctor's arithmetic: second moments forward, gradient scales backward, initial loss.
Twin of docs/assets/doctor/doctor.js (same operations, same order, scalar floats).

A tensor is summarized by its statistics over every element of the batch:
``q`` (mean square), ``mu`` (mean) and ``c`` (the mean over features of each feature's squared mean,
the part of ``q`` that does not average away over positions and samples).
"""

from __future__ import annotations

import math

# --8<-- [start:quadrature]
N_GRID = 401  # z = mu + sqrt(v) t, t on a uniform grid of [-8, 8]: trapezoid rule on the Gaussian
T_GRID = [-8.0 + 16.0 * i / (N_GRID - 1) for i in range(N_GRID)]
_W = [math.exp(-0.5 * t * t) for t in T_GRID]
_S = sum(_W)
W_GRID = [w / _S for w in _W]
# --8<-- [end:quadrature]


def erf(x):
    """Abramowitz & Stegun 7.1.26-style rational approximation refined (|error| < 1.2e-7)."""
    z = abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    r = t * math.exp(
        -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
        + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    )  # fmt: skip
    return 1.0 - r if x >= 0 else r - 1.0


def log_ncdf(x):
    """ln Phi(x), stable for very negative x (erfc's Chebyshev form, Numerical Recipes 6.2)."""
    if x > -3.0:
        return math.log(0.5 * (1.0 + erf(x / math.sqrt(2.0))))
    z = -x / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
        + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))  # fmt: skip
    return math.log(0.5 * t) + poly


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def act(fn, z):
    """(phi(z), phi'(z)) for the activations the doctor knows."""
    if fn == "relu":
        return (z, 1.0) if z > 0 else (0.0, 0.0)
    if fn == "tanh":
        h = math.tanh(z)
        return h, 1.0 - h * h
    if fn == "sigmoid":
        s = sigmoid(z)
        return s, s * (1.0 - s)
    if fn == "silu":
        s = sigmoid(z)
        return z * s, s * (1.0 + z * (1.0 - s))
    if fn == "gelu":
        p = 0.5 * (1.0 + erf(z / math.sqrt(2.0)))
        return z * p, p + z * math.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    if fn == "gelu_tanh":
        k = math.sqrt(2.0 / math.pi)
        u = k * (z + 0.044715 * z * z * z)
        th = math.tanh(u)
        return 0.5 * z * (1.0 + th), 0.5 * (1.0 + th) + 0.5 * z * (1.0 - th * th) * k * (
            1.0 + 3 * 0.044715 * z * z
        )
    if fn == "leaky_relu":
        return (z, 1.0) if z > 0 else (0.01 * z, 0.01)
    return z, 1.0  # identity


# --8<-- [start:moments]
def moments(fn, mu, v):
    """E[phi(z)], E[phi(z)^2], E[phi'(z)^2], E[phi'(z)] for z ~ N(mu, v), by quadrature."""
    s = math.sqrt(max(v, 0.0))
    m1 = m2 = d2 = d1 = 0.0
    for t, w in zip(T_GRID, W_GRID):
        h, d = act(fn, mu + s * t)
        m1 += w * h
        m2 += w * h * h
        d2 += w * d * d
        d1 += w * d
    return m1, m2, d2, d1


# --8<-- [end:moments]


N_OUTER = 41


def max_moments(k, mu, v, shared, relu):
    """E[M], E[M^2], E_m[E[M | m]^2] and P(M > 0) for M = m + max of k iid N(0, v - shared),
    m ~ N(mu, shared) the window's common part (rectified if relu): the max-pool of k inputs."""
    s, sc = math.sqrt(max(v - shared, 0.0)), math.sqrt(max(shared, 0.0))
    wk, tot = [], 0.0
    for t, w in zip(T_GRID, W_GRID):
        x = w * k * math.exp((k - 1) * log_ncdf(t))
        wk.append(x)
        tot += x
    m1 = m2 = cc = pp = wsum = 0.0
    for a in range(N_OUTER):
        u = -6.0 + 12.0 * a / (N_OUTER - 1)
        wu = math.exp(-0.5 * u * u)
        e1 = e2 = ep = 0.0
        for i in range(N_GRID):
            x = mu + sc * u + s * T_GRID[i]
            if x > 0:
                ep += wk[i]
            elif relu:
                x = 0.0
            e1 += wk[i] * x
            e2 += wk[i] * x * x
        e1 /= tot
        e2 /= tot
        m1 += wu * e1
        m2 += wu * e2
        cc += wu * e1 * e1
        pp += wu * ep / tot
        wsum += wu
    return m1 / wsum, m2 / wsum, cc / wsum, pp / wsum


def initial_loss(q, n_classes):
    """Expected cross-entropy of C iid N(0, q) logits against a uniformly random label.

    logsumexp = max + ln(1 + sum of the others' exp(z - max)), the sum replaced by its mean given
    the max (Jensen inside the log), averaged over the max's density C Phi^(C-1) phi."""
    C, s = n_classes, math.sqrt(max(q, 0.0))
    if C < 2:
        return 0.0
    tot = acc = 0.0
    for t, w in zip(T_GRID, W_GRID):
        wk = w * C * math.exp((C - 1) * log_ncdf(t))
        a = math.log(C - 1) + 0.5 * s * s - s * t + log_ncdf(t - s) - log_ncdf(t)
        sp = a + math.log1p(math.exp(-a)) if a > 0 else math.log1p(math.exp(a))
        tot += wk
        acc += wk * (s * t + sp)
    return acc / tot


# ------------------------------------------------------------------------------ the ops
def mixing(s2, T, causal, p):
    """E[sum_j a_j^2] of softmax attention over T positions with iid N(0, s2) scores (~e^s2 / T),
    and the share two different positions' outputs have in common (1/max(t, t') when causal)."""
    e = math.exp(min(s2, 50.0))
    if causal:
        m = sh = 0.0
        for t in range(1, T + 1):
            m += min(1.0, e / t)
            sh += (t - 1) / t
        m /= T
        sh = 2.0 * sh / (T * (T - 1)) if T > 1 else 1.0
    else:
        m, sh = min(1.0, e / T), 1.0 / T
    return m / (1.0 - p), min(sh, m)


def rnn_forward(op, st):
    """Second moment of a recurrent layer's outputs over T steps (moments propagated in time)."""
    H, T, cell = op["H"], op["T"], op["cell"]
    xin, rho = (
        op["fin"] * op["w_ih"] * st["q"],
        st.get("rho", 0.0),
    )  # rho: the input's step-to-step correlation
    h2, hm2, a, V, M, tot, last, tm, D, rho_h = 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
    for _ in range(T):
        pre = xin + H * op["w_hh"] * h2 + op["b"]
        if cell == "lstm":
            vb = op["b"] + H * op["w_hh"] * hm2  # per-unit constant part of a gate's input
            im, i2, _, _ = moments("sigmoid", 0.0, pre)
            fm, f2, _, _ = moments("sigmoid", op["bf"], pre)
            _, g2, _, g1 = moments("tanh", 0.0, pre)
            om, o2, _, _ = moments("sigmoid", 0.0, pre)
            a = fm * a + im * g1  # the cell's per-unit mean is a * (unit's offset): it adds up coherently
            c_prev = M + V
            M = a * a * vb
            # D = E[c_(t-1) i_t g_t]: a correlated input adds up in the cell like the per-unit mean
            V = f2 * V + i2 * max(g2 - g1 * g1 * vb, 0.0) + (f2 - fm * fm) * M + 2.0 * fm * D
            _, tc2, _, tc1 = moments("tanh", 0.0, M + V)
            h2 = o2 * tc2
            hm2 = om * om * tc1 * tc1 * M
            rho_h = min(om * om * tc1 * tc1 * (fm * c_prev + D) / h2, 0.99) if h2 > 0 else 0.0
            D = fm * rho * D + im * im * g1 * g1 * xin * rho
        elif cell == "gru":
            _, r2, _, _ = moments("sigmoid", 0.0, pre)
            zm, z2, _, _ = moments("sigmoid", 0.0, pre)
            _, n2, _, _ = moments("tanh", 0.0, xin + op["b"] + r2 * H * op["w_hh"] * h2)
            h2 = (1.0 - 2.0 * zm + z2) * n2 + z2 * h2
        else:
            _, h2, _, _ = moments("tanh", 0.0, pre)
        tot += h2
        tm += hm2
        last = h2
    return (last if op.get("last") else tot / T), (hm2 if op.get("last") else tm / T), rho_h


def forward(ops, x):
    """Run the ops on the input statistics x; returns the statistics after every op."""
    cur, stack, reg, out = dict(x), [], None, []
    for op in ops:
        t = op["t"]
        q, mu, c = cur["q"], cur["mu"], cur["c"]
        pre = None
        if t == "dense":
            k = op["fwc"] * op["fin"] * op["w"]
            b = op["b"] + op["bm"] * op["bm"]
            cur = {"q": k * q + b, "mu": op["bm"], "c": k * c + b}
        elif t == "embed":
            cur = {"q": op["w"], "mu": 0.0, "c": 0.0}
        elif t == "addconst":
            cur = {"q": q + op["w"], "mu": mu, "c": c}
        elif t == "act":
            v = max(q - mu * mu, 0.0)
            m1, m2, d2, d1 = moments(op["fn"], mu, v)
            cur = {"q": m2, "mu": m1, "c": min(m1 * m1 + d1 * d1 * max(c - mu * mu, 0.0), m2)}
            pre = {"mu": mu, "v": v, "c": max(c - mu * mu, 0.0), "d2": d2}
        elif t == "norm":
            if op["kind"] == "bn":
                v = max(q - c, 0.0)
                cur = {"q": v / (v + op["eps"]), "mu": 0.0, "c": 0.0}
            elif op["kind"] == "ln":
                v = max(q - mu * mu, 0.0)
                cur = {"q": v / (v + op["eps"]), "mu": 0.0, "c": max(c - mu * mu, 0.0) / (v + op["eps"])}
            else:  # rms
                cur = {
                    "q": q / (q + op["eps"]),
                    "mu": mu / math.sqrt(q + op["eps"]),
                    "c": c / (q + op["eps"]),
                }
        elif t == "drop":
            cur = {"q": q / (1.0 - op["p"]), "mu": mu, "c": c}
        elif t == "avgpool":
            cur = {"q": c + (q - c) / op["k"], "mu": mu, "c": c}
        elif t == "maxpool":
            p = cur.get("pre")
            if p is not None and op.get("relu", True):
                m1, m2, cc, pp = max_moments(op["k"], p["mu"], p["v"], p["c"], True)
            else:
                m1, m2, cc, pp = max_moments(op["k"], mu, max(q - mu * mu, 0.0), max(c - mu * mu, 0.0), False)
            cur = {"q": m2, "mu": m1, "c": cc, "ppos": pp}
        elif t == "scale":
            f2 = op["f"] * op["f"]
            cur = {"q": q * f2, "mu": mu * op["f"], "c": c * f2}
        elif t == "cls":
            f = op["n"] / (op["n"] + 1.0)
            cur = {"q": q * f, "mu": mu * f, "c": c * f}
        elif t == "push":
            stack.append(dict(cur))
        elif t == "swap":
            top = stack.pop()
            stack.append(cur)
            cur = top
        elif t == "add":
            o = stack.pop()
            cross = 2.0 * mu * o["mu"]
            cur = {"q": q + o["q"] + cross, "mu": mu + o["mu"], "c": c + o["c"] + cross}
        elif t == "mul":
            o = stack.pop()
            cur = {"q": q * o["q"], "mu": mu * o["mu"], "c": c * o["c"]}
        elif t == "save":
            reg = dict(cur)
        elif t == "mix":
            m, sh = mixing(op["qk"] * reg["q"] * reg["q"], op["T"], op["causal"], op["p"])
            cur = {"q": c + (q - c) * m, "mu": mu, "c": c + (q - c) * sh}
        elif t == "rnn":
            q2, c2, r2 = rnn_forward(op, cur)
            cur = {"q": q2, "mu": 0.0, "c": c2, "rho": r2}
        if pre is not None:
            cur["pre"] = pre
        elif t not in ("mark", "save", "push", "drop") and "pre" in cur:
            cur = {k: v for k, v in cur.items() if k != "pre"}
        out.append({"in": {"q": q, "mu": mu, "c": c}, "out": dict(cur), "reg": reg})
    return out


def backward(ops, fw):
    """Mean square of d(loss)/d(output of each op), for an output gradient of mean square 1.
    None where it is not predicted (below a recurrent layer or an embedding)."""
    g, gstack, res = 1.0, [], [None] * len(ops)
    for i in range(len(ops) - 1, -1, -1):
        op, t, f = ops[i], ops[i]["t"], fw[i]
        res[i] = g
        if g is None and t not in ("push", "swap", "add", "mul"):
            continue
        if t == "dense":
            g = g * op["bwc"] * op["fout"] * op["w"]
        elif t in ("embed", "rnn"):
            if t == "rnn":
                res[i] = None  # depends on which steps the head reads
            g = None
        elif t == "act":
            j = i + 1
            while j < len(ops) and ops[j]["t"] == "mark":
                j += 1
            if op["fn"] == "relu" and j < len(ops) and ops[j]["t"] == "maxpool":
                g = (
                    g * fw[j]["out"]["ppos"]
                )  # the gradient reaches each window's max only: relu' = P(max > 0)
            else:
                g = g * f["out"]["pre"]["d2"]
        elif t == "norm":
            qi, mi, ci = f["in"]["q"], f["in"]["mu"], f["in"]["c"]
            if op["kind"] == "bn":
                v = max(qi - ci, 0.0)
            elif op["kind"] == "ln":
                v = max(qi - mi * mi, 0.0)
            else:
                v = qi
            g = g / (v + op["eps"])
        elif t == "drop":
            g = g / (1.0 - op["p"])
        elif t in ("avgpool", "maxpool"):
            g = g * op["r"] / (op["k"] if t == "avgpool" else 1.0)
        elif t == "scale":
            g = g * op["f"] * op["f"]
        elif t == "mix":
            reg = f["reg"]
            g = g * mixing(op["qk"] * reg["q"] * reg["q"], op["T"], op["causal"], op["p"])[0]
        elif t == "add":
            gstack.append(g)
        elif t == "mul":
            other_q = f["out"]["q"] / f["in"]["q"] if f["in"]["q"] > 0 else 0.0
            gstack.append(None if g is None else g * f["in"]["q"])
            g = None if g is None else g * other_q
        elif t == "swap":
            top = gstack.pop()
            gstack.append(g)
            g = top
        elif t == "push":
            o = gstack.pop()
            g = None if (g is None or o is None) else g + o
    return res
