/**
 * Runs `optuna_search.py` (Optuna's samplers, Debian's python3-optuna) for
 * the search benchmark.
 *
 * @module
 */

import { havePythonModule, runPythonJson } from "./python.ts";

/** Whether `/usr/bin/python3` can import optuna. */
export function haveOptuna(): Promise<boolean> {
  return havePythonModule("optuna");
}

/** Sends a request to the Optuna script and returns its JSON answer. */
export function optunaPeer<T>(request: Record<string, unknown>): Promise<T> {
  return runPythonJson("optuna_search.py", request, "Optuna");
}
