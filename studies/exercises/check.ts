/**
 * The machinery behind every exercise checker: run the student's function on
 * cases whose answers the checker computes itself (the cases live here, not
 * in the notebook), and when an answer is wrong, say why without giving the
 * solution — by recognising typical mistakes (each a small function that
 * makes the mistake on purpose) and, failing that, by describing how the
 * answer is off (a factor, a sign, an offset, the wrong shape, overflow).
 *
 * A student notebook starts with `todo()` where code is missing; a checker
 * seeing it answers "not yet" instead of failing, so the student version runs
 * from top to bottom.
 *
 * @module
 */

import { inJupyter } from "../../lib/viz/_jupyter.ts";

const TODO = Symbol.for("infolens.exercise.todo");

/**
 * A placeholder for code the student has yet to write: returns a marker
 * that every checker reports as "not yet".
 *
 * @example
 * ```ts
 * import { isTodo, todo } from "./check.ts";
 * const f = (): number => todo();
 * if (!isTodo(f())) throw new Error("the marker survives a typed return");
 * ```
 */
export function todo<T = never>(): T {
  return TODO as unknown as T;
}

/** Whether a value is (or holds) the {@linkcode todo} marker. */
export function isTodo(value: unknown): boolean {
  if (value === TODO) return true;
  if (Array.isArray(value)) return value.some(isTodo);
  if (value && typeof value === "object") {
    return Object.values(value).some(isTodo);
  }
  return false;
}

/** What a checker concludes. */
export interface Verdict {
  exercise: string;
  status: "correct" | "not yet" | "wrong";
  /** A short explanation: which case failed and a hint, never the answer. */
  message: string;
}

/** A mistake students make, as a function that makes it, with its hint. */
export interface Mistake<A extends unknown[], R> {
  hint: string;
  answer: (...args: A) => R;
}

/** What a checker needs. */
export interface CheckSpec<A extends unknown[], R> {
  exercise: string;
  /** Hidden inputs, each with a name shown when it fails (e.g. "large scores"). */
  cases: { name: string; args: A }[];
  reference: (...args: A) => R;
  mistakes?: Mistake<A, R>[];
  /** Relative tolerance of numbers. Default 1e-6 (plus 1e-9 absolute). */
  tolerance?: number;
  /** How the student's answer should look, for shape errors, e.g. "one number". */
  expects: string;
}

function close(a: number, b: number, tol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b)) + 1e-9;
}

function numbers(v: unknown): number[] | null {
  if (typeof v === "number") return [v];
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as number[]);
  if (Array.isArray(v)) {
    const out: number[] = [];
    for (const e of v) {
      const inner = numbers(e);
      if (inner === null) return null;
      out.push(...inner);
    }
    return out;
  }
  if (v && typeof v === "object") {
    const out: number[] = [];
    for (const key of Object.keys(v).sort()) {
      const inner = numbers((v as Record<string, unknown>)[key]);
      if (inner === null) return null;
      out.push(...inner);
    }
    return out;
  }
  return null;
}

/** The shape of a value in words, for "expected … got …". */
export function describe(v: unknown): string {
  if (v === undefined) return "undefined (did you forget `return`?)";
  if (v === null) return "null";
  if (typeof v === "number") return Number.isFinite(v) ? "a number" : String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) {
    return `a typed array of ${(v as Uint8Array).length}`;
  }
  if (typeof v === "object") return `an object with keys ${Object.keys(v)}`;
  return `a ${typeof v}`;
}

function sameShape(a: unknown, b: unknown): boolean {
  if (typeof a === "number") return typeof b === "number";
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    const la = (a as ArrayLike<unknown>).length;
    if (!(Array.isArray(b) || ArrayBuffer.isView(b))) return false;
    const lb = (b as ArrayLike<unknown>).length;
    if (la !== lb) return false;
    for (let i = 0; i < la; i++) {
      if (
        !sameShape((a as ArrayLike<unknown>)[i], (b as ArrayLike<unknown>)[i])
      ) return false;
    }
    return true;
  }
  if (a && typeof a === "object") {
    if (!b || typeof b !== "object") return false;
    const ka = Object.keys(a).sort().join();
    return ka === Object.keys(b).sort().join() &&
      Object.keys(a).every((k) =>
        sameShape(
          (a as Record<string, unknown>)[k],
          (b as Record<string, unknown>)[k],
        )
      );
  }
  return typeof a === typeof b;
}

function equalValues(a: unknown, b: unknown, tol: number): boolean {
  if (typeof a === "string" || typeof a === "boolean") return a === b;
  const na = numbers(a), nb = numbers(b);
  if (na === null || nb === null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return na.length === nb.length && na.every((v, i) => close(v, nb[i], tol));
}

/** How a wrong number relates to the right one, in words (no values). */
function offBy(got: unknown, want: unknown, n: number | null): string {
  const g = numbers(got), w = numbers(want);
  if (!g || !w || g.length !== w.length) return "";
  if (g.some((v) => !Number.isFinite(v))) {
    return "Your answer holds NaN or ±Infinity: an exponential may have overflowed — subtract the maximum before exponentiating (log-sum-exp).";
  }
  const pairs = g.map((v, i) => [v, w[i]]).filter(([, b]) =>
    Math.abs(b) > 1e-12
  );
  if (pairs.length === 0) return "";
  const ratios = pairs.map(([a, b]) => a / b);
  const r = ratios[0];
  const constant = ratios.every((q) => Math.abs(q - r) < 1e-6 * Math.abs(r));
  if (constant) {
    if (Math.abs(r + 1) < 1e-6) return "The sign is flipped.";
    if (n !== null && Math.abs(r - n) < 1e-6 * n) {
      return "Off by a factor n (the sample size): check what you divide by.";
    }
    if (n !== null && Math.abs(r - 1 / n) < 1e-6) {
      return "Off by a factor 1/n (the sample size): check what you divide by.";
    }
    if (Math.abs(r - 1 / Math.LN2) < 1e-6) {
      return "Off by a factor 1/ln 2: that is bits; the answer is in nats (Math.log, not Math.log2).";
    }
    return `Off by a constant factor of about ${r.toPrecision(3)}.`;
  }
  const diffs = g.map((v, i) => v - w[i]);
  if (diffs.every((d) => Math.abs(d - diffs[0]) < 1e-6 * (1 + Math.abs(d)))) {
    return `Off by a constant of about ${diffs[0].toPrecision(3)}.`;
  }
  return "";
}

/**
 * Runs a checker: "correct" when the student's answers match the reference
 * on every hidden case, "not yet" while the code holds `todo()`, and
 * otherwise "wrong" with the first failing case and a hint.
 */
export function check<A extends unknown[], R>(
  student: ((...args: A) => R) | undefined,
  spec: CheckSpec<A, R>,
  sampleSize?: (...args: A) => number,
): Verdict {
  const verdict = (status: Verdict["status"], message: string): Verdict => ({
    exercise: spec.exercise,
    status,
    message,
  });
  if (typeof student !== "function") {
    return verdict(
      "not yet",
      `Define the function first (got ${describe(student)}).`,
    );
  }
  const tol = spec.tolerance ?? 1e-6;
  for (const c of spec.cases) {
    const want = spec.reference(...c.args);
    let got: R;
    try {
      got = student(...structuredClone(c.args));
    } catch (e) {
      return verdict(
        "wrong",
        `On the case "${c.name}" your function threw: ${
          (e as Error)?.message ?? e
        }`,
      );
    }
    if (isTodo(got)) {
      return verdict("not yet", "Replace `todo()` with your code.");
    }
    if (!sameShape(want, got)) {
      return verdict(
        "wrong",
        `On the case "${c.name}": expected ${spec.expects}, got ${
          describe(got)
        }.`,
      );
    }
    if (equalValues(got, want, tol)) continue;
    // A mistake that reproduces the student's answers on every case is the
    // best explanation; one that matches only the failing case comes next.
    const mistakes = spec.mistakes ?? [];
    const makes = (m: Mistake<A, R>, args: A, answer: R) => {
      try {
        const made = m.answer(...args);
        return sameShape(made, answer) && equalValues(answer, made, tol);
      } catch {
        return false;
      }
    };
    const everywhere = mistakes.find((m) =>
      spec.cases.every((other) => {
        let answer: R;
        try {
          answer = student(...structuredClone(other.args));
        } catch {
          return false;
        }
        return makes(m, other.args, answer);
      })
    );
    const here = everywhere ?? mistakes.find((m) => makes(m, c.args, got));
    if (here) return verdict("wrong", `On the case "${c.name}": ${here.hint}`);
    const how = offBy(got, want, sampleSize ? sampleSize(...c.args) : null);
    return verdict(
      "wrong",
      `On the case "${c.name}" the answer is not right.${how ? ` ${how}` : ""}`,
    );
  }
  return verdict(
    "correct",
    `All ${spec.cases.length} hidden cases pass.`,
  );
}

/**
 * Appends the verdict as a JSON line to the file named by
 * `INFOLENS_VERDICTS_FILE`, when set: how tests and graders collect a
 * notebook's results without relying on cell outputs (the Deno kernel can
 * drop an output that arrives after it reported idle).
 */
function recordVerdict(v: Verdict): void {
  let path: string | undefined;
  try {
    path = Deno.env.get("INFOLENS_VERDICTS_FILE");
  } catch {
    return; // no permission to read the environment
  }
  if (!path) return;
  Deno.writeTextFileSync(
    path,
    JSON.stringify({ exercise: v.exercise, status: v.status }) + "\n",
    { append: true },
  );
}

/**
 * Shows a verdict as one line — the cell's output in Jupyter (the verdict
 * renders itself), printed elsewhere — and returns it.
 *
 * @example
 * ```ts
 * import { report } from "./check.ts";
 * report({ exercise: "demo", status: "not yet", message: "Replace `todo()` with your code." });
 * ```
 */
export function report(v: Verdict): Verdict {
  const mark = v.status === "correct"
    ? "✅ correct"
    : v.status === "not yet"
    ? "⏳ not yet"
    : "❌ not right yet";
  const line = `${v.exercise}: ${mark} — ${v.message}`;
  if (!inJupyter()) console.log(line);
  recordVerdict(v);
  return Object.assign(v, {
    [Symbol.for("Jupyter.display")]: () => ({
      "text/plain": line,
      "text/markdown": `**${v.exercise}**: ${mark} — ${v.message}`,
    }),
  });
}
