"""An Optuna study driven over stdin/stdout, for conditions evaluated in Deno.

bench/peers/optuna_bridge.ts starts it. The first stdin line is a JSON request
{"params": {name: {kind, low, high, log, choices, values, when}}, "sampler":
"random" | "tpe" | "tpe-multivariate", "seed": n, "trials": n, "minimize":
bool} (a SearchSpace's params, lib/space/space.ts). For each trial it prints
{"config": {...}} on one stdout line, with inactive params absent (define by
run: a param is suggested only when its `when` holds), and reads
{"value": number or null} on one stdin line (null: the evaluation failed);
then `study.tell`. Samplers are set as in optuna_matrix.py.
"""
import json, math, sys, warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore")


def sampler(name, seed):
    # Same as optuna_matrix.py, so peers compare across conditions.
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    return optuna.samplers.TPESampler(seed=seed, multivariate=name == "tpe-multivariate")


def rule_holds(rule, v):
    # lib/space/space.ts ruleHolds; bools are not numbers there either.
    if not isinstance(rule, dict):
        return v == rule and _num(v) == _num(rule)  # JS ===: true is not 1
    if "eq" in rule and not rule_holds(rule["eq"], v):
        return False
    if "ne" in rule and rule_holds(rule["ne"], v):
        return False
    if "in" in rule and not any(rule_holds(x, v) for x in rule["in"]):
        return False
    ops = {"gt": lambda a, b: a > b, "gte": lambda a, b: a >= b, "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b}
    for op, f in ops.items():
        if op in rule and (not _num(v) or not f(v, rule[op])):
            return False
    return True


def _num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def order(params):
    # Parents before children, definition order otherwise.
    done, out = set(), []
    while len(out) < len(params):
        for name, p in params.items():
            if name not in done and all(q in done for q in (p.get("when") or {})):
                done.add(name)
                out.append(name)
    return out


def suggest(trial, params, names):
    config = {}
    for name in names:
        p = params[name]
        if any(q not in config or not rule_holds(r, config[q]) for q, r in (p.get("when") or {}).items()):
            continue  # inactive: left out, as SearchSpace does
        k = p["kind"]
        if k == "float":
            config[name] = trial.suggest_float(name, p["low"], p["high"], log=bool(p.get("log")))
        elif k == "int":
            config[name] = trial.suggest_int(name, p["low"], p["high"], log=bool(p.get("log")))
        elif k == "categorical":
            config[name] = trial.suggest_categorical(name, p["choices"])
        elif k == "ordinal":
            config[name] = trial.suggest_categorical(name, p["values"])
        elif k == "boolean":
            config[name] = trial.suggest_categorical(name, [False, True])
        else:
            raise ValueError(f"unknown kind {k} of {name}")
    return config


def main():
    req = json.loads(sys.stdin.readline())
    params = req["params"]
    names = order(params)
    study = optuna.create_study(direction="minimize" if req.get("minimize", True) else "maximize",
                                sampler=sampler(req["sampler"], req["seed"]))
    for _ in range(req["trials"]):
        trial = study.ask()
        print(json.dumps({"config": suggest(trial, params, names)}), flush=True)
        line = sys.stdin.readline()
        if not line:
            return
        value = json.loads(line)["value"]
        if value is None or not math.isfinite(value):
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        else:
            study.tell(trial, value)


main()
