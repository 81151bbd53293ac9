#!/usr/bin/env python3
"""The float32 numpy peer of the rnn-peers suite's LSTM step (scripts/bench/suites/rnn-peers.ts): hand-written BPTT.

The model of the suite: input [B, T, 2] (B = 64, T = 100, random bits), one LSTM layer of H units in rnn-adder's
layout (kernel Wx [I, 4H], recurrent kernel Ws [H, 4H], bias bs [4H], gates i, f, c, o; sigmoid gates, tanh cell),
Dense(1, sigmoid) per step, the loss 1/2 (y - yhat)^2 averaged over the batch and the steps, Adam with the adders'
settings. Arrays are time-major ([T, B, ...]); what does not depend on the previous step is one product over all
steps (x Wx, the readout, and the weight gradients (L8), (L9)), so only h_{t-1} Ws and dz_t Ws^T are done step by
step. The labels (L1)-(L9), (F2) are docs/lstm.md's.

Prints one JSON line: per hidden size, the best and median block's wall ms per step and the least busy block's CPU
ms per step. --gradcheck compares the backward pass in float64 with central finite differences per parameter and
exits 1 above tolerance.
"""
import argparse
import json
import os
import statistics
import sys
import time

# One BLAS thread, as rnn-adder's kernel runs on one.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

ADAM_LR, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON = 0.1, 0.7, 0.99, 1e-7
# --gradcheck: max |analytic - numeric| / max |analytic| per parameter, float64 throughout (a wrong term leaves > 1e-2).
GRADCHECK_TOLERANCE = 1e-6
GRADCHECK_STEP = 1e-6
INPUTS = 2


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


class Lstm:
    """The weights as one flat vector, Wx [I, 4H], Ws [H, 4H], bs [4H], Wy [H, 1], by [1] as views of it."""

    def __init__(self, hidden, dtype, seed):
        h = hidden
        self.shapes = [(INPUTS, 4 * h), (h, 4 * h), (4 * h,), (h, 1), (1,)]
        self.names = ["Wx", "Ws", "bs", "Wy", "by"]
        sizes = [int(np.prod(s)) for s in self.shapes]
        self.ends = np.cumsum([0] + sizes)
        rng = np.random.default_rng(seed)
        self.flat = rng.uniform(-1 / np.sqrt(h), 1 / np.sqrt(h), self.ends[-1]).astype(dtype)
        self.hidden, self.dtype = h, dtype

    def views(self, flat):
        return [flat[a:b].reshape(s) for a, b, s in zip(self.ends[:-1], self.ends[1:], self.shapes)]

    def loss_and_grads(self, x, y):
        """x [T, B, I], y [T, B, 1]: the loss and its gradient as one flat vector."""
        Wx, Ws, bs, Wy, by = self.views(self.flat)
        T, B, _ = x.shape
        H = self.hidden
        gates = np.empty((T, B, 4 * H), self.dtype)  # i, f, g, o after their activations
        c = np.zeros((T + 1, B, H), self.dtype)  # c[t + 1] = c_t, c[0] = c_0 = 0
        h = np.zeros((T + 1, B, H), self.dtype)
        tanh_c = np.empty((T, B, H), self.dtype)
        # (L1) z_t = x_t Wx + h_{t-1} Ws + bs: the x Wx + bs part for every step at once.
        xw = (x.reshape(T * B, INPUTS) @ Wx + bs).reshape(T, B, 4 * H)
        for t in range(T):
            z = xw[t] + h[t] @ Ws  # (L1), (L2) below
            gates[t, :, :2 * H] = sigmoid(z[:, :2 * H])
            gates[t, :, 2 * H:3 * H] = np.tanh(z[:, 2 * H:3 * H])
            gates[t, :, 3 * H:] = sigmoid(z[:, 3 * H:])
            i, f, g, o = np.split(gates[t], 4, axis=1)
            c[t + 1] = f * c[t] + i * g  # (L3)
            tanh_c[t] = np.tanh(c[t + 1])
            h[t + 1] = o * tanh_c[t]  # (L4)
        hs = h[1:].reshape(T * B, H)
        yhat = sigmoid(hs @ Wy + by)  # (F2)
        err = yhat - y.reshape(T * B, 1)
        loss = 0.5 * float(np.mean(err * err))
        # The readout: dL/dlogit = (yhat - y) yhat (1 - yhat) / (T B).
        dlogit = err * yhat * (1 - yhat) / (T * B)
        grads = np.zeros_like(self.flat)
        dWx, dWs, dbs, dWy, dby = self.views(grads)
        dWy[:] = hs.T @ dlogit
        dby[:] = dlogit.sum(0)
        dh_out = (dlogit @ Wy.T).reshape(T, B, H)
        dz = np.empty((T, B, 4 * H), self.dtype)
        dh_next = np.zeros((B, H), self.dtype)
        dc_next = np.zeros((B, H), self.dtype)
        for t in reversed(range(T)):
            i, f, g, o = np.split(gates[t], 4, axis=1)
            dh = dh_out[t] + dh_next  # (L5): from the readout and from z_{t+1}
            dc = dh * o * (1 - tanh_c[t] ** 2) + dc_next  # (L6)
            # (L7)
            dz[t, :, :H] = dc * g * i * (1 - i)
            dz[t, :, H:2 * H] = dc * c[t] * f * (1 - f)
            dz[t, :, 2 * H:3 * H] = dc * i * (1 - g * g)
            dz[t, :, 3 * H:] = dh * tanh_c[t] * o * (1 - o)
            dc_next = dc * f
            dh_next = dz[t] @ Ws.T
        flat_dz = dz.reshape(T * B, 4 * H)
        dWs[:] = h[:-1].reshape(T * B, H).T @ flat_dz  # (L8)
        dWx[:] = x.reshape(T * B, INPUTS).T @ flat_dz  # (L9)
        dbs[:] = flat_dz.sum(0)
        return loss, grads


class Adam:
    def __init__(self, size, dtype):
        self.m, self.v, self.t = np.zeros(size, dtype), np.zeros(size, dtype), 0

    def step(self, flat, grads):
        self.t += 1
        self.m = ADAM_BETA1 * self.m + (1 - ADAM_BETA1) * grads
        self.v = ADAM_BETA2 * self.v + (1 - ADAM_BETA2) * grads * grads
        rate = ADAM_LR * np.sqrt(1 - ADAM_BETA2 ** self.t) / (1 - ADAM_BETA1 ** self.t)
        flat -= (rate * self.m / (np.sqrt(self.v) + ADAM_EPSILON)).astype(flat.dtype)


def batch(B, T, dtype, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 2, (T, B, INPUTS)).astype(dtype), rng.integers(0, 2, (T, B, 1)).astype(dtype)


def time_steps(hidden, B, T, block_ms, reps, seed):
    """The warm step's wall ms (best and median block) and CPU ms (least busy block)."""
    net = Lstm(hidden, np.float32, seed)
    adam = Adam(net.flat.size, np.float32)
    x, y = batch(B, T, np.float32, seed)

    def step():
        _, grads = net.loss_and_grads(x, y)
        adam.step(net.flat, grads)

    start = time.perf_counter()
    step()
    calls = max(1, round(block_ms / (1000 * (time.perf_counter() - start))))
    wall, cpu = [], []
    for _ in range(reps):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(calls):
            step()
        wall.append(1000 * (time.perf_counter() - start) / calls)
        cpu.append(1000 * (time.process_time() - cpu_start) / calls)
    return {"units": hidden, "callsPerBlock": calls, "msPerStep": round(min(wall), 3), "medianMs": round(statistics.median(wall), 3), "cpuMsPerStep": round(min(cpu), 3)}


def gradcheck(seed):
    """Per parameter, max |analytic - central difference| / max |analytic|, float64, H 3, B 2, T 5."""
    net = Lstm(3, np.float64, seed)
    x, y = batch(2, 5, np.float64, seed)
    _, grads = net.loss_and_grads(x, y)
    numeric = np.empty_like(grads)
    for k in range(net.flat.size):
        kept = net.flat[k]
        net.flat[k] = kept + GRADCHECK_STEP
        up, _ = net.loss_and_grads(x, y)
        net.flat[k] = kept - GRADCHECK_STEP
        down, _ = net.loss_and_grads(x, y)
        net.flat[k] = kept
        numeric[k] = (up - down) / (2 * GRADCHECK_STEP)
    rows = {}
    for name, a, n in zip(net.names, net.views(grads), net.views(numeric)):
        rows[name] = float(np.max(np.abs(a - n)) / max(np.max(np.abs(a)), 1e-12))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", default="16,64,128", help="hidden sizes, comma-separated")
    parser.add_argument("--batch", type=int, default=64, help="sequences per step")
    parser.add_argument("--steps", type=int, default=100, help="time steps per sequence (T)")
    parser.add_argument("--block-ms", type=float, default=50, help="the least wall time of a timed block, in ms")
    parser.add_argument("--reps", type=int, default=3, help="timed blocks per hidden size")
    parser.add_argument("--seed", type=int, default=1, help="seed of the weights and the batch")
    parser.add_argument("--gradcheck", action="store_true", help="check the backward pass against finite differences")
    args = parser.parse_args()
    if args.gradcheck:
        rows = gradcheck(args.seed)
        worst = max(rows, key=rows.get)
        print(json.dumps({"tolerance": GRADCHECK_TOLERANCE, "relativeError": rows, "ok": rows[worst] <= GRADCHECK_TOLERANCE}))
        if rows[worst] > GRADCHECK_TOLERANCE:
            print(f"gradcheck: {worst} off by {rows[worst]:.2e} (tolerance {GRADCHECK_TOLERANCE:.0e})", file=sys.stderr)
            sys.exit(1)
        return
    rows = [time_steps(int(h), args.batch, args.steps, args.block_ms, args.reps, args.seed) for h in args.units.split(",")]
    print(json.dumps({"numpy": np.__version__, "batch": args.batch, "steps": args.steps, "rows": rows}))


if __name__ == "__main__":
    main()
