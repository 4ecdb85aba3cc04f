/**
 * Studies on Slurm: the batch scripts, and a 4-task job array of workers
 * that runs one TPE study in PostgreSQL to its budget on the single-node
 * test cluster (skipped, saying why, without Slurm and PostgreSQL; start
 * them with `.ci/services.sh start`).
 */
import { assert, assertEquals } from "./support/assert.ts";
import {
  haveSlurm,
  pgUrl,
  slurmConf,
  uniqueStudy,
} from "./support/services.ts";
import { slurmScripts, submitStudy } from "../lib/trials/slurm.ts";
import { openStore } from "../lib/trials/store.ts";
import type { PostgresStore } from "../lib/trials/postgres_store.ts";

Deno.test("file-store studies run as shards and a merge job", () => {
  const s = slurmScripts({
    command: ["run", "it"],
    tasks: 3,
    time: "1:00:00",
    gpus: 1,
  });
  assert(s.array.includes("--array=0-2"));
  assert(s.array.includes(`run it --shard "$SLURM_ARRAY_TASK_ID/3"`));
  assert(
    s.array.includes("--gres=gpu:1") && s.array.includes("--time=1:00:00"),
  );
  assert(s.merge!.includes("run it --merge"));
  assert(!s.array.includes("INFOLENS_STORE"));
});

Deno.test("database studies export the store to every task and need no merge", () => {
  const s = slurmScripts({
    command: ["deno", "task", "x"],
    tasks: 2,
    store: "postgres://a:b@h/db",
  });
  assert(s.array.includes("export INFOLENS_STORE=postgres://a:b@h/db"));
  assertEquals(s.merge, null);
});

Deno.test({
  name: "a 4-task Slurm array of workers runs one TPE study to its budget",
  ignore: !haveSlurm("slurm array test"),
  async fn() {
    if (slurmConf) Deno.env.set("SLURM_CONF", slurmConf);
    const budget = 20;
    const url = `${pgUrl}?study=${uniqueStudy("slurm")}&heartbeat=0.5`;
    const dir = await Deno.makeTempDir();
    const worker =
      new URL("./support/study_worker.ts", import.meta.url).pathname;
    const sub = await submitStudy({
      command: [
        Deno.execPath(),
        "run",
        "-A",
        worker,
        url,
        String(budget),
        "tpe",
        "100",
      ],
      tasks: 4,
      store: url,
      name: "infolens-test",
      cwd: dir,
    });
    assert(/^\d+$/.test(sub.jobId), sub.jobId);
    // Status comes from the store, not from Slurm's logs.
    let finished = 0;
    for (let i = 0; i < 600 && finished < budget; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const s = await openStore(url) as PostgresStore;
      finished = (await s.counts()).finished;
      await s.close();
    }
    const logs = [];
    for await (const e of Deno.readDir(dir)) {
      logs.push(await Deno.readTextFile(`${dir}/${e.name}`));
    }
    assertEquals(finished, budget, logs.join("\n"));
    const s = await openStore(url) as PostgresStore;
    const trials = s.rows().map((r) => r.trial as number).sort((a, b) => a - b);
    assertEquals(trials, Array.from({ length: budget }, (_, i) => i));
    // More than one array task ran trials: each claim records its worker
    // (host:pid:tag), and the tasks are separate processes.
    const workers = await s.trialWorkers();
    assertEquals(workers.size, budget);
    for (const w of workers.values()) {
      assert(w !== null && /^[^:]+:\d+:\w+$/.test(w), `worker ${w}`);
    }
    const pids = new Set([...workers.values()].map((w) => w!.split(":")[1]));
    assert(
      pids.size >= 2,
      `only ${[...pids].join(", ")} ran trials:\n${logs.join("\n")}`,
    );
    await s.drop();
    await s.close();
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name:
    "the named HSIC sweep runs unchanged as a Slurm array against PostgreSQL, with the file store's numbers",
  ignore: !haveSlurm("named sweep on Slurm"),
  async fn() {
    if (slurmConf) Deno.env.set("SLURM_CONF", slurmConf);
    const n = 4;
    // INFOLENS_STORE sends the sweep's own path (data/hsic_runge_trials.jsonl)
    // to the study named after the file.
    const study = `${pgUrl}?study=hsic_runge_trials`;
    const clear = async () => {
      const s = await openStore(study) as PostgresStore;
      await s.drop();
      await s.close();
    };
    await clear();
    const dir = await Deno.makeTempDir();
    const regenerate =
      new URL("../studies/regenerate.ts", import.meta.url).pathname;
    await submitStudy({
      command: [
        Deno.execPath(),
        "run",
        "-A",
        regenerate,
        "hsic-runge",
        "--n",
        String(n),
        "--workers",
        "1",
      ],
      tasks: 2,
      store: pgUrl!,
      name: "infolens-named-sweep",
      cwd: dir,
    });
    let finished = 0;
    for (let i = 0; i < 1500 && finished < n; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const s = await openStore(study) as PostgresStore;
      finished = (await s.counts()).finished;
      await s.close();
    }
    const logs = [];
    for await (const e of Deno.readDir(dir)) {
      logs.push(await Deno.readTextFile(`${dir}/${e.name}`));
    }
    assertEquals(finished, n, logs.join("\n"));
    const s = await openStore(study) as PostgresStore;
    // The trials table, as the HSIC analysis reads it.
    const fromCluster = s.toDataFrame().sort("trial").toRecords();
    await s.drop();
    await s.close();
    // The same sweep into a file store on this machine: same configurations,
    // seeds and losses (each trial's training depends only on its seed).
    const file = `${dir}/local.trials.jsonl`;
    const { runSweep } = await import("../studies/regenerate.ts");
    const local = (await runSweep("hsic-runge", {
      n,
      workers: 1,
      store: file,
    })).toRecords();
    assertEquals(fromCluster.length, local.length);
    for (const [i, row] of local.entries()) {
      const remote = fromCluster[i];
      for (const key of Object.keys(row)) {
        if (key === "duration_s") continue;
        assertEquals(remote[key], row[key], `trial ${i}, column ${key}`);
      }
    }
    await Deno.remove(dir, { recursive: true });
  },
});
