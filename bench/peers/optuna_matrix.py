"""Optuna's samplers as peers of `deno task bench matrix`.

Reads {"conditions": [...], "samplers": [...], "budgets": [...], "seeds": n or [seeds],
"nb201": path or null} on stdin; prints rows
[{"condition", "method", "budget", "seed", "best", "regret"}] for the
conditions Optuna can express here (the test functions, their noisy
versions, NAS-Bench-201 and its noisy CIFAR-10). Same definitions and noise levels as
lib/search/matrix_conditions.ts; the incumbent is the best observed value and
its noise-free value is reported.
"""
import gzip, json, math, random, sys, warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore")

A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
ALPHA = [1, 1.2, 3, 3.2]


def branin(x):
    b, k, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x[1] - b * x[0] ** 2 + k * x[0] - 6) ** 2 + 10 * (1 - t) * math.cos(x[0]) + 10


def hartmann6(x):
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))) for i in range(4))


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def levy(x):
    w = [1 + (v - 1) / 4 for v in x]
    f = math.sin(math.pi * w[0]) ** 2
    f += sum((w[i] - 1) ** 2 * (1 + 10 * math.sin(math.pi * w[i] + 1) ** 2) for i in range(len(w) - 1))
    return f + (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)


def box(f, lows, highs, minimum):
    return lambda t: f([t.suggest_float(f"x{i + 1}", lo, hi) for i, (lo, hi) in enumerate(zip(lows, highs))]), minimum


def mixed(t):
    m = t.suggest_categorical("model", ["linear", "tree", "net"])
    if m == "linear":
        a = t.suggest_float("alpha", 1e-4, 1, log=True)
        p = t.suggest_categorical("penalty", ["l1", "l2"])
        return 0.5 + 0.1 * (math.log10(a) + 2) ** 2 + (0 if p == "l1" else 0.1)
    if m == "tree":
        d = t.suggest_int("depth", 1, 12)
        r = t.suggest_float("rate", 1e-3, 1, log=True)
        return 0.3 + 0.02 * (d - 6) ** 2 + 0.2 * (math.log10(r) + 1) ** 2
    layers = t.suggest_int("layers", 1, 3)
    f = 0.15 * (3 - layers)
    for i, target in enumerate([0.3, 0.5, 0.7][:layers]):
        f += (t.suggest_float(f"w{i + 1}", 0, 1) - target) ** 2
    return f + (0.05 if t.suggest_categorical("activation", ["relu", "tanh"]) == "tanh" else 0)


BASE = {
    "branin": (box(branin, [-5, 0], [10, 15], 0.39788735772973816)),
    "hartmann6": (box(hartmann6, [0] * 6, [1] * 6, -3.32236801141551)),
    "rosenbrock-10d": box(rosenbrock, [-5] * 10, [10] * 10, 0),
    "rosenbrock-20d": box(rosenbrock, [-5] * 20, [10] * 20, 0),
    "levy-10d": box(levy, [-10] * 10, [10] * 10, 0),
    "levy-20d": box(levy, [-10] * 20, [10] * 20, 0),
    "conditional-mixed": (mixed, 0),
}
NOISE = {"branin-noisy": ("branin", 2), "hartmann6-noisy": ("hartmann6", 0.2),
         "levy-10d-noisy": ("levy-10d", 1), "conditional-mixed-noisy": ("conditional-mixed", 0.05)}
OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
COLUMNS = {"nb201-cifar10": "cifar10-valid", "nb201-cifar100": "cifar100", "nb201-imagenet": "ImageNet16-120"}


def sampler(name, seed):
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    return optuna.samplers.TPESampler(seed=seed, multivariate=name == "tpe-multivariate")


def run(req):
    rows = []
    for cond in req["conditions"]:
        direction, noise = "minimize", 0
        if cond in BASE:
            f, optimum = BASE[cond]
        elif cond in NOISE:
            (f, optimum), noise = BASE[NOISE[cond][0]], NOISE[cond][1]
        elif cond.startswith("nb201-") and req.get("nb201"):
            table = nb201_table(req["nb201"], req["columns"][cond])
            f = lambda t, table=table: table[tuple(t.suggest_categorical(f"e{k}", OPS) for k in range(6))]
            optimum, direction = max(table.values()), "maximize"
            noise = 1 if cond.endswith("-noisy") else 0
        else:
            continue
        for name in req["samplers"]:
            for seed in (range(req["seeds"]) if isinstance(req["seeds"], int) else req["seeds"]):
                rng = random.Random(seed)
                study = optuna.create_study(direction=direction, sampler=sampler(name, seed))
                truths = []

                def objective(t):
                    v = f(t)
                    truths.append(v)
                    return v + (rng.gauss(0, noise) if noise else 0)

                study.optimize(objective, n_trials=max(req["budgets"]))
                vals = [t.value for t in study.trials]
                for b in req["budgets"]:
                    head = vals[:b]
                    i = (min if direction == "minimize" else max)(range(len(head)), key=lambda j: head[j])
                    rows.append({"condition": cond, "method": f"optuna-{name}", "budget": b, "seed": seed,
                                 "best": truths[i], "regret": abs(truths[i] - optimum)})
    return rows


def nb201_table(path, column):
    import csv
    table = {}
    with gzip.open(path, "rt") as fh:
        for row in csv.DictReader(fh):
            ops = [p.split("~")[0] for node in row["cellstr"].split("+") for p in node.split("|") if p]
            table[tuple(ops)] = float(row[column])
    return table


print(json.dumps(run(json.load(sys.stdin))))
