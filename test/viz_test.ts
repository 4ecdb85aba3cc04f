import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "./support/assert.ts";
import { XMLValidator } from "fast-xml-parser";
import pl from "nodejs-polars";
import { join } from "node:path";
import { Chart } from "../lib/viz/chart.ts";
import {
  barChart,
  heatmap,
  layer,
  lineChart,
  scatterChart,
} from "../lib/viz/builders.ts";
import { show } from "../lib/viz/show.ts";
import { Progress, progress, resolveMode, track } from "../lib/viz/progress.ts";

const DISPLAY = Symbol.for("Jupyter.display");
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const rows = Array.from(
  { length: 20 },
  (_, i) => ({ step: i, loss: Math.exp(-i / 5), run: i % 2 ? "a" : "b" }),
);

function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function checkChart(chart: Chart): Promise<void> {
  // deno-lint-ignore no-explicit-any
  const bundle = await (chart as any)[DISPLAY]();
  // No SVG in the bundle: nbconvert 6.5 would pick it and strip it.
  assertEquals(Object.keys(bundle).sort(), [
    "application/vnd.vegalite.v5+json",
    "image/png",
    "text/plain",
  ]);
  assert(!("text/html" in bundle));
  const svg = await chart.toSVG();
  assertEquals(XMLValidator.validate(svg), true, "the SVG parses as XML");
  assert(svg.startsWith("<svg") && svg.includes("</svg>"));
  const png = decodeBase64(bundle["image/png"]);
  assertEquals([...png.subarray(0, 8)], PNG_MAGIC);
  assert(png.length > 5_000, `PNG is only ${png.length} bytes`);
  // IHDR width and height are big-endian at bytes 16..24; scale 2 doubles them.
  const view = new DataView(png.buffer, png.byteOffset);
  assert(view.getUint32(16) > 300 && view.getUint32(20) > 200);
  assertEquals(bundle["application/vnd.vegalite.v5+json"], chart.spec);
  // The PNG is 2×; its metadata gives the size to show it at.
  const { metadata } = await chart.displayData();
  assertEquals(metadata["image/png"], {
    width: view.getUint32(16) / 2,
    height: view.getUint32(20) / 2,
  });
}

Deno.test("line, scatter, bar with error bars, heatmap and layers render to a full bundle", async () => {
  await checkChart(
    lineChart(rows, {
      x: "step",
      y: "loss",
      color: "run",
      yLog: true,
      title: "Loss",
    }),
  );
  await checkChart(scatterChart(rows, { x: "step", y: "loss" }));
  await checkChart(
    barChart([{ m: "x", v: 1, se: 0.1 }, { m: "y", v: 2, se: 0.3 }], {
      x: "m",
      y: "v",
      error: "se",
    }),
  );
  await checkChart(heatmap(
    [{ r: "a", c: "p", v: 1 }, { r: "a", c: "q", v: 2 }, {
      r: "b",
      c: "p",
      v: 3,
    }, { r: "b", c: "q", v: 4 }],
    { x: "c", y: "r", color: "v", labels: true },
  ));
  await checkChart(
    layer(
      lineChart(rows, { x: "step", y: "loss" }),
      scatterChart(rows, { x: "step", y: "loss" }),
    ),
  );
});

Deno.test("error bars span value ± error in the SVG", async () => {
  const chart = barChart([{ m: "x", v: 10, se: 2 }], {
    x: "m",
    y: "v",
    error: "se",
    title: "bars",
  });
  assertEquals(chart.spec.layer[1].mark.type, "rule");
  const svg = await chart.toSVG();
  assert(svg.includes('class="mark-rule'), "an error bar is drawn");
  assert(svg.includes('class="mark-rect'), "a bar is drawn");
});

Deno.test("grouped bars: one bar per colour in each category, error bars beside their bar, data order kept", async () => {
  const data = [
    { signal: "zeta", metric: "τ", value: 0.5, se: 0.1 },
    { signal: "zeta", metric: "ρ", value: 0.7, se: 0.1 },
    { signal: "alpha", metric: "τ", value: 0.2, se: 0.05 },
    { signal: "alpha", metric: "ρ", value: 0.3, se: 0.05 },
  ];
  const chart = barChart(data, {
    x: "signal",
    y: "value",
    error: "se",
    color: "metric",
    keepOrder: true,
  });
  for (const l of chart.spec.layer) {
    assertEquals(l.encoding.xOffset, { field: "metric", type: "nominal" });
    assertEquals(l.encoding.x.sort, null);
  }
  const svg = await chart.toSVG();
  assertEquals(svg.match(/<path aria-label="signal: [^"]*; value/g)?.length, 4);
  // "zeta" comes first on the axis because it comes first in the data.
  assert(svg.indexOf(">zeta<") < svg.indexOf(">alpha<"), "data order");
  assertThrows(
    () => barChart(data, { x: "signal", y: "value", color: "kind" }),
    /no field "kind"/,
  );
  // Without color and keepOrder the spec is what it was.
  const plain = barChart(data, { x: "signal", y: "value" });
  assertEquals(Object.keys(plain.spec.layer[0].encoding), ["x", "y"]);
  assertEquals("sort" in plain.spec.layer[0].encoding.x, false);
});

Deno.test("builders take DataFrames and refuse unknown fields and empty data", () => {
  const df = pl.DataFrame({ step: [0, 1, 2], loss: [1, 0.5, 0.25] });
  const chart = lineChart(df, { x: "step", y: "loss" });
  assertEquals(chart.spec.data.values.length, 3);
  assertThrows(
    () => lineChart(df, { x: "epoch", y: "loss" }),
    /no field "epoch" in the chart data; it has: step, loss/,
  );
  assertThrows(() => lineChart([], { x: "a", y: "b" }), /at least one row/);
});

Deno.test("save writes .svg, .png and .vl.json, and refuses other extensions", async () => {
  const dir = await Deno.makeTempDir();
  const chart = lineChart(rows, { x: "step", y: "loss", title: "Saved chart" });
  assertEquals(chart.name, "saved-chart");
  await chart.save(join(dir, "c.svg"));
  await chart.save(join(dir, "c.png"));
  await chart.save(join(dir, "c.vl.json"));
  assert((await Deno.readTextFile(join(dir, "c.svg"))).startsWith("<svg"));
  assertEquals(
    [...(await Deno.readFile(join(dir, "c.png"))).subarray(0, 8)],
    PNG_MAGIC,
  );
  assertEquals(
    JSON.parse(await Deno.readTextFile(join(dir, "c.vl.json"))).mark.type,
    "line",
  );
  await assertRejects(
    () => chart.save(join(dir, "c.pdf")),
    /end it in .svg, .png or .vl.json/,
  );
  await assertRejects(() => chart.toPNG({ scale: 0 }), /positive number/);
});

Deno.test("a displayed chart lands in INFOLENS_FIGURES_DIR when it is set", async () => {
  const dir = await Deno.makeTempDir();
  Deno.env.set("INFOLENS_FIGURES_DIR", dir);
  try {
    // deno-lint-ignore no-explicit-any
    await (lineChart(rows, { x: "step", y: "loss", title: "Figure me" }) as any)
      [DISPLAY]();
  } finally {
    Deno.env.delete("INFOLENS_FIGURES_DIR");
  }
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assertEquals(names.length, 2);
  assert(
    names[0].endsWith("-figure-me.png") && names[1].endsWith("-figure-me.svg"),
    names.join(),
  );
});

Deno.test("an invalid spec fails with the chart's name", async () => {
  const chart = new Chart({ mark: "nonsense-mark", data: { values: [] } }, {
    name: "bad",
  });
  await assertRejects(() => chart.toSVG(), /chart "bad"/);
  // deno-lint-ignore no-explicit-any
  assertThrows(() => new Chart(null as any), /Vega-Lite spec object/);
});

Deno.test("show gives shape, dtypes and a truncated table", () => {
  const df = pl.DataFrame({
    id: Array.from({ length: 100 }, (_, i) => i),
    value: Array.from({ length: 100 }, (_, i) => i / 3),
    name: Array.from({ length: 100 }, (_, i) => `n${i}`),
  });
  const shown = show(df, { rows: 4 });
  const lines = shown.text.split("\n");
  assertEquals(lines[0], "shape: (100, 3)");
  assert(
    lines[1].includes("id") && lines[1].includes("value") &&
      lines[1].includes("name"),
  );
  assert(lines[2].includes("Float64") && lines[2].includes("String"));
  assertEquals(
    lines.length,
    4 + 2 + 1 + 2,
    "header, 2 head rows, ellipsis, 2 tail rows",
  );
  assert(lines.at(-1)!.startsWith("99"));
  assert(
    shown.text.includes("0.3333") && !shown.text.includes("0.33333"),
    "4 significant digits",
  );
  // deno-lint-ignore no-explicit-any
  const bundle = (shown as any)[DISPLAY]();
  assert(bundle["text/html"].includes("<table>"));
  assertEquals(bundle["text/plain"], shown.text);
  // Wide frames elide middle columns.
  const wide = pl.DataFrame(
    Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`c${i}`, [i]])),
  );
  const header = show(wide, { columns: 6 }).text.split("\n")[1];
  assert(
    header.includes("c0") && header.includes("c29") && header.includes("…") &&
      !header.includes("c10"),
  );
  // deno-lint-ignore no-explicit-any
  assertThrows(() => show([] as any), /nodejs-polars DataFrame/);
  assertThrows(() => show(df, { rows: 0 }), /positive integer/);
});

Deno.test("progress counts, formats and stays quiet in CI", () => {
  const bar = progress({ total: 4, label: "fit", mode: "quiet" });
  bar.tick();
  bar.tick(2, { loss: 0.123456 });
  assert(
    bar.text().startsWith("fit [##################......] 3/4"),
    bar.text(),
  );
  assert(bar.text().includes("loss=0.1235"));
  bar.done();
  assertEquals(bar.value, 3);
  const ci = Deno.env.get("CI");
  Deno.env.set("CI", "true");
  try {
    assertEquals(resolveMode("auto"), "quiet");
  } finally {
    if (ci === undefined) Deno.env.delete("CI");
    else Deno.env.set("CI", ci);
  }
  assertEquals([...track([1, 2, 3], { mode: "quiet" })], [1, 2, 3]);
  assertThrows(() => new Progress({ total: -1 }), /non-negative/);
});

Deno.test("progress draws a bar on a terminal", async () => {
  // A child process with a pty is overkill: check the terminal renderer
  // writes carriage-return lines by running it with stderr piped.
  const code = `
    import { progress } from "${new URL(
    "../lib/viz/progress.ts",
    import.meta.url,
  )}";
    const bar = progress({ total: 2, label: "t", mode: "terminal", intervalMs: 0 });
    bar.tick(); bar.tick(); bar.done();
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stderr);
  assert(
    text.includes("\r") && text.includes("t [############............] 1/2"),
    JSON.stringify(text),
  );
  const last = text.split("\r").at(-1)!;
  assert(
    last.includes("t [########################] 2/2"),
    JSON.stringify(last),
  );
  assert(text.endsWith("\n"), "the final draw ends the line");
});
