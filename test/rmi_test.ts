// RMI (RMI-NAS's proxy): its CKA term equals lib/mi's cka (checked against
// numpy in cka_test.ts) on the same features, a candidate that is the
// teacher scores 0 misalignment, the proxy training lowers the loss, and
// bad stages are refused.
import { assert, assertAlmostEquals, assertRejects } from "./support/assert.ts";
import { setBackend, tf } from "../lib/nets/backend.ts";
import { cka } from "../lib/mi/cka.ts";
import {
  easiestBatch,
  RmiError,
  rmiScore,
  teacherFeatures,
} from "../lib/mi/rmi.ts";
import { Random } from "../lib/space/random.ts";

await setBackend("cpu");

function net(prefix: string, seed: number, width = 8): tf.Sequential {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [6, 6, 1],
        filters: 3,
        kernelSize: 3,
        activation: "relu",
        name: `${prefix}-s1`,
      }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: width,
        activation: "relu",
        name: `${prefix}-s2`,
      }),
      tf.layers.dense({ units: 3, activation: "softmax" }),
    ],
  });
  const r = new Random(seed, "rmi-test");
  m.setWeights(
    m.getWeights().map((w) =>
      tf.tensor(Array.from(r.normals(w.size, 0, 0.3)), w.shape)
    ),
  );
  return m;
}

const r = new Random(5);
const x = tf.tensor(Array.from(r.normals(32 * 36)), [32, 6, 6, 1]);
const y = Array.from({ length: 32 }, (_, i) => i % 3);

Deno.test("rmi's CKA term equals cka() on the same stage features", async () => {
  const teacher = { model: net("t", 1), stages: ["t-s1", "t-s2"] };
  const candidate = { model: net("c", 2, 5), stages: ["c-s1", "c-s2"] };
  const tf1 = teacherFeatures(teacher, x);
  const cf = teacherFeatures(candidate, x);
  const flat = (
    t: tf.Tensor,
  ) => (t.reshape([32, -1]).arraySync() as number[][]);
  const expected = tf1.reduce(
    (s, f, i) => s + 1 - cka(flat(cf[i]), flat(f)),
    0,
  );
  const res = await rmiScore(candidate, tf1, { x, y }, { steps: 1, beta: 1 });
  assertAlmostEquals(res.trace[0], expected, 1e-4);
  assert(expected > 0.05, `an informative case: ${expected}`);
});

Deno.test("a candidate that is the teacher has CKA 1 at every stage", async () => {
  const teacher = net("t", 3);
  const twin = net("c", 4);
  twin.setWeights(teacher.getWeights());
  const res = await rmiScore(
    { model: twin, stages: ["c-s1", "c-s2"] },
    { model: teacher, stages: ["t-s1", "t-s2"] },
    { x, y },
    { steps: 1 },
  );
  res.cka.forEach((c) => assertAlmostEquals(c, 1, 1e-5));
});

Deno.test("the proxy training lowers the loss, deterministically, with the published defaults", async () => {
  const teacher = { model: net("t", 5), stages: ["t-s1", "t-s2"] };
  const runs = [];
  for (let i = 0; i < 2; i++) {
    runs.push(
      await rmiScore(
        { model: net("c", 6), stages: ["c-s1", "c-s2"] },
        teacher,
        {
          x,
          y,
        },
      ),
    );
  }
  const [a, b] = runs;
  assert(a.trace.length === 150);
  assert(a.score < 0.8 * a.trace[0], `${a.trace[0]} → ${a.score}`);
  assertAlmostEquals(a.score, b.score, 1e-6);
});

Deno.test("rmi refuses mismatched stages, unknown layers and bad options", async () => {
  const teacher = { model: net("t", 7), stages: ["t-s1", "t-s2"] };
  await assertRejects(
    () => rmiScore({ model: net("c", 8), stages: ["c-s1"] }, teacher, { x, y }),
    RmiError,
  );
  await assertRejects(
    () =>
      rmiScore({ model: net("c", 8), stages: ["c-s1", "nope"] }, teacher, {
        x,
        y,
      }),
    /no layer named "nope"/,
  );
  await assertRejects(
    () =>
      rmiScore({ model: net("c", 8), stages: ["c-s1", "c-s2"] }, teacher, {
        x,
        y,
      }, {
        steps: 0,
      }),
    RmiError,
  );
});

Deno.test("easiestBatch keeps the teacher's lowest-loss samples", () => {
  const teacher = net("t", 9);
  const b = easiestBatch(teacher, { x, y }, 8);
  const p = teacher.predict(x) as tf.Tensor;
  const probs = p.arraySync() as number[][];
  const loss = y.map((c, i) => -Math.log(probs[i][c]));
  const kept = [...loss].sort((u, v) => u - v)[7];
  const batchProbs = (teacher.predict(b.x) as tf.Tensor)
    .arraySync() as number[][];
  b.y.forEach((c, i) => assert(-Math.log(batchProbs[i][c]) <= kept + 1e-6));
});

Deno.test("bore-rmi driven end to end by the RMI objective on a CNN width space", async () => {
  const { searcherFactory } = await import("../lib/search/registry.ts");
  const { SearchSpace, int } = await import("../lib/space/space.ts");
  const { rmiObjective } = await import("../lib/mi/rmi.ts");
  const teacher = net("t", 11, 12);
  const objective = rmiObjective<{ width?: unknown }>({
    teacher: teacherFeatures({ model: teacher, stages: ["t-s1", "t-s2"] }, x),
    batch: { x, y },
    build: (config) => {
      const width = Number(config.width);
      const model = net(`c${width}`, width, width);
      return {
        model,
        stages: [`c${width}-s1`, `c${width}-s2`],
        dispose: () => model.dispose(),
      };
    },
    rmi: { steps: 15 },
  });
  const searcher = searcherFactory("bore-rmi")({
    space: new SearchSpace({ width: int(2, 16) }),
    seed: 0,
    budget: 8,
  });
  const scores: number[] = [];
  for (let i = 0; i < 8; i++) {
    const { trial, config } = searcher.ask();
    const score = await objective(config);
    scores.push(score);
    searcher.tell(trial, score);
  }
  assert(scores.every(Number.isFinite), scores.join());
  // Half the budget is random warm-up; the rest are the forest's proposals.
  assert(new Set(scores).size > 1);
});
