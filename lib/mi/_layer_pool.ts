/**
 * Runs `layerMI`'s critic chains (the MINE family's concat critics, and
 * nwj, infonce and smile's separable ones): on the main thread, checkpoint
 * by checkpoint, or spread over Deno Workers (`_layer_worker.ts`), each
 * chain whole in one worker so its warm starts stay in one place. A chain
 * reads only its job, so where it runs does not change its numbers.
 *
 * @module
 */

import {
  type ChainResult,
  pairChain,
  type PairChainJob,
} from "./_layer_critics.ts";
import { matrixChain, type MatrixChainJob } from "./_layer_matrix_critics.ts";
import { MIError } from "./input.ts";

/** One critic's chain: a MINE-family critic, or an nwj, infonce or smile one (`kind: "matrix"`). */
export type ChainJob = PairChainJob | MatrixChainJob;

/** The chain a job describes. */
export function chainOf(job: ChainJob): AsyncGenerator<ChainResult> {
  return "kind" in job && job.kind === "matrix"
    ? matrixChain(job)
    : pairChain(job as PairChainJob);
}

/** Called with each chain's result at checkpoint `c`. */
export type OnChainResult = (
  chain: number,
  c: number,
  result: ChainResult,
) => void;

/** Every chain on this thread, checkpoint-major (every critic at checkpoint 0, then 1, …). */
export async function runChainsHere(
  jobs: readonly ChainJob[],
  checkpoints: number,
  onResult: OnChainResult,
): Promise<void> {
  const chains = jobs.map((job) => chainOf(job));
  for (let c = 0; c < checkpoints; c++) {
    for (const [k, chain] of chains.entries()) {
      const next = await chain.next();
      if (next.done) throw new MIError(`critic chain ${k} ended early`);
      onResult(k, c, next.value);
    }
  }
}

/** The buffers a job owns, each once (a buffer listed twice cannot be transferred). */
function buffersOf(job: ChainJob): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const side of [job.first, job.second]) {
    for (const a of side.checkpoints) set.add(a.buffer as ArrayBuffer);
  }
  return [...set];
}

/**
 * The chains spread over `workers` Deno Workers: each worker takes the next
 * chain when it finishes one. The jobs' arrays are transferred, so the
 * caller must hand over arrays it no longer needs.
 */
export async function runChainsInWorkers(
  jobs: readonly ChainJob[],
  workers: number,
  onResult: OnChainResult,
): Promise<void> {
  const all: Worker[] = [];
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      const give = (worker: Worker) => {
        if (next >= jobs.length) return;
        const chain = next++;
        worker.postMessage({ chain, job: jobs[chain] }, buffersOf(jobs[chain]));
      };
      for (let i = 0; i < Math.min(workers, jobs.length); i++) {
        const worker = new Worker(
          new URL("./_layer_worker.ts", import.meta.url).href,
          { type: "module" },
        );
        all.push(worker);
        worker.onmessage = (e: MessageEvent) => {
          const m = e.data;
          if (m.type === "checkpoint") onResult(m.chain, m.c, m.result);
          else if (m.type === "error") {
            reject(new MIError(`a layerMI critic failed: ${m.error}`));
          } else if (m.type === "done") {
            if (++finished === jobs.length) resolve();
            else give(worker);
          }
        };
        worker.onerror = (e) => {
          e.preventDefault();
          reject(new MIError(`a layerMI worker crashed: ${e.message}`));
        };
        give(worker);
      }
    });
  } finally {
    all.forEach((w) => w.terminate());
  }
}
