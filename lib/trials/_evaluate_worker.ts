/**
 * The worker side of the trial runner: imports the objective's module once,
 * then evaluates the trials it is sent, one at a time.
 *
 * @module
 */

import { type Objective, resolveObjective, runTrial } from "./objective.ts";

declare const self: Worker & { close(): void };

let fn: Objective | null = null;

self.onmessage = async (e: MessageEvent) => {
  const msg = e.data;
  if (msg.type === "setup") {
    try {
      fn = resolveObjective(await import(msg.ref.module), msg.ref);
      self.postMessage({ type: "ready" });
    } catch (err) {
      self.postMessage({
        type: "setup-error",
        error:
          `could not load the objective ${msg.ref.name} from ${msg.ref.module}: ${
            err instanceof Error ? err.message : err
          }`,
      });
    }
    return;
  }
  const outcome = await runTrial(
    fn!,
    msg.config,
    msg.trial,
    msg.seed,
    msg.objective,
    msg.budget ?? null,
  );
  self.postMessage({ type: "outcome", outcome });
};
