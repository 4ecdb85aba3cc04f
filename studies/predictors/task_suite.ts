/**
 * The "dataset of datasets" of the MI-conditioned predictor experiments: 25
 * small classification tasks built locally and deterministically — subsets
 * and corrupted variants of the shipped 8×8 digits and generated tasks
 * (Gaussian mixtures, spirals, checkerboards, parity, rings, XOR, the 12-bit
 * task) — each with stratified train/validation/test splits (60/20/20), and
 * a fixed split of the tasks into training tasks and held-out test tasks
 * (every fourth task in the list is held out: 19 and 6).
 *
 * @module
 */

import { loadDigits } from "../../lib/data/digits.ts";
import { twelveBit } from "../../lib/data/twelve_bit.ts";
import { Random } from "../../lib/space/random.ts";

/** One task: samples, labels and its splits (row indices). */
export interface SuiteTask {
  name: string;
  family:
    | "digits"
    | "mixture"
    | "spiral"
    | "checkerboard"
    | "parity"
    | "rings"
    | "xor"
    | "twelve-bit"
    | "images";
  x: number[][];
  y: number[];
  classes: number;
  split: { train: number[]; validation: number[]; test: number[] };
  /** Whether the task is held out from the predictors' training. */
  heldOut: boolean;
  /** [height, width, channels] of an image task's rows; the suite's are 8×8×1. */
  imageShape?: [number, number, number];
}

type Raw = Pick<SuiteTask, "name" | "family" | "x" | "y">;

/** Stratified 60/20/20 row indices, seeded by the task's name. */
function splitRows(name: string, y: readonly number[]): SuiteTask["split"] {
  const r = new Random(0, `suite-split ${name}`);
  const byClass = new Map<number, number[]>();
  y.forEach((c, i) => {
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(i);
  });
  const split = {
    train: [] as number[],
    validation: [] as number[],
    test: [] as number[],
  };
  for (const rows of byClass.values()) {
    const order = r.permutation(rows.length).map((k) => rows[k]);
    const nTest = Math.round(order.length * 0.2);
    const nVal = Math.round(order.length * 0.2);
    split.test.push(...order.slice(0, nTest));
    split.validation.push(...order.slice(nTest, nTest + nVal));
    split.train.push(...order.slice(nTest + nVal));
  }
  for (const part of Object.values(split)) part.sort((a, b) => a - b);
  return split;
}

/** Relabels to 0 … k − 1 in order of first appearance of the sorted labels. */
function compact(y: number[]): { y: number[]; classes: number } {
  const labels = [...new Set(y)].sort((a, b) => a - b);
  const index = new Map(labels.map((l, i) => [l, i]));
  return { y: y.map((v) => index.get(v)!), classes: labels.length };
}

function digitTasks(x: number[][], y: number[]): Raw[] {
  const subset = (name: string, keep: (label: number) => boolean): Raw => {
    const rows = y.map((_, i) => i).filter((i) => keep(y[i]));
    return {
      name,
      family: "digits",
      x: rows.map((i) => x[i]),
      y: rows.map((i) => y[i]),
    };
  };
  const noisy = (name: string, sd: number): Raw => {
    const r = new Random(0, `suite ${name}`);
    return {
      name,
      family: "digits",
      x: x.map((row) => row.map((v) => v + sd * r.normal())),
      y: [...y],
    };
  };
  const occluded = (name: string, side: number): Raw => {
    const r = new Random(0, `suite ${name}`);
    return {
      name,
      family: "digits",
      x: x.map((row) => {
        const out = [...row];
        const top = r.integer(0, 9 - side), left = r.integer(0, 9 - side);
        for (let i = top; i < top + side; i++) {
          for (let j = left; j < left + side; j++) out[i * 8 + j] = 0;
        }
        return out;
      }),
      y: [...y],
    };
  };
  const downsampled: Raw = {
    name: "digits 4×4",
    family: "digits",
    x: x.map((row) =>
      Array.from({ length: 16 }, (_, k) => {
        const [i, j] = [Math.floor(k / 4) * 2, (k % 4) * 2];
        return (row[i * 8 + j] + row[i * 8 + j + 1] + row[(i + 1) * 8 + j] +
          row[(i + 1) * 8 + j + 1]) / 4;
      })
    ),
    y: [...y],
  };
  const labelNoise: Raw = (() => {
    const r = new Random(0, "suite digits label noise");
    return {
      name: "digits, 20 % labels shuffled",
      family: "digits" as const,
      x,
      y: y.map((l) => (r.uniform() < 0.2 ? r.integer(0, 10) : l)),
    };
  })();
  return [
    subset("digits", () => true),
    subset("digits 0-4", (l) => l <= 4),
    subset("digits 5-9", (l) => l >= 5),
    subset("digits 3 vs 8", (l) => l === 3 || l === 8),
    subset("digits 1 vs 7", (l) => l === 1 || l === 7),
    { name: "digits even vs odd", family: "digits", x, y: y.map((l) => l % 2) },
    noisy("digits + noise 0.2", 0.2),
    noisy("digits + noise 0.5", 0.5),
    occluded("digits occluded 4×4", 4),
    downsampled,
    labelNoise,
  ];
}

function mixture(
  name: string,
  classes: number,
  dim: number,
  separation: number,
  n: number,
): Raw {
  const r = new Random(0, `suite ${name}`);
  const centres = Array.from(
    { length: classes },
    () => Array.from({ length: dim }, () => separation * r.normal()),
  );
  const x: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    x.push(centres[c].map((m) => m + r.normal()));
    y.push(c);
  }
  return { name, family: "mixture", x, y };
}

function spiral(name: string, arms: number, noise: number, n: number): Raw {
  const r = new Random(0, `suite ${name}`);
  const x: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const arm = i % arms;
    const t = r.uniform(0.25, 1);
    const angle = 3 * Math.PI * t + (2 * Math.PI * arm) / arms;
    x.push([
      t * Math.cos(angle) + noise * r.normal(),
      t * Math.sin(angle) + noise * r.normal(),
    ]);
    y.push(arm);
  }
  return { name, family: "spiral", x, y };
}

function checkerboard(name: string, cells: number, n: number): Raw {
  const r = new Random(0, `suite ${name}`);
  const x: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = [r.uniform(0, 1), r.uniform(0, 1)];
    x.push([a, b]);
    y.push((Math.floor(a * cells) + Math.floor(b * cells)) % 2);
  }
  return { name, family: "checkerboard", x, y };
}

function parity(name: string, bits: number, extra: number, n: number): Raw {
  const r = new Random(0, `suite ${name}`);
  const x: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = Array.from({ length: bits + extra }, () => r.integer(0, 2));
    x.push(b.map((v) => v + 0.1 * r.normal()));
    y.push(b.slice(0, bits).reduce((s, v) => s + v, 0) % 2);
  }
  return { name, family: "parity", x, y };
}

function rings(name: string, count: number, dim: number, n: number): Raw {
  const r = new Random(0, `suite ${name}`);
  const x: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % count;
    const v = Array.from({ length: dim }, () => r.normal());
    const norm = Math.hypot(...v);
    const radius = 1 + c + 0.15 * r.normal();
    x.push(v.map((e) => (e / norm) * radius));
    y.push(c);
  }
  return { name, family: "rings", x, y };
}

function xor(name: string, noiseDims: number, n: number): Raw {
  const r = new Random(0, `suite ${name}`);
  const x: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = [r.normal(), r.normal()];
    x.push([a, b, ...Array.from({ length: noiseDims }, () => r.normal())]);
    y.push(a * b > 0 ? 1 : 0);
  }
  return { name, family: "xor", x, y };
}

let cache: Promise<SuiteTask[]> | null = null;

/**
 * The 25 tasks, in a fixed order (built once per process; about a second).
 *
 * @example
 * ```ts
 * import { taskSuite } from "./task_suite.ts";
 * const tasks = await taskSuite();
 * if (tasks.length < 24) throw new Error();
 * const held = tasks.filter((t) => t.heldOut).length;
 * if (held !== 6) throw new Error(`${held} held-out tasks`);
 * ```
 */
export function taskSuite(): Promise<SuiteTask[]> {
  cache ??= (async () => {
    const digits = await loadDigits({ scale: true });
    const bits = twelveBit();
    const raw: Raw[] = [
      ...digitTasks(digits.x, digits.y),
      mixture("mixture 2 classes, 2-D, far", 2, 2, 2.5, 800),
      mixture("mixture 3 classes, 5-D", 3, 5, 1.2, 900),
      mixture("mixture 4 classes, 10-D", 4, 10, 0.8, 1000),
      mixture("mixture 2 classes, 20-D, close", 2, 20, 0.35, 800),
      spiral("spiral 2 arms", 2, 0.03, 800),
      spiral("spiral 3 arms, noisy", 3, 0.08, 900),
      checkerboard("checkerboard 2×2", 2, 800),
      checkerboard("checkerboard 4×4", 4, 1200),
      parity("parity 4 bits", 4, 0, 800),
      parity("parity 3 bits + 5 distractors", 3, 5, 1000),
      rings("rings 2, 2-D", 2, 2, 800),
      rings("rings 3, 5-D", 3, 5, 900),
      xor("xor + 8 noise dims", 8, 800),
      { name: "12-bit task", family: "twelve-bit", x: bits.x, y: bits.y },
    ];
    return raw.map((t, i) => {
      const { y, classes } = compact(t.y);
      return {
        ...t,
        y,
        classes,
        split: splitRows(t.name, y),
        heldOut: i % 4 === 3,
      };
    });
  })();
  return cache;
}

/** A task's rows for one split: `{ x, y }`. */
export function splitOf(
  task: SuiteTask,
  part: "train" | "validation" | "test",
): { x: number[][]; y: number[] } {
  const rows = task.split[part];
  return { x: rows.map((i) => task.x[i]), y: rows.map((i) => task.y[i]) };
}

/**
 * Simple meta-features of a task — log n, log d, classes, H(Y) in nats —
 * the baseline features of the re-test.
 *
 * @example
 * ```ts
 * import { metaFeatures, taskSuite } from "./task_suite.ts";
 * const [digits] = await taskSuite();
 * const [, logD, classes] = metaFeatures(digits);
 * if (Math.abs(logD - Math.log(64)) > 1e-12 || classes !== 10) throw new Error();
 * ```
 */
export function metaFeatures(task: SuiteTask): number[] {
  const counts = new Map<number, number>();
  for (const c of task.y) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    h -= (c / task.y.length) * Math.log(c / task.y.length);
  }
  return [Math.log(task.x.length), Math.log(task.x[0].length), task.classes, h];
}
