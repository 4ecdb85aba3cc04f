"""Optuna's RDB storage as the store benchmark's peer (Debian python3-optuna
and python3-psycopg2):
    python3 optuna_store.py '{"mode": "setup"|"throughput", "url": ..., "study": ...}'
`setup` creates the study (`delete` deletes it) (once, before the workers: Optuna creating its
tables from several processes at once would race). `throughput` loads it,
prints "ready", waits for a line on stdin, then for `seconds` asks (ask()
and the two suggest_float calls, which is where Optuna samples and writes
the parameters), evaluates a 2-d bowl and tells; prints
{trials, seconds, ask_ms}. RandomSampler, no heartbeat (Optuna's default).
"""
import json
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
req = json.loads(sys.argv[1])
storage = optuna.storages.RDBStorage(req["url"])
if req["mode"] == "setup":
    optuna.create_study(study_name=req["study"], storage=storage)
    print("{}")
    sys.exit(0)
if req["mode"] == "delete":
    optuna.delete_study(study_name=req["study"], storage=storage)
    print("{}")
    sys.exit(0)

study = optuna.load_study(
    study_name=req["study"],
    storage=storage,
    sampler=optuna.samplers.RandomSampler(seed=req["seed"]),
)
print("ready", flush=True)
sys.stdin.readline()
t0 = time.perf_counter()
end = t0 + req["seconds"]
ask = []
trials = 0
while time.perf_counter() < end:
    a = time.perf_counter()
    trial = study.ask()
    x = trial.suggest_float("x", -1, 1)
    y = trial.suggest_float("y", -1, 1)
    ask.append((time.perf_counter() - a) * 1000)
    study.tell(trial, x * x + y * y)
    trials += 1
print(json.dumps({"trials": trials, "seconds": time.perf_counter() - t0, "ask_ms": ask}))
