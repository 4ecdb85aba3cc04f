/**
 * The matrix kernel: its committed text and binary are what the generator
 * and wat2wasm make, and every block shape and option of `gemm` and `gemv`
 * equals a plain triple loop.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { Arena } from "../lib/_kernels/gemm.ts";
import { assemble, gemmWat, wasmModuleSource } from "../tools/gemm_wat.ts";
import { Random } from "../lib/space/random.ts";

const dir = new URL("../lib/_kernels/", import.meta.url).pathname;

// Spawned synchronously: a failed spawn of the async form escapes as an
// uncaught rejection in Deno 2, failing the file instead of skipping.
const hasWat2wasm = (() => {
  try {
    return new Deno.Command("wat2wasm", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
})();
if (!hasWat2wasm) {
  console.warn(
    "kernel rebuild test skipped: wat2wasm not found (Debian package wabt: apt-get install wabt)",
  );
}

Deno.test("gemm.wat is what tools/gemm_wat.ts generates", async () => {
  assertEquals(
    await Deno.readTextFile(`${dir}gemm.wat`),
    gemmWat(),
    "gemm.wat is stale: run `deno task kernels`",
  );
});

Deno.test({
  name: hasWat2wasm
    ? "gemm_wasm.ts is wat2wasm's binary of gemm.wat"
    : "gemm_wasm.ts is wat2wasm's binary of gemm.wat (skipped: needs wabt)",
  ignore: !hasWat2wasm,
  fn: async () => {
    const bytes = await assemble(`${dir}gemm.wat`);
    assert(bytes !== null, "wat2wasm ran");
    assertEquals(
      await Deno.readTextFile(`${dir}gemm_wasm.ts`),
      wasmModuleSource(bytes),
      "gemm_wasm.ts is stale: run `deno task kernels`",
    );
  },
});

function fill(arena: Arena, at: number, n: number, r: Random): Float32Array {
  const v = Float32Array.from({ length: n }, () => r.normal());
  arena.f32(at, n).set(v);
  return v;
}

Deno.test("gemm equals a triple loop for every block shape, stride and option", () => {
  const r = new Random(1, "gemm");
  const arena = new Arena();
  let cases = 0;
  // Rows around the 3-row blocks, columns around the 12- and 4-column blocks.
  for (const rows of [1, 2, 3, 4, 7]) {
    for (const cols of [1, 3, 4, 5, 12, 13, 17, 28]) {
      for (const steps of [1, 2, 9]) {
        for (const transposed of [false, true]) {
          for (const mode of ["plain", "bias", "accumulate"] as const) {
            for (const post of ["none", "relu", "gate"] as const) {
              const a = arena.alloc(rows * steps);
              const b = arena.alloc(steps * cols);
              const c = arena.alloc(rows * cols);
              const bias = arena.alloc(cols);
              const gate = arena.alloc(rows * cols);
              const av = fill(arena, a, rows * steps, r);
              const bv = fill(arena, b, steps * cols, r);
              const cv = fill(arena, c, rows * cols, r);
              const biasv = fill(arena, bias, cols, r);
              const gatev = fill(arena, gate, rows * cols, r);
              // A stored row-major (rows × steps) or transposed (steps × rows).
              const [ars, ass] = transposed ? [1, rows] : [steps, 1];
              if (transposed) {
                const t = new Float32Array(rows * steps);
                for (let i = 0; i < rows; i++) {
                  for (let s = 0; s < steps; s++) {
                    t[s * rows + i] = av[i * steps + s];
                  }
                }
                arena.f32(a, rows * steps).set(t);
              }
              arena.gemm(a, ars, ass, b, c, rows, steps, cols, {
                bias: mode === "bias" ? bias : undefined,
                accumulate: mode === "accumulate",
                relu: post === "relu",
                gate: post === "gate" ? gate : undefined,
              });
              const got = arena.f32(c, rows * cols);
              for (let i = 0; i < rows; i++) {
                for (let j = 0; j < cols; j++) {
                  let want = mode === "bias"
                    ? biasv[j]
                    : mode === "accumulate"
                    ? cv[i * cols + j]
                    : 0;
                  for (let s = 0; s < steps; s++) {
                    want += av[i * steps + s] * bv[s * cols + j];
                  }
                  if (post === "relu") want = Math.max(0, want);
                  if (post === "gate" && !(gatev[i * cols + j] > 0)) want = 0;
                  const err = Math.abs(got[i * cols + j] - want);
                  assert(
                    err <= 1e-5 * (1 + Math.abs(want)),
                    `${rows}×${steps}·${steps}×${cols} ${mode}/${post}/${
                      transposed ? "Aᵀ" : "A"
                    } at (${i}, ${j}): ${got[i * cols + j]} against ${want}`,
                  );
                }
              }
              cases++;
            }
          }
        }
      }
    }
  }
  assertEquals(cases, 5 * 8 * 3 * 2 * 3 * 3);
});

Deno.test("gemv equals a loop, with and without a tail and bias", () => {
  const r = new Random(2, "gemv");
  const arena = new Arena();
  for (const rows of [1, 5]) {
    for (const steps of [1, 3, 4, 9, 100]) {
      const a = arena.alloc(rows * steps);
      const x = arena.alloc(steps);
      const y = arena.alloc(rows);
      const av = fill(arena, a, rows * steps, r);
      const xv = fill(arena, x, steps, r);
      arena.gemv(a, x, y, rows, steps, 0.25);
      const got = arena.f32(y, rows);
      for (let i = 0; i < rows; i++) {
        let want = 0.25;
        for (let s = 0; s < steps; s++) want += av[i * steps + s] * xv[s];
        assert(
          Math.abs(got[i] - want) <= 1e-5 * (1 + Math.abs(want)),
          `${rows}×${steps} row ${i}: ${got[i]} against ${want}`,
        );
      }
    }
  }
});

Deno.test("an arena grows its memory and keeps earlier buffers", () => {
  const arena = new Arena();
  const first = arena.alloc(10);
  arena.f32(first, 10).set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // Far beyond the first 64 KiB page.
  const big = arena.alloc(1_000_000);
  assertEquals(arena.f32(big, 1_000_000).length, 1_000_000);
  assertEquals([...arena.f32(first, 10)], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert(big >= first + 40, "buffers do not overlap");
});
