/**
 * How readers see an executed notebook, for tests: its chart outputs, its
 * nbconvert HTML export, and a headless Chromium screenshot of a page.
 *
 * @module
 */

import { join } from "node:path";
import { findPython } from "../../tools/jupyter/kernel.ts";

/** One output of an executed notebook (nbformat 4). */
export interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  text?: string | string[];
}

/** Per code cell, its outputs. */
export function codeOutputs(notebook: string): Output[][] {
  const nb = JSON.parse(Deno.readTextFileSync(notebook));
  return nb.cells
    .filter((c: { cell_type: string }) => c.cell_type === "code")
    .map((c: { outputs: Output[] }) => c.outputs);
}

/** The chart outputs (those carrying a Vega-Lite spec), in order. */
export function chartOutputs(notebook: string): Output[] {
  return codeOutputs(notebook).flat().filter((o) =>
    o.data?.["application/vnd.vegalite.v5+json"] !== undefined
  );
}

/** `base64` of a PNG output, with the line breaks nbformat may add removed. */
export function pngOf(output: Output): string {
  const png = output.data?.["image/png"];
  const text = Array.isArray(png) ? png.join("") : String(png ?? "");
  return text.replace(/\s+/g, "");
}

/** The notebook as nbconvert's HTML (the installed nbconvert). */
export async function exportHtml(notebook: string): Promise<string> {
  const python = await findPython();
  if (!python) throw new Error("no python3 with nbconvert");
  const out = await new Deno.Command(python, {
    args: ["-m", "nbconvert", "--to", "html", "--stdout", notebook],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(
      `nbconvert failed: ${new TextDecoder().decode(out.stderr).slice(-2000)}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

/** An `<img>` with a PNG data URL in an HTML page. */
export interface PageImage {
  /** The whole tag. */
  tag: string;
  /** The base64 PNG. */
  png: string;
  /** The width and height attributes, or null when absent. */
  width: number | null;
  height: number | null;
}

/** Every `<img>` whose source is a PNG data URL, in page order. */
export function pngImages(html: string): PageImage[] {
  const found: PageImage[] = [];
  for (const m of html.matchAll(/<img\b[^>]*>/g)) {
    const src = m[0].match(/src="data:image\/png;base64,([^"]*)"/);
    if (!src) continue;
    const attr = (name: string) => {
      const a = m[0].match(new RegExp(`\\s${name}\\s*=\\s*"?(\\d+)`));
      return a ? Number(a[1]) : null;
    };
    found.push({
      tag: m[0],
      png: src[1].replace(/\s+/g, ""),
      width: attr("width"),
      height: attr("height"),
    });
  }
  return found;
}

/** Chromium's command, or null when none is installed. */
export async function findChromium(): Promise<string | null> {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      const out = await new Deno.Command(name, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (out.code === 0) return name;
    } catch { /* not installed */ }
  }
  return null;
}

/** A screenshot (PNG bytes) of an HTML page in headless Chromium. */
export async function screenshot(
  chromium: string,
  html: string,
  size: { width: number; height: number },
): Promise<Uint8Array> {
  const dir = await Deno.makeTempDir({ prefix: "infolens-shot-" });
  try {
    const page = join(dir, "page.html");
    const shot = join(dir, "shot.png");
    await Deno.writeTextFile(page, html);
    const root = Deno.uid() === 0;
    const out = await new Deno.Command(chromium, {
      args: [
        "--headless",
        ...(root ? ["--no-sandbox"] : []),
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        `--user-data-dir=${join(dir, "profile")}`,
        `--window-size=${size.width},${size.height}`,
        `--screenshot=${shot}`,
        `file://${page}`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    try {
      return await Deno.readFile(shot);
    } catch {
      throw new Error(
        `chromium wrote no screenshot (exit ${out.code}): ${
          new TextDecoder().decode(out.stderr).slice(-2000)
        }`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
