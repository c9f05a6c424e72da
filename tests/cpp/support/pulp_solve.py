#!/usr/bin/env python3
"""Reference solver for the optimizer tests: solves a placement instance with PuLP + CBC.

Usage: /usr/bin/python3 pulp_solve.py INSTANCE.json RESULT.json

Written from the model in engine/include/infogap/optimize.hpp (maximal covering with per-kind
counts or a budget, splittable capacity assignment, group minimums), sharing no code with the
engine. INSTANCE.json:
  {"weight": [..], "households": [..], "sites": [[cols of row 0], ...], "kind": [0|1, ...],
   "cost": [..], "capacity": [number or null (unlimited), ...], "max_kind": [s, t] or null,
   "budget": number or null,
   "groups": [{"unit": [..per row, -1 none], "base": [..], "total": [..], "min_share": s}, ...]}
RESULT.json: {"status": "Optimal", "objective": number, "chosen": [cols]}
"""
import json
import sys

import pulp


def solver():
    if "PULP_CBC_CMD" in pulp.listSolvers(onlyAvailable=True):
        return pulp.PULP_CBC_CMD(msg=0)
    return pulp.COIN_CMD(path="/usr/bin/cbc", msg=0)  # Debian's coinor-cbc


def solve(inst):
    w = inst["weight"]
    h = inst.get("households") or [1.0] * len(w)
    sites = inst["sites"]
    kind = inst["kind"]
    cost = inst.get("cost") or [0.0] * len(kind)
    cap = inst.get("capacity") or [None] * len(kind)
    n_rows, n_cols = len(w), len(kind)

    prob = pulp.LpProblem("placement", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{c}", cat=pulp.LpBinary) for c in range(n_cols)]
    z = [pulp.LpVariable(f"z{r}", lowBound=0, upBound=1) for r in range(n_rows)]
    y = {}
    for r in range(n_rows):
        for c in sites[r]:
            if cap[c] is not None:
                y[r, c] = pulp.LpVariable(f"y{r}_{c}", lowBound=0, upBound=1)
    prob += pulp.lpSum(w[r] * z[r] for r in range(n_rows))
    for r in range(n_rows):
        prob += z[r] <= pulp.lpSum(x[c] for c in sites[r] if cap[c] is None) + pulp.lpSum(
            y[r, c] for c in sites[r] if cap[c] is not None)
    for c in range(n_cols):
        if cap[c] is None:
            continue
        served = [(r, var) for (r, cc), var in y.items() if cc == c]
        for _, var in served:
            prob += var <= x[c]
        prob += pulp.lpSum(h[r] * var for r, var in served) <= cap[c] * x[c]
    if inst.get("budget") is not None:
        prob += pulp.lpSum(cost[c] * x[c] for c in range(n_cols)) <= inst["budget"]
    else:
        for k in (0, 1):
            prob += pulp.lpSum(x[c] for c in range(n_cols) if kind[c] == k) <= inst["max_kind"][k]
    for g in inst.get("groups") or []:
        for u, total in enumerate(g["total"]):
            members = [r for r in range(n_rows) if g["unit"][r] == u]
            if g["min_share"] > 0:
                prob += g["base"][u] + pulp.lpSum(w[r] * z[r] for r in members) >= g["min_share"] * total
    status = prob.solve(solver())
    return {
        "status": pulp.LpStatus[status],
        "objective": pulp.value(prob.objective),
        "chosen": [c for c in range(n_cols) if (x[c].value() or 0) > 0.5],
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        inst = json.load(f)
    result = solve(inst)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
