"""Findings and extracted tables, written for people and programs.

- :mod:`.text` — the terminal report; :mod:`.jsonout` — ``check --format json``;
- the reports people forward (``check --format html|xlsx|pdf``, :mod:`.forwarded`): :mod:`.html`,
  :mod:`.xlsx`, :mod:`.pdf_annotate` (the original PDF with highlights and comments), all made
  of the checked documents of :mod:`.items`, with page pictures and snippets from :mod:`.crops`;
- :mod:`.extract` — ``juesuan extract``: every table and cell as JSON, CSV or XLSX.
"""
