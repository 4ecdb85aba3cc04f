/**
 * Search spaces: typed hyperparameters with conditions, seeded sampling,
 * validation, and encodings into `[0,1]^d` (the HSIC paper's) and one-hot.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";

import { Random, rng, type Seed } from "./random.ts";

/** A hyperparameter value. */
export type Scalar = number | string | boolean;

/** A configuration: hyperparameter name to value; inactive ones are absent or null. */
export type Config = Record<string, Scalar | null | undefined>;

/**
 * A rule on one parent hyperparameter. A bare value means equality.
 * Several keys in one rule must all hold.
 */
export type ConditionRule = Scalar | {
  eq?: Scalar;
  ne?: Scalar;
  in?: readonly Scalar[];
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
};

/**
 * When a hyperparameter is active: every named parent must be active and
 * satisfy its rule, e.g. `{ depth: { gte: 3 } }` or `{ optimizer: "sgd" }`.
 */
export type Condition = Record<string, ConditionRule>;

/**
 * What every hyperparameter kind shares: an optional `when` condition on
 * other hyperparameters (the base of {@linkcode FloatParam},
 * {@linkcode IntParam}, {@linkcode CategoricalParam},
 * {@linkcode OrdinalParam} and {@linkcode BooleanParam}).
 */
export interface Common {
  /** Active only when this holds; always active when absent. */
  when?: Condition;
}

/** A real-valued hyperparameter on [low, high], optionally log-scaled. */
export interface FloatParam extends Common {
  /** Discriminates the parameter kinds. */
  kind: "float";
  /** The smallest value. */
  low: number;
  /** The largest value. */
  high: number;
  /** Sample and encode on the log scale (needs low > 0). Default false. */
  log?: boolean;
}

/** An integer hyperparameter on [low, high] (both included), optionally log-scaled. */
export interface IntParam extends Common {
  /** Discriminates the parameter kinds. */
  kind: "int";
  /** The smallest value, included. */
  low: number;
  /** The largest value, included. */
  high: number;
  /** Sample and encode on the log scale (needs low > 0). Default false. */
  log?: boolean;
}

/** One of an unordered set of values. */
export interface CategoricalParam extends Common {
  /** Discriminates the parameter kinds. */
  kind: "categorical";
  /** The values, in no meaningful order. */
  choices: readonly Scalar[];
}

/** One of an ordered list of values (encoded by rank). */
export interface OrdinalParam extends Common {
  /** Discriminates the parameter kinds. */
  kind: "ordinal";
  /** The values, smallest rank first. */
  values: readonly Scalar[];
}

/** true or false. */
export interface BooleanParam extends Common {
  /** Discriminates the parameter kinds. */
  kind: "boolean";
}

/** Any hyperparameter definition. */
export type Param =
  | FloatParam
  | IntParam
  | CategoricalParam
  | OrdinalParam
  | BooleanParam;

/** The error raised for an invalid space definition or configuration. */
export class SpaceError extends InfolensError {
  /** Always "SpaceError", so stack traces and logs name the class. */
  override name = "SpaceError";
}

/**
 * A float hyperparameter.
 *
 * @example
 * ```ts
 * import { float } from "./space.ts";
 * const lr = float(1e-4, 1e-1, { log: true });
 * ```
 */
export function float(
  low: number,
  high: number,
  options: { log?: boolean; when?: Condition } = {},
): FloatParam {
  return { kind: "float", low, high, ...options };
}

/**
 * An integer hyperparameter on [low, high], both included.
 *
 * @example
 * ```ts
 * import { int } from "./space.ts";
 * const width = int(16, 512, { log: true });
 * ```
 */
export function int(
  low: number,
  high: number,
  options: { log?: boolean; when?: Condition } = {},
): IntParam {
  return { kind: "int", low, high, ...options };
}

/**
 * A categorical hyperparameter.
 *
 * @example
 * ```ts
 * import { categorical } from "./space.ts";
 * const act = categorical(["relu", "tanh"]);
 * ```
 */
export function categorical(
  choices: readonly Scalar[],
  options: { when?: Condition } = {},
): CategoricalParam {
  return { kind: "categorical", choices, ...options };
}

/**
 * An ordinal hyperparameter: ordered values, encoded by rank.
 *
 * @example
 * ```ts
 * import { ordinal } from "./space.ts";
 * const batch = ordinal([32, 64, 128, 256]);
 * ```
 */
export function ordinal(
  values: readonly Scalar[],
  options: { when?: Condition } = {},
): OrdinalParam {
  return { kind: "ordinal", values, ...options };
}

/**
 * A boolean hyperparameter.
 *
 * @example
 * ```ts
 * import { boolean } from "./space.ts";
 * const bn = boolean();
 * ```
 */
export function boolean(options: { when?: Condition } = {}): BooleanParam {
  return { kind: "boolean", ...options };
}

const RULE_KEYS = new Set(["eq", "ne", "in", "gt", "gte", "lt", "lte"]);
const KINDS = new Set(["float", "int", "categorical", "ordinal", "boolean"]);

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * The finite list of values of a discrete parameter (categorical, ordinal,
 * boolean), or null for float and int.
 *
 * @example
 * ```ts
 * import { boolean, valuesOf } from "./space.ts";
 * if (valuesOf(boolean())!.join() !== "false,true") throw new Error();
 * ```
 */
export function valuesOf(p: Param): readonly Scalar[] | null {
  switch (p.kind) {
    case "categorical":
      return p.choices;
    case "ordinal":
      return p.values;
    case "boolean":
      return [false, true];
    default:
      return null;
  }
}

function ruleHolds(rule: ConditionRule, value: Scalar): boolean {
  if (typeof rule !== "object" || rule === null) return value === rule;
  if (rule.eq !== undefined && value !== rule.eq) return false;
  if (rule.ne !== undefined && value === rule.ne) return false;
  if (rule.in !== undefined && !rule.in.includes(value)) return false;
  const needsNumber = rule.gt !== undefined || rule.gte !== undefined ||
    rule.lt !== undefined || rule.lte !== undefined;
  if (needsNumber && typeof value !== "number") return false;
  const v = value as number;
  if (rule.gt !== undefined && !(v > rule.gt)) return false;
  if (rule.gte !== undefined && !(v >= rule.gte)) return false;
  if (rule.lt !== undefined && !(v < rule.lt)) return false;
  if (rule.lte !== undefined && !(v <= rule.lte)) return false;
  return true;
}

function ruleText(parent: string, rule: ConditionRule): string {
  if (typeof rule !== "object" || rule === null) {
    return `${parent} = ${describe(rule)}`;
  }
  const ops: Record<string, string> = {
    eq: "=",
    ne: "≠",
    gt: ">",
    gte: ">=",
    lt: "<",
    lte: "<=",
  };
  return Object.entries(rule).map(([k, v]) =>
    k === "in"
      ? `${parent} in [${(v as Scalar[]).map(describe).join(", ")}]`
      : `${parent} ${ops[k]} ${describe(v)}`
  ).join(" and ");
}

/** Options for {@linkcode SearchSpace.encode}. */
export interface EncodeOptions {
  /**
   * Seed or generator for the uniform jitter inside integer and categorical
   * cells. Default 0. A number seeds the stream named "encode", so the same
   * number given to `sample` and `encode` does not make the jitter repeat the
   * sampled values.
   */
  seed?: Seed | Random;
}

/**
 * A search space: named hyperparameters, in the order given, each with an
 * optional activation condition on others.
 *
 * Construction checks the definitions: low > high, log scale with low ≤ 0,
 * empty or duplicate choices, a condition naming an unknown hyperparameter or
 * using an operator that cannot apply, and cycles of conditions are errors.
 *
 * @example
 * ```ts
 * import { SearchSpace, float, int, categorical } from "./space.ts";
 * const space = new SearchSpace({
 *   lr: float(1e-4, 1e-1, { log: true }),
 *   depth: int(1, 4),
 *   width_3: int(16, 256, { log: true, when: { depth: { gte: 3 } } }),
 *   activation: categorical(["relu", "tanh"]),
 * });
 * const config = space.sample(0);
 * space.validate(config);
 * const u = space.encode(config, { seed: 1 }); // numbers in [0,1], null if inactive
 * if (u.length !== space.dimension) throw new Error("one entry per hyperparameter");
 * ```
 */
export class SearchSpace {
  /** The hyperparameter definitions, by name. */
  readonly params: Readonly<Record<string, Param>>;
  /** The hyperparameter names, in definition order. */
  readonly names: readonly string[];
  /** Names in an order where every parent comes before its children. */
  readonly #order: string[];

  /** Builds and checks a space from named definitions. */
  constructor(params: Record<string, Param>) {
    if (params === null || typeof params !== "object") {
      throw new SpaceError(
        "SearchSpace needs an object of named hyperparameters",
      );
    }
    const names = Object.keys(params);
    if (names.length === 0) {
      throw new SpaceError(
        "SearchSpace needs at least one hyperparameter, e.g. { lr: float(1e-4, 1e-1, { log: true }) }",
      );
    }
    for (const name of names) checkParam(name, params[name], params);
    this.params = Object.freeze({ ...params });
    this.names = Object.freeze(names);
    this.#order = topologicalOrder(params);
  }

  /** The number of hyperparameters, d. */
  get dimension(): number {
    return this.names.length;
  }

  /** Whether `name` is active in `config` (its parents active and rules met). */
  isActive(name: string, config: Config): boolean {
    const p = this.#param(name);
    if (!p.when) return true;
    for (const [parent, rule] of Object.entries(p.when)) {
      if (!this.isActive(parent, config)) return false;
      const v = config[parent];
      if (v === null || v === undefined || !ruleHolds(rule, v)) return false;
    }
    return true;
  }

  /**
   * A random valid configuration: each active hyperparameter uniform on its
   * range (log-uniform when log-scaled); inactive ones are left out.
   *
   * `choose`, when given, is asked first for each active hyperparameter, in an
   * order where parents come before children, with the values chosen so far;
   * returning `undefined` falls back to the uniform draw. Samplers that model
   * some hyperparameters (HSIC-guided search, TPE) use it to get conditions
   * right without re-implementing them.
   */
  sample(
    seed: Seed | Random,
    choose?: (
      name: string,
      param: Param,
      random: Random,
      partial: Config,
    ) => Scalar | undefined,
  ): Config {
    const r = rng(seed);
    const config: Config = {};
    for (const name of this.#order) {
      if (!this.isActive(name, config)) continue;
      const chosen = choose?.(name, this.params[name], r, config);
      if (chosen !== undefined) {
        checkValue(name, this.params[name], chosen);
        config[name] = chosen;
      } else {
        config[name] = sampleParam(this.params[name], r);
      }
    }
    return this.#ordered(config);
  }

  /**
   * A stable string key of a configuration: its values in `names` order,
   * null where inactive, as JSON. Equal configurations get equal keys, so
   * keys index tables and sets of configurations already seen.
   *
   * @example
   * ```ts
   * import { SearchSpace, categorical, float } from "./space.ts";
   * const s = new SearchSpace({ k: categorical(["a", "b"]), x: float(0, 1) });
   * if (s.key({ x: 0.5, k: "a" }) !== '["a",0.5]') throw new Error();
   * ```
   */
  key(config: Config | Readonly<Record<string, unknown>>): string {
    return JSON.stringify(this.names.map((n) => config[n] ?? null));
  }

  /** `n` random valid configurations from one seed. */
  sampleMany(n: number, seed: Seed | Random): Config[] {
    const r = rng(seed);
    return Array.from({ length: n }, () => this.sample(r));
  }

  /**
   * Checks a configuration and returns it unchanged. Throws a
   * {@linkcode SpaceError} naming the hyperparameter and the rule broken:
   * unknown names, missing active values, values given to inactive
   * hyperparameters, wrong types, out-of-range values.
   */
  validate(config: Config): Config {
    if (config === null || typeof config !== "object") {
      throw new SpaceError("a configuration must be an object");
    }
    for (const key of Object.keys(config)) {
      if (!(key in this.params)) {
        throw new SpaceError(
          `unknown hyperparameter "${key}"; the space has: ${
            this.names.join(", ")
          }`,
        );
      }
    }
    for (const name of this.#order) {
      const value = config[name];
      const present = value !== null && value !== undefined;
      const active = this.isActive(name, config);
      if (!active) {
        if (present) {
          throw new SpaceError(
            `"${name}" is inactive here (it needs ${
              this.#conditionText(name)
            }) but was given ${
              describe(value)
            }; leave it out or set it to null`,
          );
        }
        continue;
      }
      if (!present) {
        throw new SpaceError(
          `"${name}" is active but has no value; give it a ${
            this.#rangeText(name)
          }`,
        );
      }
      checkValue(name, this.params[name], value);
    }
    return config;
  }

  /**
   * Encodes a configuration into `[0,1]^d` as the HSIC paper does:
   * continuous by min-max (log scale when log), integers by their cell plus
   * uniform jitter, a categorical with n values maps value k to
   * U(k/n, (k+1)/n), ordinals and booleans as categoricals by rank;
   * inactive hyperparameters give null.
   *
   * The jitter comes from `options.seed`: a number restarts the stream, so
   * calling `encode` in a loop with the same number repeats the same jitter.
   * For many configurations pass one generator, `new Random(seed, "encode")`,
   * or use {@linkcode SearchSpace.encodeMany}.
   */
  encode(config: Config, options: EncodeOptions = {}): (number | null)[] {
    this.validate(config);
    const r = jitterStream(options.seed);
    return this.names.map((name) => {
      const value = config[name];
      if (value === null || value === undefined) return null;
      return encodeValue(this.params[name], value, r);
    });
  }

  /** Encodes many configurations with one jitter stream. */
  encodeMany(
    configs: readonly Config[],
    options: EncodeOptions = {},
  ): (number | null)[][] {
    const r = jitterStream(options.seed);
    return configs.map((c) => this.encode(c, { seed: r }));
  }

  /**
   * The inverse of {@linkcode SearchSpace.encode}: a point of `[0,1]^d`
   * (one entry per hyperparameter, in `names` order) to a valid
   * configuration. Entries of inactive hyperparameters are ignored.
   */
  decode(u: readonly (number | null)[]): Config {
    if (u.length !== this.dimension) {
      throw new SpaceError(
        `decode needs ${this.dimension} numbers (one per hyperparameter: ${
          this.names.join(", ")
        }), got ${u.length}`,
      );
    }
    const config: Config = {};
    for (const name of this.#order) {
      if (!this.isActive(name, config)) continue;
      const x = u[this.names.indexOf(name)];
      if (x === null || !Number.isFinite(x)) {
        throw new SpaceError(
          `decode: "${name}" is active but its coordinate is ${x}; give a number in [0,1]`,
        );
      }
      config[name] = decodeValue(
        this.params[name],
        Math.min(1, Math.max(0, x)),
      );
    }
    return this.#ordered(config);
  }

  /**
   * Column names of {@linkcode SearchSpace.oneHot}: a float/int/ordinal/
   * boolean gives one column, a categorical one per choice (`name=value`).
   */
  oneHotNames(): string[] {
    return this.names.flatMap((name) => {
      const p = this.params[name];
      return p.kind === "categorical"
        ? p.choices.map((c) => `${name}=${String(c)}`)
        : [name];
    });
  }

  /**
   * A deterministic encoding for models that want one-hot inputs: floats and
   * ints min-max scaled to [0,1] (log scale when log), ordinals by rank
   * scaled to [0,1], booleans 0/1, categoricals one-hot. Inactive
   * hyperparameters give zeros in all their columns.
   */
  oneHot(config: Config): number[] {
    this.validate(config);
    return this.names.flatMap((name) => {
      const p = this.params[name];
      const value = config[name];
      const active = value !== null && value !== undefined;
      if (p.kind === "categorical") {
        return p.choices.map((c) => (active && c === value ? 1 : 0));
      }
      if (!active) return [0];
      return [scaleValue(p, value)];
    });
  }

  /** The definitions as plain JSON, for storing beside a trials table. */
  toJSON(): Record<string, Param> {
    return { ...this.params };
  }

  /** Rebuilds a space from {@linkcode SearchSpace.toJSON} output. */
  static fromJSON(json: Record<string, Param>): SearchSpace {
    return new SearchSpace(json);
  }

  #param(name: string): Param {
    const p = this.params[name];
    if (!p) {
      throw new SpaceError(
        `unknown hyperparameter "${name}"; the space has: ${
          this.names.join(", ")
        }`,
      );
    }
    return p;
  }

  #conditionText(name: string): string {
    const when = this.params[name].when ?? {};
    return Object.entries(when).map(([k, r]) => ruleText(k, r)).join(" and ");
  }

  #rangeText(name: string): string {
    const p = this.params[name];
    switch (p.kind) {
      case "float":
        return `number in [${p.low}, ${p.high}]`;
      case "int":
        return `integer in [${p.low}, ${p.high}]`;
      case "boolean":
        return "boolean";
      default:
        return `value among ${valuesOf(p)!.map(describe).join(", ")}`;
    }
  }

  #ordered(config: Config): Config {
    const out: Config = {};
    for (const name of this.names) {
      if (config[name] !== undefined) out[name] = config[name];
    }
    return out;
  }
}

function jitterStream(seed: Seed | Random | undefined): Random {
  return seed instanceof Random ? seed : new Random(seed ?? 0, "encode");
}

function checkParam(
  name: string,
  p: Param,
  all: Record<string, Param>,
): void {
  const where = `hyperparameter "${name}"`;
  if (p === null || typeof p !== "object" || !KINDS.has(p.kind)) {
    throw new SpaceError(
      `${where}: kind must be one of ${
        [...KINDS].join(", ")
      }; build it with float(), int(), categorical(), ordinal() or boolean()`,
    );
  }
  if (p.kind === "float" || p.kind === "int") {
    if (!Number.isFinite(p.low) || !Number.isFinite(p.high)) {
      throw new SpaceError(`${where}: low and high must be finite numbers`);
    }
    if (
      p.kind === "int" &&
      (!Number.isInteger(p.low) || !Number.isInteger(p.high))
    ) {
      throw new SpaceError(
        `${where}: an int needs integer bounds, got [${p.low}, ${p.high}]`,
      );
    }
    // sampling draws from [low, high + 1) and the span must stay exact
    if (
      p.kind === "int" &&
      !(Number.isSafeInteger(p.low) && Number.isSafeInteger(p.high + 1) &&
        Number.isSafeInteger(p.high - p.low + 1))
    ) {
      throw new SpaceError(
        `${where}: an int's range must hold fewer than 2^53 values, got [${p.low}, ${p.high}]; use a float`,
      );
    }
    if (p.low > p.high || (p.kind === "float" && p.low === p.high)) {
      throw new SpaceError(
        `${where}: low (${p.low}) must be ${
          p.kind === "float" ? "<" : "<="
        } high (${p.high})`,
      );
    }
    if (p.log && p.low <= 0) {
      throw new SpaceError(
        `${where}: log scale needs low > 0, got low = ${p.low}`,
      );
    }
  } else if (p.kind !== "boolean") {
    const values = valuesOf(p)!;
    const label = p.kind === "categorical" ? "choices" : "values";
    if (!Array.isArray(values) || values.length === 0) {
      throw new SpaceError(`${where}: ${label} must be a non-empty array`);
    }
    if (new Set(values).size !== values.length) {
      throw new SpaceError(`${where}: ${label} must not repeat`);
    }
    for (const v of values) {
      if (!["number", "string", "boolean"].includes(typeof v)) {
        throw new SpaceError(
          `${where}: ${label} must be numbers, strings or booleans, got ${typeof v}`,
        );
      }
    }
  }
  if (p.when === undefined) return;
  if (p.when === null || typeof p.when !== "object") {
    throw new SpaceError(
      `${where}: "when" must be an object such as { depth: { gte: 3 } }`,
    );
  }
  for (const [parent, rule] of Object.entries(p.when)) {
    const q = all[parent];
    if (!q) {
      throw new SpaceError(
        `${where}: its condition names unknown hyperparameter "${parent}"`,
      );
    }
    if (parent === name) {
      throw new SpaceError(`${where}: its condition names itself`);
    }
    const parentValues = valuesOf(q);
    const checkEq = (v: Scalar) => {
      if (parentValues && !parentValues.includes(v)) {
        throw new SpaceError(
          `${where}: its condition compares "${parent}" with ${
            describe(v)
          }, which is not one of its values (${
            parentValues.map(describe).join(", ")
          })`,
        );
      }
    };
    if (typeof rule !== "object" || rule === null) {
      checkEq(rule);
      continue;
    }
    for (const [op, v] of Object.entries(rule)) {
      if (!RULE_KEYS.has(op)) {
        throw new SpaceError(
          `${where}: unknown condition operator "${op}"; use eq, ne, in, gt, gte, lt or lte`,
        );
      }
      if (op === "in") {
        if (!Array.isArray(v)) {
          throw new SpaceError(`${where}: "in" needs an array of values`);
        }
        v.forEach(checkEq);
      } else if (op === "eq" || op === "ne") {
        checkEq(v as Scalar);
      } else {
        const numeric = q.kind === "float" || q.kind === "int" ||
          (q.kind === "ordinal" &&
            q.values.every((x) => typeof x === "number"));
        if (!numeric || typeof v !== "number") {
          throw new SpaceError(
            `${where}: "${op}" compares numbers, but "${parent}" is ${q.kind}${
              typeof v !== "number" ? ` and the bound is ${describe(v)}` : ""
            }`,
          );
        }
      }
    }
  }
}

function topologicalOrder(params: Record<string, Param>): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]) => {
    const s = state.get(name);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new SpaceError(`conditions form a cycle: ${cycle.join(" -> ")}`);
    }
    state.set(name, "visiting");
    for (const parent of Object.keys(params[name].when ?? {})) {
      visit(parent, [...path, name]);
    }
    state.set(name, "done");
    order.push(name);
  };
  for (const name of Object.keys(params)) visit(name, []);
  return order;
}

function sampleParam(p: Param, r: Random): Scalar {
  switch (p.kind) {
    case "float":
      return p.log
        ? Math.exp(r.uniform(Math.log(p.low), Math.log(p.high)))
        : r.uniform(p.low, p.high);
    case "int":
      if (p.log) {
        // Log-uniform over the cells [k - 1/2, k + 1/2]; an int's low >= 1.
        const [lo, hi] = intEdges(p);
        const x = Math.exp(r.uniform(lo, hi));
        return Math.min(p.high, Math.max(p.low, Math.round(x)));
      }
      return r.integer(p.low, p.high + 1);
    default: {
      const values = valuesOf(p)!;
      return values[r.integer(0, values.length)];
    }
  }
}

function checkValue(name: string, p: Param, value: Scalar): void {
  switch (p.kind) {
    case "float":
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new SpaceError(
          `"${name}" must be a finite number, got ${describe(value)}`,
        );
      }
      if (value < p.low || value > p.high) {
        throw new SpaceError(
          `"${name}" = ${value} is outside [${p.low}, ${p.high}]`,
        );
      }
      return;
    case "int":
      if (typeof value !== "number" || !Number.isInteger(value)) {
        throw new SpaceError(
          `"${name}" must be an integer, got ${describe(value)}`,
        );
      }
      if (value < p.low || value > p.high) {
        throw new SpaceError(
          `"${name}" = ${value} is outside [${p.low}, ${p.high}]`,
        );
      }
      return;
    case "boolean":
      if (typeof value !== "boolean") {
        throw new SpaceError(
          `"${name}" must be true or false, got ${describe(value)}`,
        );
      }
      return;
    default: {
      const values = valuesOf(p)!;
      if (!values.includes(value)) {
        throw new SpaceError(
          `"${name}" = ${describe(value)} is not one of ${
            values.map(describe).join(", ")
          }`,
        );
      }
    }
  }
}

/** Lower and upper edge, on the encoding scale, of an int's cells. */
function intEdges(p: IntParam): [number, number] {
  // A log-scaled int has low >= 1, so low - 1/2 > 0.
  return p.log
    ? [Math.log(p.low - 0.5), Math.log(p.high + 0.5)]
    : [p.low - 0.5, p.high + 0.5];
}

function encodeValue(p: Param, value: Scalar, r: Random): number {
  switch (p.kind) {
    case "float": {
      const v = value as number;
      const u = p.log
        ? (Math.log(v) - Math.log(p.low)) / (Math.log(p.high) - Math.log(p.low))
        : (v - p.low) / (p.high - p.low);
      return Math.min(1, Math.max(0, u));
    }
    case "int": {
      // The value's cell [k - 1/2, k + 1/2), plus uniform jitter inside it.
      const k = value as number;
      const [lo, hi] = intEdges(p);
      const x = k - 0.5 + r.random();
      const t = p.log ? Math.log(x) : x;
      return Math.min(1, Math.max(0, (t - lo) / (hi - lo)));
    }
    default: {
      const values = valuesOf(p)!;
      const k = values.indexOf(value);
      return (k + r.random()) / values.length;
    }
  }
}

function decodeValue(p: Param, u: number): Scalar {
  switch (p.kind) {
    case "float": {
      const x = p.log
        ? Math.exp(Math.log(p.low) + u * (Math.log(p.high) - Math.log(p.low)))
        : p.low + u * (p.high - p.low);
      return Math.min(p.high, Math.max(p.low, x));
    }
    case "int": {
      const [lo, hi] = intEdges(p);
      const t = lo + u * (hi - lo);
      const x = p.log ? Math.exp(t) : t;
      return Math.min(p.high, Math.max(p.low, Math.floor(x + 0.5)));
    }
    default: {
      const values = valuesOf(p)!;
      return values[Math.min(values.length - 1, Math.floor(u * values.length))];
    }
  }
}

function scaleValue(p: Param, value: Scalar): number {
  switch (p.kind) {
    case "float":
    case "int": {
      if (p.low === p.high) return 0;
      const v = value as number;
      return p.log
        ? (Math.log(v) - Math.log(p.low)) / (Math.log(p.high) - Math.log(p.low))
        : (v - p.low) / (p.high - p.low);
    }
    case "boolean":
      return value ? 1 : 0;
    default: {
      const values = valuesOf(p)!;
      return values.length === 1
        ? 0
        : values.indexOf(value) / (values.length - 1);
    }
  }
}
