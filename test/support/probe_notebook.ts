/**
 * A probe notebook for the runner: every output it makes carries a marker
 * naming its cell (`p07a` is cell 7's first output), so a test can tell
 * whether each output landed under its own cell.
 *
 * @module
 */

/** One code cell of the probe and the markers its outputs must carry. */
export interface ProbeCell {
  source: string;
  markers: string[];
  /** Text the cell's outputs must contain, e.g. a progress bar's final count. */
  expect?: string;
}

const mark = (cell: number, k: number) =>
  `p${String(cell).padStart(2, "0")}${"abcdefgh"[k]}`;

const frame = (m: string) => `pl.DataFrame({ marker: ["${m}"], x: [1.5] })`;

const chart = (m: string) =>
  `new Chart({ title: "${m}", data: { values: [{ x: 1, y: 2 }, { x: 2, y: 1 }] }, mark: "line", encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } })`;

/**
 * The probe's code cells: tables shown mid-cell and last, charts shown
 * mid-cell and last, plain values, console.log, a progress bar, and several
 * displays in one cell, in a fixed rotation.
 */
export function probeCells(count = 30): ProbeCell[] {
  const cells: ProbeCell[] = [{
    source: [
      'import pl from "nodejs-polars";',
      'import { Chart, display, progress, show } from "@infolens/infolens/viz";',
    ].join("\n"),
    markers: [],
  }];
  for (let i = 1; i < count; i++) {
    const m = (k: number) => mark(i, k);
    const kind = i % 6;
    let lines: string[];
    let markers: string[];
    let expect: string | undefined;
    if (kind === 0) {
      // a table mid-cell, a log, a plain value last
      lines = [
        `show(${frame(m(0))});`,
        `console.log("${m(1)}");`,
        `"${m(2)}"`,
      ];
      markers = [m(0), m(1), m(2)];
    } else if (kind === 1) {
      lines = [chart(m(0))];
      markers = [m(0)];
    } else if (kind === 2) {
      // several displays in one cell, the last also the cell's value
      lines = [
        `show(${frame(m(0))});`,
        `await display(${chart(m(1))});`,
        `show(${frame(m(2))})`,
      ];
      markers = [m(0), m(1), m(2)];
    } else if (kind === 3) {
      lines = [`console.log("${m(0)}");`, `({ marker: "${m(1)}" })`];
      markers = [m(0), m(1)];
    } else if (kind === 4) {
      lines = [
        `const bar${i} = progress({ total: 4, label: "${
          m(0)
        }", mode: "jupyter", intervalMs: 0 });`,
        `for (let k = 0; k < 4; k++) bar${i}.tick();`,
        `bar${i}.done();`,
        `console.log("${m(1)}");`,
      ];
      markers = [m(0), m(1)];
    } else {
      lines = [`${frame(m(0))}.height;`, `show(${frame(m(0))})`];
      markers = [m(0)];
    }
    cells.push({ source: lines.join("\n"), markers, expect });
  }
  return cells;
}

/** The probe as an nbformat 4 notebook for the Deno kernel. */
export function probeNotebook(cells: ProbeCell[]): unknown {
  return {
    cells: cells.map((c) => ({
      cell_type: "code",
      execution_count: null,
      metadata: {},
      outputs: [],
      source: c.source,
    })),
    metadata: {
      kernelspec: {
        display_name: "Deno",
        language: "typescript",
        name: "deno",
      },
      language_info: { name: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/**
 * The markers found in one executed cell's outputs, one entry per output
 * that carries it (images are skipped: base64 can spell a marker).
 */
export function markersIn(outputs: unknown[]): string[] {
  const found: string[] = [];
  for (const out of outputs as Record<string, unknown>[]) {
    const { data, text, metadata: _m, ...rest } = out;
    const { "image/png": _png, ...mimes } = (data ?? {}) as Record<
      string,
      unknown
    >;
    const textual = { mimes, text, rest };
    const seen = new Set(
      [...JSON.stringify(textual).matchAll(/p\d\d[a-h]/g)].map((m) => m[0]),
    );
    found.push(...seen);
  }
  return found;
}
