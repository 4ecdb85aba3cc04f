/**
 * `deno task slurm`: submits a study to Slurm as a job array, or reads a
 * study's status back from its store.
 *
 *   deno task slurm submit --tasks 4 [--store postgres://…] [--dry-run]
 *     [--name N] [--partition P] [--time T] [--gpus G] [--cpus C] [--mem M]
 *     [--setup 'module load …'] -- COMMAND…
 *   deno task slurm status postgres://…?study=NAME
 *
 * With --store every task is a worker of that PostgreSQL study (COMMAND
 * runs with INFOLENS_STORE set); without it each task runs COMMAND with
 * --shard i/n and a dependent job runs COMMAND --merge. --dry-run prints the
 * batch scripts to adapt instead of submitting.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { slurmScripts, submitStudy } from "../lib/trials/slurm.ts";
import { openStore } from "../lib/trials/store.ts";
import type { PostgresStore } from "../lib/trials/postgres_store.ts";

const [verb, ...rest] = Deno.args;
if (verb === "status") {
  const url = rest[0] ?? Deno.env.get("INFOLENS_STORE");
  if (!url) throw new Error("status takes the study's postgres:// URL");
  const store = await openStore(url) as PostgresStore;
  try {
    const c = await store.counts();
    console.log(
      `${store.location}: ${c.finished} finished, ${c.running} running, ${c.queued} queued`,
    );
    if (store.size > 0) console.log(store.toDataFrame().tail(5).toString());
  } finally {
    await store.close();
  }
} else if (verb === "submit") {
  const dash = rest.indexOf("--");
  const { values } = parseArgs({
    args: dash < 0 ? rest : rest.slice(0, dash),
    options: {
      tasks: { type: "string" },
      store: { type: "string" },
      name: { type: "string" },
      partition: { type: "string" },
      time: { type: "string" },
      gpus: { type: "string" },
      cpus: { type: "string" },
      mem: { type: "string" },
      setup: { type: "string", multiple: true },
      "dry-run": { type: "boolean" },
    },
  });
  const options = {
    command: dash < 0 ? [] : rest.slice(dash + 1),
    tasks: Number(values.tasks ?? 1),
    store: values.store ?? Deno.env.get("INFOLENS_STORE"),
    name: values.name,
    partition: values.partition,
    time: values.time,
    gpus: values.gpus ? Number(values.gpus) : undefined,
    cpusPerTask: values.cpus ? Number(values.cpus) : undefined,
    mem: values.mem,
    setup: values.setup,
    cwd: Deno.cwd(),
  };
  if (values["dry-run"]) {
    const s = slurmScripts(options);
    console.log(s.array);
    if (s.merge) {
      console.log(`# then, with --dependency=afterok:<array job>\n${s.merge}`);
    }
  } else {
    const s = await submitStudy(options);
    console.log(
      `submitted array job ${s.jobId}${
        s.mergeJobId ? ` and merge job ${s.mergeJobId}` : ""
      }`,
    );
  }
} else {
  console.error("usage: deno task slurm submit|status … (see tools/slurm.ts)");
  Deno.exit(2);
}
