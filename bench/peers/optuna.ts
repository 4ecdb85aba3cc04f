/**
 * Runs `optuna_search.py` (Optuna's samplers, Debian's python3-optuna) for
 * the search benchmark.
 *
 * @module
 */

import { PYTHON } from "./openturns.ts";

/** Whether `PYTHON` can import optuna. */
export function haveOptuna(): Promise<boolean> {
  return new Deno.Command(PYTHON, {
    args: ["-c", "import optuna"],
    stdout: "null",
    stderr: "null",
  }).output().then((o) => o.success).catch(() => false);
}

/** Sends a request to the Optuna script and returns its JSON answer. */
export async function optunaPeer<T>(
  request: Record<string, unknown>,
): Promise<T> {
  const child = new Deno.Command(PYTHON, {
    args: [`${import.meta.dirname}/optuna_search.py`],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(JSON.stringify(request)));
  await w.close();
  const out = await child.output();
  if (!out.success) {
    throw new Error(
      `Optuna peer failed: ${
        new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)
      }`,
    );
  }
  return JSON.parse(new TextDecoder().decode(out.stdout)) as T;
}
