/**
 * A chart: a Vega-Lite spec that shows itself in a notebook and saves as
 * SVG, PNG or `.vl.json`.
 *
 * In Jupyter it displays a bundle of `application/vnd.vegalite.v5+json` (the
 * key JupyterLab and VS Code register, used for vega-lite 6 specs too),
 * `image/png` rendered with resvg at twice the chart's size, with its display
 * size in the output's metadata (Jupyter Notebook 6, nbconvert HTML and
 * GitHub show the PNG), and `text/plain`. No `image/svg+xml`: nbconvert 6.5
 * prefers SVG over PNG and then sanitises it away, leaving a blank box. No
 * `text/html` either.
 *
 * A bundle returned from `Symbol.for("Jupyter.display")` cannot carry
 * metadata, so in a kernel a chart sends its own `display_data` (awaited, so
 * it is queued before the cell ends) and hands the kernel an empty bundle;
 * the headless runner drops that empty result. `display(chart)` shows a
 * chart from anywhere in a cell.
 *
 * When `INFOLENS_FIGURES_DIR` is set (the `figures` task sets it), every
 * chart a notebook displays is also written there as `.svg` and `.png`.
 *
 * @module
 */

import * as vl from "vega-lite";
import * as vega from "vega";
import { Resvg } from "@resvg/resvg-js";
import { encodeBase64 } from "./_base64.ts";
import { inJupyter, sendDisplay } from "./_jupyter.ts";

/** A Vega-Lite specification (plain JSON). */
// deno-lint-ignore no-explicit-any
export type VegaLiteSpec = Record<string, any>;

/** The Jupyter display bundle of a chart. */
export interface ChartBundle {
  /** The spec itself, for frontends that render Vega-Lite (JupyterLab). */
  "application/vnd.vegalite.v5+json": VegaLiteSpec;
  /**
   * The chart as PNG, base64, rendered from the SVG with resvg at twice its
   * display size (GitHub, Notebook 6 and nbconvert HTML show it).
   */
  "image/png": string;
  /** A one-line description, e.g. `Chart "mi-per-layer"`. */
  "text/plain": string;
}

/** The output metadata of a chart: the PNG's display size in CSS pixels. */
export interface ChartMetadata {
  /** Width and height at which to show the 2× PNG. */
  "image/png": { width: number; height: number };
}

/** What a chart sends to a notebook: the bundle and its metadata. */
export interface ChartDisplay {
  /** The MIME bundle. */
  data: ChartBundle;
  /** The PNG's display size. */
  metadata: ChartMetadata;
}

/** Options for {@linkcode Chart.toPNG}. */
export interface PngOptions {
  /** Pixel density: 2 renders at twice the spec's size. Default 2. */
  scale?: number;
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const SANS = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"];

let figureCounter = 0;

/**
 * A chart built from a Vega-Lite spec. Builders such as `lineChart` return
 * one; a notebook cell that ends with it shows it.
 *
 * @example
 * ```ts
 * import { Chart } from "./chart.ts";
 * const chart = new Chart({
 *   data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
 *   mark: "line",
 *   encoding: {
 *     x: { field: "x", type: "quantitative" },
 *     y: { field: "y", type: "quantitative" },
 *   },
 * }, { name: "demo" });
 * const svg = await chart.toSVG();
 * if (!svg.startsWith("<svg")) throw new Error("expected SVG");
 * ```
 */
export class Chart {
  /** The Vega-Lite spec, with `$schema` set. */
  readonly spec: VegaLiteSpec;
  /** A short file-safe name, used when the chart is saved by the figures task. */
  readonly name: string;
  #svg: Promise<string> | null = null;

  /** Wraps a Vega-Lite spec; `name` defaults to the spec's title. */
  constructor(spec: VegaLiteSpec, options: { name?: string } = {}) {
    if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
      throw new TypeError("Chart needs a Vega-Lite spec object");
    }
    this.spec = { $schema: SCHEMA, ...spec };
    this.name = slug(options.name ?? titleOf(spec) ?? "chart");
  }

  /** The compiled Vega spec. */
  toVega(): vega.Spec {
    try {
      return vl.compile(this.spec as vl.TopLevelSpec).spec as vega.Spec;
    } catch (e) {
      throw new Error(
        `invalid Vega-Lite spec for chart "${this.name}": ${
          (e as Error).message
        }`,
      );
    }
  }

  /** The chart as SVG text, rendered headless with vega (cached). */
  toSVG(): Promise<string> {
    this.#svg ??= (async () => {
      const view = new vega.View(vega.parse(this.toVega()), {
        renderer: "none",
      });
      try {
        return await view.toSVG();
      } finally {
        view.finalize();
      }
    })();
    return this.#svg;
  }

  /** The chart as PNG bytes, rasterised from the SVG with resvg. */
  async toPNG(options: PngOptions = {}): Promise<Uint8Array> {
    const scale = options.scale ?? 2;
    if (!(scale > 0) || !Number.isFinite(scale)) {
      throw new RangeError(`PNG scale must be a positive number, got ${scale}`);
    }
    const svg = await this.toSVG();
    const resvg = new Resvg(svg, {
      fitTo: { mode: "zoom", value: scale },
      background: "white",
      font: {
        loadSystemFonts: true,
        defaultFontFamily: SANS[0],
        sansSerifFamily: SANS[0],
      },
    });
    return new Uint8Array(resvg.render().asPng());
  }

  /**
   * Saves the chart; the extension picks the format: `.svg`, `.png` or
   * `.vl.json` (the Vega-Lite spec).
   */
  async save(path: string, options: PngOptions = {}): Promise<void> {
    if (path.endsWith(".svg")) {
      await Deno.writeTextFile(path, await this.toSVG());
    } else if (path.endsWith(".png")) {
      await Deno.writeFile(path, await this.toPNG(options));
    } else if (path.endsWith(".vl.json") || path.endsWith(".json")) {
      await Deno.writeTextFile(path, JSON.stringify(this.spec, null, 2));
    } else {
      throw new Error(
        `cannot tell the format of "${path}": end it in .svg, .png or .vl.json`,
      );
    }
  }

  /** The display bundle a notebook shows. */
  async bundle(): Promise<ChartBundle> {
    return (await this.displayData()).data;
  }

  /**
   * The bundle and its metadata: the PNG is rendered at scale 2 and shown at
   * half its pixel size, so it is sharp on dense screens and the size the
   * spec asks for everywhere.
   */
  async displayData(): Promise<ChartDisplay> {
    const scale = 2;
    const png = await this.toPNG({ scale });
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    return {
      data: {
        "application/vnd.vegalite.v5+json": this.spec,
        "image/png": encodeBase64(png),
        "text/plain": `Chart "${this.name}"`,
      },
      metadata: {
        "image/png": {
          width: Math.round(view.getUint32(16) / scale),
          height: Math.round(view.getUint32(20) / scale),
        },
      },
    };
  }

  /**
   * Shows the chart in the notebook now, from anywhere in a cell; resolves
   * when the kernel has queued it. Outside a kernel it prints the text line.
   * Also saves the chart when `INFOLENS_FIGURES_DIR` is set.
   */
  async display(): Promise<void> {
    const { data, metadata } = await this.displayData();
    await saveForFigures(this);
    if (inJupyter()) await sendDisplay(data, { metadata });
    else console.log(data["text/plain"]);
  }

  /**
   * Called by the Deno Jupyter kernel when a cell ends with the chart. In a
   * kernel the chart sends itself (see the module notes) and returns an
   * empty bundle; elsewhere it returns the bundle.
   */
  async [Symbol.for("Jupyter.display")](): Promise<
    ChartBundle | Record<string, never>
  > {
    if (inJupyter()) {
      await this.display();
      return {};
    }
    const { data } = await this.displayData();
    await saveForFigures(this);
    return data;
  }
}

/** Writes a displayed chart to `INFOLENS_FIGURES_DIR`, when that is set. */
async function saveForFigures(chart: Chart): Promise<void> {
  let dir: string | undefined;
  try {
    dir = Deno.env.get("INFOLENS_FIGURES_DIR");
  } catch {
    return;
  }
  if (!dir) return;
  await Deno.mkdir(dir, { recursive: true });
  figureCounter += 1;
  const stem = `${dir}/${String(figureCounter).padStart(2, "0")}-${chart.name}`;
  await chart.save(`${stem}.svg`);
  await chart.save(`${stem}.png`);
}

function titleOf(spec: VegaLiteSpec): string | undefined {
  const t = spec.title;
  if (typeof t === "string") return t;
  if (t && typeof t.text === "string") return t.text;
  return undefined;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(
    /^-+|-+$/g,
    "",
  ).slice(0, 60) || "chart";
}
