// Executes every notebook in notebooks/ through the real Deno kernel
// (nbclient), on quick settings. A failing cell fails the test with the
// notebook, the cell and the error. It checks that cells run and that the
// charts they show land as files, not exact outputs: this kernel can report
// idle before its last outputs are flushed.
import { assert } from "./support/assert.ts";
import { basename, join } from "node:path";
import {
  executeNotebook,
  formatFailure,
  listNotebooks,
} from "../tools/jupyter/execute.ts";
import { ROOT } from "../tools/jupyter/kernel.ts";

const notebooks = await listNotebooks(join(ROOT, "notebooks"));

Deno.test("there are notebooks to run", () => {
  assert(notebooks.length > 0, "no notebooks found in notebooks/");
});

for (const notebook of notebooks) {
  Deno.test(`notebook ${basename(notebook)} runs in the Deno kernel`, async () => {
    const figures = await Deno.makeTempDir({ prefix: "infolens-figures-" });
    const run = await executeNotebook(notebook, {
      env: { INFOLENS_FIGURES_DIR: figures, INFOLENS_QUICK: "1" },
    });
    assert(run.ok, formatFailure(run));
    const files = [...Deno.readDirSync(figures)].map((e) => e.name);
    const svgs = files.filter((f) => f.endsWith(".svg"));
    assert(svgs.length > 0, `${basename(notebook)} showed no chart`);
    for (const svg of svgs) {
      const png = svg.replace(/\.svg$/, ".png");
      assert(files.includes(png), `${svg} has no ${png}`);
      assert(
        Deno.statSync(join(figures, png)).size > 1000,
        `${png} is nearly empty`,
      );
    }
    await Deno.remove(figures, { recursive: true });
  });
}
