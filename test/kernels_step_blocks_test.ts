/**
 * The matrix kernel in blocks of steps (lib/_kernels/gemm_steps.ts): an
 * arena's product over more than STEP_BLOCK steps has the bits of one
 * unblocked kernel call, on one thread and split over helpers, for every
 * start and epilogue.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { Arena } from "../lib/_kernels/gemm.ts";
import { GEMM_WASM_BASE64 } from "../lib/_kernels/gemm_wasm.ts";
import { STEP_BLOCK } from "../lib/_kernels/gemm_steps.ts";
import { Random } from "../lib/space/random.ts";

/** The kernel itself, outside any arena: one call over every step. */
const raw = new WebAssembly.Instance(
  new WebAssembly.Module(
    Uint8Array.from(atob(GEMM_WASM_BASE64), (c) => c.charCodeAt(0)),
  ),
  {},
).exports as unknown as {
  memory: WebAssembly.Memory;
  gemm(...args: number[]): void;
  grow(pages: number): number;
};

type Mode = "plain" | "bias" | "accumulate";
type Post = "none" | "relu" | "gate";

interface Case {
  rows: number;
  steps: number;
  cols: number;
  transposed: boolean;
  mode: Mode;
  post: Post;
}

/** Operands with sums of many terms, so a change of order would show in the bits. */
function operands(c: Case, r: Random): Float32Array[] {
  return [
    c.rows * c.steps,
    c.steps * c.cols,
    c.rows * c.cols,
    c.cols,
    c.rows * c.cols,
  ].map((n) => Float32Array.from({ length: n }, () => r.normal()));
}

/** C from one unblocked kernel call. */
function unblocked(c: Case, values: Float32Array[]): Float32Array {
  const sizes = values.map((v) => Math.ceil((v.length * 4) / 64) * 64);
  const need = 64 + sizes.reduce((a, s) => a + s, 0);
  const have = raw.memory.buffer.byteLength;
  if (need > have) raw.grow(Math.ceil((need - have) / 65536));
  let top = 64;
  const [a, b, cc, bias, gate] = values.map((v, k) => {
    const at = top;
    new Float32Array(raw.memory.buffer, at, v.length).set(v);
    top += sizes[k];
    return at;
  });
  const [ars, ass] = c.transposed ? [1, c.rows] : [c.steps, 1];
  raw.gemm(
    a,
    ars,
    ass,
    b,
    cc,
    c.rows,
    c.steps,
    c.cols,
    c.mode === "accumulate" ? 1 : 0,
    c.mode === "bias" ? bias : 0,
    c.post === "relu" ? 1 : 0,
    c.post === "gate" ? gate : 0,
  );
  return new Float32Array(raw.memory.buffer, cc, c.rows * c.cols).slice();
}

/** C from an arena (which works in blocks of steps). */
function blocked(arena: Arena, c: Case, values: Float32Array[]): Float32Array {
  const [a, b, cc, bias, gate] = values.map((v) => {
    const at = arena.alloc(v.length);
    arena.f32(at, v.length).set(v);
    return at;
  });
  const [ars, ass] = c.transposed ? [1, c.rows] : [c.steps, 1];
  arena.gemm(a, ars, ass, b, cc, c.rows, c.steps, c.cols, {
    bias: c.mode === "bias" ? bias : undefined,
    accumulate: c.mode === "accumulate",
    relu: c.post === "relu",
    gate: c.post === "gate" ? gate : undefined,
  });
  return arena.f32(cc, c.rows * c.cols).slice();
}

function* cases(): Generator<Case> {
  for (const steps of [STEP_BLOCK, STEP_BLOCK + 1, 2 * STEP_BLOCK + 37]) {
    for (const [rows, cols] of [[7, 13], [4, 28]]) {
      for (const transposed of [false, true]) {
        for (const mode of ["plain", "bias", "accumulate"] as const) {
          for (const post of ["none", "relu", "gate"] as const) {
            yield { rows, steps, cols, transposed, mode, post };
          }
        }
      }
    }
  }
}

const label = (c: Case) =>
  `${c.rows}×${c.steps}·${c.steps}×${c.cols} ${c.mode}/${c.post}/${
    c.transposed ? "Aᵀ" : "A"
  }`;

Deno.test("a product in blocks of steps has the bits of one kernel call", () => {
  const r = new Random(5, "step blocks");
  const arena = new Arena();
  let n = 0, relued = 0;
  for (const c of cases()) {
    const values = operands(c, r);
    const want = unblocked(c, values);
    assertEquals([...blocked(arena, c, values)], [...want], label(c));
    n++;
    if (c.post === "relu" && want.some((v) => v === 0)) relued++;
  }
  assertEquals(n, 3 * 2 * 2 * 3 * 3);
  assert(relued > 0, "ReLU clamped some entries (it ran after the last block)");
});

Deno.test("split over helpers, a product in blocks of steps keeps one call's bits", async () => {
  using threaded = new Arena({ threads: 2, minWork: 0 });
  await threaded.ready();
  const r = new Random(6, "threaded step blocks");
  for (const c of cases()) {
    const values = operands(c, r);
    assertEquals(
      [...blocked(threaded, c, values)],
      [...unblocked(c, values)],
      label(c),
    );
  }
});
