"""市中区 (Shizhong district): the cadre-management lists and dated parameters of source 000,
as a governance_core plugin. Load it by naming it: ``plugins = ["shizhong"]``."""

from governance_shizhong.plugin import POLICY_FOLDER, __version__

__all__ = ["POLICY_FOLDER", "__version__"]
