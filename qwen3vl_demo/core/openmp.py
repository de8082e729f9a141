"""OpenMP's wait policy for torch's CPU threads: the app and the benchmarks ask for the passive one
on CPUs without native bfloat16, before torch is first imported.

By default OpenMP's threads spin for a while after each parallel region, waiting for the next one.
On a CPU without native bfloat16 the app runs the exact path (``backends.lean``), which multiplies
short inputs on threads of its own (``RowWorkers``), and torch's spinning threads take the cores
those run on. Measured at 2B shape on 2 cores, a text query with the exact path against float32
in the same run: 1.50x with spinning threads, 0.82x with passive ones; float32's own times were
unchanged (text 0.98-1.06 s either way, photos 9.8-10.2 s). Native bfloat16's text queries were
about 8% slower with passive threads (0.38-0.42 s against 0.37 s), so its CPUs keep spinning.

OpenMP reads the policy once, when torch loads it; a policy the user set is kept. The Python API
changes nothing process-wide, so it does not ask: there the exact path uses the row workers only
where the user set ``OMP_WAIT_POLICY=PASSIVE`` (otherwise torch's own threads share each tile).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path

from . import memory_policy

POLICY = "OMP_WAIT_POLICY"
CPUINFO = Path("/proc/cpuinfo")


def cpu_flags(cpuinfo: Path = CPUINFO) -> dict[str, bool]:
    """The first processor's flags in ``/proc/cpuinfo`` (the names ``torch.cpu.get_capabilities()``
    uses for the bfloat16 ones), or none where it cannot be read (not Linux)."""
    try:
        with cpuinfo.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if line.startswith("flags"):
                    return dict.fromkeys(line.partition(":")[2].split(), True)
    except OSError:
        pass
    return {}


def waits_passively(environ: Mapping[str, str] | None = None) -> bool:
    """Whether OpenMP waits passively (the policy torch found when it was imported)."""
    return (os.environ if environ is None else environ).get(POLICY, "").upper() == "PASSIVE"


def wait_passively(environ: MutableMapping[str, str] | None = None) -> bool:
    """For the app's and the benchmarks' entry points: ask for the passive policy where it helps (no
    native bfloat16: the exact path) and torch is not loaded yet; True where OpenMP will use it."""
    environ = os.environ if environ is None else environ
    features = memory_policy.features_override(environ)
    native = memory_policy.native_bfloat16(cpu_flags() if features is None else features)
    if not native and "torch" not in sys.modules:
        environ.setdefault(POLICY, "PASSIVE")
    return waits_passively(environ)
