"""JSON Schema of the model, written to ``docs/schema/`` (``python -m juesuan.model.jsonschema``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .disclosure import Disclosure
from .finding import Finding


def schemas() -> dict[str, str]:
    out = {}
    for name, model in (("disclosure", Disclosure), ("finding", Finding)):
        out[f"{name}.schema.json"] = json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
    return out


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/schema")
    target.mkdir(parents=True, exist_ok=True)
    for name, text in schemas().items():
        (target / name).write_text(text, encoding="utf-8")
        print(f"wrote {target / name}")


if __name__ == "__main__":
    main()
