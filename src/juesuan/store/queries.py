"""Ready questions over the corpus (``juesuan query NAME``) and raw SQL."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import duckdb


@dataclass(frozen=True)
class Question:
    name: str
    title: str  # Chinese, for users
    sql: str


QUESTIONS: dict[str, Question] = {}


def _q(name: str, title: str, sql: str) -> None:
    QUESTIONS[name] = Question(name, title, sql.strip())


_q(
    "sangong",
    "各部门各年度“三公”经费（预算数、决算数）",
    """
    SELECT d.department AS 部门, d.year AS 年度,
           max(CASE WHEN f.row_key = 'total' AND f."column" = 'budget' THEN f.value END) AS 预算合计,
           max(CASE WHEN f.row_key = 'total' AND f."column" = 'actual' THEN f.value END) AS 决算合计,
           max(CASE WHEN f.row_key = 'abroad' AND f."column" = 'actual' THEN f.value END) AS 因公出国境,
           max(CASE WHEN f.row_key = 'car' AND f."column" = 'actual' THEN f.value END) AS 公务用车,
           max(CASE WHEN f.row_key = 'reception' AND f."column" = 'actual' THEN f.value END) AS 公务接待
    FROM documents d JOIN facts f USING (doc_id)
    WHERE d.status = 'ok' AND NOT coalesce(d.is_template, false) AND f.table_kind = 'T09'
    GROUP BY d.department, d.year
    ORDER BY d.department, d.year
    """,
)
_q(
    "jiguan",
    "各部门机关运行经费及其与上年相比的变化",
    """
    WITH t AS (
      SELECT d.department, d.department_norm, d.year,
             coalesce(
               max(CASE WHEN f.table_kind = 'T10' AND f.row_key = 'total' AND f."column" = 'amount' THEN f.value END),
               max(CASE WHEN f.table_kind = 'T06' AND f.row_key = 'public_total' AND f."column" IN ('amount', 'public') THEN f.value END)
             ) AS 机关运行经费,
             max(CASE WHEN f.table_kind = 'T10' AND f.row_key = 'total' THEN 'T10' ELSE 'T06公用经费' END) AS 来源
      FROM documents d JOIN facts f USING (doc_id)
      WHERE d.status = 'ok' AND NOT coalesce(d.is_template, false) AND f.table_kind IN ('T10', 'T06')
      GROUP BY d.department, d.department_norm, d.year
    )
    SELECT department AS 部门, year AS 年度, 机关运行经费, 来源,
           机关运行经费 - lag(机关运行经费) OVER w AS 比上年增减,
           CAST(round(100 * (机关运行经费 - lag(机关运行经费) OVER w) / nullif(lag(机关运行经费) OVER w, 0), 1) AS DECIMAL(12, 1)) AS 增减百分比
    FROM t
    WINDOW w AS (PARTITION BY department_norm ORDER BY year)
    ORDER BY department, year
    """,
)
_q(
    "project-share",
    "各部门项目支出占本年支出合计的比重（支出决算表）",
    """
    SELECT d.department AS 部门, d.year AS 年度,
           max(CASE WHEN f."column" = 'total' THEN f.value END) AS 本年支出合计,
           max(CASE WHEN f."column" = 'project' THEN f.value END) AS 项目支出,
           CAST(round(100 * max(CASE WHEN f."column" = 'project' THEN f.value END)
                 / nullif(max(CASE WHEN f."column" = 'total' THEN f.value END), 0), 1) AS DECIMAL(12, 1)) AS 项目支出占比
    FROM documents d JOIN facts f USING (doc_id)
    WHERE d.status = 'ok' AND NOT coalesce(d.is_template, false) AND f.table_kind = 'T03' AND f.row_key = 'total'
    GROUP BY d.department, d.year
    ORDER BY d.department, d.year
    """,
)
_q(
    "findings-by-rule",
    "各规则的问题数（按级别）及涉及的文件数、部门数",
    # one row per rule: a rule reports a rounding difference as 提示 and a real one as 错误, and
    # two rows of one rule read as two rules
    """
    SELECT f.rule_id AS 规则, any_value(f.rule_title) AS 名称,
           count(*) FILTER (WHERE f.severity = 'error') AS 错误,
           count(*) FILTER (WHERE f.severity = 'warning') AS 警告,
           count(*) FILTER (WHERE f.severity = 'info') AS 提示,
           count(*) AS 问题数, count(DISTINCT f.doc_id) AS 文件数, count(DISTINCT d.department_norm) AS 部门数
    FROM findings f LEFT JOIN documents d USING (doc_id)
    GROUP BY f.rule_id
    ORDER BY 错误 DESC, 警告 DESC, 问题数 DESC, 规则
    """,
)
_q(
    "findings-by-department",
    "各部门各年度的问题数（错误、警告、提示）及涉及最多的规则",
    """
    SELECT d.department AS 部门, d.year AS 年度, d.kind AS 类型,
           count(*) FILTER (WHERE f.severity = 'error') AS 错误,
           count(*) FILTER (WHERE f.severity = 'warning') AS 警告,
           count(*) FILTER (WHERE f.severity = 'info') AS 提示,
           mode(f.rule_id) FILTER (WHERE f.severity <> 'info') AS 最常见规则
    FROM documents d JOIN findings f USING (doc_id)
    WHERE d.status = 'ok' AND NOT coalesce(d.is_template, false)
    GROUP BY d.department, d.year, d.kind
    ORDER BY 错误 DESC, 警告 DESC, 部门, 年度, 类型
    """,
)
_q(
    "documents",
    "文件清单及状态",
    """
    SELECT path AS 文件, department AS 部门, year AS 年度, kind AS 类型,
           CASE WHEN coalesce(is_template, false) THEN '是' ELSE '' END AS 模板,
           CASE WHEN parts IS NOT NULL THEN '说明与表格分文件，合并核对' END AS 合并, CASE status WHEN 'ok' THEN '已核对' WHEN 'timeout' THEN '超时' ELSE '无法读取' END AS 状态, n_error AS 错误, n_warning AS 警告,
           n_info AS 提示, error AS 错误信息
    FROM documents ORDER BY path
    """,
)
_q(
    "failed",
    "无法处理的文件",
    "SELECT path AS 文件, CASE status WHEN 'ok' THEN '已核对' WHEN 'timeout' THEN '超时' ELSE '无法读取' END AS 状态, error_code AS 错误代码, error AS 错误信息 FROM documents"
    " WHERE status <> 'ok' ORDER BY path",
)
_q(
    "cross-year",
    "跨文件核对的问题（Y、C 规则：与同一部门上年文件、决算与同年预算比较）",
    """
    SELECT d.department AS 部门, d.year AS 年度, d.kind AS 类型, f.rule_id AS 规则,
           CASE f.severity WHEN 'error' THEN '错误' WHEN 'warning' THEN '警告' ELSE '提示' END AS 级别, f.message AS 说明,
           d.path AS 本文件, f.page AS 本文件页码, p.path AS 对照文件, p.kind AS 对照文件类型,
           TRY_CAST(json_extract(f.locations, '$[1].loc.page') AS INTEGER) AS 对照文件页码
    FROM findings f JOIN documents d USING (doc_id) LEFT JOIN documents p ON p.doc_id = f.related_doc_id
    WHERE f.related_doc_id IS NOT NULL
    ORDER BY d.department, d.year, f.rule_id, f.finding_index
    """,
)
_q(
    "pairs",
    "跨文件关联：同一部门相邻年度的预算、决算，决算与同年预算",
    """
    SELECT d.department AS 部门, y.year AS 年度,
           CASE y.relation WHEN 'same_year_budget' THEN '决算↔同年预算'
                WHEN 'previous_year' THEN CASE WHEN d.kind IN ('部门预算', '单位预算') THEN '预算↔上年预算' ELSE '决算↔上年决算' END
           END AS 关联,
           d.path AS 本文件, d.kind AS 本文件类型, y.prev_year AS 对照年度, p.path AS 对照文件, p.kind AS 对照文件类型,
           (SELECT count(*) FROM findings f WHERE f.doc_id = y.doc_id AND f.related_doc_id = y.prev_doc_id AND f.severity <> 'info') AS 问题数
    FROM year_pairs y JOIN documents d ON d.doc_id = y.doc_id JOIN documents p ON p.doc_id = y.prev_doc_id
    ORDER BY d.department, y.year, 关联
    """,
)
_q(
    "department-years",
    "各部门各年度的预算与决算：文件、问题数及跨文件关联",
    """
    WITH parts AS (SELECT unnest(string_split(parts, ',')) AS doc_id FROM documents WHERE parts IS NOT NULL),
    d AS (
      SELECT * FROM documents
      WHERE status = 'ok' AND doc_id NOT IN (SELECT doc_id FROM parts) AND NOT coalesce(is_template, false)
        -- a file of the folder that is no disclosure (a README): no kind, department or year read
        AND (kind IS NOT NULL OR (n_tables > 0 AND (department IS NOT NULL OR year IS NOT NULL)))
    )
    SELECT any_value(d.department) AS 部门, d.year AS 年度,
           string_agg(d.path, '；') FILTER (WHERE d.kind IN ('部门预算', '单位预算')) AS 预算文件,
           sum(d.n_error) FILTER (WHERE d.kind IN ('部门预算', '单位预算')) AS 预算错误,
           sum(d.n_warning) FILTER (WHERE d.kind IN ('部门预算', '单位预算')) AS 预算警告,
           string_agg(d.path, '；') FILTER (WHERE d.kind IS NULL OR d.kind NOT IN ('部门预算', '单位预算')) AS 决算文件,
           sum(d.n_error) FILTER (WHERE d.kind IS NULL OR d.kind NOT IN ('部门预算', '单位预算')) AS 决算错误,
           sum(d.n_warning) FILTER (WHERE d.kind IS NULL OR d.kind NOT IN ('部门预算', '单位预算')) AS 决算警告,
           CASE WHEN bool_or(EXISTS (SELECT 1 FROM year_pairs y WHERE y.doc_id = d.doc_id AND y.relation = 'previous_year'
                           AND d.kind IN ('部门预算', '单位预算'))) THEN '是' ELSE '否' END AS 已关联上年预算,
           CASE WHEN bool_or(EXISTS (SELECT 1 FROM year_pairs y WHERE y.doc_id = d.doc_id AND y.relation = 'previous_year'
                           AND d.kind NOT IN ('部门预算', '单位预算'))) THEN '是' ELSE '否' END AS 已关联上年决算,
           CASE WHEN bool_or(EXISTS (SELECT 1 FROM year_pairs y WHERE y.doc_id = d.doc_id AND y.relation = 'same_year_budget'))
                THEN '是' ELSE '否' END AS 已关联同年预算,
           (SELECT count(*) FROM findings f JOIN d d2 ON d2.doc_id = f.doc_id
            WHERE f.related_doc_id IS NOT NULL AND f.severity <> 'info'
              AND d2.department_norm IS NOT DISTINCT FROM any_value(d.department_norm) AND d2.year IS NOT DISTINCT FROM d.year) AS 跨文件问题
    FROM d
    GROUP BY d.department_norm, d.year
    ORDER BY 部门, 年度
    """,
)
_q(
    "carryover",
    "年初结转和结余与上年年末结转和结余（01表、04表分资金性质）",
    """
    WITH v AS (
      SELECT d.doc_id, d.department, d.department_norm, d.year, f.table_kind, f.row_key, f."column", f.value
      FROM documents d JOIN facts f USING (doc_id)
      WHERE d.status = 'ok' AND d.department_norm IS NOT NULL AND d.year IS NOT NULL
        AND f.table_kind IN ('T01', 'T04')
    ),
    pairs AS (
      SELECT 'T01' AS kind, 'amount' AS col_now, 'amount' AS col_prev, 'inc_begin_balance' AS now_key, 'exp_end_balance' AS prev_key, '年初结转和结余' AS label
      UNION ALL SELECT 'T04', 'amount', 'total', 'inc_begin_balance', 'exp_end_balance', '年初财政拨款结转和结余'
      UNION ALL SELECT 'T04', 'amount', 'general', 'inc_begin_general', 'exp_end_balance', '年初一般公共预算财政拨款结转和结余'
      UNION ALL SELECT 'T04', 'amount', 'fund', 'inc_begin_fund', 'exp_end_balance', '年初政府性基金预算财政拨款结转和结余'
      UNION ALL SELECT 'T04', 'amount', 'capital', 'inc_begin_capital', 'exp_end_balance', '年初国有资本经营预算财政拨款结转和结余'
    )
    SELECT cur.department AS 部门, cur.year AS 年度, p.label AS 项目,
           coalesce(cur.value, 0) AS 本年年初, coalesce(prev.value, 0) AS 上年年末,
           coalesce(cur.value, 0) - coalesce(prev.value, 0) AS 差额,
           CASE WHEN coalesce(cur.value, 0) = coalesce(prev.value, 0) THEN '一致'
                WHEN abs(coalesce(cur.value, 0) - coalesce(prev.value, 0)) <= 0.01 THEN '尾数误差'
                ELSE '不一致' END AS 结论
    FROM pairs p
    JOIN v cur ON cur.table_kind = p.kind AND cur.row_key = p.now_key AND cur."column" = p.col_now
    JOIN v prev ON prev.table_kind = p.kind AND prev.row_key = p.prev_key AND prev."column" = p.col_prev
               AND prev.department_norm = cur.department_norm AND prev.year = cur.year - 1
    ORDER BY cur.department, cur.year, p.label
    """,
)


def _plain(s: str) -> str:
    return "".join(ch for ch in s.lower() if ch not in " “”\"'‘’（）()、，,")


def match_questions(name: str, among: Iterable[str] | None = None) -> list[str]:
    """The ready questions a user means by ``name``: its exact name, else every question whose
    name or Chinese title contains it (``三公`` -> sangong, ``机关运行`` -> jiguan)."""
    names = list(QUESTIONS if among is None else among)
    if name in names:
        return [name]
    key = _plain(name)
    if not key:
        return []
    return [
        n for n in names if key in _plain(n) or (n in QUESTIONS and key in _plain(QUESTIONS[n].title))
    ]


def run_question(con: duckdb.DuckDBPyConnection, name: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run a ready question by its name (or by words of its title that single it out)."""
    hits = match_questions(name)
    if len(hits) != 1:
        raise KeyError(name)
    return run_sql(con, QUESTIONS[hits[0]].sql)


def run_sql(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    rel = con.execute(sql)
    cols = [d[0] for d in rel.description] if rel.description else []
    return cols, rel.fetchall()
