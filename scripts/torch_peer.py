#!/usr/bin/env python3
"""The PyTorch peer of rnn-adder's recurrent training step, for the benchmark (scripts/bench/suites/rnn-peers.ts).

The model and step the bench times for rnn-adder's fused kernels and for tfjs' own layers: input [B, T, 2] float32
(B = 64, T = 100, random bits), one recurrent layer of H units (nn.LSTM, nn.GRU or nn.RNN), then Linear(H, 1) and a
sigmoid at every step, the loss 1/2 (y - yhat)^2 averaged over the batch and the steps, and Adam with the adders'
settings (lr 0.1, beta1 0.7, beta2 0.99, epsilon 1e-7). One training step is forward, backward and Adam's update.

Where PyTorch's layers compute something other than rnn-adder's (the same products, so the same FLOP count within a
few %):
- nn.GRU is "reset after": r multiplies (h_{t-1} U_h + b_hh), after the product; rnn-adder's GRU and tfjs' (which
  has resetAfter false only) multiply r * h_{t-1} before it. Both do one [B, H] x [H, 3H] product per step.
- nn.LSTM and nn.GRU add a second bias vector (b_hh): 4H or 3H more additions a step, and as many Adam updates.
- nn.RNN offers tanh or relu, not rnn-adder's sigmoid: the Elman peer is tanh (one exp a unit either way).

For each hidden size it times blocks of steps after a warm-up, one block per thread count in turn
(torch.set_num_threads), so that a busy moment of the machine falls on every thread count alike; a block holds as
many steps as fill --block-ms by the fastest warm-up step (one at least), so that a 3-ms step is not lost in
the timer's noise and a 2-s step of a reference-BLAS build is not repeated for minutes. Prints one JSON
line: torch's version, its BLAS and oneDNN, the cell, and per hidden size and thread count the best and median
block's wall ms per step and the least busy block's CPU ms per step (the process's, all threads). With --info it
prints the version, BLAS and oneDNN only.
"""
import argparse
import json
import statistics
import time

import torch

ADAM = dict(lr=0.1, betas=(0.7, 0.99), eps=1e-7)
LAYERS = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "elman": torch.nn.RNN}


def info():
    """The version, the BLAS torch was built with, and whether oneDNN (mkldnn) is there."""
    config = torch.__config__.show()
    blas = next((line.split("=", 1)[1].strip(" ,") for line in config.replace(",", "\n").split("\n") if "BLAS_INFO" in line), "unknown")
    return {"torch": torch.__version__, "blas": blas, "onednn": torch.backends.mkldnn.is_available()}


class Step:
    """One recurrent layer and a per-step Linear(H, 1), with its batch and Adam, as one callable training step."""

    def __init__(self, cell, hidden, batch, steps, seed):
        torch.manual_seed(seed)
        self.rnn = LAYERS[cell](2, hidden, batch_first=True)
        self.readout = torch.nn.Linear(hidden, 1)
        params = list(self.rnn.parameters()) + list(self.readout.parameters())
        self.optimizer = torch.optim.Adam(params, **ADAM)
        self.x = torch.randint(0, 2, (batch, steps, 2)).float()
        self.y = torch.randint(0, 2, (batch, steps, 1)).float()

    def __call__(self):
        self.optimizer.zero_grad(set_to_none=True)
        hs, _ = self.rnn(self.x)
        yhat = torch.sigmoid(self.readout(hs))
        loss = 0.5 * torch.mean((self.y - yhat) ** 2)
        loss.backward()
        self.optimizer.step()


def time_blocks(step, threads, block_ms, reps, warmup):
    """Per thread count: wall ms per step of the best and median block, CPU ms per step of the least busy block."""
    fastest = float("inf")
    for n in threads:
        torch.set_num_threads(n)
        for _ in range(warmup):
            start = time.perf_counter()
            step()
            fastest = min(fastest, time.perf_counter() - start)
    calls = max(1, round(block_ms / (1000 * fastest)))
    wall = {n: [] for n in threads}
    cpu = {n: [] for n in threads}
    for _ in range(reps):
        for n in threads:
            torch.set_num_threads(n)
            start, cpu_start = time.perf_counter(), time.process_time()
            for _ in range(calls):
                step()
            wall[n].append(1000 * (time.perf_counter() - start) / calls)
            cpu[n].append(1000 * (time.process_time() - cpu_start) / calls)
    return [
        {"threads": n, "callsPerBlock": calls, "msPerStep": round(min(wall[n]), 3), "medianMs": round(statistics.median(wall[n]), 3), "cpuMsPerStep": round(min(cpu[n]), 3)}
        for n in threads
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cell", choices=sorted(LAYERS), default="lstm", help="the recurrent layer")
    parser.add_argument("--units", default="16,64,128", help="hidden sizes, comma-separated")
    parser.add_argument("--threads", default="1,2", help="thread counts, comma-separated")
    parser.add_argument("--batch", type=int, default=64, help="sequences per step")
    parser.add_argument("--steps", type=int, default=100, help="time steps per sequence (T)")
    parser.add_argument("--block-ms", type=float, default=50, help="the least wall time of a timed block, in ms")
    parser.add_argument("--reps", type=int, default=3, help="timed blocks per thread count")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps per thread count first (one at least)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the weights and the batch")
    parser.add_argument("--info", action="store_true", help="print the version, BLAS and oneDNN only")
    args = parser.parse_args()
    torch.set_num_interop_threads(1)
    if args.info:
        print(json.dumps(info()))
        return
    threads = [int(n) for n in args.threads.split(",")]
    rows = []
    for hidden in (int(h) for h in args.units.split(",")):
        step = Step(args.cell, hidden, args.batch, args.steps, args.seed)
        for row in time_blocks(step, threads, args.block_ms, args.reps, max(1, args.warmup)):
            rows.append({"units": hidden, **row})
    print(json.dumps({**info(), "cell": args.cell, "batch": args.batch, "steps": args.steps, "rows": rows}))


if __name__ == "__main__":
    main()
