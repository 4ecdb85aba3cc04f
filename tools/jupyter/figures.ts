/**
 * The figures job: executes every notebook headless on its quick defaults,
 * collects every chart it shows under `figures/<notebook>/` as `.svg` and
 * `.png`, and writes `figures/index.html`, a gallery that opens from disk.
 *
 * @module
 */

import { basename, join, relative } from "node:path";
import {
  executeNotebook,
  formatFailure,
  listNotebooks,
  type NotebookRun,
} from "./execute.ts";
import { ROOT } from "./kernel.ts";
import { escapeHtml } from "../../lib/viz/_html.ts";

/** One notebook's figures. */
export interface NotebookFigures {
  notebook: string;
  run: NotebookRun;
  /** Chart stems written, e.g. "01-digits" (each has .svg and .png). */
  charts: string[];
}

/** Writes `index.html` for the notebooks' figures; returns its path. */
export async function writeGallery(
  outDir: string,
  results: NotebookFigures[],
): Promise<string> {
  const sections = results.map((r) => {
    const stem = basename(r.notebook, ".ipynb");
    const status = r.run.ok
      ? `ran in ${r.run.seconds.toFixed(1)} s`
      : `<strong>failed</strong>: <pre>${
        escapeHtml(formatFailure(r.run))
      }</pre>`;
    const figures = r.charts.map((c) =>
      `<figure><img src="${stem}/${c}.svg" alt="${c}" loading="lazy"><figcaption>${c} — <a href="${stem}/${c}.svg">svg</a> · <a href="${stem}/${c}.png">png</a></figcaption></figure>`
    ).join("\n");
    return `<section><h2>${
      escapeHtml(stem)
    }</h2><p>${status}; ${r.charts.length} chart(s)</p>\n${figures}</section>`;
  }).join("\n");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>infolens figures</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; }
figure { display: inline-block; margin: 1em; vertical-align: top; }
img { max-width: 640px; border: 1px solid #ddd; }
pre { white-space: pre-wrap; background: #fee; padding: 0.5em; }
</style></head><body>
<h1>infolens figures</h1>
<p>Generated ${
    new Date().toISOString()
  } by <code>deno task figures</code> (quick settings).</p>
${sections}
</body></html>
`;
  const path = join(outDir, "index.html");
  await Deno.writeTextFile(path, html);
  return path;
}

/**
 * Runs every notebook in `notebooks/` (or those given) and gathers figures.
 *
 * @example
 * ```ts ignore
 * import { buildFigures } from "./figures.ts";
 * const results = await buildFigures();
 * ```
 */
export async function buildFigures(
  options: {
    notebooks?: string[];
    outDir?: string;
    log?: (line: string) => void;
  } = {},
): Promise<NotebookFigures[]> {
  const outDir = options.outDir ?? join(ROOT, "figures");
  const log = options.log ?? ((line: string) => console.log(line));
  const notebooks = options.notebooks ??
    await listNotebooks(join(ROOT, "notebooks"));
  await Deno.mkdir(outDir, { recursive: true });
  const results: NotebookFigures[] = [];
  for (const nb of notebooks) {
    const stem = basename(nb, ".ipynb");
    const dir = join(outDir, stem);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await Deno.mkdir(dir, { recursive: true });
    log(`running ${relative(ROOT, nb)} …`);
    const run = await executeNotebook(nb, {
      env: { INFOLENS_FIGURES_DIR: dir, INFOLENS_QUICK: "1" },
      out: join(dir, `${stem}.ipynb`),
    });
    const charts: string[] = [];
    for await (const e of Deno.readDir(dir)) {
      if (e.name.endsWith(".svg")) charts.push(e.name.slice(0, -4));
    }
    charts.sort();
    log(
      run.ok
        ? `  ok: ${charts.length} chart(s) in ${run.seconds.toFixed(1)} s`
        : `  ${formatFailure(run)}`,
    );
    results.push({ notebook: nb, run, charts });
  }
  const index = await writeGallery(outDir, results);
  log(`gallery: ${relative(Deno.cwd(), index)}`);
  return results;
}
