#!/usr/bin/env python3
"""The numpy peer of `rnn-adder train --bits 8|16`, for the benchmark (scripts/bench/), written as fast as numpy goes.

The same recipe as rnn-adder's defaults: an Elman network with hidden size 16, sigmoid units, biases,
uniform(-1, 1) initial weights, float32 throughout, the loss 1/2 (y - yhat)^2 averaged over the batch and the
time steps, batch 64, Adam with the adders' settings (lr 0.1, beta1 0.7, beta2 0.99, epsilon 1e-7). Bits are least
significant first and a sequence has bits + 1 steps. Arrays are time-major ([T, B, ...]) so that each step reads
one contiguous block, the weights, gradients and Adam's moments are one flat vector each (views give the
matrices), and every step works in preallocated buffers.

It stops when the adder is exact, with rnn-adder's checking schedule: every step the training batch's own
forward pass says whether all its sums came out right (no extra work); once the batches of the last 256 pairs were
all right, a pre-check of 1,024 random pairs plus the 14 carry-chain cases runs, and only if it passes the full
check: every pair up to 10 bits, otherwise 10,000 random pairs plus the carry-chain cases (10,014 at 16 bits).
The exhaustive check is one vectorised pass over the prefixes the pairs share, as rnn-adder's is: level t holds
the 4^t states of all t-step prefixes, so 8 bits take ~87,000 state rows instead of 9 x 65,536. A bit is right when
the sign of s.Wy + by says so (yhat > 0.5 exactly when the logit is > 0): the checks skip the output sigmoid.

Prints one JSON line: bits, exact, samples, steps, fullChecks, seconds (training loop, from after the imports),
evalSeconds (the part of it spent in pre- and full checks) and importSeconds (numpy's import). With
--warm-steps N it trains nothing to the end: it times N training steps (forward, backward, Adam) after a warm-up
and prints msPerStep. --blas-info prints OpenBLAS's kernel (core name) and thread count. --gradcheck compares
its backward pass with float64 finite differences of the same loss, per parameter, and exits 1 above tolerance.
"""
import time

START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

# One BLAS thread, as rnn-adder runs on one: the products here are [N, 2 or 16] x [16, 16], too small to split, and
# on 2 cores a second OpenBLAS thread that spins between calls slowed the 16-bit check ~2x (measured).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - START

EXHAUSTIVE_MAX_BITS = 10
# --gradcheck: the float32 backward against float64 central differences, max |difference| / max |gradient| per
# parameter (float32 sums leave ~4e-7 at 8 and 16 bits; one backward term 1% off leaves ~2e-2).
GRADCHECK_TOLERANCE = 1e-4
GRADCHECK_STEP = 1e-5
SAMPLED_PAIRS = 10000
PRE_CHECK_PAIRS = 1024
CHECK_AFTER_PAIRS = 256
ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON = 0.7, 0.99, 1e-7
F32 = np.float32


def sigmoid_(z):
    """z <- 1 / (1 + exp(-z)), in place."""
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += F32(1)
    np.reciprocal(z, out=z)
    return z


class Net:
    """The weights as one flat float32 vector, with Wx [2, H], Ws [H, H], bs [H], Wy [H], by [1] as views of it."""

    def __init__(self, hidden, flat):
        self.hidden, self.flat = hidden, flat
        h = hidden
        ends = np.cumsum([0, 2 * h, h * h, h, h, 1])
        self.Wx, self.Ws, self.bs, self.Wy, self.by = (
            flat[a:b].reshape(shape) for a, b, shape in zip(ends[:-1], ends[1:], [(2, h), (h, h), (h,), (h,), (1,)])
        )

    @staticmethod
    def size(hidden):
        return 2 * hidden + hidden * hidden + 2 * hidden + 1


class Trainer:
    """Forward, backward and Adam for batches of one shape, in buffers allocated once."""

    def __init__(self, bits, hidden, batch, lr, rng):
        self.steps, self.batch, self.lr, self.t = bits + 1, batch, lr, 0
        size = Net.size(hidden)
        self.w = Net(hidden, rng.uniform(-1, 1, size).astype(F32))
        self.g = Net(hidden, np.zeros(size, F32))
        self.m, self.v, self.tmp = np.zeros(size, F32), np.zeros(size, F32), np.zeros(size, F32)
        T, B, H = self.steps, batch, hidden
        self.S = np.zeros((T + 1, B, H), F32)  # S[0] = s_0 = 0, S[t + 1] = s_t
        self.D = np.empty((T, B, H), F32)  # delta_t, the gradient at the pre-activation of s_t
        self.d = np.empty((B, H), F32)

    def forward(self, x):
        """s_t = sigma(x_t.Wx + s_{t-1}.Ws + bs), yhat_t = sigma(s_t.Wy + by); x [T, B, 2], yhat [T, B]."""
        w, S = self.w, self.S
        T, B, H = S.shape[0] - 1, self.batch, w.hidden
        np.matmul(x.reshape(T * B, 2), w.Wx, out=S[1:].reshape(T * B, H))
        S[1:] += w.bs
        for t in range(self.steps):
            S[t + 1] += S[t] @ w.Ws
            sigmoid_(S[t + 1])
        return sigmoid_(S[1:] @ w.Wy + w.by)

    def backward(self, x, y, yhat):
        """BPTT of the mean over batch and steps of 1/2 (y - yhat)^2, into self.g."""
        w, g, S, D, d = self.w, self.g, self.S, self.D, self.d
        T, B, H = self.steps, self.batch, w.hidden
        d_out = (yhat - y) * yhat * (F32(1) - yhat) * F32(1 / (B * T))  # dL/d(s.Wy + by) [T, B]
        states = S[1:].reshape(T * B, H)
        np.matmul(d_out.reshape(T * B), states, out=g.Wy)
        g.by[0] = d_out.sum()
        slope = S[1:] * (F32(1) - S[1:])  # sigma' at every state
        np.multiply(d_out[..., None], w.Wy, out=D)  # the readout's share of dL/ds_t
        ws_t = w.Ws.T
        d.fill(0)
        for t in range(T - 1, -1, -1):
            D[t] += d @ ws_t  # what s_{t+1} sends back, through Ws
            D[t] *= slope[t]
            d = D[t]
        deltas = D.reshape(T * B, H)
        np.matmul(S[:-1].reshape(T * B, H).T, deltas, out=g.Ws)
        np.matmul(x.reshape(T * B, 2).T, deltas, out=g.Wx)
        np.sum(deltas, axis=0, out=g.bs)

    def adam(self):
        """Adam on the flat vectors: m, v, then w -= lr m^ / (sqrt(v^) + eps)."""
        self.t += 1
        g, m, v, tmp = self.g.flat, self.m, self.v, self.tmp
        m *= F32(ADAM_BETA1)
        np.multiply(g, F32(1 - ADAM_BETA1), out=tmp)
        m += tmp
        v *= F32(ADAM_BETA2)
        np.multiply(g, g, out=tmp)
        tmp *= F32(1 - ADAM_BETA2)
        v += tmp
        np.multiply(v, F32(1 / (1 - ADAM_BETA2 ** self.t)), out=tmp)
        np.sqrt(tmp, out=tmp)
        tmp += F32(ADAM_EPSILON)
        np.divide(m, tmp, out=tmp)
        tmp *= F32(self.lr / (1 - ADAM_BETA1 ** self.t))
        self.w.flat -= tmp


def encode(a, b, steps):
    """Time-major x [T, B, 2] and the target bits y [T, B] of a + b, least significant first."""
    t = np.arange(steps)[:, None]
    x = np.stack([(a >> t) & 1, (b >> t) & 1], axis=2).astype(F32)
    return x, (((a + b) >> t) & 1).astype(F32)


def carry_chain_pairs(bits):
    top = (1 << bits) - 1
    alt = sum(1 << i for i in range(0, bits, 2))
    high = top ^ alt
    msb = 1 << (bits - 1)
    cases = [(0, 0), (top, 0), (0, top), (top, 1), (1, top), (top, top), (alt, high), (high, alt),
             (alt, alt), (high, high), (msb, msb), (msb - 1, 1), (top >> 1, (top >> 1) + 1), (top - 1, 1)]
    return np.array(cases, dtype=np.int64).T


def sampled_check(bits, rng, count):
    """A check of `count` random pairs plus the carry-chain cases: x and whether each output bit should be 1."""
    pairs = rng.integers(0, 1 << bits, (2, count), dtype=np.int64)
    a, b = np.concatenate([pairs, carry_chain_pairs(bits)], axis=1)
    x, y = encode(a, b, bits + 1)
    return x, y > 0.5


def sampled_right(w, x, want):
    """True when every output bit of every pair is right: the forward pass with the logit's sign for the bit."""
    s = np.zeros(x.shape[1:2] + (w.hidden,), F32)
    xw = (x.reshape(-1, 2) @ w.Wx + w.bs).reshape(x.shape[:2] + (w.hidden,))
    for t in range(x.shape[0]):
        s = sigmoid_(s @ w.Ws + xw[t])
        if not np.array_equal(s @ w.Wy + w.by[0] > 0, want[t]):
            return False
    return True


def prefix_targets(bits):
    """Per level t < bits, bit t of a + b for each (t+1)-step prefix (index: input codes c = 2a_k + b_k, latest
    least significant); then the carry-out of every full pair."""
    a = np.zeros(1, np.int64)
    b = np.zeros(1, np.int64)
    wants = []
    for t in range(bits):
        a = (a[:, None] + (np.array([0, 0, 1, 1]) << t)).ravel()
        b = (b[:, None] + (np.array([0, 1, 0, 1]) << t)).ravel()
        wants.append(((a + b) >> t) & 1 == 1)
    wants.append(((a + b) >> bits) & 1 == 1)
    return wants


INPUT_CODES = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], F32)


def exhaustive_right(w, wants):
    """Every pair right, one vectorised pass per level over the shared prefixes: s of each prefix extended by each of
    the four inputs at once (x.Wx + bs has four values), then the last step's input [0, 0]."""
    inputs = INPUT_CODES @ w.Wx + w.bs  # [4, H]
    s = np.zeros((1, w.hidden), F32)
    for t, want in enumerate(wants):
        z = s @ w.Ws
        s = sigmoid_((z[:, None, :] + inputs).reshape(-1, w.hidden) if t < len(wants) - 1 else z + inputs[0])
        if not np.array_equal(s @ w.Wy + w.by[0] > 0, want):
            return False
    return True


def train(bits, hidden, batch, lr, seed, max_samples):
    rng = np.random.default_rng(seed)
    steps = bits + 1
    trainer = Trainer(bits, hidden, batch, lr, rng)
    w = trainer.w
    pre_x, pre_want = sampled_check(bits, np.random.default_rng(seed + 1), PRE_CHECK_PAIRS)
    if bits <= EXHAUSTIVE_MAX_BITS:
        wants = prefix_targets(bits)
        full_right = lambda: exhaustive_right(w, wants)  # noqa: E731
    else:
        full_x, full_want = sampled_check(bits, np.random.default_rng(seed + 2), SAMPLED_PAIRS)
        full_right = lambda: sampled_right(w, full_x, full_want)  # noqa: E731
    start = time.perf_counter()
    eval_seconds = 0.0
    samples = step = full_checks = right_in_a_row = 0
    exact = False
    while samples < max_samples:
        a, b = rng.integers(0, 1 << bits, (2, batch), dtype=np.int64)
        x, y = encode(a, b, steps)
        yhat = trainer.forward(x)
        right_in_a_row = right_in_a_row + batch if np.array_equal(yhat > 0.5, y > 0.5) else 0
        if right_in_a_row >= CHECK_AFTER_PAIRS:
            t0 = time.perf_counter()
            right_in_a_row = 0
            if sampled_right(w, pre_x, pre_want):
                full_checks += 1
                exact = full_right()
            eval_seconds += time.perf_counter() - t0
            if exact:
                break
        trainer.backward(x, y, yhat)
        trainer.adam()
        samples += batch
        step += 1
        if not np.isfinite(w.flat).all():
            break
    return {"bits": bits, "exact": exact, "samples": samples, "steps": step, "fullChecks": full_checks,
            "seconds": time.perf_counter() - start, "evalSeconds": eval_seconds, "importSeconds": IMPORT_SECONDS}


def loss64(net, x, y):
    """The loss of the recipe in float64, straight from the equations (no buffers): for the finite differences."""
    s = np.zeros((x.shape[1], net.hidden))
    yhat = []
    for t in range(x.shape[0]):
        s = 1 / (1 + np.exp(-(x[t] @ net.Wx + net.bs + s @ net.Ws)))
        yhat.append(1 / (1 + np.exp(-(s @ net.Wy + net.by[0]))))
    return 0.5 * np.mean((y - np.array(yhat)) ** 2)


def gradcheck(bits, hidden, batch, seed):
    """Prints each parameter's worst difference to float64 finite differences; True when all are within tolerance."""
    rng = np.random.default_rng(seed)
    trainer = Trainer(bits, hidden, batch, 0.1, rng)
    x, y = encode(*rng.integers(0, 1 << bits, (2, batch), dtype=np.int64), bits + 1)
    trainer.backward(x, y, trainer.forward(x))
    flat = trainer.w.flat.astype(np.float64)
    numeric = np.empty_like(flat)
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += GRADCHECK_STEP
        minus[i] -= GRADCHECK_STEP
        numeric[i] = (loss64(Net(hidden, plus), x, y) - loss64(Net(hidden, minus), x, y)) / (2 * GRADCHECK_STEP)
    fd, ok = Net(hidden, numeric), True
    for name in ("Wx", "Ws", "bs", "Wy", "by"):
        ours, theirs = getattr(trainer.g, name).ravel(), getattr(fd, name).ravel()
        at = int(np.argmax(np.abs(ours - theirs)))
        error = abs(ours[at] - theirs[at]) / max(np.abs(theirs).max(), 1e-12)
        ok &= error <= GRADCHECK_TOLERANCE
        print(f"{name}: max difference {abs(ours[at] - theirs[at]):.2e} at [{at}] ({ours[at]:.6e} against {theirs[at]:.6e}), "
              f"{error:.2e} of the largest gradient{'' if error <= GRADCHECK_TOLERANCE else ' ABOVE ' + str(GRADCHECK_TOLERANCE)}")
    return ok


def warm_step_ms(bits, hidden, batch, lr, seed, count):
    """Milliseconds per training step, best of 7 blocks of `count` steps after a warm-up block."""
    rng = np.random.default_rng(seed)
    trainer = Trainer(bits, hidden, batch, lr, rng)
    x, y = encode(*rng.integers(0, 1 << bits, (2, batch), dtype=np.int64), bits + 1)
    best = float("inf")
    for block in range(8):
        t0 = time.perf_counter()
        for _ in range(count):
            trainer.backward(x, y, trainer.forward(x))
            trainer.adam()
        if block > 0:
            best = min(best, (time.perf_counter() - t0) * 1000 / count)
    return best


def blas_info():
    """OpenBLAS's core name and threads, from the library numpy loaded (its symbols carry a build prefix/suffix)."""
    import ctypes
    import glob

    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "lib*openblas*"))
    if not libs:
        return {"core": "not OpenBLAS", "threads": 0}
    lib = ctypes.CDLL(libs[0])
    found = {}
    for prefix in ("scipy_openblas", "openblas"):
        for suffix in ("64_", ""):
            corename = getattr(lib, f"{prefix}_get_corename{suffix}", None)
            threads = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
            if corename and threads and not found:
                corename.restype = ctypes.c_char_p
                found = {"core": corename().decode(), "threads": threads()}
    return found or {"core": "unknown", "threads": 0}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bits", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-samples", type=int, default=2_000_000)
    parser.add_argument("--warm-steps", type=int, default=0)
    parser.add_argument("--blas-info", action="store_true")
    parser.add_argument("--gradcheck", action="store_true")
    args = parser.parse_args(argv)
    if args.gradcheck:
        return 0 if gradcheck(args.bits, args.hidden, args.batch, args.seed) else 1
    if args.blas_info:
        print(json.dumps(blas_info()))
        return 0
    if args.warm_steps > 0:
        ms = warm_step_ms(args.bits, args.hidden, args.batch, args.lr, args.seed, args.warm_steps)
        print(json.dumps({"bits": args.bits, "batch": args.batch, "msPerStep": ms}))
        return 0
    result = train(args.bits, args.hidden, args.batch, args.lr, args.seed, args.max_samples)
    print(json.dumps(result))
    return 0 if result["exact"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
