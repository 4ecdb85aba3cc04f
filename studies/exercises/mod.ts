/**
 * The exercise notebooks' checkers (hidden cases, typical mistakes with
 * hints, "not yet" for `todo()`), and the special functions students call.
 * Part of this repository's teaching material, not of the library.
 *
 * @module
 */

export { isTodo, todo, type Verdict } from "./check.ts";
export { checkDvBound, checkEmaUpdate } from "./mine.ts";
export { checkKsg, checkNeighbourCounts, type NeighbourCounts } from "./ksg.ts";
export { checkBinIndex, checkDiscreteMI } from "./layers.ts";
export { checkGoalIndicator, checkHsicV } from "./hsic.ts";
export {
  type BracketRungs,
  checkBracket,
  checkExpectedImprovement,
} from "./search.ts";
export { digamma, normalCdf } from "../../lib/_math/special.ts";
