"""汶上 (Wenshang): the four-grade evaluation (好/较好/一般/差) of units' and members' "双报到"
work, from source 002, as a governance_core plugin. Load it: ``plugins = ["wenshang"]``."""

from governance_wenshang.plugin import POLICY_FOLDER, __version__

__all__ = ["POLICY_FOLDER", "__version__"]
