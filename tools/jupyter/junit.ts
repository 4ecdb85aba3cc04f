/**
 * Counts passed and failed test cases in a JUnit XML report (the one
 * `deno test --junit-path` writes), for the test task's closing line.
 *
 * @module
 */

/**
 * Counts `<testcase>` elements and those holding a `<failure>` or `<error>`.
 *
 * @example
 * ```ts
 * import { countJunit } from "./junit.ts";
 * const xml = '<testsuites><testsuite><testcase name="a"/><testcase name="b"><failure message="x"/></testcase></testsuite></testsuites>';
 * const c = countJunit(xml);
 * if (c.passed !== 1 || c.failed !== 1) throw new Error();
 * ```
 */
export function countJunit(
  xml: string,
): { passed: number; failed: number; skipped: number } {
  let passed = 0, failed = 0, skipped = 0;
  const re = /<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of xml.matchAll(re)) {
    const body = m[2] ?? "";
    if (/<(failure|error)\b/.test(body)) failed++;
    else if (/<skipped\b/.test(body)) skipped++;
    else passed++;
  }
  return { passed, failed, skipped };
}
