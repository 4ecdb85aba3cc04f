import { assert } from "./support/assert.ts";
import {
  importanceFindings,
  type ImportanceRow,
} from "../studies/hsic/importance_findings.ts";

const assertStringIncludes = (text: string, part: string) =>
  assert(text.includes(part), `expected "${part}" in:\n${text}`);

const row = (
  param: string,
  hsic: number,
  hsicGoal: number,
  pValue: number,
  fanova: number | null,
): ImportanceRow => ({
  param,
  hsic,
  hsicGoal,
  pValue,
  fanova,
  mdi: fanova,
  nActive: fanova === null ? 40 : 100,
});

Deno.test("importance findings follow the numbers", () => {
  // The goal-oriented order matches fANOVA's: no parameter is singled out.
  const agree = importanceFindings([
    row("a", 0.5, 0.3, 0.001, 0.6),
    row("b", 0.2, 0.1, 0.01, 0.3),
    row("c", 0.05, 0.02, 0.3, 0.1),
  ], { trials: 100 }).text;
  assertStringIncludes(agree, "agree** on the order of the 3 parameters");
  assertStringIncludes(agree, "ranks no significant parameter");
  // c jumps from last (fANOVA) to first (goal) and is significant.
  const differ = importanceFindings([
    row("a", 0.5, 0.1, 0.001, 0.6),
    row("b", 0.2, 0.05, 0.01, 0.3),
    row("c", 0.05, 0.3, 0.001, 0.1),
  ], { trials: 100 }).text;
  assertStringIncludes(
    differ,
    "sees what decides the best 10 %**: **c** (goal-oriented rank 1 of 3",
  );
  assert(!differ.includes("ranks no significant parameter"));
  // The same jump without significance is not claimed.
  const noise = importanceFindings([
    row("a", 0.5, 0.1, 0.001, 0.6),
    row("b", 0.2, 0.05, 0.01, 0.3),
    row("c", 0.05, 0.3, 0.2, 0.1),
  ], { trials: 100 }).text;
  assert(!noise.includes("**c**"), noise);
  // Orders that disagree are said to disagree.
  const reversed = importanceFindings([
    row("a", 0.5, 0.1, 0.5, 0.1),
    row("b", 0.2, 0.05, 0.5, 0.3),
    row("c", 0.05, 0.3, 0.5, 0.6),
  ], { trials: 100 }).text;
  assertStringIncludes(reversed, "disagree**");
});

Deno.test("importance findings name what Optuna left out, and work without Optuna", () => {
  const text = importanceFindings([
    row("a", 0.5, 0.3, 0.001, 0.6),
    row("m", 0.01, 0.02, 0.6, null),
  ], { trials: 100 }).text;
  assertStringIncludes(text, "**m** is present in 40 of 100 trials");
  assertStringIncludes(text, "not significant");
  const hsicOnly = importanceFindings([
    { ...row("a", 0.5, 0.3, 0.001, null), nActive: 100 },
  ], { trials: 100 }).text;
  assertStringIncludes(hsicOnly, "only HSIC is shown");
});
