"""绩效 rules (P): the 项目支出 / 部门整体支出绩效自评表 — 执行率, scores, targets, blank forms — and
the 绩效 sections of the narrative and the department's totals against them."""
