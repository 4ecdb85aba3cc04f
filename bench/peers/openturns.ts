/**
 * Runs `hsic_openturns.py` (OpenTURNS's HSIC estimators) on cases given as
 * JSON, for the HSIC test and benchmark.
 *
 * @module
 */

import { havePythonModule, runPythonJson } from "./python.ts";

/** One design for OpenTURNS: see `hsic_openturns.py` for the fields. */
export interface OpenturnsCase {
  x: number[][];
  y: number[];
  theta: number[];
  outputTheta: number;
  estimator: "U" | "V";
  threshold: number | null;
  permutations: number;
}

/** OpenTURNS's answer for one case. */
export interface OpenturnsResult {
  hsic: number[];
  r2: number[];
  pAsymptotic: number[];
  pPermutation: number[] | null;
  seconds: { indices: number; permutation: number };
}

/** Whether `/usr/bin/python3` can import openturns. */
export function haveOpenturns(): Promise<boolean> {
  return havePythonModule("openturns");
}

/**
 * OpenTURNS's indices for each case. Throws with OpenTURNS's last error line
 * when the script fails.
 */
export function openturnsHsic(
  cases: OpenturnsCase[],
): Promise<OpenturnsResult[]> {
  return runPythonJson("hsic_openturns.py", cases, "OpenTURNS");
}
