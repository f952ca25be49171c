"""What every benchmark records beside its figures: the machine, and where results go."""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime, timezone
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    """Python, platform, CPU model and core count: figures mean little without them."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                      if line.startswith("model name")), "")
    return {
        "python": platform.python_version(), "platform": platform.platform(),
        "processor": model or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
    }


def write_results(name: str, results: dict) -> Path:
    """Write ``results/<name>.json`` with the date and the machine; return its path."""
    out = RESULTS / f"{name}.json"
    out.parent.mkdir(exist_ok=True)
    data = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": machine(), **results}
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out
