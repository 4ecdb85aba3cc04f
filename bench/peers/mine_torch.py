"""PyTorch reference for the MINE throughput benchmark (bench/mi.ts).

Same work as infolens' MINE step: a concat critic MLP (dims 5 + 5 -> 100 ->
100 -> 1, ReLU), joint rows and shuffled-y rows, the DV bound with MINE's
moving-average gradient correction, Adam at lr 5e-4, on THREADS threads
(environment variable, default 1). Data:
correlated Gaussian, 5 pairs with rho 0.5, 8,000 training rows; batch rows
drawn uniformly with replacement, as infolens does. Prints one JSON line per
batch size: {"batch": B, "steps_per_s": S}.
"""

import json
import math
import sys
import time

import os

import torch

torch.set_num_threads(int(os.environ.get("THREADS", "1")))
torch.manual_seed(0)


def make_data(n=8000, dim=5, rho=0.5):
    x = torch.randn(n, dim)
    y = rho * x + math.sqrt(1 - rho * rho) * torch.randn(n, dim)
    return x, y


def run(batch, steps, x, y):
    critic = torch.nn.Sequential(
        torch.nn.Linear(10, 100), torch.nn.ReLU(),
        torch.nn.Linear(100, 100), torch.nn.ReLU(),
        torch.nn.Linear(100, 1),
    )
    opt = torch.optim.Adam(critic.parameters(), lr=5e-4)
    n = x.shape[0]
    ema = None
    alpha = 0.01

    def step():
        nonlocal ema
        i = torch.randint(0, n, (batch,))
        j = torch.randint(0, n, (batch,))
        joint = torch.cat([x[i], y[i]], 1)
        marginal = torch.cat([x[i], y[j]], 1)
        t = critic(torch.cat([joint, marginal], 0))
        tj, tm = t[:batch], t[batch:]
        lme = torch.logsumexp(tm, 0) - math.log(batch)
        with torch.no_grad():
            ema = lme.exp() if ema is None else (1 - alpha) * ema + alpha * lme.exp()
        # MINE's bias-corrected gradient: grad E[e^T] / EMA
        loss = -(tj.mean() - tm.exp().mean() / ema)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    for _ in range(20):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps / (time.perf_counter() - start)


def main():
    batches = [int(b) for b in sys.argv[1:]] or [256, 1024, 4096]
    x, y = make_data()
    for b in batches:
        steps = max(50, int(200_000 / b))
        print(json.dumps({"batch": b, "steps_per_s": run(b, steps, x, y),
                          "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
