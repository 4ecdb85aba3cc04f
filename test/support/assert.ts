/**
 * Std-style assertions over node:assert (the Deno standard library lives on
 * JSR, which this project cannot reach).
 *
 * @module
 */

import strict from "node:assert/strict";

// node's overloads reject `string | undefined`; an undefined message keeps
// node's own description of the failure.
const nodeAssert = strict as unknown as {
  ok(value: unknown, message?: string): void;
  deepStrictEqual(actual: unknown, expected: unknown, message?: string): void;
  notDeepStrictEqual(
    actual: unknown,
    expected: unknown,
    message?: string,
  ): void;
  match(text: string, pattern: RegExp, message?: string): void;
  fail(message: string): never;
};

/** Fails unless `cond` is truthy. */
export function assert(cond: unknown, message?: string): asserts cond {
  nodeAssert.ok(cond, message);
}

/** Deep, strict equality. */
export function assertEquals<T>(
  actual: T,
  expected: T,
  message?: string,
): void {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

/** Deep, strict inequality. */
export function assertNotEquals<T>(
  actual: T,
  expected: T,
  message?: string,
): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message);
}

/** |actual - expected| <= tolerance. */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance = 1e-7,
  message?: string,
): void {
  nodeAssert.ok(
    Math.abs(actual - expected) <= tolerance,
    message ?? `expected ${actual} to be within ${tolerance} of ${expected}`,
  );
}

type Matcher = RegExp | (new (...args: never[]) => Error);

function check(error: unknown, matcher?: Matcher): void {
  if (matcher === undefined) return;
  if (matcher instanceof RegExp) {
    const text = error instanceof Error ? error.message : String(error);
    nodeAssert.match(text, matcher);
  } else {
    nodeAssert.ok(
      error instanceof matcher,
      `expected a ${matcher.name}, got ${(error as Error)?.name}: ${
        (error as Error)?.message
      }`,
    );
  }
}

/** `fn` must throw; the error must match the class or the message pattern. */
export function assertThrows(fn: () => unknown, matcher?: Matcher): void {
  try {
    fn();
  } catch (e) {
    check(e, matcher);
    return;
  }
  nodeAssert.fail("expected the function to throw");
}

/** `fn` must reject; the error must match the class or the message pattern. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  matcher?: Matcher,
): Promise<void> {
  try {
    await fn();
  } catch (e) {
    check(e, matcher);
    return;
  }
  nodeAssert.fail("expected the promise to reject");
}
