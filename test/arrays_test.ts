/**
 * `.npy`, `.npz` and safetensors against Debian's python3-numpy: files numpy
 * writes read back equal (every dtype, both byte orders, C and Fortran
 * order, format versions 1–3, savez and savez_compressed), files we write
 * numpy reads back equal, and bad files give named errors. Tests that need
 * numpy are ignored (with a message) where it is missing.
 */

import { assert, assertEquals } from "./support/assert.ts";
import {
  DataFileError,
  type NdArray,
  ndarray,
  toFloat64,
  toRows,
} from "../lib/data/ndarray.ts";
import { InfolensError } from "../lib/errors.ts";
import { readNpy, writeNpy } from "../lib/data/npy.ts";
import { encodeNpz, readNpz, writeNpz } from "../lib/data/npz.ts";
import {
  encodeSafetensors,
  readSafetensors,
  writeSafetensors,
} from "../lib/data/safetensors.ts";
import { crc32 } from "../lib/data/_zip.ts";

const PYTHON = "/usr/bin/python3";

function python(code: string, cwd?: string): { ok: boolean; out: string } {
  try {
    const r = new Deno.Command(PYTHON, { args: ["-c", code], cwd })
      .outputSync();
    const text = new TextDecoder();
    return {
      ok: r.success,
      out: r.success ? text.decode(r.stdout) : text.decode(r.stderr),
    };
  } catch {
    return { ok: false, out: `${PYTHON} not found` };
  }
}

const HAS_NUMPY = python("import numpy").ok;
if (!HAS_NUMPY) {
  console.warn(
    "numpy tests ignored: /usr/bin/python3 cannot import numpy (apt-get install python3-numpy)",
  );
}
const HAS_SAFETENSORS = HAS_NUMPY &&
  python("import safetensors.numpy").ok;

/** `fn` rejects with a DataFileError (an InfolensError) whose message matches. */
async function rejectsWith(fn: () => Promise<unknown>, pattern: RegExp) {
  try {
    await fn();
  } catch (e) {
    assert(e instanceof DataFileError, `expected a DataFileError, got ${e}`);
    assert(e instanceof InfolensError);
    assert(pattern.test(e.message), `"${e.message}" does not match ${pattern}`);
    return;
  }
  throw new Error(`expected a rejection matching ${pattern}`);
}

/** A copy of `bytes` with the first ASCII `from` replaced by `to` (same length). */
function replaceBytes(bytes: Uint8Array, from: string, to: string) {
  const a = new TextEncoder().encode(from);
  const b = new TextEncoder().encode(to);
  const at = bytes.findIndex((_, i) => a.every((c, j) => bytes[i + j] === c));
  assert(at >= 0 && a.length === b.length);
  const out = bytes.slice();
  out.set(b, at);
  return out;
}

const NUMPY_DTYPES: Record<string, string> = {
  f2: "float16",
  f4: "float32",
  f8: "float64",
  i1: "int8",
  i2: "int16",
  i4: "int32",
  i8: "int64",
  u1: "uint8",
  u2: "uint16",
  u4: "uint32",
  u8: "uint64",
  b1: "bool",
};

/** Values as numbers, C order (bool and big ints included). */
function values(a: NdArray): number[] {
  return Array.from(toFloat64(a));
}

// numpy writes one file per dtype × byte order × memory order and a manifest
// of their C-order values, so what we read is compared with what numpy holds
const FIXTURES = `
import json, numpy as np, sys
codes = ${JSON.stringify(Object.keys(NUMPY_DTYPES))}
manifest = {}
for code in codes:
    for endian in "<>":
        for order in "CF":
            base = np.arange(24).reshape(2, 3, 4)
            if code[0] == "f":
                base = base * 1.25 - 7.5
            elif code[0] == "i":
                base = base * (-1) ** base * 5
            elif code == "b1":
                base = base % 3 == 0
            dt = np.dtype(("|" if code.endswith("1") else endian) + code)
            a = np.asarray(base, dtype=dt, order=order)
            if code in ("i8", "u8"):
                a.flat[-1] = 2**40 + 7
            name = f"{code}_{'le' if endian == '<' else 'be'}_{order}.npy"
            np.save(name, a)
            assert a.flags.f_contiguous == (order == "F")
            manifest[name] = {"shape": list(a.shape),
                "values": [float(v) for v in a.ravel(order="C")]}
np.save("scalar.npy", np.float32(3.5))
np.save("empty.npy", np.zeros((0, 3), dtype="<i4"))
for v in [(2, 0), (3, 0)]:
    with open(f"v{v[0]}.npy", "wb") as f:
        np.lib.format.write_array(f, np.arange(6, dtype="<f8").reshape(2, 3), version=v)
np.save("complex.npy", np.zeros(3, dtype="<c16"))
arrays = {"a": np.arange(10, dtype="<f4"), "b": np.eye(3, dtype=">i2", order="F"),
          "labels": np.array([1, 0, 2], dtype="<i8"), "flags": np.array([True, False])}
np.savez("plain.npz", **arrays)
np.savez_compressed("compressed.npz", **arrays)
np.savez("positional.npz", np.ones(2), np.zeros(3))
manifest["npz"] = {k: {"shape": list(v.shape), "values": [float(x) for x in v.ravel()]} for k, v in arrays.items()}
json.dump(manifest, open("manifest.json", "w"))
`;

let fixtureDir: string | undefined;
async function fixtures(): Promise<string> {
  if (fixtureDir) return fixtureDir;
  const dir = await Deno.makeTempDir({ prefix: "infolens_npy_" });
  const r = python(FIXTURES, dir);
  if (!r.ok) throw new Error(`numpy fixtures failed: ${r.out}`);
  fixtureDir = dir;
  return dir;
}

type Manifest = Record<string, { shape: number[]; values: number[] }>;

Deno.test({
  name: ".npy from numpy: every dtype, both byte orders, C and Fortran order",
  ignore: !HAS_NUMPY,
  async fn() {
    const dir = await fixtures();
    const manifest = JSON.parse(
      await Deno.readTextFile(`${dir}/manifest.json`),
    ) as Record<string, Manifest[string]>;
    let checked = 0;
    for (const [name, expected] of Object.entries(manifest)) {
      if (!name.endsWith(".npy")) continue;
      const a = await readNpy(`${dir}/${name}`);
      assertEquals(a.dtype, NUMPY_DTYPES[name.split("_")[0]], name);
      assertEquals(a.shape, expected.shape, name);
      assertEquals(values(a), expected.values, name);
      checked++;
    }
    assertEquals(checked, 12 * 2 * 2);
    const big = await readNpy(`${dir}/i8_be_F.npy`);
    assert(big.data instanceof BigInt64Array);
    assertEquals(big.data.at(-1), 2n ** 40n + 7n);
  },
});

Deno.test({
  name: ".npy from numpy: scalars, empty arrays, format versions 2.0 and 3.0",
  ignore: !HAS_NUMPY,
  async fn() {
    const dir = await fixtures();
    const s = await readNpy(`${dir}/scalar.npy`);
    assertEquals([s.dtype, s.shape, values(s)], ["float32", [], [3.5]]);
    const e = await readNpy(`${dir}/empty.npy`);
    assertEquals([e.dtype, e.shape, e.data.length], ["int32", [0, 3], 0]);
    for (const v of [2, 3]) {
      const a = await readNpy(`${dir}/v${v}.npy`);
      assertEquals(a.shape, [2, 3]);
      assertEquals(values(a), [0, 1, 2, 3, 4, 5]);
    }
  },
});

Deno.test({
  name: ".npz from numpy: savez and savez_compressed (zip64 entries)",
  ignore: !HAS_NUMPY,
  async fn() {
    const dir = await fixtures();
    const expected = JSON.parse(
      await Deno.readTextFile(`${dir}/manifest.json`),
    ).npz as Manifest;
    for (const file of ["plain.npz", "compressed.npz"]) {
      const arrays = await readNpz(`${dir}/${file}`);
      assertEquals(Object.keys(arrays), ["a", "b", "labels", "flags"], file);
      for (const [k, v] of Object.entries(expected)) {
        assertEquals(arrays[k].shape, v.shape, `${file} ${k}`);
        assertEquals(values(arrays[k]), v.values, `${file} ${k}`);
      }
      assertEquals(arrays.flags.dtype, "bool");
      assertEquals(arrays.labels.dtype, "int64");
    }
    const positional = await readNpz(`${dir}/positional.npz`);
    assertEquals(Object.keys(positional), ["arr_0", "arr_1"]);
  },
});

/** What we write, in every dtype; numpy loads each and prints its values. */
function ourArrays(): Record<string, NdArray> {
  const out: Record<string, NdArray> = {};
  const base = Array.from({ length: 12 }, (_, i) => i % 2 ? -i : i);
  for (const dtype of Object.values(NUMPY_DTYPES)) {
    const v = dtype.startsWith("uint")
      ? base.map(Math.abs)
      : dtype === "bool"
      ? base.map((x) => x % 3 === 0 ? 1 : 0)
      : dtype.startsWith("float")
      ? base.map((x) => x * 0.75)
      : base;
    out[dtype] = ndarray(v, [3, 4], dtype as NdArray["dtype"]);
  }
  return out;
}

const CHECK_LOADED = `
import json, numpy as np, sys
out = {}
for path in sys.argv[1:]:
    loaded = np.load(path)
    items = loaded.items() if hasattr(loaded, "items") else [(path, loaded)]
    for k, a in items:
        out[k] = {"dtype": a.dtype.name, "shape": list(a.shape),
                  "values": [float(x) for x in a.ravel()]}
print(json.dumps(out))
`;

function numpyLoad(
  paths: string[],
): Record<string, Manifest[string] & { dtype: string }> {
  const r = new Deno.Command(PYTHON, {
    args: ["-c", CHECK_LOADED, ...paths],
  }).outputSync();
  const text = new TextDecoder();
  if (!r.success) throw new Error(text.decode(r.stderr));
  return JSON.parse(text.decode(r.stdout));
}

Deno.test({
  name: "numpy reads back the .npy and .npz files we write",
  ignore: !HAS_NUMPY,
  async fn() {
    const dir = await Deno.makeTempDir();
    const arrays = ourArrays();
    const paths: string[] = [];
    for (const [dtype, a] of Object.entries(arrays)) {
      const path = `${dir}/${dtype}.npy`;
      await writeNpy(path, a);
      paths.push(path);
    }
    const loaded = numpyLoad(paths);
    for (const [dtype, a] of Object.entries(arrays)) {
      const got = loaded[`${dir}/${dtype}.npy`];
      assertEquals(got.dtype, dtype);
      assertEquals(got.shape, [3, 4]);
      assertEquals(got.values, values(a), dtype);
    }
    for (const compress of [false, true]) {
      const path = `${dir}/all_${compress}.npz`;
      await writeNpz(path, arrays, { compress });
      const got = numpyLoad([path]);
      assertEquals(Object.keys(got), Object.keys(arrays));
      for (const [k, a] of Object.entries(arrays)) {
        assertEquals(got[k].values, values(a), `${k} compress=${compress}`);
      }
      // and we read our own files back equal
      const back = await readNpz(path);
      for (const [k, a] of Object.entries(arrays)) {
        assertEquals(back[k], a, k);
      }
    }
    const zip64 = `${dir}/zip64.npz`;
    await Deno.writeFile(
      zip64,
      await encodeNpz({ w: arrays.float32 }, { forceZip64: true }),
    );
    assertEquals(numpyLoad([zip64]).w.values, values(arrays.float32));
    assertEquals((await readNpz(zip64)).w, arrays.float32);
  },
});

Deno.test({
  name: "float16 written by us rounds as numpy's astype",
  ignore: !HAS_NUMPY,
  async fn() {
    const dir = await Deno.makeTempDir();
    const v = [0, 1 / 3, 65504, 65520, 1e-8, 6e-8, -2.5e-5, 1e5, 0.1];
    await writeNpy(
      `${dir}/h.npy`,
      ndarray(Float32Array.from(v), [v.length], "float16"),
    );
    const r = python(
      `import numpy as np, json; a = np.load("${dir}/h.npy"); b = np.array(${
        JSON.stringify(v)
      }, dtype="<f8").astype("<f2"); print(json.dumps([a.view("<u2").tolist(), b.view("<u2").tolist()]))`,
    );
    assert(r.ok, r.out);
    const [ours, theirs] = JSON.parse(r.out);
    assertEquals(ours, theirs);
  },
});

Deno.test("nested number arrays, typed arrays and toRows round-trip through .npy", async () => {
  const dir = await Deno.makeTempDir();
  await writeNpy(`${dir}/a.npy`, [[1.5, 2], [3, 4]]);
  const a = await readNpy(`${dir}/a.npy`);
  assertEquals([a.dtype, a.shape], ["float64", [2, 2]]);
  assertEquals(toRows(a), [[1.5, 2], [3, 4]]);
  await writeNpy(`${dir}/b.npy`, new BigUint64Array([2n ** 60n]));
  const b = await readNpy(`${dir}/b.npy`);
  assertEquals(b.data, new BigUint64Array([2n ** 60n]));
  // beyond 2^53 a number is not exact: refused, not rounded
  let threw = false;
  try {
    toFloat64(b);
  } catch (e) {
    threw = e instanceof DataFileError && /2\^53/.test(e.message);
  }
  assert(threw);
  await rejectsWith(
    () => writeNpy(`${dir}/c.npy`, [[1, 2], [3]]),
    /rectangular/,
  );
});

Deno.test({
  name: "bad .npy and .npz files give named errors",
  async fn() {
    const dir = await Deno.makeTempDir();
    await writeNpy(`${dir}/ok.npy`, new Float64Array([1, 2, 3, 4]));
    const ok = await Deno.readFile(`${dir}/ok.npy`);
    await rejectsWith(
      () => readNpy(ok.subarray(0, ok.length - 3)),
      /truncated: shape \[4\] of float64 needs 32 data bytes, got 29/,
    );
    await rejectsWith(() => readNpy(ok.subarray(0, 20)), /truncated/);
    await rejectsWith(
      () => readNpy(new TextEncoder().encode("a,b\n1,2\n")),
      /not a \.npy file/,
    );
    const complex = replaceBytes(ok, "<f8", "<c8");
    await rejectsWith(
      () => readNpy(complex),
      /unsupported \.npy dtype '<c8' in field 'descr'; supported: '<f2'/,
    );
    if (HAS_NUMPY) {
      const fx = await fixtures();
      await rejectsWith(
        () => readNpy(`${fx}/complex.npy`),
        /unsupported \.npy dtype '<c16'/,
      );
    }
    await rejectsWith(() => readNpy(`${dir}/missing.npy`), /file not found/);
    const npz = await encodeNpz({ a: new Float32Array([1, 2, 3]) });
    await rejectsWith(() => readNpz(npz.subarray(0, 40)), /not a readable ZIP/);
    const corrupt = npz.slice();
    // the last byte before the central directory ("PK\x01\x02") is array data
    const central = npz.findIndex((b, i) =>
      b === 0x50 && npz[i + 1] === 0x4b && npz[i + 2] === 1 && npz[i + 3] === 2
    );
    corrupt[central - 1] ^= 0xff;
    await rejectsWith(() => readNpz(corrupt), /CRC-32/);
    await rejectsWith(() => readNpz(ok), /single \.npy array/);
    await rejectsWith(
      () =>
        writeNpy(
          `${dir}/bf.npy`,
          ndarray(new Float32Array(2), [2], "bfloat16"),
        ),
      /numpy has no bfloat16/,
    );
  },
});

Deno.test("crc32 matches the standard check value", () => {
  assertEquals(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
});

Deno.test("safetensors round trip in every dtype, with metadata", async () => {
  const dir = await Deno.makeTempDir();
  const tensors: Record<string, NdArray> = {
    ...ourArrays(),
    bfloat16: ndarray(
      new Float32Array([1, -2.5, 0.15625, 3e38]),
      [2, 2],
      "bfloat16",
    ),
    "layer.0.weight": ndarray(new Float32Array(6).map((_, i) => i / 7), [2, 3]),
  };
  await writeSafetensors(`${dir}/t.safetensors`, tensors, {
    metadata: { format: "pt" },
  });
  const back = await readSafetensors(`${dir}/t.safetensors`);
  assertEquals(back.metadata, { format: "pt" });
  assertEquals(Object.keys(back.tensors), Object.keys(tensors));
  for (const [k, a] of Object.entries(tensors)) {
    assertEquals(back.tensors[k].dtype, a.dtype, k);
    assertEquals(back.tensors[k].shape, a.shape, k);
    if (a.dtype !== "bfloat16") assertEquals(back.tensors[k].data, a.data, k);
  }
  // bfloat16 keeps 8 significant bits: exact for these, rounded for 3e38
  assertEquals(values(back.tensors.bfloat16).slice(0, 3), [
    1,
    -2.5,
    0.15625,
  ]);
  assert(Math.abs(Number(back.tensors.bfloat16.data[3]) / 3e38 - 1) < 1 / 128);
});

Deno.test("safetensors: hand-built bytes per the spec read, bad ones refused", async () => {
  // header {"x":{"dtype":"I16","shape":[3],"data_offsets":[0,6]}}, data -1, 2, 300
  const header = JSON.stringify({
    __metadata__: { note: "hand" },
    x: { dtype: "I16", shape: [3], data_offsets: [0, 6] },
    y: { dtype: "F16", shape: [1], data_offsets: [6, 8] },
  });
  const head = new TextEncoder().encode(header);
  const bytes = new Uint8Array(8 + head.length + 8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(head.length), true);
  bytes.set(head, 8);
  bytes.set([0xff, 0xff, 2, 0, 0x2c, 0x01, 0x00, 0x3c], 8 + head.length);
  const { tensors, metadata } = await readSafetensors(bytes);
  assertEquals(metadata.note, "hand");
  assertEquals(values(tensors.x), [-1, 2, 300]);
  assertEquals(values(tensors.y), [1]);
  await rejectsWith(
    () => readSafetensors(bytes.subarray(0, bytes.length - 1)),
    /truncated: tensor "y" ends at byte 8/,
  );
  const f8 = replaceBytes(bytes, '"F16"', '"F8E"');
  await rejectsWith(() => readSafetensors(f8), /unsupported dtype "F8E".*BF16/);
  const ours = encodeSafetensors({ x: new Int16Array([-1, 2, 300]) });
  assertEquals(
    (await readSafetensors(ours)).tensors.x.data,
    new Int16Array([-1, 2, 300]),
  );
});

Deno.test({
  name: "safetensors: the Python package reads ours and we read its",
  ignore: !HAS_SAFETENSORS,
  async fn() {
    const dir = await Deno.makeTempDir();
    await writeSafetensors(`${dir}/ours.safetensors`, ourArrays());
    const r = python(
      `import json, numpy as np
from safetensors.numpy import load_file, save_file
d = load_file("${dir}/ours.safetensors")
print(json.dumps({k: [float(x) for x in v.ravel()] for k, v in d.items()}))
save_file({"w": np.arange(6, dtype="<f4").reshape(2, 3)}, "${dir}/theirs.safetensors")`,
    );
    assert(r.ok, r.out);
    const got = JSON.parse(r.out);
    for (const [k, a] of Object.entries(ourArrays())) {
      assertEquals(got[k], values(a), k);
    }
    const theirs = await readSafetensors(`${dir}/theirs.safetensors`);
    assertEquals(values(theirs.tensors.w), [0, 1, 2, 3, 4, 5]);
  },
});
