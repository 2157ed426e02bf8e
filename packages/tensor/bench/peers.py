"""PyTorch and NumPy peers of the hw benchmarks, driven by bench/peers.ts over stdin/stdout.

One thread for everyone (torch.set_num_threads(1); OMP/OPENBLAS/MKL_NUM_THREADS=1 are set by the
caller before Python starts), float64. Protocol: one JSON object per input line,
{"setup": name, "params": {...}} builds the inputs of a workload once; {"run": name, "impl":
"torch" | "numpy"} times one call and answers {"ms": ...}. Errors answer {"error": "..."}.
"""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
torch.set_grad_enabled(True)
DT = torch.float64
state = {}


def rand(shape, seed):
    return np.random.default_rng(seed).uniform(-0.5, 0.5, size=shape)


def setup_matmul(p):
    n = p["n"]
    a, b = rand((n, n), 1), rand((n, n), 2)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    return {"numpy": lambda: a @ b, "torch": lambda: torch.mm(ta, tb)}


def setup_moments(p):
    x = rand(p["shape"], 1)
    tx = torch.from_numpy(x)
    ax = tuple(p["axes"])

    def np_moments():
        m = x.mean(axis=ax)
        return m, x.var(axis=ax)

    return {"numpy": np_moments, "torch": lambda: torch.var_mean(tx, dim=ax, unbiased=False)}


def setup_batch_norm(p):
    shape = p["shape"]
    c = shape[1]
    x = rand(shape, 1)
    up = rand(shape, 2)
    gamma = 1 + 0.01 * np.arange(c)
    beta = 0.001 * np.arange(c)
    eps = 1e-5
    tx = torch.from_numpy(x)
    tup = torch.from_numpy(up)
    tg = torch.from_numpy(gamma)
    tb = torch.from_numpy(beta)
    g3 = gamma.reshape(1, c, 1)
    b3 = beta.reshape(1, c, 1)

    def np_forward():
        m = x.mean(axis=(0, 2), keepdims=True)
        v = x.var(axis=(0, 2), keepdims=True)
        r = 1 / np.sqrt(v + eps)
        return (x - m) * (r * g3) + b3, m, r

    def np_both():
        y, m, r = np_forward()
        n = x.shape[0] * x.shape[2]
        xh = (x - m) * r
        gb = up.sum(axis=(0, 2))
        gg = (up * xh).sum(axis=(0, 2))
        dx = (g3 * r / n) * (n * up - gb.reshape(1, c, 1) - xh * gg.reshape(1, c, 1))
        return y, dx, gg, gb

    def torch_forward():
        with torch.no_grad():
            return torch.nn.functional.batch_norm(tx, None, None, tg, tb, training=True, eps=eps)

    def torch_both():
        xr = tx.detach().requires_grad_(True)
        gr = tg.detach().requires_grad_(True)
        br = tb.detach().requires_grad_(True)
        y = torch.nn.functional.batch_norm(xr, None, None, gr, br, training=True, eps=eps)
        y.backward(tup)
        return xr.grad

    if p.get("backward"):
        return {"numpy": np_both, "torch": torch_both}
    return {"numpy": np_forward, "torch": torch_forward}


def setup_birnn(p):
    # The model of @hw/rnn's bptt bench (and its tfjs version): h_t = σ(W x_t + U h_{t∓1}) in both
    # directions, y_t = Vf hf_t + Vb hb_t, loss Σ (z − y)²; loss + all gradients by autograd.
    B, T, D, H, K = p["B"], p["T"], p["D"], p["H"], p["K"]
    g = torch.Generator().manual_seed(1)

    def u(*shape, s=0.2):
        return ((torch.rand(*shape, generator=g, dtype=DT) * 2 - 1) * s).requires_grad_(True)

    Wf, Uf, Vf, Wb, Ub, Vb = u(H, D), u(H, H), u(K, H), u(H, D), u(H, H), u(K, H)
    hf0, hb0 = u(B, H, s=0.1), u(B, H, s=0.1)
    params = [Wf, Uf, Vf, Wb, Ub, Vb, hf0, hb0]
    x = torch.randn(T, B, D, generator=g, dtype=DT)
    z = torch.randn(T, B, K, generator=g, dtype=DT)

    def step():
        hf = []
        prev = hf0
        for t in range(T):
            prev = torch.sigmoid(x[t] @ Wf.T + prev @ Uf.T)
            hf.append(prev)
        hb = [None] * T
        nxt = hb0
        for t in reversed(range(T)):
            nxt = torch.sigmoid(x[t] @ Wb.T + nxt @ Ub.T)
            hb[t] = nxt
        y = torch.stack(hf).reshape(T * B, H) @ Vf.T + torch.stack(hb).reshape(T * B, H) @ Vb.T
        loss = ((z.reshape(T * B, K) - y) ** 2).sum()
        return torch.autograd.grad(loss, params)

    return {"torch": step}


def setup_matmul_threads(p):
    """torch.mm with p["threads"] intra-op threads (for bench/threads.bench.ts; back to 1 after each call)."""
    n, t = p["n"], p["threads"]
    ta, tb = torch.from_numpy(rand((n, n), 1)), torch.from_numpy(rand((n, n), 2))

    def mm():
        torch.set_num_threads(t)
        try:
            return torch.mm(ta, tb)
        finally:
            torch.set_num_threads(1)

    return {"torch": mm}


SETUPS = {"matmulThreads": setup_matmul_threads, "matmul": setup_matmul, "moments": setup_moments, "batchNorm": setup_batch_norm, "birnn": setup_birnn}


def main():
    print(json.dumps({"ready": True, "torch": torch.__version__, "numpy": np.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        try:
            msg = json.loads(line)
            if "setup" in msg:
                state[msg["setup"]] = SETUPS[msg["kind"]](msg["params"])
                print(json.dumps({"ok": True, "impls": sorted(state[msg["setup"]].keys())}), flush=True)
            elif "run" in msg:
                fn = state[msg["run"]][msg["impl"]]
                t0 = time.perf_counter()
                fn()
                print(json.dumps({"ms": (time.perf_counter() - t0) * 1e3}), flush=True)
            elif "drop" in msg:
                state.pop(msg["drop"], None)
                print(json.dumps({"ok": True}), flush=True)
        except Exception as e:  # noqa: BLE001 — reported to the caller
            print(json.dumps({"error": repr(e)}), flush=True)


if __name__ == "__main__":
    main()
