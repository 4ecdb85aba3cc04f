/**
 * Running the Python peers (Debian's `/usr/bin/python3`, which has torch,
 * scikit-learn, OpenTURNS and Optuna): whether a module imports, and a
 * script that takes a JSON request on stdin and prints a JSON answer.
 *
 * @module
 */

/** The Python that has the peers' packages (Debian's). */
export const PYTHON = "/usr/bin/python3";

/** Whether `PYTHON` can import `module`. */
export function havePythonModule(module: string): Promise<boolean> {
  // Spawned synchronously: when python is missing, a failed spawn of the
  // async form escapes a top-level await as an uncaught rejection in Deno 2,
  // failing a test file that only meant to skip.
  try {
    return Promise.resolve(
      new Deno.Command(PYTHON, {
        args: ["-c", `import ${module}`],
        stdout: "null",
        stderr: "null",
      }).outputSync().success,
    );
  } catch {
    return Promise.resolve(false);
  }
}

/**
 * Runs `peers/<script>` with `request` as JSON on stdin and returns its
 * stdout parsed as JSON. Throws "<peer> peer failed: <last stderr line>"
 * when the script fails.
 */
export async function runPythonJson<T>(
  script: string,
  request: unknown,
  peer: string,
): Promise<T> {
  const child = new Deno.Command(PYTHON, {
    args: [`${import.meta.dirname}/${script}`],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(JSON.stringify(request)));
  await w.close();
  const out = await child.output();
  if (!out.success) {
    throw new Error(
      `${peer} peer failed: ${
        new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)
      }`,
    );
  }
  return JSON.parse(new TextDecoder().decode(out.stdout)) as T;
}
