"""HSIC indices, R2-HSIC and p-values from OpenTURNS, for tests and benchmarks.

Reads JSON from stdin: a list of cases, each
  {"x": n x d, "y": n, "theta": [d], "outputTheta": float,
   "estimator": "U" | "V", "threshold": float | null, "permutations": int}
and writes a JSON list of
  {"hsic": [d], "r2": [d], "pAsymptotic": [d] (target and global),
   "pPermutation": [d] | null, "seconds": {...}}.
A threshold makes it goal-oriented: Z = 1{Y <= threshold} through
HSICEstimatorTargetSensitivity with a new estimator per filter (in 1.20,
setFilterFunction re-filters an already filtered sample).
"""
import json
import sys
import time

import openturns as ot


def run(case):
    x = ot.Sample(case["x"])
    y = ot.Sample([[v] for v in case["y"]])
    kernels = []
    for theta in case["theta"]:
        k = ot.SquaredExponential(1)
        k.setScale([theta])
        kernels.append(k)
    out = ot.SquaredExponential(1)
    out.setScale([case["outputTheta"]])
    kernels.append(out)
    stat = ot.HSICUStat() if case["estimator"] == "U" else ot.HSICVStat()
    t0 = time.perf_counter()
    if case.get("threshold") is None:
        est = ot.HSICEstimatorGlobalSensitivity(kernels, x, y, stat)
    else:
        q = case["threshold"]
        f = ot.PythonFunction(1, 1, lambda v: [1.0 if v[0] <= q else 0.0])
        est = ot.HSICEstimatorTargetSensitivity(kernels, x, y, stat, f)
    hsic = list(est.getHSICIndices())
    r2 = list(est.getR2HSICIndices())
    p_asym = list(est.getPValuesAsymptotic())
    t1 = time.perf_counter()
    p_perm = None
    b = case.get("permutations", 0)
    if b > 0:
        est.setPermutationSize(b)
        p_perm = list(est.getPValuesPermutation())
    t2 = time.perf_counter()
    return {
        "hsic": hsic,
        "r2": r2,
        "pAsymptotic": p_asym,
        "pPermutation": p_perm,
        "seconds": {"indices": t1 - t0, "permutation": t2 - t1},
    }


json.dump([run(c) for c in json.load(sys.stdin)], sys.stdout)
