/**
 * The best signal of a sweep, chosen on the training tasks only, on
 * synthetic tables where one signal is planted to track the final accuracy.
 */
import { assert, assertEquals, assertThrows } from "./support/assert.ts";
import { Random } from "../lib/space/random.ts";
import {
  bestSignal,
  signalFeature,
  signalTaskMeans,
} from "../studies/predictors/best_signal.ts";
import { controllerTasks } from "../studies/predictors/prior_controller.ts";
import { standardiseColumns } from "../studies/predictors/posterior_prediction.ts";

const TASKS = 8;
const heldOut = (task: number) => task % 4 === 3;

/**
 * 8 tasks × 12 architectures. `acc_9` is the final accuracy; `acc_3` tracks
 * it with small noise on every task (planted); `mi_ksg_2` with more noise;
 * `acc_1` and `mi_ksg_1` are noise; `rmi` (lower is better) tracks it only on the held-out tasks;
 * `params` tracks it exactly (size); `mi_binning_1` tracks it exactly on two
 * training tasks and is constant on the others.
 */
function table(seed = 0): Record<string, unknown>[] {
  const r = new Random(seed, "best-signal table");
  const rows: Record<string, unknown>[] = [];
  for (let task = 0; task < TASKS; task++) {
    for (let slot = 0; slot < 12; slot++) {
      const acc = r.uniform(0.5, 0.9);
      rows.push({
        task,
        bracket: 0,
        slot,
        acc_1: r.uniform(0, 1),
        acc_3: acc + 0.05 * r.normal(),
        acc_9: acc,
        mi_ksg_1: r.normal(),
        mi_ksg_2: acc + 0.1 * r.normal(),
        mi_binning_1: task < 2 ? acc : 1,
        rmi: heldOut(task) ? 1 - acc : r.uniform(0, 1),
        params: acc * 1e4,
        status: "ok",
      });
    }
  }
  return rows;
}

Deno.test("bestSignal chooses the signal planted to track the final accuracy", () => {
  const best = bestSignal(table(), (t) => !heldOut(t));
  assertEquals(best.signal.column, "acc_3");
  assertEquals(best.signal.name, "accuracy, 3 epochs");
  assertEquals(best.tasks, 6);
  assertEquals(best.scores.groups, 6);
  assert(best.scores.kendall > 0.5, String(best.scores.kendall));
  assert(best.runnerUp !== undefined && best.runnerUp.signal !== "RMI");
});

Deno.test("bestSignal never looks at the held-out tasks", () => {
  const rows = table();
  // RMI is perfect on the held-out tasks: a choice that saw them would
  // pick it, but the choice on the training tasks must not.
  const exclude = ["size", "early accuracy"] as const;
  assertEquals(bestSignal(rows, heldOut, { exclude }).signal.column, "rmi");
  const training = bestSignal(rows, (t) => !heldOut(t), { exclude });
  assertEquals(training.signal.column, "mi_ksg_2");
  // Scrambling every held-out row's signals changes nothing.
  const r = new Random(1);
  const scrambled = rows.map((row) =>
    heldOut(row.task as number)
      ? { ...row, acc_3: r.uniform(), rmi: r.uniform(), mi_ksg_1: r.uniform() }
      : row
  );
  const again = bestSignal(scrambled, (t) => !heldOut(t));
  const before = bestSignal(rows, (t) => !heldOut(t));
  assertEquals(again.signal, before.signal);
  assertEquals(again.scores, before.scores);
});

Deno.test("bestSignal skips size by default and signals defined on few training tasks", () => {
  const rows = table();
  const isTraining = (t: number) => !heldOut(t);
  assertEquals(
    bestSignal(rows, isTraining, { exclude: [] }).signal.column,
    "params",
  );
  // mi_binning_1 has τ = 1 on the 2 training tasks where it varies.
  const noAccuracy = { exclude: ["size", "early accuracy"] } as const;
  assert(
    bestSignal(rows, isTraining, noAccuracy).signal.column !== "mi_binning_1",
  );
  assertEquals(
    bestSignal(rows, isTraining, { ...noAccuracy, minShare: 0 }).signal.column,
    "mi_binning_1",
  );
  assertThrows(() => bestSignal(rows, () => false), RangeError);
});

Deno.test("signalFeature and signalTaskMeans read the signal per architecture and per task, signed", () => {
  const rows = table();
  const rmi = {
    column: "rmi",
    name: "RMI",
    sign: -1 as const,
    kind: "RMI" as const,
  };
  const feature = signalFeature(rows, rmi);
  const row = {
    task: 5,
    bracket: 0,
    slot: 7,
    widths: [10],
    accuracy: {},
    mi: {},
  };
  const source = rows.find((r) => r.task === 5 && r.slot === 7)!;
  assertEquals(feature.of(row), [-(source.rmi as number)]);
  assertThrows(() => feature.of({ ...row, slot: 99 }), RangeError);

  // As controller features: the task means, standardised over tasks.
  const means = signalTaskMeans(rows, rmi);
  const sweep = rows.map((r) => ({
    task: r.task as number,
    bracket: 0,
    slot: r.slot as number,
    widths: [10],
    accuracy: { 1: 0, 3: 0, 9: r.acc_9 as number },
    mi: {},
  }));
  const tasks = controllerTasks(sweep, heldOut, means);
  const raw = Array.from({ length: TASKS }, (_, t) => {
    const mine = rows.filter((r) => r.task === t).map((r) =>
      -(r.rmi as number)
    );
    return [mine.reduce((a, b) => a + b, 0) / mine.length];
  });
  assertEquals(tasks.map((t) => t.features), standardiseColumns(raw));
  assertEquals(tasks.filter((t) => t.heldOut).length, 2);
});
