"""Loading: policy files and plugins' records read as sources, overlays, and their assembly
into one checked :class:`PolicySet`, every problem located where it was written."""

from governance_core.loading.assembly import assemble, load_policies, read_files
from governance_core.loading.overlays import Change, ChangeKind, OverlayFile, read_overlay
from governance_core.loading.policy_set import PolicySet
from governance_core.loading.sources import PolicySource, read_policy_file, records_source

__all__ = [
    "Change",
    "ChangeKind",
    "OverlayFile",
    "PolicySet",
    "PolicySource",
    "assemble",
    "load_policies",
    "read_files",
    "read_overlay",
    "read_policy_file",
    "records_source",
]
