"""What a source says that no rule encodes, and why (``unencoded:`` in a policy file): the
sentences a plugin's authors read and could not turn into a list, parameter or step, so that
`governance sources` shows the gap beside what is encoded."""

from governance_core.rules.gaps.kind import GAPS, UNENCODED, GapsKind, Unencoded

__all__ = ["GAPS", "UNENCODED", "GapsKind", "Unencoded"]
