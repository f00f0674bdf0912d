"""Cross-year rules (Y): a department's document against its previous year's document.

They are rules of a pair (:class:`~juesuan.rules.base.PairRule`, relation ``previous_year``): the
corpus (``juesuan batch``) pairs the documents of one department in consecutive years and runs
them through :func:`~juesuan.rules.engine.run_pair_rules`; findings are attached to the later
document."""
