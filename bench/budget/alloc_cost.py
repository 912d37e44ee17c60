"""CPU µs one call of the Python example's allocation knob (admin_api/fault_effects.py churn)
costs at each KB size given, its garbage collection included: `python3 bench/budget/alloc_cost.py
16 64 256` prints one JSON line, [[kb, µs], ...]. The Node twin is alloc-cost.ts."""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'examples' / 'admin-service-python'))
from admin_api.fault_effects import churn  # noqa: E402

out = []
for kb in map(float, sys.argv[1:]):
    for _ in range(20):
        churn(kb)
    calls, start = 0, time.process_time()
    # At least 0.3 s of CPU per size, so collections are counted in proportion.
    while time.process_time() - start < 0.3:
        churn(kb)
        calls += 1
    out.append([kb, (time.process_time() - start) / calls * 1e6])
print(json.dumps(out))
