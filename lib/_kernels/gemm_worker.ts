/**
 * One helper thread of a threaded {@linkcode Arena} (gemm.ts): it
 * instantiates the shared-memory kernel on the arena's memory, then waits on
 * its control slot for work. Each job is a band of one product's rows; the
 * helper runs it and posts its generation number back. A negative
 * generation ends the thread. Errors (a trap on a bad offset) are reported
 * through the slot, so the arena throws instead of waiting forever.
 *
 * Slot layout (Int32, 16 per helper): 0 generation, 1–12 the gemm
 * arguments, 13 the generation done, 14 ready (1), 15 failed (1).
 *
 * @module
 */

import { workerData } from "node:worker_threads";
import { gemmInStepBlocks, type GemmKernel } from "./gemm_steps.ts";

interface HelperData {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  slot: number;
}

const { memory, module, slot } = workerData as HelperData;
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports
  .gemm as GemmKernel;
const ctl = new Int32Array(memory.buffer, slot, 16);
Atomics.store(ctl, 14, 1);
let generation = 0;
for (;;) {
  Atomics.wait(ctl, 0, generation);
  generation = Atomics.load(ctl, 0);
  if (generation < 0) break;
  try {
    gemmInStepBlocks(
      gemm,
      ctl[1],
      ctl[2],
      ctl[3],
      ctl[4],
      ctl[5],
      ctl[6],
      ctl[7],
      ctl[8],
      ctl[9],
      ctl[10],
      ctl[11],
      ctl[12],
    );
  } catch {
    Atomics.store(ctl, 15, 1);
  }
  Atomics.store(ctl, 13, generation);
  Atomics.notify(ctl, 13);
}
