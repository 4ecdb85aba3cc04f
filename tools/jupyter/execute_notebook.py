"""Executes one notebook with nbclient and prints a JSON summary.

Called by tools/jupyter/execute.ts. The kernel is the one the notebook names
(the Deno kernel, found through JUPYTER_PATH). The summary names the first
failing cell, its source and the error, so a failing test can say exactly
where a notebook broke.
"""

import argparse
import json
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("--cwd", required=True)
    parser.add_argument("--out")
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--startup-timeout", type=int, default=120)
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "deno")
    client = NotebookClient(
        nb,
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
