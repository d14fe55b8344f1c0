"""嘉祥 (Jiaxiang): the 积分制 文明银行 points scheme of source 001, as a governance_core plugin.
Load it by naming it: ``plugins = ["jiaxiang"]``."""

from governance_jiaxiang.plugin import POLICY_FOLDER, __version__

__all__ = ["POLICY_FOLDER", "__version__"]
