#!/usr/bin/env python3
"""The numpy peer of `rnn-adder train`, for the benchmark (scripts/bench.ts).

Trask's binary adder, batched: an Elman network with hidden size 16, sigmoid units, no biases and
uniform(-1, 1) weights, trained by minibatch gradient descent in float64 on the loss 1/2 (y - yhat)^2,
summed over the time steps and averaged over the batch (Trask's per-sequence sum), batch 64, lr 2.0.
Bits are least significant first and a sequence has bits + 1 steps, as in rnn-adder (docs/model-format.md).

It stops when the adder is exact, with rnn-adder's evaluation schedule: every step the training batch's
own forward pass says whether all its sums came out right (no extra work); once the batches of the last
256 pairs were all right, a pre-check of 1,024 random pairs plus the carry-chain cases runs, and only if it
passes the full check: every pair up to 10 bits, otherwise 10,000 random pairs plus the carry-chain cases
(src/train/exactness.ts). Each check is a plain vectorised forward pass over all its pairs.

Prints one JSON line: bits, exact, samples, steps, fullChecks, seconds (training loop, from after the
imports) and evalSeconds (the part of it spent in full checks).
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


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def encode(a, b, steps):
    """x [B, T, 2] and y [B, T], bit t of a, b and a + b, least significant first."""
    t = np.arange(steps)
    x = np.stack([(a[:, None] >> t) & 1, (b[:, None] >> t) & 1], axis=2).astype(np.float64)
    y = (((a + b)[:, None] >> t) & 1).astype(np.float64)
    return x, y


def forward(w, x):
    """The states s_1 .. s_T [B, T, H] and the outputs yhat [B, T]."""
    batch, steps, _ = x.shape
    xw = x @ w["Wx"]
    states = np.empty((batch, steps, w["Ws"].shape[0]))
    s = np.zeros((batch, w["Ws"].shape[0]))
    for t in range(steps):
        s = sigmoid(xw[:, t] + s @ w["Ws"])
        states[:, t] = s
    return states, sigmoid(states @ w["Wy"])[..., 0]


def gradients(w, x, y, states, yhat):
    """BPTT for the batch mean of the per-sequence sum of 1/2 (y - yhat)^2."""
    batch, steps, _ = x.shape
    d_out = (yhat - y) * yhat * (1 - yhat) / batch
    g = {"Wy": np.einsum("bth,bt->h", states, d_out)[:, None]}
    d_state_out = d_out[..., None] * w["Wy"][:, 0]
    g["Ws"] = np.zeros_like(w["Ws"])
    g["Wx"] = np.zeros_like(w["Wx"])
    delta = np.zeros((batch, w["Ws"].shape[0]))
    for t in range(steps - 1, -1, -1):
        s = states[:, t]
        delta = (d_state_out[:, t] + delta @ w["Ws"].T) * s * (1 - s)
        if t > 0:
            g["Ws"] += states[:, t - 1].T @ delta
        g["Wx"] += x[:, t].T @ delta
    return g


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


def train(bits, hidden, batch, lr, seed, max_samples):
    rng = np.random.default_rng(seed)
    steps = bits + 1
    w = {"Wx": rng.uniform(-1, 1, (2, hidden)), "Ws": rng.uniform(-1, 1, (hidden, hidden)),
         "Wy": rng.uniform(-1, 1, (hidden, 1))}
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
        for name, g in gradients(w, x, y, states, yhat).items():
            w[name] -= lr * g
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
    parser.add_argument("--lr", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-samples", type=int, default=2_000_000)
    args = parser.parse_args(argv)
    result = train(args.bits, args.hidden, args.batch, args.lr, args.seed, args.max_samples)
    print(json.dumps(result))
    return 0 if result["exact"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
