/**
 * Optuna's samplers on conditions evaluated in Deno (the real-training MLP
 * conditions, which `optuna_matrix.py` cannot re-implement): an ask/tell
 * bridge to `optuna_ask_tell.py`. Python asks (one JSON config a line on
 * stdout, inactive params left out by define-by-run suggestions), Deno
 * evaluates the {@linkcode MatrixCondition} and tells (one JSON value a line
 * on stdin). The rows are read off the way `benchmarkMatrix` reads them: the
 * incumbent is the configuration with the best observed value, and its
 * `truth` (or a second evaluation) is what counts.
 *
 * @module
 */

import type { MatrixCondition, MatrixRow } from "../../lib/search/matrix.ts";
import { Random } from "../../lib/space/random.ts";
import type { Config } from "../../lib/space/space.ts";
import { PYTHON } from "./python.ts";

/** Optuna samplers of the bridge, set as in `optuna_matrix.py`. */
export const OPTUNA_SAMPLERS = ["random", "tpe", "tpe-multivariate"] as const;

/** One of {@linkcode OPTUNA_SAMPLERS}. */
export type OptunaSampler = (typeof OPTUNA_SAMPLERS)[number];

/** Yields the lines of a byte stream. */
async function* lines(stream: ReadableStream<Uint8Array>) {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let i;
    while ((i = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
    }
  }
  if (buffer.trim()) yield buffer;
}

/**
 * One Optuna run (`sampler`, `seed`) on `condition` up to the largest of
 * `budgets` evaluations: a row per budget, method `optuna-<sampler>`.
 * Conditions with fidelities are run at the full budget only.
 *
 * @example
 * ```ts ignore
 * import { optunaBridgeRun } from "./optuna_bridge.ts";
 * import { matrixConditions } from "../../lib/search/matrix_conditions.ts";
 * const [c] = await matrixConditions({ only: ["conditional-mixed"] });
 * const rows = await optunaBridgeRun(c, "tpe", 0, [10, 20]);
 * ```
 */
export async function optunaBridgeRun(
  condition: MatrixCondition,
  sampler: OptunaSampler,
  seed: number,
  budgets: readonly number[],
  onConfig?: (config: Config) => void,
): Promise<MatrixRow[]> {
  const sorted = [...budgets].sort((a, b) => a - b);
  const trials = sorted[sorted.length - 1];
  const minimize = condition.minimize ?? true;
  const full = condition.fidelity?.max ?? null;
  // The same noise stream as benchmarkMatrix's runs of this condition and seed.
  const noise = new Random(seed, `matrix-noise/${condition.name}`);
  const truth = condition.truth ??
    ((c: Config) => condition.evaluate(c, full, noise));
  const child = new Deno.Command(PYTHON, {
    args: [`${import.meta.dirname}/optuna_ask_tell.py`],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const writer = child.stdin.getWriter();
  const send = (x: unknown) =>
    writer.write(new TextEncoder().encode(JSON.stringify(x) + "\n"));
  const rows: MatrixRow[] = [];
  let incumbent: { observed: number; value: number } | null = null;
  let n = 0;
  try {
    await send({
      params: condition.space.params,
      sampler,
      seed,
      trials,
      minimize,
    });
    for await (const line of lines(child.stdout)) {
      const { config } = JSON.parse(line) as { config: Config };
      onConfig?.(config);
      let observed: number;
      try {
        observed = await condition.evaluate(config, full, noise);
      } catch (e) {
        // Told as a failed trial, as benchmarkMatrix tells NaN; said aloud so
        // a run that lost evaluations can be told from one that did not.
        console.warn(
          `optuna bridge: ${condition.name} ${sampler} seed ${seed} trial ${n}: evaluation failed: ${e}`,
        );
        observed = NaN;
      }
      n++;
      // The last tell is sent too, so Python ends after its loop.
      await send({ value: Number.isFinite(observed) ? observed : null });
      if (
        Number.isFinite(observed) &&
        (incumbent === null ||
          (minimize
            ? observed < incumbent.observed
            : observed > incumbent.observed))
      ) {
        incumbent = { observed, value: await truth(config) };
      }
      for (const b of sorted) {
        if (b !== n) continue;
        const best = incumbent?.value ?? null;
        rows.push({
          condition: condition.name,
          group: condition.group,
          method: `optuna-${sampler}`,
          budget: b,
          seed,
          best,
          regret: best === null || condition.optimum === undefined
            ? null
            : Math.abs(best - condition.optimum),
        });
      }
      if (n === trials) break;
    }
  } finally {
    await writer.close().catch(() => {});
  }
  const status = await child.status;
  if (!status.success || n < trials) {
    throw new Error(
      `Optuna bridge failed after ${n} of ${trials} trials: ${
        (await stderr).trim().split("\n").at(-1)
      }`,
    );
  }
  return rows;
}

/**
 * Every sampler × seed on `condition` through the bridge, rows in the
 * order of {@linkcode OPTUNA_SAMPLERS} then seeds; `onRun` after each run.
 */
export async function optunaBridgeRows(
  condition: MatrixCondition,
  budgets: readonly number[],
  seeds: number | readonly number[],
  onRun?: (rows: readonly MatrixRow[]) => void,
  samplers: readonly OptunaSampler[] = OPTUNA_SAMPLERS,
): Promise<MatrixRow[]> {
  const list = typeof seeds === "number"
    ? Array.from({ length: seeds }, (_, i) => i)
    : seeds;
  const rows: MatrixRow[] = [];
  for (const sampler of samplers) {
    for (const seed of list) {
      const run = await optunaBridgeRun(condition, sampler, seed, budgets);
      rows.push(...run);
      onRun?.(run);
    }
  }
  return rows;
}
