/**
 * The matrix kernel: its committed text and binary are what the generator
 * and wat2wasm make, and every block shape and option of `gemm` and `gemv`
 * equals a plain triple loop.
 */
import { assert, assertEquals, assertThrows } from "./support/assert.ts";
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

Deno.test("gemm.wat and gemm_shared.wat are what tools/gemm_wat.ts generates", async () => {
  assertEquals(
    await Deno.readTextFile(`${dir}gemm.wat`),
    gemmWat(),
    "gemm.wat is stale: run `deno task kernels`",
  );
  assertEquals(
    await Deno.readTextFile(`${dir}gemm_shared.wat`),
    gemmWat({ shared: true }),
    "gemm_shared.wat is stale: run `deno task kernels`",
  );
});

Deno.test({
  name: hasWat2wasm
    ? "gemm_wasm.ts is wat2wasm's binary of gemm.wat"
    : "gemm_wasm.ts is wat2wasm's binary of gemm.wat (skipped: needs wabt)",
  ignore: !hasWat2wasm,
  fn: async () => {
    const bytes = await assemble(`${dir}gemm.wat`);
    const sharedBytes = await assemble(`${dir}gemm_shared.wat`);
    assert(bytes !== null && sharedBytes !== null, "wat2wasm ran");
    assertEquals(
      await Deno.readTextFile(`${dir}gemm_wasm.ts`),
      wasmModuleSource(bytes, sharedBytes),
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

Deno.test("a threaded arena gives one thread's bits for every band split, stride and option", async () => {
  for (const threads of [2, 3]) {
    // minWork 0: every product is split, however small.
    using threaded = new Arena({ threads, minWork: 0 });
    await threaded.ready();
    assertEquals(threaded.threads, threads);
    const single = new Arena();
    const r = new Random(3, "threaded gemm");
    let split = 0;
    for (const rows of [1, 2, 5, 7, 12, 31]) {
      for (const [steps, cols] of [[1, 1], [9, 13], [17, 28]]) {
        for (const transposed of [false, true]) {
          for (const mode of ["plain", "bias", "accumulate"] as const) {
            for (const post of ["none", "relu", "gate"] as const) {
              const sizes = [
                rows * steps,
                steps * cols,
                rows * cols,
                cols,
                rows * cols,
              ];
              const values = sizes.map((n) =>
                Float32Array.from({ length: n }, () => r.normal())
              );
              const run = (arena: Arena) => {
                const [a, b, c, bias, gate] = sizes.map((n, k) => {
                  const at = arena.alloc(n);
                  arena.f32(at, n).set(values[k]);
                  return at;
                });
                const [ars, ass] = transposed ? [1, rows] : [steps, 1];
                arena.gemm(a, ars, ass, b, c, rows, steps, cols, {
                  bias: mode === "bias" ? bias : undefined,
                  accumulate: mode === "accumulate",
                  relu: post === "relu",
                  gate: post === "gate" ? gate : undefined,
                });
                return arena.f32(c, rows * cols).slice();
              };
              const want = run(single), got = run(threaded);
              assertEquals(
                [...got],
                [...want],
                `${threads} threads, ${rows}×${steps}·${steps}×${cols} ${mode}/${post}/${
                  transposed ? "Aᵀ" : "A"
                }`,
              );
              if (rows > 3) split++;
            }
          }
        }
      }
    }
    assert(split > 0, "some products were split over threads");
  }
});

Deno.test("a threaded arena keeps its buffers across growth, and works on one thread once closed", async () => {
  const arena = new Arena({ threads: 2, minWork: 0 });
  await arena.ready();
  const rows = 40, steps = 8, cols = 16;
  const a = arena.alloc(rows * steps), b = arena.alloc(steps * cols);
  arena.f32(a, rows * steps).set(
    Float32Array.from({ length: rows * steps }, (_, i) => (i % 7) - 3),
  );
  arena.f32(b, steps * cols).set(
    Float32Array.from({ length: steps * cols }, (_, i) => (i % 5) - 2),
  );
  // Grow the shared memory past its first pages, then use both old and new buffers.
  const c = arena.alloc(2_000_000);
  arena.gemm(a, steps, 1, b, c, rows, steps, cols);
  const got = arena.f32(c, rows * cols).slice();
  const want = new Float32Array(rows * cols);
  const [av, bv] = [arena.f32(a, rows * steps), arena.f32(b, steps * cols)];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      for (let s = 0; s < steps; s++) {
        want[i * cols + j] += av[i * steps + s] * bv[s * cols + j];
      }
    }
  }
  assertEquals([...got], [...want]);
  arena.close();
  assertEquals(arena.threads, 1);
  arena.gemm(a, steps, 1, b, c, rows, steps, cols);
  assertEquals([...arena.f32(c, rows * cols)], [...want]);
});

Deno.test("a threaded arena throws, not hangs, when a band falls outside its memory", async () => {
  using arena = new Arena({ threads: 2, minWork: 0 });
  await arena.ready();
  const rows = 30, steps = 4, cols = 8;
  const a = arena.alloc(rows * steps), b = arena.alloc(steps * cols);
  // C's first band fits; the helper's band (rows 15–29) runs past the end.
  const end = arena.alloc(1);
  const bytes = arena.f32(0, 1).buffer.byteLength;
  const c = bytes - 15 * cols * 4 - 4;
  assert(c > end, "the test's C starts inside the arena");
  assertThrows(
    () => arena.gemm(a, steps, 1, b, c, rows, steps, cols),
    /helper thread failed/,
  );
  // The arena still works afterwards.
  const c2 = arena.alloc(rows * cols);
  arena.gemm(a, steps, 1, b, c2, rows, steps, cols);
});
