"""Optuna's samplers as the peer of `deno task bench search`.

Reads a JSON request on stdin and prints JSON results:
  {"task": "nb201", "path": ..., "column": "cifar10-val", "seeds": 20,
   "budget": 100, "samplers": ["random", "tpe", "tpe-multivariate"]}
    -> {"random": [best per seed], ...}
  {"task": "ask-time", "trials": 500, "fill"?: "random"}
    -> {"tpe": median ms, "tpe-multivariate": median ms} on Hartmann-6, after
    `trials` finished trials found by the sampler itself, or with
    "fill": "random" added at uniform points (fast at 10,000 trials).
"""
import gzip, json, math, statistics, sys, time, warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore")
OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]


def sampler(name, seed):
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    return optuna.samplers.TPESampler(seed=seed, multivariate=name == "tpe-multivariate")


def nb201(req):
    import csv, io
    table = {}
    with gzip.open(req["path"], "rt") as f:
        for row in csv.DictReader(f):
            cell = row["cellstr"]
            ops = [p.split("~")[0] for node in cell.split("+") for p in node.split("|") if p]
            table[tuple(ops)] = float(row[req["column"]])
    out = {}
    for name in req["samplers"]:
        bests = []
        for seed in range(req["seeds"]):
            study = optuna.create_study(direction="maximize", sampler=sampler(name, seed))
            study.optimize(
                lambda t: table[tuple(t.suggest_categorical(f"e{k}", OPS) for k in range(6))],
                n_trials=req["budget"],
            )
            bests.append(study.best_value)
        out[name] = bests
    return out


A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
ALPHA = [1, 1.2, 3, 3.2]


def hartmann6(x):
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))) for i in range(4))


def random_trials(count):
    """count finished Hartmann-6 trials at uniform points (seeded), fast to add."""
    import random
    r = random.Random(1)
    dists = {f"x{j}": optuna.distributions.FloatDistribution(0, 1) for j in range(6)}
    trials = []
    for _ in range(count):
        x = [r.random() for _ in range(6)]
        trials.append(optuna.trial.create_trial(
            params={f"x{j}": v for j, v in enumerate(x)}, distributions=dists,
            value=hartmann6(x)))
    return trials


def ask_time(req):
    out = {}
    for name in ["tpe", "tpe-multivariate"]:
        study = optuna.create_study(sampler=sampler(name, 0))
        f = lambda t: hartmann6([t.suggest_float(f"x{j}", 0, 1) for j in range(6)])
        if req.get("fill") == "random":
            study.add_trials(random_trials(req["trials"]))
        else:
            study.optimize(f, n_trials=req["trials"])
        times = []
        for _ in range(10):
            t0 = time.perf_counter()
            trial = study.ask()
            x = [trial.suggest_float(f"x{j}", 0, 1) for j in range(6)]
            times.append((time.perf_counter() - t0) * 1000)
            study.tell(trial, hartmann6(x))
        out[name] = statistics.median(times)
    return out


req = json.load(sys.stdin)
print(json.dumps(nb201(req) if req["task"] == "nb201" else ask_time(req)))
