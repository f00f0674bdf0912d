"""What the benchmarks share: the machine's description and writing one section of
``docs/benchmarks.md``."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"


def machine(load: bool = False) -> str:
    """CPU model, core count, Python and system (and the 1-minute load average when ``load``)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    out = f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    if load and hasattr(os, "getloadavg"):
        out += f", load average at start {os.getloadavg()[0]:.1f}"
    return out


def write_section(heading: str, text: str, doc: Path = DOC) -> None:
    """Replace the section that starts with the line ``heading`` — up to the next ``## `` heading
    or the next ``<!-- `` marker of another benchmark's block — with ``text``, or append it."""
    old = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n\n"
    pattern = re.compile("^" + re.escape(heading) + r"$.*?(?=^## |^<!-- |\Z)", re.S | re.M)
    body = text.rstrip("\n") + "\n\n"
    new = (
        pattern.sub(lambda _: body, old, count=1) if pattern.search(old) else old.rstrip("\n") + "\n\n" + body
    )
    doc.write_text(new.rstrip("\n") + "\n", encoding="utf-8")
