/** A slow objective for shared-study tests: a bowl that takes a while. */
import type { Config } from "../../lib/space/space.ts";

/** (x − 0.3)² + (y + 0.2)², after STUDY_SLEEP_MS milliseconds (default 150). */
export async function slowBowl(config: Config): Promise<number> {
  const ms = Number(Deno.env.get("STUDY_SLEEP_MS") ?? 150);
  await new Promise((r) => setTimeout(r, ms));
  return ((config.x as number) - 0.3) ** 2 + ((config.y as number) + 0.2) ** 2;
}
