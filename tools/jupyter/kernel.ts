/**
 * What notebooks need to run headless: a Python with nbclient, fonts for
 * PNG text, and a kernelspec for this Deno. Installs the Debian packages when
 * it can (root with apt-get); otherwise says exactly what to install.
 *
 * @module
 */

import { join } from "node:path";

/** The repository root (this file is tools/jupyter/kernel.ts). */
export const ROOT: string = join(import.meta.dirname!, "..", "..");

/** Debian packages the notebook runner needs. */
export const DEBIAN_PACKAGES: readonly string[] = [
  "jupyter-nbconvert",
  "python3-nbclient",
  "fonts-dejavu-core",
];

/** The command a person runs to install them. */
export const INSTALL_HINT = `apt-get update && apt-get install -y ${
  DEBIAN_PACKAGES.join(" ")
}   (Debian/Ubuntu, as root), or: pip install nbclient nbformat`;

async function run(
  cmd: string,
  args: string[],
  options: { quiet?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      stdout: "piped",
      stderr: options.quiet === false ? "inherit" : "piped",
      stdin: "null",
      env: { DEBIAN_FRONTEND: "noninteractive" },
    }).output();
    const dec = new TextDecoder();
    return {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: out.stderr ? dec.decode(out.stderr) : "",
    };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      return { code: 127, stdout: "", stderr: `${cmd}: not found` };
    }
    throw e;
  }
}

/** Commands the unit tests use, and the Debian package of each. */
export const TEST_TOOLS: Readonly<Record<string, string>> = {
  wat2wasm: "wabt", // the kernel rebuild test
};

/**
 * Installs (as root, with apt-get) the Debian packages of the
 * {@linkcode TEST_TOOLS} that are missing; returns the packages still
 * missing, whose tests skip with a message naming them.
 */
export async function ensureTestTools(
  log: (line: string) => void = (line) => console.error(line),
): Promise<string[]> {
  const missing: string[] = [];
  for (const [tool, pkg] of Object.entries(TEST_TOOLS)) {
    if ((await run(tool, ["--version"])).code === 127) missing.push(pkg);
  }
  if (missing.length === 0) return [];
  if (isRoot() && (await run("apt-get", ["--version"])).code === 0) {
    log(`infolens: installing ${missing.join(", ")} for the tests …`);
    const ok = (await run("apt-get", ["update", "-q"])).code === 0 &&
      (await run("apt-get", [
          "install",
          "-y",
          "-q",
          "--no-install-recommends",
          ...missing,
        ])).code === 0;
    if (ok) return [];
  }
  log(
    `infolens: the tests that need ${
      missing.join(", ")
    } will be skipped (apt-get install ${missing.join(" ")} to run them)`,
  );
  return missing;
}

/** A Python interpreter that can import nbclient and nbformat, or null. */
export async function findPython(): Promise<string | null> {
  // Debian's python first: a pyenv or venv python on PATH often lacks nbclient.
  for (const py of ["/usr/bin/python3", "python3"]) {
    const r = await run(py, ["-c", "import nbclient, nbformat"]);
    if (r.code === 0) return py;
  }
  return null;
}

function isRoot(): boolean {
  try {
    return Deno.uid() === 0;
  } catch {
    return false;
  }
}

async function haveFonts(): Promise<boolean> {
  for (
    const dir of [
      "/usr/share/fonts/truetype/dejavu",
      "/usr/share/fonts/truetype/liberation",
    ]
  ) {
    try {
      if ((await Deno.stat(dir)).isDirectory) return true;
    } catch { /* absent */ }
  }
  return false;
}

/** The error raised when Jupyter's client is missing and cannot be installed. */
export class JupyterSetupError extends Error {
  override name = "JupyterSetupError";
}

/**
 * Makes sure notebooks can run: returns the Python to run nbclient with.
 * With `install` (default true) and root with apt-get, installs the Debian
 * packages; otherwise throws a {@linkcode JupyterSetupError} with the command.
 */
export async function ensureJupyter(
  options: { install?: boolean; log?: (line: string) => void } = {},
): Promise<string> {
  const log = options.log ?? ((line: string) => console.error(line));
  let python = await findPython();
  const fonts = await haveFonts();
  if (python && fonts) return python;
  const canApt = (options.install ?? true) && isRoot() &&
    (await run("apt-get", ["--version"])).code === 0;
  if (!canApt) {
    if (!python) {
      throw new JupyterSetupError(
        `running notebooks needs Jupyter's client (nbclient), which no python3 here can import. Install it: ${INSTALL_HINT}`,
      );
    }
    log(
      "infolens: no DejaVu or Liberation fonts found; PNG charts will lack text. Install fonts-dejavu-core.",
    );
    return python;
  }
  log(`infolens: installing ${DEBIAN_PACKAGES.join(", ")} with apt-get …`);
  const update = await run("apt-get", ["update", "-q"]);
  if (update.code !== 0) {
    throw new JupyterSetupError(`apt-get update failed:\n${update.stderr}`);
  }
  const install = await run("apt-get", [
    "install",
    "-y",
    "-q",
    "--no-install-recommends",
    ...DEBIAN_PACKAGES,
  ]);
  if (install.code !== 0) {
    throw new JupyterSetupError(
      `apt-get install failed:\n${install.stderr}\nInstall by hand: ${INSTALL_HINT}`,
    );
  }
  python = await findPython();
  if (!python) {
    throw new JupyterSetupError(
      `installed ${
        DEBIAN_PACKAGES.join(" ")
      }, yet no python3 imports nbclient; ${INSTALL_HINT}`,
    );
  }
  return python;
}

/**
 * Writes a kernelspec named `deno` for this Deno binary under
 * `<root>/.cache/jupyter` and returns that folder, for `JUPYTER_PATH`.
 * Notebooks name the kernel `deno`, as `deno jupyter --install` does.
 */
export async function writeKernelspec(root: string = ROOT): Promise<string> {
  const base = join(root, ".cache", "jupyter");
  const dir = join(base, "kernels", "deno");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "kernel.json"),
    JSON.stringify(
      {
        argv: [
          Deno.execPath(),
          "jupyter",
          "--kernel",
          "--conn",
          "{connection_file}",
        ],
        display_name: "Deno",
        language: "typescript",
      },
      null,
      2,
    ),
  );
  return base;
}
