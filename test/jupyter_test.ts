import { assert, assertEquals } from "./support/assert.ts";
import { countJunit } from "../tools/jupyter/junit.ts";
import { formatFailure } from "../tools/jupyter/execute.ts";
import { writeGallery } from "../tools/jupyter/figures.ts";
import { join } from "node:path";
import { NO_SERVER_HINT, serverArgs, SERVERS } from "../tools/jupyter/cli.ts";
import { ROOT } from "../tools/jupyter/kernel.ts";
import { Chart } from "../lib/viz/chart.ts";
import { decodePng, inkShare } from "./support/png.ts";

Deno.test("countJunit counts passes, failures, errors and skips", () => {
  const xml = `<?xml version="1.0"?><testsuites><testsuite name="a">
    <testcase name="one" time="0.1"/>
    <testcase name="two"><failure message="boom">trace</failure></testcase>
    <testcase name="three"><error message="x"/></testcase>
    <testcase name="four"><skipped/></testcase>
    <testcase name="five" time="1"></testcase>
  </testsuite></testsuites>`;
  assertEquals(countJunit(xml), { passed: 2, failed: 2, skipped: 1 });
});

Deno.test("formatFailure names the notebook, the cell, its source and the error", () => {
  const text = formatFailure({
    notebook: "00_tour.ipynb",
    ok: false,
    cells: 5,
    seconds: 1,
    error: {
      cell: 3,
      source: "throw new Error('x')",
      ename: "Error",
      evalue: "x",
      traceback: "\x1b[31mError: x\x1b[0m",
    },
  });
  assert(text.startsWith("00_tour.ipynb failed in code cell 3: Error: x"));
  assert(text.includes("throw new Error('x')"));
  assert(!text.includes("\x1b"), "colour codes stripped");
});

Deno.test("the gallery links every chart as svg and png", async () => {
  const dir = await Deno.makeTempDir();
  const path = await writeGallery(dir, [{
    notebook: "notebooks/00_tour.ipynb",
    run: { notebook: "00_tour.ipynb", ok: true, cells: 3, seconds: 2 },
    charts: ["01-loss", "02-digits"],
  }]);
  assertEquals(path, join(dir, "index.html"));
  const html = await Deno.readTextFile(path);
  for (const c of ["01-loss", "02-digits"]) {
    assert(
      html.includes(`src="00_tour/${c}.svg"`) &&
        html.includes(`href="00_tour/${c}.png"`),
    );
  }
});

Deno.test("serverArgs adds --allow-root for root only", () => {
  assertEquals(serverArgs("/nb", 0, ["--no-browser"]), [
    "--notebook-dir",
    "/nb",
    "--allow-root",
    "--no-browser",
  ]);
  assertEquals(serverArgs("/nb", 1000), ["--notebook-dir", "/nb"]);
});

const CLI = join(ROOT, "tools", "jupyter", "cli.ts");

async function haveServer(): Promise<boolean> {
  for (const server of SERVERS) {
    try {
      await new Deno.Command(server, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      }).output();
      return true;
    } catch { /* not installed */ }
  }
  return false;
}

Deno.test("deno task jupyter starts a notebook server with the Deno kernel, and stops with it", async () => {
  if (!(await haveServer())) {
    console.warn(
      "SKIPPED: no jupyter-lab or jupyter-notebook here (apt-get install jupyter-notebook)",
    );
    return;
  }
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "jupyter", "--no-browser", `--port=${port}`],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  child.stdout.pipeTo(new WritableStream()).catch(() => {});
  // Read stderr until the server prints its URL (with its token).
  let log = "";
  let url: string | undefined;
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const deadline = Date.now() + 90_000;
  try {
    while (!url && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      log += value;
      url = log.match(/http:\/\/(?:127\.0\.0\.1|localhost):\d+\/\S*token=\w+/)
        ?.[0];
    }
    assert(url, `the server printed no URL:\n${log}`);
    const { origin, searchParams } = new URL(url);
    const specs = await (await fetch(
      `${origin}/api/kernelspecs?token=${searchParams.get("token")}`,
    )).json();
    assert("deno" in specs.kernelspecs, JSON.stringify(specs));
  } finally {
    child.kill("SIGTERM");
    await child.status;
    reader.releaseLock();
    await child.stderr.cancel().catch(() => {});
  }
  // The server went down with the task.
  let refused = false;
  for (let i = 0; i < 50 && !refused; i++) {
    try {
      await (await fetch(`http://127.0.0.1:${port}/api`)).body?.cancel();
      await new Promise((r) => setTimeout(r, 100));
    } catch {
      refused = true;
    }
  }
  assert(refused, "the notebook server still answers after the task stopped");
});

Deno.test("deno task jupyter says what to install when no server is there", async () => {
  const empty = await Deno.makeTempDir();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "jupyter"],
      env: { PATH: empty },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 1);
    assert(err.includes(NO_SERVER_HINT), err);
  } finally {
    await Deno.remove(empty);
  }
});

Deno.test("decodePng and inkShare tell a drawn chart from a blank image", async () => {
  const chart = new Chart({
    data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
    mark: "bar",
    encoding: {
      x: { field: "x", type: "ordinal" },
      y: { field: "y", type: "quantitative" },
    },
  });
  const drawn = await decodePng(await chart.toPNG());
  const all = { x: 0, y: 0, width: drawn.width, height: drawn.height };
  assert(inkShare(drawn, all) > 0.02, "a bar chart has ink");
  const blank = new Chart({ mark: "point", width: 50, height: 50 });
  const white = await decodePng(await blank.toPNG());
  assert(
    inkShare(white, { ...all, width: white.width, height: white.height }) <
      0.001,
  );
});
