/**
 * The entry point of `deno task test`, `figures` and `jupyter`.
 *
 *   deno run -A tools/jupyter/cli.ts test      fmt, lint, check, doc lint, publish dry run,
 *                                              unit + doc + notebook tests
 *   deno run -A tools/jupyter/cli.ts figures   every notebook's charts into figures/
 *   deno run -A tools/jupyter/cli.ts jupyter   kernelspec, then a notebook server if installed
 *                                              (as root too; extra arguments go to the server)
 *
 * @module
 */

import { join } from "node:path";
import { buildFigures } from "./figures.ts";
import {
  ensureJupyter,
  ensureTestTools,
  JupyterSetupError,
  ROOT,
} from "./kernel.ts";
import { countJunit } from "./junit.ts";

async function step(label: string, args: string[]): Promise<boolean> {
  console.log(`\n== ${label}: deno ${args.join(" ")}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  console.log(
    code === 0 ? `== ${label}: ok` : `== ${label}: FAILED (exit ${code})`,
  );
  return code === 0;
}

/**
 * The files a deno.json publishes: its `exports`, one string or a map from
 * entry names to files, in the order written.
 *
 * @example
 * ```ts
 * import { exportPaths } from "./cli.ts";
 * const paths = exportPaths({ exports: { ".": "./lib/mod.ts", "./mi": "./lib/mi/mod.ts" } });
 * if (paths.join() !== "./lib/mod.ts,./lib/mi/mod.ts") throw new Error();
 * ```
 */
export function exportPaths(
  config: { exports?: string | Record<string, string> },
): string[] {
  const { exports } = config;
  if (exports === undefined) return [];
  return typeof exports === "string" ? [exports] : Object.values(exports);
}

async function test(extra: string[]): Promise<number> {
  try {
    await ensureJupyter();
  } catch (e) {
    if (!(e instanceof JupyterSetupError)) throw e;
    console.error(
      `\n${e.message}\nThe notebook tests will fail until it is installed.`,
    );
  }
  await ensureTestTools();
  // The scaling tests' services (PostgreSQL, Slurm); they skip without.
  // Those this task starts, it stops (by their pids) when it ends.
  const started = await services("start");
  try {
    return await runChecks(extra);
  } finally {
    if (started) await services("stop");
  }
}

/** Runs `.ci/services.sh start|stop`; true when `start` began the services. */
async function services(action: "start" | "stop"): Promise<boolean> {
  const dir = Deno.env.get("INFOLENS_SERVICES_DIR") ?? "/tmp/infolens-services";
  const running = () =>
    Deno.stat(join(dir, "env")).then(() => true, () => false);
  const before = await running();
  if (action === "start" && before) return false;
  await new Deno.Command("bash", {
    args: [".ci/services.sh", action],
    cwd: ROOT,
    stdin: "null",
  }).output().catch(() => {});
  return action === "start" && await running();
}

async function runChecks(extra: string[]): Promise<number> {
  let passed = 0;
  let failed = 0;
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  for (
    const [label, args] of [
      ["format", ["fmt", "--check"]],
      ["lint", ["lint"]],
      ["type check", [
        "check",
        "lib/",
        "studies/",
        "tools/",
        "test/",
        "bench/",
      ]],
      // Every entry together: a type exported by any of them is public.
      ["doc lint", ["doc", "--lint", "--quiet", ...exportPaths(config)]],
      ["publish dry run", ["publish", "--dry-run", "--allow-dirty", "--quiet"]],
    ] as const
  ) {
    if (await step(label, [...args])) passed++;
    else failed++;
  }
  const junit = join(ROOT, ".cache", "junit.xml");
  await Deno.mkdir(join(ROOT, ".cache"), { recursive: true });
  await Deno.remove(junit).catch(() => {});
  const ok = await step("tests", [
    "test",
    "-A",
    "--doc",
    `--junit-path=${junit}`,
    ...extra,
  ]);
  try {
    const counts = countJunit(await Deno.readTextFile(junit));
    passed += counts.passed;
    failed += counts.failed;
  } catch {
    failed++; // the runner died before writing its report
  }
  if (!ok && failed === 0) failed++; // e.g. a type error in a test file
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function figures(): Promise<number> {
  const results = await buildFigures();
  const bad = results.filter((r) => !r.run.ok);
  return bad.length === 0 ? 0 : 1;
}

/** The notebook servers tried, in order: JupyterLab, then Notebook. */
export const SERVERS: readonly string[] = ["jupyter-lab", "jupyter-notebook"];

/**
 * The arguments for a notebook server on `notebooks/`: `--allow-root` when
 * running as root (both servers refuse root without it), then `extra`.
 *
 * @example
 * ```ts
 * import { serverArgs } from "./cli.ts";
 * const args = serverArgs("/repo/notebooks", 0, ["--no-browser"]);
 * if (!args.includes("--allow-root")) throw new Error();
 * ```
 */
export function serverArgs(
  notebookDir: string,
  uid: number | null,
  extra: readonly string[] = [],
): string[] {
  return [
    "--notebook-dir",
    notebookDir,
    ...(uid === 0 ? ["--allow-root"] : []),
    ...extra,
  ];
}

/** What to print when no notebook server is installed. */
export const NO_SERVER_HINT =
  "The Deno kernelspec is installed, but no notebook server is. Install one:\n" +
  "  apt-get install jupyter-notebook     (Debian/Ubuntu, as root)\n" +
  "  pip install jupyterlab               (anywhere with pip)\n" +
  "then run `deno task jupyter` again, or open notebooks/ in VS Code with the Jupyter extension and pick the Deno kernel.";

function uid(): number | null {
  try {
    return Deno.uid();
  } catch {
    return null;
  }
}

async function jupyter(extra: string[]): Promise<number> {
  const install = await new Deno.Command(Deno.execPath(), {
    args: ["jupyter", "--install", "--force"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (install.code !== 0) {
    console.error(new TextDecoder().decode(install.stderr));
  }
  for (const server of SERVERS) {
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(server, {
        args: serverArgs(join(ROOT, "notebooks"), uid(), extra),
        stdin: "inherit",
        stdout: "inherit",
        stderr: "inherit",
      }).spawn();
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      continue;
    }
    // Stopping this task stops the server too, not just this process.
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    const forward = signals.map((signal) => {
      const handler = () => {
        try {
          child.kill(signal);
        } catch { /* already gone */ }
      };
      Deno.addSignalListener(signal, handler);
      return () => Deno.removeSignalListener(signal, handler);
    });
    const { code } = await child.status;
    forward.forEach((remove) => remove());
    return code;
  }
  console.error(NO_SERVER_HINT);
  return 1;
}

if (import.meta.main) {
  const [command, ...rest] = Deno.args;
  const commands: Record<string, (args: string[]) => Promise<number>> = {
    test,
    figures,
    jupyter,
  };
  const fn = commands[command];
  if (!fn) {
    console.error(
      `usage: deno run -A tools/jupyter/cli.ts <${
        Object.keys(commands).join("|")
      }>`,
    );
    Deno.exit(2);
  }
  Deno.exit(await fn(rest));
}
