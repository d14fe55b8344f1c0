"""The expression language of criteria: a whitelisted, typed subset of Python expressions.

See docs/expressions.md for the grammar, the names and the functions.
"""

from governance_core.expressions._checked import Checked
from governance_core.expressions._checker import check_expression
from governance_core.expressions._codegen import CompiledFunction, compile_many, compile_one
from governance_core.expressions._explain import Check, Explanation, Observation, explain
from governance_core.expressions._expression import Expression, compile_expression
from governance_core.expressions._functions import (
    BUILTIN_FUNCTIONS,
    ExprFunction,
    FunctionRegistry,
    Param,
)
from governance_core.expressions._parsing import MAX_DEPTH, MAX_NODES, MAX_SOURCE_CHARS
from governance_core.expressions._schema import PERSON_FIELDS, RECORD_NAMES, ExpressionSchema
from governance_core.expressions._types import ExprType
from governance_core.expressions._values import UNKNOWN, MissingFact, Span, render_value

__all__ = [
    "BUILTIN_FUNCTIONS",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_SOURCE_CHARS",
    "PERSON_FIELDS",
    "RECORD_NAMES",
    "UNKNOWN",
    "Check",
    "Checked",
    "CompiledFunction",
    "Explanation",
    "ExprFunction",
    "ExprType",
    "Expression",
    "ExpressionSchema",
    "FunctionRegistry",
    "MissingFact",
    "Observation",
    "Param",
    "Span",
    "check_expression",
    "compile_expression",
    "compile_many",
    "compile_one",
    "explain",
    "render_value",
]
