"""Cross-document rules (C): a budget against the same department's budget of the year before, and
a final account (决算) against the budget of the same department and year it executes.

They are rules of a pair (:class:`~juesuan.rules.base.PairRule`) declaring the kinds of both
documents (``kinds``: the document findings are attached to; ``other_kinds``: the other one). The
corpus (``juesuan batch``) pairs the documents whose normalised department names are equal and
whose years and kinds fit the relation; a pair it cannot match with certainty is not made."""
