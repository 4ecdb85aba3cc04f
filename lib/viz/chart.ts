/**
 * A chart: a Vega-Lite spec that shows itself in a notebook and saves as
 * SVG, PNG or `.vl.json`.
 *
 * In Jupyter it displays a bundle of `application/vnd.vegalite.v5+json` (the
 * key JupyterLab and VS Code register, used for vega-lite 6 specs too),
 * `image/svg+xml` rendered headless with vega, `image/png` rendered from that
 * SVG with resvg (so GitHub and nbconvert HTML show it), and `text/plain`;
 * never `text/html`.
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

/** A Vega-Lite specification (plain JSON). */
// deno-lint-ignore no-explicit-any
export type VegaLiteSpec = Record<string, any>;

/** The Jupyter display bundle of a chart. */
export interface ChartBundle {
  /** The spec itself, for frontends that render Vega-Lite (JupyterLab). */
  "application/vnd.vegalite.v5+json": VegaLiteSpec;
  /** The chart as SVG, rendered headless with vega. */
  "image/svg+xml": string;
  /**
   * The chart as PNG, base64, rendered from the SVG with resvg (GitHub and
   * nbconvert HTML show it).
   */
  "image/png": string;
  /** A one-line description, e.g. `Chart "mi-per-layer"`. */
  "text/plain": string;
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
    const [svg, png] = await Promise.all([this.toSVG(), this.toPNG()]);
    return {
      "application/vnd.vegalite.v5+json": this.spec,
      "image/svg+xml": svg,
      "image/png": encodeBase64(png),
      "text/plain": `Chart "${this.name}"`,
    };
  }

  /** Called by the Deno Jupyter kernel when a cell shows the chart. */
  async [Symbol.for("Jupyter.display")](): Promise<ChartBundle> {
    const bundle = await this.bundle();
    await saveForFigures(this);
    return bundle;
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
