"""Points schemes and their ledgers (积分制: 嘉祥's 文明银行). See docs/points.md."""

from governance_core.rules.points._ledger import (
    Claim,
    ClaimStatus,
    Household,
    Ledger,
    Posting,
    Redemption,
    Review,
    Statement,
    VetoEffect,
)
from governance_core.rules.points._ledger_file import (
    ClaimReviews,
    LedgerFile,
    ledger_from,
    load_ledger,
)
from governance_core.rules.points._scheme import (
    Catalogue,
    ItemKind,
    PointCategory,
    PointItem,
    PointsScheme,
    checked_item,
)

__all__ = [
    "Catalogue",
    "Claim",
    "ClaimReviews",
    "ClaimStatus",
    "Household",
    "ItemKind",
    "Ledger",
    "LedgerFile",
    "PointCategory",
    "PointItem",
    "PointsScheme",
    "Posting",
    "Redemption",
    "Review",
    "Statement",
    "VetoEffect",
    "checked_item",
    "ledger_from",
    "load_ledger",
]
