"""How juesuan runs in the interpreter, below every other package: it imports nothing of juesuan,
so the readers (``ingest``) and the rule engine (``rules``) can both use it without one of them
importing the other."""
