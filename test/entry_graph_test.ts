/**
 * What each entry point loads: walks the runtime module graph (`deno info
 * --json`, following code imports and not type-only ones) from every entry in
 * deno.json's `exports` and checks that the light entries stay light — a
 * search that never trains a network must not pay for tfjs, and a search
 * space must not load polars, vega or resvg.
 */
import { assert, assertEquals } from "./support/assert.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
const exportsMap: Record<string, string> = config.exports;

interface InfoDependency {
  specifier: string;
  isDynamic?: boolean;
  code?: { specifier?: string };
}
interface InfoModule {
  specifier: string;
  dependencies?: InfoDependency[];
}

/** The bare (npm or node:) packages an entry loads at run time. */
async function runtimePackages(
  entry: string,
  options: { dynamic?: boolean } = {},
): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(out.code === 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout));
  const modules = new Map<string, InfoModule>(
    (info.modules as InfoModule[]).map((m) => [m.specifier, m]),
  );
  const packages = new Set<string>();
  const seen = new Set<string>();
  const stack = [...(info.roots as string[])];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      const target = dep.code?.specifier;
      if (target === undefined) continue; // a type-only import loads nothing
      if (dep.isDynamic && options.dynamic === false) continue;
      if (target.startsWith("file:")) stack.push(target);
      else packages.add(dep.specifier);
    }
  }
  return packages;
}

const HEAVY = [
  "@tensorflow/tfjs",
  "nodejs-polars",
  "vega",
  "vega-lite",
  "@resvg/resvg-js",
];

Deno.test("every entry point in deno.json exports exists and loads", async () => {
  assert(Object.keys(exportsMap).length >= 9, "one entry per area");
  for (const [name, path] of Object.entries(exportsMap)) {
    const mod = await import(new URL(path, `file://${ROOT}`).href);
    assert(Object.keys(mod).length > 0, `${name} exports nothing`);
  }
});

Deno.test("the space entry loads no tfjs, polars, vega or resvg", async () => {
  const packages = await runtimePackages(exportsMap["./space"]);
  assertEquals(HEAVY.filter((p) => packages.has(p)), []);
});

Deno.test("the search entry loads no tfjs, vega or resvg", async () => {
  const packages = await runtimePackages(exportsMap["./search"]);
  const forbidden = HEAVY.filter((p) => p !== "nodejs-polars");
  assertEquals(forbidden.filter((p) => packages.has(p)), []);
  // The walk itself must see what an entry loads: the mi entry loads tfjs.
  assert((await runtimePackages(exportsMap["./mi"])).has("@tensorflow/tfjs"));
});

Deno.test("the predict, hsic, trials and data entries load no tfjs, vega or resvg", async () => {
  for (const entry of ["./predict", "./hsic", "./trials", "./data"]) {
    const packages = await runtimePackages(exportsMap[entry]);
    for (
      const p of ["@tensorflow/tfjs", "vega", "vega-lite", "@resvg/resvg-js"]
    ) {
      assert(!packages.has(p), `${entry} loads ${p}`);
    }
  }
});

Deno.test("no entry loads the PostgreSQL client until a database URL is opened", async () => {
  for (const entry of Object.keys(exportsMap)) {
    const packages = await runtimePackages(exportsMap[entry], {
      dynamic: false,
    });
    assert(!packages.has("postgres"), `${entry} loads postgres`);
  }
  // The walk sees it when dynamic imports are followed.
  assert((await runtimePackages(exportsMap["./trials"])).has("postgres"));
});

Deno.test("the root entry is a curated tour of at most 80 names", async () => {
  const root = await import(new URL(exportsMap["."], `file://${ROOT}`).href);
  const names = Object.keys(root);
  assert(names.length <= 80, `${names.length} names`);
  assert(!("tf" in root), "tfjs is not re-exported");
});
