"""Where policies come from. Built-in policies are found here; the pluggy hook
specifications and the plugin manager join them in the [plugins] issue, and built-in policies
will then register through the same hooks as district plugins.
"""

from governance_core.plugins.builtin import (
    BUILTIN_SUPPLIER,
    builtin_policy_files,
    example_roster_file,
)

__all__ = ["BUILTIN_SUPPLIER", "builtin_policy_files", "example_roster_file"]
