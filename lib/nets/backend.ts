/**
 * Picks the tfjs backend that trains critics and networks.
 *
 * `auto` prefers `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`,
 * when the user has installed them, and otherwise the WebAssembly backend
 * (single-threaded with SIMD under Deno), which always loads. The variable
 * `INFOLENS_BACKEND` overrides the name passed in code, so a notebook can be
 * moved to a GPU without editing it.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";

import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

/** Backends that {@linkcode setBackend} knows. */
export type BackendName =
  | "auto"
  | "wasm"
  | "cpu"
  | "tensorflow"
  | "tensorflow-gpu"
  | "webgpu";

const NAMES: readonly BackendName[] = [
  "auto",
  "wasm",
  "cpu",
  "tensorflow",
  "tensorflow-gpu",
  "webgpu",
];

/** What is active after {@linkcode setBackend}. */
export interface BackendInfo {
  /** The name asked for (after the environment override). */
  requested: BackendName;
  /** The tfjs backend now active: "wasm", "cpu", "tensorflow" or "webgpu". */
  active: string;
  /** A line for people, e.g. "wasm (SIMD, 1 thread)". */
  description: string;
  /** The tfjs version. */
  tfjsVersion: string;
}

/** The error raised when a backend cannot be loaded. */
export class BackendError extends InfolensError {
  /** Always "BackendError", so stack traces and logs name the class. */
  override name = "BackendError";
}

const NODE_PACKAGES = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
} as const;

function installHint(pkg: string): string {
  return `install it with \`deno add npm:${pkg}@${tf.version.tfjs} && deno approve-scripts ${pkg}\` ` +
    `(its install script downloads libtensorflow, so it needs internet access${
      pkg.endsWith("gpu") ? " and CUDA" : ""
    }), or use "wasm"`;
}

// A variable specifier keeps type checking from resolving optional packages.
async function tryImport(specifier: string): Promise<unknown> {
  return await import(specifier);
}

async function loadNode(kind: "tensorflow" | "tensorflow-gpu"): Promise<void> {
  const pkg = NODE_PACKAGES[kind];
  try {
    await tryImport(pkg);
  } catch (e) {
    throw new BackendError(
      `backend "${kind}" needs ${pkg}, which could not be loaded (${
        (e as Error).message.split("\n")[0]
      }); ${installHint(pkg)}`,
    );
  }
  if (!tf.findBackend("tensorflow")) {
    throw new BackendError(
      `${pkg} loaded but registered no "tensorflow" backend with this tfjs (${tf.version.tfjs}); ` +
        `pin ${pkg} to the same version as @tensorflow/tfjs`,
    );
  }
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) {
    throw new BackendError(`tfjs could not initialise backend "${name}"`);
  }
  await tf.ready();
  if (name === "cpu") {
    // The cpu backend prints a banner urging tfjs-node on its first tensor;
    // setBackend's description already says which backend runs, and
    // "tensorflow" is one option away, so a notebook need not carry it.
    const cpu = tf.backend() as { firstUse?: boolean };
    if (cpu.firstUse === true) cpu.firstUse = false;
  }
}

let current: BackendInfo | null = null;

/**
 * Chooses and initialises the tfjs backend. `INFOLENS_BACKEND`, when set,
 * overrides `name`. Asking for a backend that cannot load throws a
 * {@linkcode BackendError} that names what is missing and how to install it.
 *
 * @example
 * ```ts
 * import { setBackend } from "./backend.ts";
 * const info = await setBackend("wasm");
 * if (info.active !== "wasm") throw new Error(info.description);
 * ```
 */
export async function setBackend(
  name: BackendName = "auto",
): Promise<BackendInfo> {
  const fromEnv = envBackend();
  const requested = fromEnv ?? name;
  if (!NAMES.includes(requested)) {
    throw new BackendError(
      `unknown backend "${requested}"${
        fromEnv ? " (from INFOLENS_BACKEND)" : ""
      }; choose one of ${NAMES.join(", ")}`,
    );
  }
  switch (requested) {
    case "auto": {
      let loaded = false;
      for (const kind of ["tensorflow-gpu", "tensorflow"] as const) {
        try {
          await loadNode(kind);
          loaded = true;
          break;
        } catch {
          // not installed: fall through to the next choice
        }
      }
      await activate(loaded ? "tensorflow" : "wasm");
      break;
    }
    case "tensorflow":
    case "tensorflow-gpu":
      await loadNode(requested);
      await activate("tensorflow");
      break;
    case "webgpu": {
      if (!("gpu" in navigator) || !navigator.gpu) {
        throw new BackendError(
          'backend "webgpu" needs navigator.gpu, which this runtime does not offer (no GPU adapter); use "wasm"',
        );
      }
      try {
        await tryImport("@tensorflow/tfjs-backend-webgpu");
      } catch (e) {
        throw new BackendError(
          `backend "webgpu" needs @tensorflow/tfjs-backend-webgpu (${
            (e as Error).message.split("\n")[0]
          }); add it with \`deno add npm:@tensorflow/tfjs-backend-webgpu@${tf.version.tfjs}\``,
        );
      }
      await activate("webgpu");
      break;
    }
    default:
      await activate(requested);
  }
  current = {
    requested,
    active: tf.getBackend(),
    description: await describeActive(),
    tfjsVersion: tf.version.tfjs,
  };
  return current;
}

function envBackend(): BackendName | undefined {
  try {
    const v = Deno.env.get("INFOLENS_BACKEND");
    return v ? (v as BackendName) : undefined;
  } catch {
    return undefined; // no --allow-env: no override
  }
}

async function describeActive(): Promise<string> {
  const active = tf.getBackend();
  if (active === "wasm") {
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    return `wasm (${simd ? "SIMD" : "no SIMD"}, ${
      threads ? "multi-threaded" : "1 thread"
    })`;
  }
  return active;
}

/**
 * The active backend, initialising the default (`auto`, or
 * `INFOLENS_BACKEND`) on first use.
 *
 * @example
 * ```ts
 * import { ensureBackend } from "./backend.ts";
 * const info = await ensureBackend();
 * console.log(info.description);
 * ```
 */
export async function ensureBackend(): Promise<BackendInfo> {
  return current ?? await setBackend();
}

/**
 * Whether `e` is the WebAssembly heap failing (`RuntimeError: memory access
 * out of bounds`, an unreachable trap): after one, the wasm backend's heap
 * is corrupt and every later call on it fails the same way.
 *
 * @example
 * ```ts
 * import { isHeapFailure } from "./backend.ts";
 * if (isHeapFailure(new Error("x"))) throw new Error("only wasm traps");
 * ```
 */
export function isHeapFailure(e: unknown): boolean {
  return e instanceof WebAssembly.RuntimeError;
}

/**
 * Replaces a WebAssembly backend whose heap failed with a fresh one, so the
 * process (a notebook's kernel) goes on without a restart. Every tensor made
 * before on the old backend is lost (reading one throws); models must be
 * built again; they still count in `tf.memory()`. Does nothing on other
 * backends.
 *
 * @example
 * ```ts
 * import { resetWasmBackend, setBackend, tf } from "./backend.ts";
 * await setBackend("wasm");
 * await resetWasmBackend();
 * if (tf.getBackend() !== "wasm" || tf.add(1, 2).arraySync() !== 3) throw new Error();
 * ```
 */
export async function resetWasmBackend(): Promise<void> {
  if (tf.getBackend() !== "wasm") return;
  const entry = tf.engine().registryFactory["wasm"];
  if (!entry) {
    throw new BackendError(
      `the WebAssembly backend is not registered; restart the process`,
    );
  }
  // tf.removeBackend would dispose the old backend, and disposing a corrupt
  // heap can spin forever: drop it unseen and let tfjs build a fresh one.
  const engine = tf.engine() as unknown as {
    registry: Record<string, unknown>;
    registryFactory: Record<string, unknown>;
    backendName: string | null;
    backendInstance: unknown;
    pendingBackendInit: unknown;
  };
  delete engine.registry["wasm"];
  delete engine.registryFactory["wasm"];
  engine.backendName = null;
  engine.backendInstance = null;
  engine.pendingBackendInit = null;
  tf.registerBackend("wasm", entry.factory, entry.priority);
  await activate("wasm");
  if (current) current = { ...current, active: tf.getBackend() };
}

/**
 * A trainable variable holding `make()`'s value. `tf.variable(t)` keeps `t`
 * alive beside the variable (one tensor left behind per variable, even after
 * the variable is disposed); making it inside `tf.tidy` frees `t`.
 *
 * @example
 * ```ts
 * import { ensureBackend, tf, variableOf } from "./backend.ts";
 * await ensureBackend();
 * const before = tf.memory().numTensors;
 * variableOf(() => tf.zeros([3])).dispose();
 * if (tf.memory().numTensors !== before) throw new Error("nothing left behind");
 * ```
 */
export function variableOf<R extends tf.Rank>(
  make: () => tf.Tensor<R>,
): tf.Variable<R> {
  return tf.tidy(() => tf.variable(make()));
}

export { tf };
