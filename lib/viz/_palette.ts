/**
 * The categorical colours of every chart: Okabe & Ito's palette, which
 * readers with any common colour-vision deficiency can tell apart, with
 * black before the pale yellow so that up to seven series stay strong
 * against white.
 *
 * @module
 */

/** Okabe-Ito colours in the order series receive them. */
export const CATEGORY_COLORS: readonly string[] = [
  "#0072B2", // blue
  "#E69F00", // orange
  "#009E73", // bluish green
  "#D55E00", // vermillion
  "#CC79A7", // reddish purple
  "#56B4E9", // sky blue
  "#000000", // black
  "#F0E442", // yellow
];

/** A Vega-Lite `scale` for a nominal colour channel with {@linkcode CATEGORY_COLORS}. */
export const categoryScale = (): { range: string[] } => ({
  range: [...CATEGORY_COLORS],
});
