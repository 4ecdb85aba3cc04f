"""scipy reference for the KSG timing in bench/mi.ts.

KSG algorithm 1 with the max-norm, k = 3, written as scikit-learn's
`_compute_mi_cc` does (cKDTree / KDTree neighbour queries), but for
multi-dimensional x and y. Prints one JSON line per dimension:
{"d": D, "seconds": S, "estimate": I}. Data: correlated Gaussian with d/2
pairs, rho 0.5, n = 10,000, unit-variance columns.
"""

import json
import sys
import time

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma


def ksg(x, y, k=3):
    n = x.shape[0]
    xy = np.hstack([x, y])
    tree = cKDTree(xy)
    dist, _ = tree.query(xy, k=k + 1, p=np.inf)
    radius = np.nextafter(dist[:, -1], 0)
    nx = cKDTree(x).query_ball_point(x, radius, p=np.inf, return_length=True)
    ny = cKDTree(y).query_ball_point(y, radius, p=np.inf, return_length=True)
    return max(0.0, digamma(n) + digamma(k) - np.mean(digamma(nx) + digamma(ny)))


def main():
    n = 10_000
    rng = np.random.default_rng(0)
    for d in [int(a) for a in sys.argv[1:]] or [2, 10]:
        half = d // 2
        x = rng.standard_normal((n, half))
        y = 0.5 * x + np.sqrt(1 - 0.25) * rng.standard_normal((n, half))
        start = time.perf_counter()
        est = ksg(x, y)
        print(json.dumps({"d": d, "seconds": time.perf_counter() - start, "estimate": est}), flush=True)


if __name__ == "__main__":
    main()
