"""Chinese for the texts typer translates through gettext (``Options``, ``Arguments``,
``[default: …]``, ``[required]``…), through its own hook: typer translates every such text with
:func:`gettext.gettext` in the default domain, so a catalogue bound to that domain turns them
into Chinese. (The texts its bundled click prints in fixed English are ``cli_text.py``'s.)

The catalogue is ``zh_CN/LC_MESSAGES/messages.po``; ``messages.mo`` beside it is compiled from it
by ``python -m juesuan.locale`` (a test fails while the two differ). The language is Chinese
unless the user's ``LANGUAGE`` asks for another.
"""

from __future__ import annotations

import ast
import gettext
import os
import struct
from pathlib import Path

LOCALE_DIR = Path(__file__).parent
CATALOGUE = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po"
COMPILED = CATALOGUE.with_suffix(".mo")


def install() -> None:
    """Bind the catalogue to typer's gettext domain (before typer is imported: it translates some
    texts when its modules load)."""
    os.environ.setdefault("LANGUAGE", "zh_CN")
    gettext.bindtextdomain("messages", str(LOCALE_DIR))


def parse_po(text: str) -> dict[str, str]:
    """The entries of a .po file: msgid (with ``\\0`` and the plural for plural entries) to msgstr
    (plural forms joined by ``\\0``); the header is the entry of the empty msgid."""
    entries: dict[str, str] = {}
    msgid: list[str] = []
    plural: list[str] | None = None
    forms: list[list[str]] = []
    current: list[str] | None = None

    def flush() -> None:
        if current is None:
            return
        key = "".join(msgid) + ("\0" + "".join(plural) if plural is not None else "")
        entries[key] = "\0".join("".join(f) for f in forms)

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, plural, forms = [ast.literal_eval(line[6:])], None, []
            current = msgid
        elif line.startswith("msgid_plural "):
            plural = [ast.literal_eval(line[13:])]
            current = plural
        elif line.startswith("msgstr["):
            forms.append([ast.literal_eval(line.split("]", 1)[1].strip())])
            current = forms[-1]
        elif line.startswith("msgstr "):
            forms = [[ast.literal_eval(line[7:])]]
            current = forms[0]
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
    flush()
    return entries


def compile_mo(entries: dict[str, str]) -> bytes:
    """The GNU .mo bytes of ``entries`` (no hash table: gettext reads the sorted tables)."""
    keys = sorted(entries)
    ids = [k.encode("utf-8") for k in keys]
    strs = [entries[k].encode("utf-8") for k in keys]
    n = len(keys)
    start = 7 * 4 + 16 * n  # header, then the two tables of (length, offset)
    offsets: list[tuple[int, int]] = []
    blob = b""
    for s in ids + strs:
        offsets.append((len(s), start + len(blob)))
        blob += s + b"\0"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, start)
    tables = b"".join(struct.pack("ii", length, off) for length, off in offsets)
    return header + tables + blob


def main() -> None:
    COMPILED.write_bytes(compile_mo(parse_po(CATALOGUE.read_text(encoding="utf-8"))))
    print(f"wrote {COMPILED}")


if __name__ == "__main__":
    main()
