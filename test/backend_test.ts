import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import {
  BackendError,
  type BackendName,
  setBackend,
  tf,
} from "../lib/nets/backend.ts";

Deno.test("wasm is the default here and computes", async () => {
  const info = await setBackend("auto");
  assertEquals(info.active, "wasm");
  assert(info.description.startsWith("wasm"));
  const y = tf.tidy(() =>
    tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync()
  );
  assertEquals([...y], [3, 3, 3, 3]);
});

Deno.test("cpu can be chosen", async () => {
  assertEquals((await setBackend("cpu")).active, "cpu");
  await setBackend("wasm");
});

Deno.test("asking for an absent backend names the package and the install command", async () => {
  await assertRejects(() => setBackend("tensorflow"), BackendError);
  await assertRejects(
    () => setBackend("tensorflow"),
    /@tensorflow\/tfjs-node.*deno add npm:@tensorflow\/tfjs-node@4.22.0/,
  );
  await assertRejects(
    () => setBackend("tensorflow-gpu"),
    /tfjs-node-gpu.*CUDA/,
  );
  await assertRejects(
    () => setBackend("tpu" as BackendName),
    /unknown backend "tpu"; choose one of auto, wasm/,
  );
  await assertRejects(() => setBackend("webgpu"), /webgpu/);
});

Deno.test("INFOLENS_BACKEND overrides the name in code", async () => {
  Deno.env.set("INFOLENS_BACKEND", "cpu");
  try {
    const info = await setBackend("wasm");
    assertEquals(info.requested, "cpu");
    assertEquals(info.active, "cpu");
    Deno.env.set("INFOLENS_BACKEND", "bogus");
    await assertRejects(
      () => setBackend("wasm"),
      /"bogus" \(from INFOLENS_BACKEND\)/,
    );
  } finally {
    Deno.env.delete("INFOLENS_BACKEND");
    await setBackend("wasm");
  }
});
