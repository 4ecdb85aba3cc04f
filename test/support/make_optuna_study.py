"""Writes an Optuna study for test/import_test.ts: a SQLite storage, its
trials_dataframe() CSV, and the expected trials as JSON.

Usage: python3 make_optuna_study.py OUT_DIR [N_TRIALS]

Parameters: x float, lr log-float, depth int, opt categorical, momentum
float only when opt == "sgd" (conditional). Every 7th trial fails, every
5th is pruned after reporting an intermediate value. A second, empty study
"other" makes the file hold two studies.
"""
import json
import os
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 60
db = os.path.join(out, "study.db")
storage = "sqlite:///" + db


def objective(trial):
    x = trial.suggest_float("x", -1.0, 1.0)
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    depth = trial.suggest_int("depth", 1, 4)
    opt = trial.suggest_categorical("opt", ["sgd", "adam", "rmsprop"])
    loss = (x - 0.3) ** 2 + abs(lr - 1e-3) + 0.1 * depth
    if opt == "sgd":
        momentum = trial.suggest_float("momentum", 0.0, 0.99)
        loss += (momentum - 0.9) ** 2
    if trial.number % 7 == 3:
        raise RuntimeError("a failed trial")
    if trial.number % 5 == 4:
        trial.report(loss, step=1)
        raise optuna.TrialPruned()
    return loss


study = optuna.create_study(
    storage=storage,
    study_name="main",
    sampler=optuna.samplers.RandomSampler(seed=0),
)
study.optimize(objective, n_trials=n, catch=(RuntimeError,))
optuna.create_study(storage=storage, study_name="other")
study.trials_dataframe().to_csv(os.path.join(out, "study.csv"))
expected = [
    {
        "number": t.number,
        "state": t.state.name,
        "params": t.params,
        "value": t.value,
        "distributions": {
            k: {"type": type(d).__name__, **{a: getattr(d, a) for a in ("low", "high", "log", "choices") if hasattr(d, a)}}
            for k, d in t.distributions.items()
        },
    }
    for t in study.trials
]
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f)
