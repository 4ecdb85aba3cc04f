/**
 * `deno task bench [name ...]`: runs the benchmarks in bench/ (each
 * `bench/<name>.ts` exports `run()`), all of them when no name is given.
 * Each prints its own figures and, where it names a peer, the ratio to that
 * peer measured in the same run.
 *
 * @module
 */

import { join } from "node:path";

const dir = import.meta.dirname!;
const available = [...Deno.readDirSync(dir)]
  .filter((e) => e.isFile && e.name.endsWith(".ts") && e.name !== "main.ts")
  .map((e) => e.name.slice(0, -3))
  .sort();

const wanted = Deno.args.length > 0 ? Deno.args : available;
for (const name of wanted) {
  if (!available.includes(name)) {
    console.error(`no benchmark "${name}"; available: ${available.join(", ")}`);
    Deno.exit(2);
  }
}
console.log(
  `infolens benchmarks on ${Deno.build.target}, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}`,
);
for (const name of wanted) {
  console.log(`\n## ${name}`);
  const mod = await import(join(dir, `${name}.ts`));
  await mod.run();
}
