"""胶州 (Jiaozhou): the first secretaries' "三定一诺双评" assessment of source 004 — the complete
rubric of 第十六条, the vote of 第十七条, the grading of 第十九条 and the consequences of 第二十条 —
as a governance_core plugin. Load it by naming it: ``plugins = ["jiaozhou"]``."""

from governance_jiaozhou.plugin import POLICY_FOLDER, __version__

__all__ = ["POLICY_FOLDER", "__version__"]
