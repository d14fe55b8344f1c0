"""Titles of the records and fields of the published JSON Schemas (loading/schemas.py), in
English through the message catalog: the schema shows each in Chinese and English, for the
hover text of an editor. Those of the files themselves, parameters, citations, rosters and
cases are here; each kind of rule gives its own (``titles`` of its kind, in its package).
tests/loading/test_schemas.py fails when a record or a field has none."""

from __future__ import annotations

from governance_core.loading.kinds import registered
from governance_core.messages import _

__all__ = ["field_titles", "field_words", "record_titles"]


def record_titles() -> dict[str, str]:
    """Each record's title in the current language, by class name."""
    titles = _common_records()
    for kind in registered():
        titles.update(kind.titles().records)
    return titles


def field_titles() -> dict[str, str]:
    """Each field's title in the current language, by field name (a name means the same in
    every record that has it), or by ``Record.field`` where one record means another thing."""
    titles = _common_fields()
    for kind in registered():
        titles.update(kind.titles().fields)
    return titles


def field_words(field: str) -> str | None:
    """A field's title, for a problem to say beside its id ('declared_size' (规定项数))."""
    return field_titles().get(field)


def _common_records() -> dict[str, str]:
    return {
        "PolicyFile": _("Policy file"),
        "Overlay": _("Overlay file"),
        "Parameter": _("Parameter"),
        "Title": _("Title"),
        "Citation": _("Citation"),
        "ParameterValue": _("Dated value"),
        "AssessmentFile": _("Assessment file"),
        "LedgerFile": _("Points ledger file"),
        "Household": _("Household (储户)"),
        "Claim": _("Claim of points"),
        "Review": _("Review of a claim"),
        "Redemption": _("Redemption of points"),
        "OverlayHeader": _("Overlay header"),
        "ParameterChanges": _("Changes to a parameter"),
        "Amount": _("Amount recorded"),
        "Ballots": _("Ballots"),
        "Case": _("Case"),
        "CaseFile": _("Case file"),
        "Count": _("Count recorded"),
        "Document": _("Document"),
        "Entry": _("Assessment entry"),
        "EntryDefaults": _("What every entry has"),
        "Expect": _("What a case expects"),
        "Finding": _("Finding of an organ"),
        "ImposedEffect": _("Effect imposed by a decision"),
        "Fire": _("A step taken in a case"),
        "Grade": _("Annual grade recorded"),
        "Organisation": _("Organisation"),
        "OrganisationRecord": _("Record an organisation keeps"),
        "Person": _("Person"),
        "Post": _("Post"),
        "Rank": _("Rank recorded"),
        "Roster": _("Roster"),
    }


def _common_fields() -> dict[str, str]:
    return {
        "article": _("Article of the source"),
        "citation": _("Citation of the source"),
        "count": _("Count"),
        "counts": _("What the deadline counts"),
        "document": _("Source document"),
        "effective_from": _("In effect from (inclusive)"),
        "effective_to": _("In effect until (inclusive)"),
        "en": _("English"),
        "evidence": _("Documents required"),
        "expression": _("Expression"),
        "grade": _("Grade"),
        "grade_policy": _("Grade policy"),
        "grades": _("Grades, best first"),
        "id": _("Identifier"),
        "inputs": _("Inputs"),
        "item": _("Item"),
        "kind": _("Kind"),
        "list": _("Criteria list"),
        "note": _("Note"),
        "overlay": _("Overlay header"),
        "parameter": _("Parameter"),
        "parameters": _("Parameters"),
        "points": _("Points"),
        "procedure": _("Procedure"),
        "reason": _("Reason"),
        "remove": _("Removals"),
        "replace": _("Replacements"),
        "rubric": _("Rubric"),
        "scheme": _("Points scheme"),
        "source": _("Source file"),
        "step": _("Step"),
        "steps": _("Steps"),
        "title": _("Title in Chinese and English"),
        "town": _("Town"),
        "policy": _("The grade policy the assessment is for"),
        "households": _("Households of the points bank"),
        "claims": _("Claims, each with its reviews"),
        "redemptions": _("Redemptions at the 文明超市"),
        "household": _("The household (its id)"),
        "village": _("Village"),
        "linked_member": _("The linked party member (联户党员)"),
        "by": _("Who reviewed"),
        "reviewed_on": _("Day of the review"),
        "approved": _("Passed (true) or refused (false)"),
        "occurred_on": _("Day it happened"),
        "declared_on": _("Day it was declared"),
        "member_review": _("The linked party member's review"),
        "committee_review": _("The evaluation committee's review"),
        "redeemed_on": _("Day of the redemption"),
        "goods": _("Goods taken"),
        "unit": _("Unit"),
        "value": _("Value"),
        "values": _("Dated values"),
        "version": _("Version"),
        "zh": _("Chinese"),
        "amounts": _("Amounts"),
        "area": _("Rural or urban"),
        "as_of": _("As of (date)"),
        "assessment_file": _("Assessment file"),
        "at": _("When (ISO 8601)"),
        "audit": _("The history verifies in a SQL store"),
        "ballots": _("Ballots"),
        "birth_date": _("Birth date"),
        "cases": _("Cases"),
        "cast": _("Ballots cast, by answer"),
        "conclusive": _("Conclusive"),
        "conclusive_grades": _("Whether each grade is settled"),
        "dated": _("Date of the document"),
        "deadlines": _("Open deadlines, by step"),
        "decided_by": _("The rule that placed each person"),
        "decided_on": _("Date decided"),
        "defaults": _("What every entry has"),
        "documents": _("Documents"),
        "organisation_records": _("Records the organisations keep"),
        "education": _("Education"),
        "eligible": _("Eligible voters"),
        "end": _("End of the post"),
        "entries": _("Entries"),
        "established_on": _("Date established"),
        "starts": _("First day in force"),
        "ends": _("Last day in force"),
        "end_unknown": _("End not published"),
        "due_provisional_year": _("Year not yet published the due day was counted across"),
        "lifted_on": _("Day lifted"),
        "ImposedEffect.decided_by": _("Decision that imposed it"),
        "ImposedEffect.effect": _("Declared effect"),
        "ImposedEffect.kind": _("Bar, label or duty"),
        "ImposedEffect.organisation": _("Organisation it is on"),
        "ImposedEffect.due": _("Due day of a duty"),
        "events": _("Steps taken, start first"),
        "findings": _("Findings"),
        "fires": _("Steps to take"),
        "gender": _("Gender"),
        "group": _("Group"),
        "groups": _("Ranking groups"),
        "level": _("Level"),
        "name": _("Name"),
        "not_grades": _("A grade that must not be given, by person"),
        "organ": _("Organ that established it"),
        "organisation": _("Organisation"),
        "organisations": _("Organisations"),
        "outcome": _("Outcome"),
        "overlays": _("Overlay files the cases run under"),
        "parent": _("Parent organisation"),
        "party_member_since": _("Party member since"),
        "people": _("People of the roster"),
        "period": _("Period"),
        "person": _("Person"),
        "places": _("Places, by person"),
        "posts": _("Posts"),
        "rank": _("Rank"),
        "ranks": _("Ranks"),
        "reasons": _("Text the rule or notes contain, by person"),
        "recorded_on": _("Date recorded"),
        "refused": _("Expected refusal (true, or text its reasons contain)"),
        "role": _("Role"),
        "roster": _("Roster"),
        "roster_file": _("Roster file"),
        "score": _("Score given"),
        "scores": _("Scores, by person"),
        "start": _("Start"),
        "state": _("State"),
        "sweep": _("The sweeper takes what is due"),
        "text": _("Text"),
        "total": _("Total points"),
        "vetoed_by": _("Vetoes that held, by person"),
        "vote_reasons": _("Text the vote reason contains, by person"),
        "votes_valid": _("Whether each vote is valid"),
        "year": _("Year"),
        "Roster.grades": _("Annual grades recorded"),
        "Roster.counts": _("Counts recorded"),
        "Expect.grades": _("Grades, by person"),
        "Expect.items": _("Item statuses"),
        "Expect.sections": _("Section totals"),
        "Expect.lines": _("Points per rule"),
        "Expect.consequences": _("Consequences of the steps taken"),
        "Case.inputs": _("Rubric inputs"),
        "Count.value": _("Number of times"),
        "Fire.evidence": _("Documents named, by kind"),
    }
