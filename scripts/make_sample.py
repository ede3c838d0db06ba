#!/usr/bin/env python3
"""Generates the built-in sample portfolio (made-up accounts) deterministically.

    python3 scripts/make_sample.py   # writes samples/portfolio.json and samples/history.json

Each account has a hidden health that drifts month to month; its raw values
follow it with noise. A few edge cases are planted on purpose (see EDGE_CASES).
"""
import json
import random
from pathlib import Path

rng = random.Random(20261122)
ROOT = Path(__file__).resolve().parent.parent
MONTHS = ["2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01"]
FIRST = ["Acme", "Blue", "Cedar", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper", "Kestrel",
         "Lumen", "Maple", "Nimbus", "Orbit", "Pioneer", "Quartz", "Ridge", "Summit", "Tidal", "Umber", "Vertex",
         "Willow", "Xenon", "Yarrow", "Zephyr"]
SECOND = ["Analytics", "Logistics", "Health", "Foods", "Systems", "Labs", "Retail", "Energy", "Media", "Finance",
          "Robotics", "Travel", "Studios", "Networks", "Clinics", "Motors"]
SUFFIX = ["Inc", "GmbH", "Ltd", "SA", "BV", "Co", "AB", "Oy"]
SEGMENTS = [("enterprise", 0.2, (120_000, 600_000)), ("mid-market", 0.35, (30_000, 120_000)), ("smb", 0.45, (3_000, 30_000))]


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def values_for(h, rng, segment):
    """Raw values for a hidden health h in 0..1."""
    noise = lambda s: rng.gauss(0, s)
    v = {
        "activeSeats": round(clamp(10 + 75 * h + noise(8), 0, 100), 1),
        "daysSinceLogin": int(clamp(40 * (1 - h) ** 2 + abs(noise(4)), 0, 120)),
        "coreFeatures": int(clamp(round(12 * h + noise(1.5)), 0, 14)),
        "openTickets": int(clamp(round(9 * (1 - h) + noise(2)), 0, 20)),
        "escalations": int(clamp(round(3 * (1 - h) ** 2 + noise(0.5)), 0, 6)),
        "nps": int(clamp(round(10 * h + noise(1.5)), 0, 10)),
        "csmSentiment": int(clamp(round(1 + 4 * h + noise(0.6)), 1, 5)),
        "p1Open": rng.random() < 0.03 * (1.5 - h),
        "contract": rng.choices(["Two year", "One year", "Month-to-month", "Pilot"],
                                weights=[1 + 3 * h, 2, 3 * (1 - h) + 0.5, 0.2])[0],
        "latePayments": int(clamp(round(2 * (1 - h) + noise(0.7)), 0, 6)),
    }
    # Real data has holes: NPS is often unanswered, sentiment sometimes unrecorded.
    if rng.random() < 0.25:
        v["nps"] = None
    if rng.random() < 0.08:
        v["csmSentiment"] = None
    return v


accounts, history = [], []
names = set()
for i in range(1, 201):
    while True:
        name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {rng.choice(SUFFIX)}"
        if name not in names:
            names.add(name)
            break
    seg = rng.choices(SEGMENTS, weights=[s[1] for s in SEGMENTS])[0]
    value = round(rng.uniform(*seg[2]), -2)
    h = clamp(rng.betavariate(3.2, 2.0), 0.02, 0.98)
    drift = rng.gauss(0, 0.04)
    acc_id = f"acc-{i:03d}"
    snaps = []
    for month in MONTHS:
        h = clamp(h + drift + rng.gauss(0, 0.03), 0.0, 1.0)
        snaps.append((month, values_for(h, rng, seg[0])))
    for month, vals in snaps:
        history.append({"accountId": acc_id, "at": month, "values": vals})
    current = snaps[-1][1]
    account = {"id": acc_id, "name": name, "segment": seg[0], "value": value, "values": current,
               "observedAt": {"csmSentiment": rng.choice(MONTHS[-3:]), "nps": rng.choice(MONTHS[-4:])}}
    accounts.append(account)

# Edge cases, planted on purpose.
EDGE_CASES = {
    "acc-196": ("New logo, no data yet", {}),
    "acc-197": ("Only one signal so far", {"csmSentiment": 4}),
    "acc-198": ("Healthy but an open P1 incident", {
        "activeSeats": 85, "daysSinceLogin": 0, "coreFeatures": 12, "openTickets": 0, "escalations": 0,
        "nps": 10, "csmSentiment": 5, "p1Open": True, "contract": "Two year", "latePayments": 0}),
    "acc-199": ("Everything at its best", {
        "activeSeats": 80, "daysSinceLogin": 0, "coreFeatures": 10, "openTickets": 0, "escalations": 0,
        "nps": 10, "csmSentiment": 5, "p1Open": False, "contract": "Two year", "latePayments": 0}),
    "acc-200": ("Everything at its worst", {
        "activeSeats": 5, "daysSinceLogin": 90, "coreFeatures": 0, "openTickets": 12, "escalations": 5,
        "nps": 0, "csmSentiment": 1, "p1Open": False, "contract": "Month-to-month", "latePayments": 6}),
}
for acc in accounts:
    if acc["id"] in EDGE_CASES:
        note, vals = EDGE_CASES[acc["id"]]
        acc["values"] = vals
        acc["observedAt"] = {}
        for h in history:
            if h["accountId"] == acc["id"] and h["at"] == MONTHS[-1]:
                h["values"] = vals

# The CSM's voice: a note with every low sentiment (no random draw, so the
# numbers above stay as they were).
for acc in accounts:
    sentiment = acc["values"].get("csmSentiment")
    if acc["id"] not in EDGE_CASES and sentiment is not None and sentiment <= 2:
        acc["notes"] = {"csmSentiment": {
            "author": "Dana Ruiz (CSM)", "at": acc["observedAt"]["csmSentiment"],
            "comment": "Our champion left; the new VP questions the renewal.", "reason": "champion_left"}}

# Account groups: a few accounts belong to a parent (a holding, a group of
# regional contracts), named in fields.parent (no random draw).
GROUPS = {"Northwind Group": range(10, 16), "Globex Holdings": range(20, 25)}
for acc in accounts:
    n = int(acc["id"][4:])
    for parent, members in GROUPS.items():
        if n in members:
            acc["fields"] = {"parent": parent}

portfolio = {
    "description": "200 made-up accounts for the sample model samples/model.json; generated by scripts/make_sample.py. "
                   "acc-196..acc-200 are planted edge cases: " + "; ".join(f"{k}: {v[0]}" for k, v in EDGE_CASES.items()),
    "model": "sample-b2b-saas",
    "asOf": MONTHS[-1],
    "accounts": accounts,
}
(ROOT / "samples" / "portfolio.json").write_text(json.dumps(portfolio, indent=1) + "\n")
(ROOT / "samples" / "history.json").write_text(json.dumps(
    {"description": "Monthly raw values of the sample accounts, 2026-06 to 2026-11; the last month equals portfolio.json.",
     "model": "sample-b2b-saas", "snapshots": history}, indent=1) + "\n")
# The same accounts as CSV (one column per measure; empty = missing), for the
# Node example and for import in the demo page.
import csv
measures = ["activeSeats", "daysSinceLogin", "coreFeatures", "openTickets", "escalations", "nps",
            "csmSentiment", "p1Open", "contract", "latePayments"]
with open(ROOT / "samples" / "accounts.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "name", "segment", "value"] + measures)
    for acc in accounts:
        cells = []
        for m in measures:
            v = acc["values"].get(m)
            cells.append("" if v is None else ("true" if v is True else "false" if v is False else v))
        w.writerow([acc["id"], acc["name"], acc["segment"], int(acc["value"])] + cells)
print(f"wrote {len(accounts)} accounts and {len(history)} snapshots")
