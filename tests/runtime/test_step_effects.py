"""A step imposes the effects declared for it (``imposed_by: [{process, step}]``): recorded
with the step's event in one transaction, and read by the guards of later steps, so that a
person barred from awards is refused by the award step with the effect named."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from governance_core import Actor, PolicyError, StepRefusedError
from governance_core.loading import load_policies
from governance_core.model import Dossier, EffectKind, Finding, Person
from governance_core.runtime import MemoryStore, ProcessStore, Runtime
from governance_core.storage import SqlStore
from governance_core.storage.audit import verify
from tests.runtime.test_workflow import CITATION, guarded_yaml

AT = datetime(2024, 9, 30, 9, 0)
TOWN = Actor("镇党委", frozenset({"town"}))

AWARDS = f"""\
processes:
  - id: test.award
    title: {{zh: 评先树优, en: Awards}}
    citation: {CITATION}
    subject: person
    initial: nominated
    roles:
      - {{id: town, title: {{zh: 镇党委, en: Town committee}}}}
    states:
      - {{id: nominated, title: {{zh: 推荐, en: Nominated}}}}
      - {{id: awarded, title: {{zh: 授予, en: Awarded}}, terminal: true}}
    steps:
      - id: grant
        title: {{zh: 确定为评先树优对象, en: Chosen for an award}}
        sources: [nominated]
        dest: awarded
        roles: [town]
        guards:
          - {{id: not_barred, title: {{zh: 未受限制, en: Not barred}}, list: test.barred, expect: not_hit}}
lists:
  - id: test.barred
    title: {{zh: 不得评先树优, en: Barred from awards}}
    citation: {CITATION}
    declared_size: 1
    effect: disqualify
    hit_policy: any
    items:
      - {{id: bar, title: {{zh: 受到评先限制, en: Barred}}, citation: {CITATION}, expression: barred_from("awards")}}
effects:
  - id: test.awards_bar
    title: {{zh: 不得评先树优, en: No awards}}
    kind: bar
    bars: awards
    subject: person
    imposed_by: [{{process: test.dismissal, step: decide}}]
    lasts: {{years: 1}}
    citation: {CITATION}
  - id: test.talk
    title: {{zh: 谈话, en: A talk}}
    kind: duty
    subject: person
    imposed_by: [{{process: test.dismissal, step: decide}}]
    lasts: {{until_lifted: true}}
    due: {{working_days: 3}}
    citation: {CITATION}
"""


def _policies(tmp_path: Path) -> list[Path]:
    """The dismissal of test_workflow (a finding opens it, a guard decides), and beside it an
    award procedure whose guard reads the bar the dismissal's decision imposes."""
    (dismissal := tmp_path / "dismissal.yaml").write_text(guarded_yaml(), encoding="utf-8")
    (awards := tmp_path / "awards.yaml").write_text(AWARDS, encoding="utf-8")
    return [dismissal, awards]


def _dossier() -> Dossier:
    finding = Finding("F1", "p1", "涉黑涉恶", date(2024, 9, 1), "镇纪委")
    return Dossier(Person("p1", "王建国"), date(2024, 9, 30), findings=(finding,))


def _runtime(tmp_path: Path, store: ProcessStore) -> Runtime:
    dossier = _dossier()
    return Runtime(
        load_policies(_policies(tmp_path)),
        store,
        facts=lambda subject, day: dossier if subject == "p1" else None,
    )


@pytest.mark.parametrize("kept", ["memory", "sql"])
def test_the_step_imposes_its_effects_and_a_later_guard_reads_them(
    tmp_path: Path, kept: str
) -> None:
    store: ProcessStore = MemoryStore()
    if kept == "sql":
        store = SqlStore(f"sqlite:///{tmp_path}/g.db")
    runtime = _runtime(tmp_path, store)
    award = runtime.start("test.award", "p1", TOWN, AT)
    dismissal = runtime.start("test.dismissal", "p1", TOWN, AT)
    taken = runtime.fire(dismissal, "decide", TOWN, AT, evidence={"minutes": "会议记录"})
    effects = {e.effect: e for e in taken.event.effects}
    assert effects["test.awards_bar"].kind is EffectKind.BAR
    assert effects["test.awards_bar"].ends == date(2025, 9, 29)
    assert effects["test.talk"].due == date(2024, 10, 10)  # after the National Day holiday
    assert effects["test.talk"].decided_by == f"{dismissal.id}/2"

    with pytest.raises(StepRefusedError) as refused:
        runtime.fire(award, "grant", TOWN, datetime(2025, 3, 1, 9, 0))
    (reason,) = refused.value.reasons
    # the item, the value it read, and the effect that decided it with its article
    assert 'barred_from("awards") = true' in reason
    assert effects["test.awards_bar"].id in reason and "不得评先树优" in reason
    assert "《测试文件》第一条" in reason
    # a year later the bar has ended, and the same step is taken
    runtime.fire(award, "grant", TOWN, datetime(2025, 10, 1, 9, 0))

    if isinstance(store, SqlStore):
        recorded = store.effects.effects()
        assert [r.effect for r in recorded] == list(taken.event.effects)
        assert verify(store).ok


def test_a_step_without_effects_stores_its_event_as_before(tmp_path: Path) -> None:
    # events that impose nothing keep the body they always had: older chains still verify
    store = SqlStore(f"sqlite:///{tmp_path}/g.db")
    runtime = _runtime(tmp_path, store)
    award = runtime.start("test.award", "p1", TOWN, AT)
    (event,) = store.events(award.id)
    with store.engine.connect() as c:
        body = c.exec_driver_sql("SELECT body FROM events WHERE position = 1").scalar()
    assert event.effects == () and '"effects"' not in str(body)


def test_an_effect_naming_a_step_the_procedure_lacks_is_a_located_problem(tmp_path: Path) -> None:
    dismissal, awards = _policies(tmp_path)
    awards.write_text(AWARDS.replace("step: decide}", "step: decided}"), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policies([dismissal, awards])
    text = str(caught.value)
    assert "'test.dismissal' has no step 'decided'" in text and "decide" in text
    assert f"{awards}:" in text
