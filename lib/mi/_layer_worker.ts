/**
 * The worker side of `layerMI`'s parallel critics: trains each critic
 * chain it is sent ({@linkcode pairChain}), one at a time, posting every
 * checkpoint's result as it comes.
 *
 * @module
 */

import { pairChain, type PairChainJob } from "./_layer_critics.ts";

declare const self: Worker & { close(): void };

self.onmessage = async (e: MessageEvent) => {
  const { chain, job } = e.data as { chain: number; job: PairChainJob };
  try {
    let c = 0;
    for await (const result of pairChain(job)) {
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
