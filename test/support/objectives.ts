/** Objectives for sweep tests, importable by workers. */
import type { Config } from "../../lib/space/space.ts";
import { branin } from "../../lib/search/functions.ts";

export const objectives = {
  /** (x − 0.3)² + y, failing when x > 0.9 and NaN when x < -0.9. */
  bowl(config: Config, context: { seed: number }): Record<string, number> {
    const x = config.x as number;
    if (x > 0.9) throw new Error("too far right");
    return {
      loss: x < -0.9 ? NaN : (x - 0.3) ** 2 + (config.y as number),
      seed_seen: context.seed,
    };
  },
};

/** Branin, for search tests that run in workers. */
export const searchObjectives = {
  branin(config: Config): number {
    return branin.evaluate(config);
  },
};
