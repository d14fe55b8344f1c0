"""淄川 (Zichuan): 西河镇's quarterly 4:5:1 tiers and the district's red and yellow cards, from
source 003, as a governance_core plugin. Load it by naming it: ``plugins = ["zichuan"]``."""

from governance_zichuan.plugin import POLICY_FOLDER, __version__

__all__ = ["POLICY_FOLDER", "__version__"]
