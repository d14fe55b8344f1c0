"""Records: organisations, people, posts, findings and dossiers (attrs, slots, frozen)."""

from governance_core.model._convert import converter, from_json, to_json
from governance_core.model._effects import EffectKind, ImposedEffect
from governance_core.model._organisations import (
    Area,
    Organisation,
    OrganisationRecord,
    OrganisationTree,
    OrgLevel,
)
from governance_core.model._people import (
    Amount,
    Count,
    Document,
    Finding,
    Grade,
    Person,
    Post,
    Rank,
)
from governance_core.model._roster import Roster, RosterIssue
from governance_core.model.dossier import Dossier
from governance_core.model.roster_file import load_roster

__all__ = [
    "Amount",
    "Area",
    "Count",
    "Document",
    "Dossier",
    "EffectKind",
    "Finding",
    "Grade",
    "ImposedEffect",
    "OrgLevel",
    "Organisation",
    "OrganisationRecord",
    "OrganisationTree",
    "Person",
    "Post",
    "Rank",
    "Roster",
    "RosterIssue",
    "converter",
    "from_json",
    "load_roster",
    "to_json",
]
