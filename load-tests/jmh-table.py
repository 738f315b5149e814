#!/usr/bin/env python3
"""Prints a JMH JSON result file (-rf json) as a Markdown table: CPU us/op (io.ranker.bench.CpuTimeProfiler),
wall us/op, allocation B/op (-prof gc). Usage: load-tests/jmh-table.py results.json [more.json ...]"""
import json
import sys

print("| benchmark | params | CPU us/op | wall us/op | alloc B/op |")
print("|---|---|---:|---:|---:|")
for path in sys.argv[1:]:
    for r in json.load(open(path)):
        name = r["benchmark"].replace("io.ranker.", "")
        params = ", ".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
        sec = r.get("secondaryMetrics", {})
        cpu = sec.get("cpu", {}).get("score")
        alloc = sec.get("gc.alloc.rate.norm", {}).get("score")
        wall = r["primaryMetric"]["score"]
        fmt = lambda x, d=1: "-" if x is None else f"{x:,.{d}f}"
        print(f"| {name} | {params} | {fmt(cpu)} | {fmt(wall)} | {fmt(alloc, 0)} |")
