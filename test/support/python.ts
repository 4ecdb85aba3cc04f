/**
 * Runs reference code in Debian's /usr/bin/python3 (numpy, scikit-learn,
 * PyTorch), with JSON in on stdin and JSON out on stdout.
 *
 * @module
 */

export const PYTHON = "/usr/bin/python3";

/** Whether /usr/bin/python3 can import every one of `modules`. */
export function pythonHas(...modules: string[]): boolean {
  try {
    return new Deno.Command(PYTHON, {
      args: ["-c", modules.map((m) => `import ${m}`).join("\n")],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}

/** Runs `code` with `input` as JSON on stdin; returns its stdout parsed as JSON. */
export async function pythonJson<T>(code: string, input: unknown): Promise<T> {
  const child = new Deno.Command(PYTHON, {
    args: ["-c", code],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(input)));
  await writer.close();
  const r = await child.output();
  const text = new TextDecoder();
  if (!r.success) throw new Error(`python failed: ${text.decode(r.stderr)}`);
  return JSON.parse(text.decode(r.stdout)) as T;
}
