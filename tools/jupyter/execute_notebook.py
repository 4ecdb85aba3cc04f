"""Executes one notebook with nbclient and prints a JSON summary.

Called by tools/jupyter/execute.ts. The kernel is the one the notebook names
(the Deno kernel, found through JUPYTER_PATH). The summary names the first
failing cell, its source and the error, so a failing test can say exactly
where a notebook broke.

Deno's kernel can publish a cell's output (display_data, execute_result,
stream) on IOPub *after* the status "idle" that ends the cell; stock
nbclient stops listening at idle and drops it. `LateOutputClient` keeps
listening after idle until IOPub has been quiet for `--grace` seconds (at
most `--grace-max`), and files every message under the cell whose request
is its parent, so each output lands in its own cell before the next starts.
"""

import argparse
import json
import sys
import time
from queue import Empty

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import (CellExecutionComplete, CellExecutionError,
                                 CellTimeoutError)
from nbclient.util import ensure_async


class LateOutputClient(NotebookClient):
    """nbclient that also collects the outputs a kernel sends after idle."""

    def __init__(self, nb, grace: float, grace_max: float, **kw):
        # nbclient waits iopub_timeout for this poller after the reply; the
        # grace period runs inside it, so leave it room.
        kw.setdefault("iopub_timeout", int(grace_max) + 10)
        super().__init__(nb, **kw)
        self.grace = grace
        self.grace_max = grace_max
        self.late = 0  # outputs that arrived after their cell's idle
        self._owners: dict = {}  # request msg_id -> (cell, cell_index)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        self._owners[parent_msg_id] = (cell, cell_index)
        idle_at = None  # monotonic time of this cell's idle
        last = None  # monotonic time of the last message after idle
        while True:
            timeout = None
            if idle_at is not None:
                now = time.monotonic()
                timeout = min(last + self.grace, idle_at + self.grace_max) - now
                if timeout <= 0:
                    return
            try:
                msg = await ensure_async(
                    self.kc.iopub_channel.get_msg(timeout=timeout))
            except Empty:
                return
            owner = self._owners.get(msg["parent_header"].get("msg_id"))
            if owner is None:
                continue  # not from a cell of this notebook
            mine = owner[0] is cell
            kind = msg["msg_type"]
            if kind == "status" and not mine:
                continue
            if kind == "status" and msg["content"].get("execution_state") == "idle":
                if idle_at is None:
                    idle_at = last = time.monotonic()
                continue
            if idle_at is not None or not mine:
                if kind not in ("status", "execute_input"):
                    self.late += 1
                last = time.monotonic()
            try:
                self.process_message(msg, *owner)
            except CellExecutionComplete:
                pass  # idle is handled above


def drop_empty_results(nb) -> None:
    """Removes execute_results with no data.

    infolens charts and tables send their own display_data in a kernel and
    hand the kernel an empty bundle as the cell's value; that empty result
    would only add a blank "Out" prompt.
    """
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "execute_result"
                                    and not o.get("data"))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("--cwd", required=True)
    parser.add_argument("--out")
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--startup-timeout", type=int, default=120)
    parser.add_argument("--grace", type=float, default=0.3,
                        help="seconds of IOPub silence that end a cell")
    parser.add_argument("--grace-max", type=float, default=5.0,
                        help="most seconds to wait for late output per cell")
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "deno")
    client = LateOutputClient(
        nb,
        grace=args.grace,
        grace_max=args.grace_max,
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
        kernel_name=kernel,
        resources={"metadata": {"path": args.cwd}},
    )
    start = time.time()
    summary = {"ok": True, "cells": sum(c.cell_type == "code" for c in nb.cells)}
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as err:
        summary["ok"] = False
        summary["error"] = describe_failure(nb, err)
    except Exception as err:  # kernel died, could not start, ...
        summary["ok"] = False
        summary["error"] = {"cell": None, "ename": type(err).__name__,
                            "evalue": str(err), "source": "", "traceback": ""}
    summary["seconds"] = round(time.time() - start, 2)
    summary["late"] = client.late
    drop_empty_results(nb)
    if args.out:
        nbformat.write(nb, args.out)
    json.dump(summary, sys.stdout)
    return 0


def describe_failure(nb, err) -> dict:
    code_index = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        code_index += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return {
                    "cell": code_index,
                    "source": cell.source,
                    "ename": out.get("ename", ""),
                    "evalue": out.get("evalue", ""),
                    "traceback": "\n".join(out.get("traceback", [])),
                }
    # A timeout, or an error reply whose output was not flushed yet.
    return {"cell": None, "ename": type(err).__name__, "evalue": str(err)[:2000],
            "source": "", "traceback": ""}


if __name__ == "__main__":
    sys.exit(main())
