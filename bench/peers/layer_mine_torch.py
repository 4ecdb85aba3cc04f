"""PyTorch reference for the per-layer MINE benchmark (bench/layers.ts).

The same work as infolens' `layerMI` with method "mine" at its defaults: one
concat critic per layer and quantity (I(X;T) on [x, T], I(T;Y) on [T, one-hot
y]), 2 x 100 ReLU, Adam at lr 1e-3, MINE's moving-average gradient correction
(alpha 0.01), batch 256 joint rows and 256 rows with the second side drawn
independently, uniformly with replacement from the training rows; `steps` at
the first checkpoint and `warmSteps` warm-started after; the held-out bound
read on the test rows (4 copies against 4 shuffles) at each checkpoint. T is
standardised on the training rows at each checkpoint; x and y arrive
standardised, as layerMI standardises them.

Request (JSON on stdin): {"data": path of float32 values, "rows", "dx",
"classes", "x_at", "y_at", "layers": [{"units", "at": [offset per
checkpoint]}], "train": [...], "test": [...], "steps", "warm_steps", "batch",
"hidden", "lr", "threads"}. Answers {"seconds": wall time of all critics
through all checkpoints, "estimates": [[I(X;T), I(T;Y)] per layer, last
checkpoint], "torch": version}.
"""

import json
import math
import sys
import time

import numpy as np
import torch


def critic(width, hidden):
    layers, d = [], width
    for h in hidden:
        layers += [torch.nn.Linear(d, h), torch.nn.ReLU()]
        d = h
    layers.append(torch.nn.Linear(d, 1))
    return torch.nn.Sequential(*layers)


def main():
    req = json.load(sys.stdin)
    torch.set_num_threads(int(req["threads"]))
    torch.manual_seed(0)
    data = np.fromfile(req["data"], dtype=np.float32)
    n = req["rows"]
    train = torch.tensor(req["train"], dtype=torch.long)
    test = torch.tensor(req["test"], dtype=torch.long)
    x = torch.from_numpy(data[req["x_at"]:req["x_at"] + n * req["dx"]].reshape(n, req["dx"]).copy())
    y = torch.from_numpy(data[req["y_at"]:req["y_at"] + n * req["classes"]].reshape(n, req["classes"]).copy())
    b, alpha = req["batch"], 0.01
    started = time.perf_counter()
    last = []
    for layer in req["layers"]:
        u = layer["units"]
        pair = []
        for quantity in ("I(X;T)", "I(T;Y)"):
            net = opt = None
            ema = None
            for c, at in enumerate(layer["at"]):
                t = torch.from_numpy(data[at:at + n * u].reshape(n, u).copy())
                fit = t[train]
                std = fit.std(0, unbiased=True)
                t = (t - fit.mean(0)) / torch.where(std > 0, std, torch.ones_like(std))
                first, second = (x, t) if quantity == "I(X;T)" else (t, y)
                if c == 0:
                    net = critic(first.shape[1] + second.shape[1], req["hidden"])
                    opt = torch.optim.Adam(net.parameters(), lr=req["lr"])
                    ema = None
                steps = req["steps"] if c == 0 else req["warm_steps"]
                for _ in range(steps):
                    i = train[torch.randint(0, len(train), (b,))]
                    j = train[torch.randint(0, len(train), (b,))]
                    rows = torch.cat([torch.cat([first[i], second[i]], 1),
                                      torch.cat([first[i], second[j]], 1)], 0)
                    s = net(rows)
                    sj, sm = s[:b], s[b:]
                    lme = torch.logsumexp(sm, 0) - math.log(b)
                    with torch.no_grad():
                        ema = lme.exp() if ema is None else (1 - alpha) * ema + alpha * lme.exp()
                    loss = -(sj.mean() - sm.exp().mean() / ema)
                    opt.zero_grad(set_to_none=True)
                    loss.backward()
                    opt.step()
                with torch.no_grad():
                    joint = test.repeat(4)
                    shuffled = torch.cat([test[torch.randperm(len(test))] for _ in range(4)])
                    sj = net(torch.cat([first[joint], second[joint]], 1))
                    sm = net(torch.cat([first[joint], second[shuffled]], 1))
                    bound = (sj.mean() - (torch.logsumexp(sm, 0) - math.log(len(sm)))).item()
            pair.append(bound)
        last.append(pair)
    print(json.dumps({"seconds": time.perf_counter() - started, "estimates": last,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
