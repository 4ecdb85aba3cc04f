/**
 * The worker side of `layerMI`'s parallel critics: trains each critic
 * chain it is sent ({@linkcode pairChain}, or for nwj, infonce and smile
 * `matrixChain`), one at a time, posting every checkpoint's result as it
 * comes.
 *
 * @module
 */

import { pairChain, type PairChainJob } from "./_layer_critics.ts";
import type { MatrixChainJob } from "./_layer_matrix_critics.ts";
import type { ChainResult } from "./_layer_critics.ts";

declare const self: Worker & { close(): void };

/**
 * The chain of a job. nwj, infonce and smile read their held-out bound in
 * tfjs, loaded (with the main thread's backend) only for them, so a MINE
 * worker starts without it.
 */
async function chainOf(
  job: PairChainJob | MatrixChainJob,
): Promise<AsyncGenerator<ChainResult>> {
  if (!("kind" in job && job.kind === "matrix")) {
    return pairChain(job as PairChainJob);
  }
  const [{ setBackend }, { matrixChain }] = await Promise.all([
    import("../nets/backend.ts"),
    import("./_layer_matrix_critics.ts"),
  ]);
  await setBackend(job.backend as "wasm" | "cpu");
  return matrixChain(job);
}

self.onmessage = async (e: MessageEvent) => {
  const { chain, job } = e.data as {
    chain: number;
    job: PairChainJob | MatrixChainJob;
  };
  try {
    let c = 0;
    for await (const result of await chainOf(job)) {
      self.postMessage({ type: "checkpoint", chain, c: c++, result });
    }
    self.postMessage({ type: "done", chain });
  } catch (err) {
    self.postMessage({
      type: "error",
      chain,
      error: err instanceof Error ? err.message : String(err),
    });
  }
};
