/**
 * Runs `hsic_openturns.py` (OpenTURNS's HSIC estimators) on cases given as
 * JSON, for the HSIC test and benchmark.
 *
 * @module
 */

/** One design for OpenTURNS: see `hsic_openturns.py` for the fields. */
export interface OpenturnsCase {
  x: number[][];
  y: number[];
  theta: number[];
  outputTheta: number;
  estimator: "U" | "V";
  threshold: number | null;
  permutations: number;
}

/** OpenTURNS's answer for one case. */
export interface OpenturnsResult {
  hsic: number[];
  r2: number[];
  pAsymptotic: number[];
  pPermutation: number[] | null;
  seconds: { indices: number; permutation: number };
}

/** The Python that has OpenTURNS (Debian's). */
export const PYTHON = "/usr/bin/python3";

/** Whether `PYTHON` can import openturns. */
export function haveOpenturns(): Promise<boolean> {
  return new Deno.Command(PYTHON, {
    args: ["-c", "import openturns"],
    stdout: "null",
    stderr: "null",
  }).output().then((o) => o.success).catch(() => false);
}

/**
 * OpenTURNS's indices for each case. Throws with OpenTURNS's last error line
 * when the script fails.
 */
export async function openturnsHsic(
  cases: OpenturnsCase[],
): Promise<OpenturnsResult[]> {
  const child = new Deno.Command(PYTHON, {
    args: [`${import.meta.dirname}/hsic_openturns.py`],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(JSON.stringify(cases)));
  await w.close();
  const out = await child.output();
  if (!out.success) {
    throw new Error(
      `OpenTURNS peer failed: ${
        new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)
      }`,
    );
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}
