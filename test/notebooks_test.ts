// Executes notebooks through the real Deno kernel (nbclient), on quick
// settings, and checks them as readers see them:
// - a 30-cell probe notebook, run 10 times (INFOLENS_PROBE_RUNS), finds every
//   output under its own cell every time: the runner waits for the outputs
//   this kernel sends after it reports a cell idle;
// - each notebook in notebooks/ runs, and the charts in the executed
//   notebook are exactly the charts the figures job saved, in order;
// - its nbconvert HTML shows every chart as a sized PNG <img>, and headless
//   Chromium draws the first notebook's charts as non-blank images.
import { assert, assertEquals } from "./support/assert.ts";
import { basename, join } from "node:path";
import { encodeBase64 } from "../lib/viz/_base64.ts";
import {
  executeNotebook,
  formatFailure,
  listNotebooks,
} from "../tools/jupyter/execute.ts";
import { ROOT } from "../tools/jupyter/kernel.ts";
import {
  markersIn,
  probeCells,
  probeNotebook,
} from "./support/probe_notebook.ts";
import {
  chartOutputs,
  codeOutputs,
  exportHtml,
  findChromium,
  pngImages,
  pngOf,
  screenshot,
} from "./support/notebook_views.ts";
import { decodePng, inkShare } from "./support/png.ts";

const notebooks = await listNotebooks(join(ROOT, "notebooks"));

Deno.test("there are notebooks to run", () => {
  assert(notebooks.length > 0, "no notebooks found in notebooks/");
});

Deno.test("every output of a 30-cell probe notebook lands under its own cell, run after run", async () => {
  const runs = Number(Deno.env.get("INFOLENS_PROBE_RUNS") ?? "10");
  const cells = probeCells(30);
  // Inside the repository, so the kernel finds deno.json and its imports.
  const dir = join(ROOT, ".cache", "probe");
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, "probe.ipynb");
  const out = join(dir, "probe.executed.ipynb");
  await Deno.writeTextFile(path, JSON.stringify(probeNotebook(cells)));
  const misplaced: string[] = [];
  for (let run = 1; run <= runs; run++) {
    const result = await executeNotebook(path, { out });
    assert(result.ok, formatFailure(result));
    const outputs = codeOutputs(out);
    assertEquals(outputs.length, cells.length);
    cells.forEach((cell, i) => {
      // Each output carries its cell's marker once: none missing, none
      // under another cell, none shown twice.
      const got = markersIn(outputs[i]).sort();
      const want = [...cell.markers].sort();
      if (got.join() !== want.join()) {
        misplaced.push(`run ${run}, cell ${i}: want ${want}, got ${got}`);
      }
      if (cell.expect && !JSON.stringify(outputs[i]).includes(cell.expect)) {
        misplaced.push(`run ${run}, cell ${i}: no "${cell.expect}"`);
      }
    });
  }
  assertEquals(misplaced, [], misplaced.join("\n"));
});

/** Checks that Chromium draws each chart image of an export, not a blank. */
async function checkDrawn(name: string, html: string): Promise<void> {
  const chromium = await findChromium();
  if (!chromium) {
    console.warn(
      `SKIPPED the Chromium check of ${name}: no chromium here (apt-get install chromium)`,
    );
    return;
  }
  const images = pngImages(html).slice(0, 4);
  assert(images.length > 0, `${name}: no chart image to draw`);
  // The export's own <img> tags, stacked, so each one's box is known.
  const page = `<!doctype html><body style="margin:0;background:#fff">${
    images.map((im) =>
      im.tag.replace(/^<img/, '<img style="display:block;margin:0;border:0"')
    ).join("")
  }</body>`;
  const width = Math.max(...images.map((im) => im.width!));
  const height = images.reduce((sum, im) => sum + im.height!, 0);
  const shot = await decodePng(
    await screenshot(chromium, page, { width, height }),
  );
  let y = 0;
  for (const [k, im] of images.entries()) {
    const box = { x: 0, y, width: im.width!, height: im.height! };
    const ink = inkShare(shot, box);
    assert(ink > 0.01, `${name}: chart ${k + 1} draws blank (${ink} ink)`);
    y += im.height!;
  }
  // Below the last chart the page is white: the boxes were where we looked.
  assert(
    inkShare(shot, { x: 0, y, width, height: shot.height - y }) < 0.001,
    `${name}: the images are not laid out at their stated sizes`,
  );
}

for (const [index, notebook] of notebooks.entries()) {
  const name = basename(notebook);
  Deno.test(`notebook ${name} runs in the Deno kernel and shows every chart`, async () => {
    const figures = await Deno.makeTempDir({ prefix: "infolens-figures-" });
    const executed = join(figures, name);
    try {
      const run = await executeNotebook(notebook, {
        env: { INFOLENS_FIGURES_DIR: figures, INFOLENS_QUICK: "1" },
        out: executed,
      });
      assert(run.ok, formatFailure(run));

      // The charts the figures job saved are the charts in the notebook.
      const files = [...Deno.readDirSync(figures)].map((e) => e.name).sort();
      const pngs = files.filter((f) => f.endsWith(".png"));
      assert(pngs.length > 0, `${name} showed no chart`);
      for (const png of pngs) {
        const svg = png.replace(/\.png$/, ".svg");
        assert(files.includes(svg), `${png} has no ${svg}`);
      }
      const charts = chartOutputs(executed);
      assertEquals(
        charts.map((c) => [c.data!["text/plain"]].flat().join("")),
        pngs.map((f) => `Chart "${f.replace(/^\d+-|\.png$/g, "")}"`),
        `${name}: the executed notebook's charts differ from the saved ones`,
      );
      for (const [k, chart] of charts.entries()) {
        const saved = encodeBase64(await Deno.readFile(join(figures, pngs[k])));
        assert(pngOf(chart) === saved, `${pngs[k]} differs from its output`);
        assert(!("image/svg+xml" in chart.data!), "no SVG in the bundle");
        const size = chart.metadata?.["image/png"] as
          | { width: number; height: number }
          | undefined;
        assert(size && size.width > 0 && size.height > 0, "PNG size");
      }

      // Progress bars are saved in their final state.
      for (const output of codeOutputs(executed).flat()) {
        const html = [output.data?.["text/html"] ?? ""].flat().join("");
        for (
          const bar of html.matchAll(/<progress value="(\d+)" max="(\d+)"/g)
        ) {
          assertEquals(
            bar[1],
            bar[2],
            `${name}: a progress bar saved at ${bar[0]}`,
          );
        }
      }

      // nbconvert's HTML shows each chart as a PNG <img> at its size.
      const html = await exportHtml(executed);
      const images = pngImages(html);
      for (const [k, chart] of charts.entries()) {
        const img = images.find((im) => im.png === pngOf(chart));
        assert(img, `${name}: chart ${pngs[k]} is not an image in the HTML`);
        const size = chart.metadata!["image/png"] as Record<string, number>;
        assertEquals(
          [img.width, img.height],
          [size.width, size.height],
          `${name}: ${pngs[k]} has no display size in the HTML`,
        );
      }
      if (index === 0) await checkDrawn(name, html);
    } finally {
      await Deno.remove(figures, { recursive: true });
    }
  });
}
