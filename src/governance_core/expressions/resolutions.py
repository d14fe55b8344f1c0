"""What each name and call of a checked expression resolved to (``Checked.resolution``): for
readers of the tree other than the code generator and the explainer, such as the analysis."""

from governance_core.expressions._checked import Call, Const, Param, PersonField, Record, Resolution

__all__ = ["Call", "Const", "Param", "PersonField", "Record", "Resolution"]
