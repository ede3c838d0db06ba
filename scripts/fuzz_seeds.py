#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from
the presets, the sample model and portfolio, and the Telco fixture."""
import csv
import json
import struct
from pathlib import Path

root = Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"


def put(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


models = sorted((root / "presets").glob("*.json")) + [root / "samples" / "model.json"]
for p in models:
    put("model", p.stem, p.read_text())
accounts = json.loads((root / "samples" / "portfolio.json").read_text())["accounts"]
for i, a in enumerate(accounts[:40]):
    put("score", f"sample-{i}", bytes([4]) + json.dumps(a).encode())
put("score", "points", bytes([3]) + json.dumps({"id": "p", "values": {"usage": 45, "complaints": 1, "follows": True, "reacts": False, "csm": 8}}).encode())
put("score", "kpi", bytes([0]) + json.dumps({"id": "a", "values": {"operations": 4, "commercial": 3, "engagement": 5}}).encode())
put("score", "batch", bytes([4]) + json.dumps(accounts[:5]).encode())
# Columnar batches (second byte 0xff): raw little-endian f64 cells, row-major.

cells = [0.0, 1.0, 2.0, 3.0, 5.0, 10.0, 45.0, 100.0, float("nan"), float("inf"), -1.0, 0.5]
for pick in range(5):
    put("score", f"columns-{pick}", bytes([pick, 0xFF]) + b"".join(struct.pack("<d", cells[(k * 7 + pick) % len(cells)]) for k in range(12 * 40)))
put("history", "points", json.dumps([{"at": f"2026-01-{d:02d}", "score": s} for d, s in [(1, 45), (2, 52.5), (10, 49), (20, 88)]]))
put("history", "decline", json.dumps([{"at": "2026-01-01", "score": 95}, {"at": "2026-01-31", "score": 92}, {"at": "2026-03-02", "score": 88}]))
with open(root / "tests" / "fixtures" / "telco-500.csv") as f:
    rows = list(csv.DictReader(f))
for i in range(0, 100, 20):
    put("backtest", f"telco-{i}", json.dumps([{**r, "churned": r["Churn"]} for r in rows[i:i + 20]]))
sample_rows = [{**a["values"], "churned": i % 3 == 0} for i, a in enumerate(accounts[:60])]
put("backtest", "sample", json.dumps(sample_rows))
print(f"seeds written under {corpus}")
