"""Document rules (D): the disclosure as a whole, read from its text, never from its amounts.

- ``template.py``: a blank template is one finding (D-001); in a real disclosure, placeholders
  (D-008), unresolved alternative wording (D-009) and the template's filling instructions (D-010)
  left in the text.
- ``punctuation.py``: repeated punctuation (D-011).
- ``one_department.py``: one department name everywhere (D-002).
- ``one_year.py``: one report year (D-003).
- ``table_numbering.py``: the printed 公开NN表 numbers have no duplicates and no gaps (D-004).
- ``contents.py``: the 目录 agrees with the body, tables and headings (D-005).
- ``required_tables.py``: the national tables, parts and matters are present (D-006).
- ``empty_table_notes.py``: an empty table says why it is empty (D-007).
- ``one_amount_unit.py``: one 金额单位 for the set of tables (D-012).
- ``common.py``: what several of them share (the document's lines, derived once per run).

The reader has parsed the 目录 lines, the headings' outline marks and the blank-template
evidence (``ingest/document_parts.py``); these rules judge those fields. A blank template
(``metadata.is_template``) gives D-001 only: the other rules stay silent on it.
"""
