/**
 * The services the scaling tests need (PostgreSQL, Slurm), as started by
 * `.ci/services.sh start`: from the environment (`INFOLENS_TEST_PG`,
 * `SLURM_CONF`) or from the file the script writes. A test that needs a
 * missing service is ignored, with a line naming what is missing.
 */
const DIR = Deno.env.get("INFOLENS_SERVICES_DIR") ?? "/tmp/infolens-services";

function fromFile(): Record<string, string> {
  try {
    return Object.fromEntries(
      Deno.readTextFileSync(`${DIR}/env`).split("\n").filter((l) =>
        l.includes("=")
      ).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
  } catch {
    return {};
  }
}

const file = fromFile();

/** The test database URL, or null. */
export const pgUrl: string | null = Deno.env.get("INFOLENS_TEST_PG") ??
  file.INFOLENS_TEST_PG ?? null;

/** The slurm.conf of the test cluster, or null. */
export const slurmConf: string | null = Deno.env.get("SLURM_CONF") ??
  file.SLURM_CONF ?? null;

function missingNote(service: string): string {
  let why = "";
  try {
    why = Deno.readTextFileSync(`${DIR}/missing`).trim();
  } catch { /* never started */ }
  return `${service} is not running (start it with .ci/services.sh start${
    why ? `; it said: ${why.replaceAll("\n", "; ")}` : ""
  }): skipping`;
}

/** Says once why tests that need PostgreSQL are skipped; true when it runs. */
export function havePg(test: string): boolean {
  if (!pgUrl) console.log(`${test}: ${missingNote("PostgreSQL")}`);
  return pgUrl !== null;
}

/** Says why tests that need Slurm are skipped; true when it runs. */
export function haveSlurm(test: string): boolean {
  if (!slurmConf || !pgUrl) {
    console.log(`${test}: ${missingNote(slurmConf ? "PostgreSQL" : "Slurm")}`);
  }
  return slurmConf !== null && pgUrl !== null;
}

/** A study name no other test run uses. */
export function uniqueStudy(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${
    crypto.getRandomValues(new Uint32Array(1))[0].toString(36)
  }`;
}
