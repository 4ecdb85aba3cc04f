/**
 * Writes `gemm.wat`, the WebAssembly text of the matrix-product kernel that
 * the fast critic trainers use, and turns it into `gemm_wasm.ts` (the binary,
 * base64) with wabt's `wat2wasm`: `deno task kernels`. The kernel is
 * generated because its register-blocked inner loops differ only in how many
 * rows and columns they hold; `test/kernels_test.ts` checks both files are
 * up to date.
 *
 * One exported function, with element (not byte) strides:
 *
 *     gemm(a, ars, ass, b, c, R, S, M, init, bias, relu, gate)
 *     C[r, j] = post(start[r, j] + Σ_{s<S} A[r·ars + s·ass] · B[s·M + j])
 *
 * for r < R, j < M; C and B are row-major with M columns. `start` is
 * bias[j] when `bias` ≠ 0, else C[r, j] when `init` = 1, else 0; `post`
 * clamps at zero when `relu` = 1, and zeroes entries whose `gate[r, j]` is
 * not above zero when `gate` ≠ 0 (ReLU's derivative). The products use
 * `f32x4.relaxed_madd` (a fused multiply-add where the machine has one).
 * Aᵀ·B is the same call with the strides swapped.
 *
 * `gemm_shared.wat` is the same code on an imported shared memory: a
 * threaded `Arena` instantiates it once per thread on one memory and gives
 * each thread a band of C's rows.
 *
 * @module
 */

// Measured on 512×100 by 100×100 (2-core AMD EPYC, Deno 2.9.6): 3 × 12
// blocks 39 GFLOP/s, 4 × 8 36, 5 × 8 37, 2 × 16 36, 8 × 4 17; tfjs-wasm's
// matMul 28 in the same runs.
const ROWS = [3, 1];
/** Column blocks: 3 vectors (12 columns), 1 vector (4), or one column. */
const WIDTHS = [3, 1, 0];

function acc(r: number, v: number): string {
  return `$c${r}_${v}`;
}

/** The block of `rows` rows × `vecs` vectors (0: one scalar column). */
function block(rows: number, vecs: number): string {
  const scalar = vecs === 0;
  const ty = scalar ? "f32" : "v128";
  const lanes = scalar ? 1 : 4 * vecs;
  const nv = scalar ? 1 : vecs;
  const width = scalar ? 1 : lanes;
  const out: string[] = [];
  const cells: [number, number][] = [];
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < nv; v++) cells.push([r, v]);
  }
  const load = (addr: string, off: number) =>
    scalar
      ? `(f32.load offset=${off * 4} ${addr})`
      : `(v128.load offset=${off * 16} ${addr})`;
  const store = (addr: string, off: number, val: string) =>
    scalar
      ? `(f32.store offset=${off * 4} ${addr} ${val})`
      : `(v128.store offset=${off * 16} ${addr} ${val})`;
  const zero = scalar ? "(f32.const 0)" : "(v128.const i32x4 0 0 0 0)";
  // The loop over column blocks of this width, for rows r0 .. r0+rows-1.
  out.push(`;; ${rows} row(s) × ${scalar ? "1 column" : `${lanes} columns`}`);
  out.push(`(block $done_${rows}_${vecs}`);
  out.push(`(loop $cols_${rows}_${vecs}`);
  out.push(
    `  (br_if $done_${rows}_${vecs} (i32.gt_u (i32.add (local.get $j) (i32.const ${width})) (local.get $M)))`,
  );
  // Starting values.
  for (const [r, v] of cells) {
    const cAddr =
      `(i32.add (local.get $pc) (i32.shl (i32.add (i32.mul (local.get $rowc) (i32.const ${r})) (local.get $j)) (i32.const 2)))`;
    const bAddr =
      `(i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))`;
    out.push(
      `  (local.set ${acc(r, v)} (if (result ${ty}) (local.get $bias) (then ${
        load(bAddr, v)
      }) (else (if (result ${ty}) (local.get $init) (then ${
        load(cAddr, v)
      }) (else ${zero})))))`,
    );
  }
  // The reduction over s.
  out.push(
    `  (local.set $pa (local.get $pa0)) (local.set $pb (i32.add (local.get $B) (i32.shl (local.get $j) (i32.const 2)))) (local.set $s (local.get $S))`,
  );
  out.push(
    `  (block $red_end_${rows}_${vecs} (br_if $red_end_${rows}_${vecs} (i32.eqz (local.get $s)))`,
  );
  out.push(`  (loop $red_${rows}_${vecs}`);
  for (let v = 0; v < nv; v++) {
    out.push(`    (local.set $b${v} ${load("(local.get $pb)", v)})`);
  }
  for (let r = 0; r < rows; r++) {
    const aAddr = r === 0
      ? "(local.get $pa)"
      : `(i32.add (local.get $pa) (local.get $ar${r}))`;
    out.push(
      `    (local.set $a ${scalar ? "" : "(f32x4.splat "}(f32.load ${aAddr})${
        scalar ? "" : ")"
      })`,
    );
    for (let v = 0; v < nv; v++) {
      out.push(
        scalar
          ? `    (local.set ${acc(r, v)} (f32.add (local.get ${
            acc(r, v)
          }) (f32.mul (local.get $as) (local.get $b${v}))))`
            .replace("$as", "$a")
          : `    (local.set ${
            acc(r, v)
          } (f32x4.relaxed_madd (local.get $a) (local.get $b${v}) (local.get ${
            acc(r, v)
          })))`,
      );
    }
  }
  out.push(
    `    (local.set $pa (i32.add (local.get $pa) (local.get $ass4)))`,
    `    (local.set $pb (i32.add (local.get $pb) (local.get $m4)))`,
    `    (br_if $red_${rows}_${vecs} (local.tee $s (i32.sub (local.get $s) (i32.const 1))))))`,
  );
  // Finishing and storing.
  for (const [r, v] of cells) {
    const off =
      `(i32.shl (i32.add (i32.mul (local.get $rowc) (i32.const ${r})) (local.get $j)) (i32.const 2))`;
    let val = `(local.get ${acc(r, v)})`;
    out.push(
      `  (if (local.get $relu) (then (local.set ${acc(r, v)} (${
        ty === "f32" ? "f32.max" : "f32x4.max"
      } ${val} ${zero}))))`,
    );
    out.push(
      `  (if (local.get $gate) (then (local.set ${acc(r, v)} ${
        scalar
          ? `(select ${val} (f32.const 0) (f32.gt ${
            load(`(i32.add (local.get $gate) ${off})`, v)
          } (f32.const 0)))`
          : `(v128.and ${val} (f32x4.gt ${
            load(`(i32.add (local.get $gate) ${off})`, v)
          } ${zero}))`
      })))`,
    );
    val = `(local.get ${acc(r, v)})`;
    out.push(`  ${store(`(i32.add (local.get $pc) ${off})`, v, val)}`);
  }
  out.push(`  (local.set $j (i32.add (local.get $j) (i32.const ${width})))`);
  out.push(`  (br $cols_${rows}_${vecs})))`);
  return out.join("\n");
}

/** The whole module's text. */
export function gemmWat(options: { shared?: boolean } = {}): string {
  // The threaded arena's variant imports one shared memory that every
  // worker's instance works in; the code is the same.
  const memory = options.shared
    ? `(import "env" "memory" (memory 1 65536 shared))\n(export "memory" (memory 0))`
    : `(memory (export "memory") 1)`;
  const locals: string[] = [];
  const maxR = Math.max(...ROWS), maxV = Math.max(...WIDTHS);
  for (let r = 0; r < maxR; r++) {
    for (let v = 0; v < maxV; v++) locals.push(`(local ${acc(r, v)} v128)`);
    if (r > 0) locals.push(`(local $ar${r} i32)`);
    locals.push(`(local $s${r} f32)`);
  }
  for (let v = 0; v < maxV; v++) locals.push(`(local $b${v} v128)`);
  const arInit = Array.from(
    { length: maxR - 1 },
    (_, i) =>
      `  (local.set $ar${i + 1} (i32.mul (local.get $ars) (i32.const ${
        4 * (i + 1)
      })))`,
  ).join("\n");
  // The scalar blocks reuse the names with f32 type: declare them apart.
  const body: string[] = [];
  for (const rows of ROWS) {
    body.push(`;; rows in blocks of ${rows}`);
    body.push(`(block $rows_done_${rows}`);
    body.push(`(loop $rows_${rows}`);
    body.push(
      `  (br_if $rows_done_${rows} (i32.gt_u (i32.add (local.get $r) (i32.const ${rows})) (local.get $R)))`,
    );
    body.push(
      `  (local.set $pa0 (i32.add (local.get $A) (i32.shl (i32.mul (local.get $r) (local.get $ars)) (i32.const 2))))`,
      `  (local.set $pc (i32.add (local.get $C) (i32.shl (i32.mul (local.get $r) (local.get $M)) (i32.const 2))))`,
      `  (local.set $gate (select (i32.add (local.get $gate0) (i32.sub (local.get $pc) (local.get $C))) (i32.const 0) (local.get $gate0)))`,
      `  (local.set $j (i32.const 0))`,
    );
    for (const vecs of WIDTHS) {
      body.push(block(rows, vecs).replace(/^/gm, "  "));
    }
    body.push(`  (local.set $r (i32.add (local.get $r) (i32.const ${rows})))`);
    body.push(`  (br $rows_${rows})))`);
  }
  let text = body.join("\n");
  // Scalar blocks: rename their accumulators to f32 locals.
  text = text.replace(
    /;; (\d) row\(s\) × 1 column[\s\S]*?\(br \$cols_\d_0\)\)\)/g,
    (m) =>
      m.replace(/\$c(\d)_0/g, "$$s$1").replace(/\$b0/g, "$$bs").replace(
        /local\.set \$a /g,
        "local.set $$as ",
      ).replace(/local\.get \$a\)/g, "local.get $$as)"),
  );
  return `;; Generated by tools/gemm_wat.ts: do not edit by hand.
(module
${memory}
(func (export "gemm")
  (param $A i32) (param $ars i32) (param $ass i32) (param $B i32) (param $C i32)
  (param $R i32) (param $S i32) (param $M i32)
  (param $init i32) (param $bias i32) (param $relu i32) (param $gate0 i32)
  (local $r i32) (local $j i32) (local $s i32) (local $pa i32) (local $pa0 i32)
  (local $pb i32) (local $pc i32) (local $gate i32) (local $rowc i32)
  (local $ass4 i32) (local $m4 i32)
  (local $a v128) (local $as f32) (local $bs f32)
  ${locals.join(" ")}
  (local.set $rowc (local.get $M))
${arInit}
  (local.set $ass4 (i32.shl (local.get $ass) (i32.const 2)))
  (local.set $m4 (i32.shl (local.get $M) (i32.const 2)))
${text.replace(/^/gm, "  ")})
(func (export "gemv")
  (param $A i32) (param $x i32) (param $y i32) (param $R i32) (param $S i32) (param $bias f32)
  (local $r i32) (local $s i32) (local $pa i32) (local $px i32) (local $acc v128) (local $sum f32)
  (block $rows_done (loop $rows
    (br_if $rows_done (i32.ge_u (local.get $r) (local.get $R)))
    (local.set $pa (i32.add (local.get $A) (i32.shl (i32.mul (local.get $r) (local.get $S)) (i32.const 2))))
    (local.set $px (local.get $x))
    (local.set $acc (v128.const i32x4 0 0 0 0))
    (local.set $s (local.get $S))
    (block $vec_done (loop $vec
      (br_if $vec_done (i32.lt_u (local.get $s) (i32.const 4)))
      (local.set $acc (f32x4.relaxed_madd (v128.load (local.get $pa)) (v128.load (local.get $px)) (local.get $acc)))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $px (i32.add (local.get $px) (i32.const 16)))
      (local.set $s (i32.sub (local.get $s) (i32.const 4)))
      (br $vec)))
    (local.set $sum (f32.add (local.get $bias) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))))
    (block $tail_done (loop $tail
      (br_if $tail_done (i32.eqz (local.get $s)))
      (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $pa)) (f32.load (local.get $px)))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
      (local.set $px (i32.add (local.get $px) (i32.const 4)))
      (local.set $s (i32.sub (local.get $s) (i32.const 1)))
      (br $tail)))
    (f32.store (i32.add (local.get $y) (i32.shl (local.get $r) (i32.const 2))) (local.get $sum))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rows))))
(func (export "grow") (param $pages i32) (result i32)
  (memory.grow (local.get $pages))))
`;
}

/** The binary from `wat2wasm` (Debian package `wabt`), or null without it. */
export async function assemble(watPath: string): Promise<Uint8Array | null> {
  const out = await Deno.makeTempFile({ suffix: ".wasm" });
  try {
    const run = await new Deno.Command("wat2wasm", {
      args: ["--enable-relaxed-simd", "--enable-threads", watPath, "-o", out],
    }).output();
    if (!run.success) {
      throw new Error(
        `wat2wasm failed: ${new TextDecoder().decode(run.stderr)}`,
      );
    }
    return await Deno.readFile(out);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  } finally {
    await Deno.remove(out).catch(() => {});
  }
}

/** The text of `gemm_wasm.ts` for a binary. */
export function wasmModuleSource(
  bytes: Uint8Array,
  sharedBytes: Uint8Array,
): string {
  const base64Lines = (b: Uint8Array) => {
    let b64 = "";
    for (let i = 0; i < b.length; i += 0x8000) {
      b64 += String.fromCharCode(...b.subarray(i, i + 0x8000));
    }
    return btoa(b64).match(/.{1,76}/g)!.map((l) => `  "${l}"`).join(" +\n");
  };
  return `// Generated by tools/gemm_wat.ts from gemm.wat and gemm_shared.wat: do not edit by hand.

/** The matrix-product kernel's WebAssembly binary, base64. */
export const GEMM_WASM_BASE64 =
${base64Lines(bytes)};

/** The same kernel on an imported shared memory (the threaded arena), base64. */
export const GEMM_SHARED_WASM_BASE64 =
${base64Lines(sharedBytes)};
`;
}

if (import.meta.main) {
  const dir = new URL("../lib/_kernels", import.meta.url).pathname;
  await Deno.writeTextFile(`${dir}/gemm.wat`, gemmWat());
  await Deno.writeTextFile(
    `${dir}/gemm_shared.wat`,
    gemmWat({ shared: true }),
  );
  const bytes = await assemble(`${dir}/gemm.wat`);
  const sharedBytes = await assemble(`${dir}/gemm_shared.wat`);
  if (!bytes || !sharedBytes) {
    console.error("wat2wasm not found: install wabt (apt-get install wabt)");
    Deno.exit(1);
  }
  await Deno.writeTextFile(
    `${dir}/gemm_wasm.ts`,
    wasmModuleSource(bytes, sharedBytes),
  );
  console.log(
    `wrote gemm.wat, gemm_shared.wat and gemm_wasm.ts (${bytes.length} and ${sharedBytes.length} bytes)`,
  );
}
