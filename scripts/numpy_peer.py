#!/usr/bin/env python3
"""The numpy peer of `rnn-adder train`, for the benchmark (scripts/bench.ts).

The same recipe as rnn-adder's defaults: an Elman network with hidden size 16, sigmoid units, biases,
uniform(-1, 1) initial weights, float32 throughout, the loss 1/2 (y - yhat)^2 averaged over the batch and the
time steps, batch 64, Adam with rnn-adder's rate and decay rates (lr 0.1, beta1 0.7, beta2 0.99, epsilon 1e-7,
src/train/optimizers.ts). Bits are least significant first and a sequence has bits + 1 steps.

It stops when the adder is exact, with rnn-adder's evaluation schedule: every step the training batch's
own forward pass says whether all its sums came out right (no extra work); once the batches of the last
256 pairs were all right, a pre-check of 1,024 random pairs plus the carry-chain cases runs, and only if it
passes the full check: every pair up to 10 bits, otherwise 10,000 random pairs plus the carry-chain cases
(src/train/exactness.ts). Each check is a plain vectorised forward pass over all its pairs.

Prints one JSON line: bits, exact, samples, steps, fullChecks, seconds (training loop, from after the
imports) and evalSeconds (the part of it spent in full checks). With --warm-steps N it trains nothing to
the end: it times N training steps (forward, backward, Adam) after a warm-up and prints msPerStep.
"""
import argparse
import json
import sys
import time

import numpy as np

EXHAUSTIVE_MAX_BITS = 10
SAMPLED_PAIRS = 10000
PRE_CHECK_PAIRS = 1024
CHECK_AFTER_PAIRS = 256


F32 = np.float32
ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON = 0.7, 0.99, 1e-7


def sigmoid(z):
    return F32(1) / (F32(1) + np.exp(-z))


def encode(a, b, steps):
    """x [B, T, 2] and y [B, T], bit t of a, b and a + b, least significant first."""
    t = np.arange(steps)
    x = np.stack([(a[:, None] >> t) & 1, (b[:, None] >> t) & 1], axis=2).astype(F32)
    y = (((a + b)[:, None] >> t) & 1).astype(F32)
    return x, y


def forward(w, x):
    """The states s_1 .. s_T [B, T, H] and the outputs yhat [B, T]."""
    batch, steps, _ = x.shape
    xw = x @ w["Wx"] + w["bs"]
    states = np.empty((batch, steps, w["Ws"].shape[0]), dtype=F32)
    s = np.zeros((batch, w["Ws"].shape[0]), dtype=F32)
    for t in range(steps):
        s = sigmoid(xw[:, t] + s @ w["Ws"])
        states[:, t] = s
    return states, sigmoid(states @ w["Wy"] + w["by"])[..., 0]


def gradients(w, x, y, states, yhat):
    """BPTT for the mean over batch and steps of 1/2 (y - yhat)^2."""
    batch, steps, _ = x.shape
    d_out = (yhat - y) * yhat * (1 - yhat) / F32(batch * steps)
    g = {"Wy": np.einsum("bth,bt->h", states, d_out)[:, None], "by": np.array([d_out.sum()], dtype=F32)}
    d_state_out = d_out[..., None] * w["Wy"][:, 0]
    g["Ws"] = np.zeros_like(w["Ws"])
    g["Wx"] = np.zeros_like(w["Wx"])
    g["bs"] = np.zeros_like(w["bs"])
    delta = np.zeros((batch, w["Ws"].shape[0]), dtype=F32)
    ws_t = w["Ws"].T.copy()
    for t in range(steps - 1, -1, -1):
        s = states[:, t]
        delta = (d_state_out[:, t] + delta @ ws_t) * s * (1 - s)
        if t > 0:
            g["Ws"] += states[:, t - 1].T @ delta
        g["Wx"] += x[:, t].T @ delta
        g["bs"] += delta.sum(axis=0)
    return g


class Adam:
    """rnn-adder's Adam (src/train/optimizers.ts), in place on the float32 weights."""

    def __init__(self, w, lr):
        self.lr, self.t = lr, 0
        self.m = {k: np.zeros_like(v) for k, v in w.items()}
        self.v = {k: np.zeros_like(v) for k, v in w.items()}

    def step(self, w, grads):
        self.t += 1
        m_scale = F32(1 / (1 - ADAM_BETA1 ** self.t))
        v_scale = F32(1 / (1 - ADAM_BETA2 ** self.t))
        for k, g in grads.items():
            m, v = self.m[k], self.v[k]
            m *= F32(ADAM_BETA1)
            m += F32(1 - ADAM_BETA1) * g
            v *= F32(ADAM_BETA2)
            v += F32(1 - ADAM_BETA2) * g * g
            w[k] -= F32(self.lr) * m * m_scale / (np.sqrt(v * v_scale) + F32(ADAM_EPSILON))


def carry_chain_pairs(bits):
    top = (1 << bits) - 1
    alt = sum(1 << i for i in range(0, bits, 2))
    high = top ^ alt
    msb = 1 << (bits - 1)
    cases = [(0, 0), (top, 0), (0, top), (top, 1), (1, top), (top, top), (alt, high), (high, alt),
             (alt, alt), (high, high), (msb, msb), (msb - 1, 1), (top >> 1, (top >> 1) + 1), (top - 1, 1)]
    return np.array([c[0] for c in cases], dtype=np.int64), np.array([c[1] for c in cases], dtype=np.int64)


def sampled_pairs(bits, rng, count):
    edge_a, edge_b = carry_chain_pairs(bits)
    a = rng.integers(0, 1 << bits, count, dtype=np.int64)
    b = rng.integers(0, 1 << bits, count, dtype=np.int64)
    return np.concatenate([a, edge_a]), np.concatenate([b, edge_b])


def full_check_pairs(bits, rng):
    if bits <= EXHAUSTIVE_MAX_BITS:
        n = 1 << bits
        return np.repeat(np.arange(n, dtype=np.int64), n), np.tile(np.arange(n, dtype=np.int64), n)
    return sampled_pairs(bits, rng, SAMPLED_PAIRS)


def all_right(yhat, y):
    return bool(np.all((yhat > 0.5) == (y > 0.5)))


def initial_weights(rng, hidden):
    shapes = {"Wx": (2, hidden), "Ws": (hidden, hidden), "bs": (hidden,), "Wy": (hidden, 1), "by": (1,)}
    return {k: rng.uniform(-1, 1, shape).astype(F32) for k, shape in shapes.items()}


def train_step(w, adam, x, y):
    """One training step: forward, backward, Adam. Returns yhat of the batch (before the update)."""
    states, yhat = forward(w, x)
    adam.step(w, gradients(w, x, y, states, yhat))
    return yhat


def warm_step_ms(bits, hidden, batch, lr, seed, count):
    """Milliseconds per training step, best of 7 blocks of `count` steps after a warm-up block."""
    rng = np.random.default_rng(seed)
    w = initial_weights(rng, hidden)
    adam = Adam(w, lr)
    x, y = encode(rng.integers(0, 1 << bits, batch, dtype=np.int64), rng.integers(0, 1 << bits, batch, dtype=np.int64), bits + 1)
    best = float("inf")
    for block in range(8):
        start = time.perf_counter()
        for _ in range(count):
            train_step(w, adam, x, y)
        if block > 0:
            best = min(best, (time.perf_counter() - start) * 1000 / count)
    return best


def train(bits, hidden, batch, lr, seed, max_samples):
    rng = np.random.default_rng(seed)
    steps = bits + 1
    w = initial_weights(rng, hidden)
    adam = Adam(w, lr)
    check_x, check_y = encode(*full_check_pairs(bits, np.random.default_rng(seed + 1)), steps)
    pre_x, pre_y = encode(*sampled_pairs(bits, np.random.default_rng(seed + 2), PRE_CHECK_PAIRS), steps)
    start = time.perf_counter()
    eval_seconds = 0.0
    samples = step = full_checks = right_in_a_row = 0
    exact = False
    while samples < max_samples:
        a = rng.integers(0, 1 << bits, batch, dtype=np.int64)
        b = rng.integers(0, 1 << bits, batch, dtype=np.int64)
        x, y = encode(a, b, steps)
        states, yhat = forward(w, x)
        right_in_a_row = right_in_a_row + batch if all_right(yhat, y) else 0
        if right_in_a_row >= CHECK_AFTER_PAIRS:
            t0 = time.perf_counter()
            if all_right(forward(w, pre_x)[1], pre_y):
                full_checks += 1
                exact = all_right(forward(w, check_x)[1], check_y)
            eval_seconds += time.perf_counter() - t0
            right_in_a_row = 0
            if exact:
                break
        adam.step(w, gradients(w, x, y, states, yhat))
        samples += batch
        step += 1
        if not np.isfinite(w["Ws"]).all():
            break
    return {"bits": bits, "exact": exact, "samples": samples, "steps": step, "fullChecks": full_checks,
            "seconds": time.perf_counter() - start, "evalSeconds": eval_seconds}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bits", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-samples", type=int, default=2_000_000)
    parser.add_argument("--warm-steps", type=int, default=0)
    args = parser.parse_args(argv)
    if args.warm_steps > 0:
        ms = warm_step_ms(args.bits, args.hidden, args.batch, args.lr, args.seed, args.warm_steps)
        print(json.dumps({"bits": args.bits, "batch": args.batch, "msPerStep": ms}))
        return 0
    result = train(args.bits, args.hidden, args.batch, args.lr, args.seed, args.max_samples)
    print(json.dumps(result))
    return 0 if result["exact"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
