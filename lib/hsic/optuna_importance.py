"""Optuna's own importance evaluators on trials sent by infolens.

Read by lib/hsic/compare_importance.ts, which runs it with Debian's
/usr/bin/python3 (python3-optuna). Input on stdin, JSON:
  {"distributions": {name: {"type": "float"|"int"|"categorical", "low",
   "high", "log", "choices"}}, "trials": [{"params": {...}, "value": x}],
   "seed": int}
Output on stdout, JSON: {"version": str, "fanova": {name: share},
"mdi": {name: share}}. Exit status 3 when optuna cannot be imported.
Optuna's evaluators rank only the parameters present in every trial.
"""
import json
import sys

try:
    import optuna
except ImportError as e:  # reported as a message, not a crash
    print(f"optuna is not importable: {e}", file=sys.stderr)
    sys.exit(3)

optuna.logging.set_verbosity(optuna.logging.ERROR)
request = json.load(sys.stdin)


def distribution(d):
    if d["type"] == "float":
        return optuna.distributions.FloatDistribution(d["low"], d["high"], log=d.get("log", False))
    if d["type"] == "int":
        return optuna.distributions.IntDistribution(d["low"], d["high"], log=d.get("log", False))
    return optuna.distributions.CategoricalDistribution(d["choices"])


distributions = {k: distribution(d) for k, d in request["distributions"].items()}
study = optuna.create_study()
study.add_trials(
    [
        optuna.trial.create_trial(
            params=t["params"],
            distributions={k: distributions[k] for k in t["params"]},
            value=t["value"],
        )
        for t in request["trials"]
    ]
)
seed = request["seed"]
out = {"version": optuna.__version__}
for key, evaluator in (
    ("fanova", optuna.importance.FanovaImportanceEvaluator(seed=seed)),
    ("mdi", optuna.importance.MeanDecreaseImpurityImportanceEvaluator(seed=seed)),
):
    out[key] = dict(optuna.importance.get_param_importances(study, evaluator=evaluator))
json.dump(out, sys.stdout)
