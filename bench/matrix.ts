/**
 * `deno task bench matrix`: the benchmark matrix of issue 24 — every
 * applicable search method on every condition (lib/search/matrix_conditions.ts)
 * at budgets 20, 50, 100 and 200, mean ± SE of the regret per cell and each
 * method's normalised rank per condition, with Optuna 3.1's random, TPE and
 * multivariate TPE samplers as peers when `/usr/bin/python3` has optuna:
 * re-implemented in Python on the test functions, their noisy versions and
 * NAS-Bench-201 (peers/optuna_matrix.py), and evaluated here through an
 * ask/tell bridge on the real-training MLP conditions
 * (peers/optuna_bridge.ts); the multi-fidelity conditions have no peers.
 *
 * Environment, to run any part:
 * - `MATRIX_CONDITIONS`: names or groups, comma-separated (default all,
 *   with the kept-small real-training MLP conditions `mlp-runge` and
 *   `mlp-digits`; `MATRIX_SLOW=1` adds the paper-sized `mlp-runge-full` and
 *   `mlp-digits-full`, seconds an evaluation);
 * - `MATRIX_METHODS`: registered methods (default every one but the variants
 *   bore-rmi, hyperband-li, successive-halving-li); empty (`MATRIX_METHODS=`)
 *   runs the Optuna peers only;
 * - `MATRIX_BUDGETS` (default 20,50,100,200), `MATRIX_SEEDS` (a count, seeds
 *   0 … n − 1, default 10; or a list such as `5,6,7`);
 * - `MATRIX_OPTUNA=0` skips the peers;
 * - `MATRIX_OUT`: a CSV path for the rows (written as runs finish);
 * - `MATRIX_FROM`: a saved table (e.g. `data/search_matrix.csv`): print its
 *   tables, every method's mean rank with `auto`'s among them, and run
 *   nothing.
 *
 * @module
 */

import {
  averageRanks,
  benchmarkMatrix,
  MATRIX_COLUMNS,
  type MatrixRow,
  parseMatrixCsv,
  summarise,
} from "../lib/search/matrix.ts";
import { matrixConditions } from "../lib/search/matrix_conditions.ts";
import { type SearchMethod, searchMethods } from "../lib/search/registry.ts";
import { nasBench201 } from "../lib/search/tabular.ts";
import { findNasBench201 } from "../studies/shared_data.ts";
import { haveOptuna } from "./peers/optuna.ts";
import { optunaBridgeRows } from "./peers/optuna_bridge.ts";
import { runPythonJson } from "./peers/python.ts";

const list = (name: string, fallback: string) =>
  (Deno.env.get(name) ?? fallback).split(",").map((s) => s.trim()).filter(
    Boolean,
  );

const VARIANTS = new Set(["bore-rmi", "hyperband-li", "successive-halving-li"]);

/** The CSV header of the rows, in order (lib/search/matrix.ts's). */
export { MATRIX_COLUMNS };

const csvLine = (r: MatrixRow) =>
  MATRIX_COLUMNS.map((k) => r[k] ?? "").join(",");

async function mlpConditions(slow: boolean) {
  const { mlpMatrixConditions } = await import(
    "../lib/nets/mlp_benchmarks.ts"
  );
  return [
    ...mlpMatrixConditions(),
    ...slow ? mlpMatrixConditions({ full: true }) : [],
  ];
}

/** Runs the matrix part the environment picks and prints its tables. */
export async function run(): Promise<void> {
  const from = Deno.env.get("MATRIX_FROM");
  if (from) {
    const rows = parseMatrixCsv(await Deno.readTextFile(from));
    console.log(`matrix: ${rows.length} rows from ${from}`);
    printTables(rows);
    return;
  }
  const nb201 = await findNasBench201();
  const only = Deno.env.get("MATRIX_CONDITIONS");
  const conditions = await matrixConditions({
    only: only ? list("MATRIX_CONDITIONS", "") : undefined,
    nasBench201Path: nb201,
    // The real-training conditions load tfjs, so they come from the nets entry.
    extra: await mlpConditions(Deno.env.get("MATRIX_SLOW") === "1"),
  });
  const methods = list(
    "MATRIX_METHODS",
    searchMethods().filter((m) => !VARIANTS.has(m)).join(","),
  ) as SearchMethod[];
  const budgets = list("MATRIX_BUDGETS", "20,50,100,200").map(Number);
  // A count (seeds 0 … n − 1) or a comma-separated list, e.g. "5,6,7".
  const seedText = Deno.env.get("MATRIX_SEEDS") ?? "10";
  const seeds = seedText.includes(",")
    ? list("MATRIX_SEEDS", "").map(Number)
    : Number(seedText);
  const lastSeed = typeof seeds === "number" ? seeds - 1 : seeds.at(-1);
  const out = Deno.env.get("MATRIX_OUT");
  if (out) await Deno.writeTextFile(out, MATRIX_COLUMNS.join(",") + "\n");
  console.log(
    `matrix: ${conditions.length} conditions (${
      conditions.map((c) => c.name).join(", ")
    }); methods ${methods.join(", ")}; budgets ${budgets}; seeds ${
      typeof seeds === "number" ? `0–${seeds - 1}` : seeds.join(", ")
    }${nb201 ? "" : "; NAS-Bench-201 absent"}`,
  );
  const t0 = performance.now();
  const result = await benchmarkMatrix({
    conditions,
    methods,
    budgets,
    seeds,
    onCell: (rows, r) => {
      if (out) {
        Deno.writeTextFileSync(out, rows.map(csvLine).join("\n") + "\n", {
          append: true,
        });
      }
      if (r.seed === lastSeed) {
        console.log(`  ${r.condition} ${r.method} (${r.seconds.toFixed(1)} s)`);
      }
    },
  });
  console.log(
    `ours: ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  const rows = [...result.rows];
  if (Deno.env.get("MATRIX_OPTUNA") !== "0" && await haveOptuna()) {
    const t1 = performance.now();
    const columns: Record<string, string> = {};
    if (nb201) {
      for (const dataset of ["cifar10", "cifar100", "imagenet"] as const) {
        columns[`nb201-${dataset}`] =
          (await nasBench201(nb201, { dataset })).objective;
      }
      columns["nb201-cifar10-noisy"] = columns["nb201-cifar10"];
    }
    const peer = await runPythonJson<Omit<MatrixRow, "group">[]>(
      "optuna_matrix.py",
      {
        conditions: conditions.map((c) => c.name),
        samplers: ["random", "tpe", "tpe-multivariate"],
        budgets,
        seeds,
        nb201,
        columns,
      },
      "Optuna",
    );
    const group = new Map(conditions.map((c) => [c.name, c.group]));
    const peerRows = peer.map((r) => ({
      ...r,
      group: group.get(r.condition)!,
    }));
    rows.push(...peerRows);
    if (out) {
      await Deno.writeTextFile(
        out,
        peerRows.map(csvLine).join("\n") + (peerRows.length ? "\n" : ""),
        { append: true },
      );
    }
    // The conditions optuna_matrix.py cannot re-implement (the real-training
    // MLP ones) run in Deno, Optuna asking and telling over the bridge;
    // multi-fidelity ones stay without peers, as before.
    const done = new Set(peerRows.map((r) => r.condition));
    for (
      const c of conditions.filter((c) => !done.has(c.name) && !c.fidelity)
    ) {
      const t2 = performance.now();
      rows.push(
        ...await optunaBridgeRows(c, budgets, seeds, (run) => {
          if (out) {
            Deno.writeTextFileSync(out, run.map(csvLine).join("\n") + "\n", {
              append: true,
            });
          }
        }),
      );
      console.log(
        `  ${c.name} Optuna peers via the ask/tell bridge (${
          ((performance.now() - t2) / 1000).toFixed(0)
        } s)`,
      );
    }
    console.log(
      `Optuna peers: ${((performance.now() - t1) / 1000).toFixed(0)} s`,
    );
  } else if (Deno.env.get("MATRIX_OPTUNA") !== "0") {
    console.log("(no optuna for /usr/bin/python3: peers skipped)");
  }
  printTables(rows);
  for (
    const s of result.skipped.filter((s, i, a) =>
      a.findIndex((t) => t.method === s.method && t.why === s.why) === i
    )
  ) console.log(`  skipped ${s.method}: ${s.why}`);
}

/** Prints mean ± SE regret per cell and the mean normalised ranks. */
export function printTables(rows: readonly MatrixRow[]): void {
  const cells = summarise(rows);
  const ranks = averageRanks(cells);
  const conditions = [...new Set(cells.map((c) => c.condition))];
  const methods = [...new Set(cells.map((c) => c.method))];
  const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) =>
    a - b
  );
  for (const condition of conditions) {
    console.log(
      `\n${condition}: regret (best value where the optimum is unknown), mean ± SE (rank 0 = best, averaged over budgets)`,
    );
    console.log(
      `  ${"method".padEnd(26)}${
        budgets.map((b) => `at ${b}`.padEnd(20)).join("")
      }rank`,
    );
    for (const method of methods) {
      const mine = cells.filter((c) =>
        c.condition === condition && c.method === method
      );
      if (mine.length === 0) continue;
      const rank = ranks.find((r) =>
        r.condition === condition && r.method === method
      )!.rank;
      console.log(
        `  ${method.padEnd(26)}${
          budgets.map((b) => {
            const c = mine.find((x) => x.budget === b);
            return (c ? `${fmt(c.mean)} ± ${fmt(c.se)}` : "—").padEnd(20);
          }).join("")
        }${rank.toFixed(2)}`,
      );
    }
  }
  console.log("\nmean normalised rank over conditions (0 = best)");
  const overall = methods.map((m) => {
    const rs = ranks.filter((r) => r.method === m).map((r) => r.rank);
    return { m, rank: rs.reduce((a, b) => a + b, 0) / rs.length, n: rs.length };
  }).sort((a, b) => a.rank - b.rank);
  for (const o of overall) {
    console.log(
      `  ${o.m.padEnd(26)}${o.rank.toFixed(3)}  (${o.n} conditions)`,
    );
  }
}

const fmt = (x: number) =>
  Math.abs(x) >= 100 || (Math.abs(x) < 0.01 && x !== 0)
    ? x.toExponential(1)
    : x.toFixed(2);

if (import.meta.main) await run();
