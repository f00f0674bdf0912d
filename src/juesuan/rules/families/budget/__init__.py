"""Budget rules (B): the identities of the budget tables (部门预算公开) — inside each table and
between them. Rules whose identity is literally a 决算 table's (合计 = 基本支出 + 项目支出 of the
一般公共预算支出表, 政府采购 合计 = 货物 + 工程 + 服务) are the 决算 rules, declaring budget kinds too."""
