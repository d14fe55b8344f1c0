"""Reminders and escalation (docs/reminders.md): declared per step or per duty, counted in
working days on the official calendar, sent by the sweep once each, chained with their outbox
row, delivered like consequences; a bad rule is a located problem."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from governance_core import Engine, PolicyError
from governance_core.cli import app
from governance_core.jobs.reminders import due_reminders, remind
from governance_core.model import EffectKind
from governance_core.rules.reminders import REMINDERS
from governance_core.storage import SqlStore
from governance_core.storage.audit import verify
from tests.hostile.test_audit import AT, CLERK, PROCESS
from tests.support import ROOT

CITATION = "{document: 区委组织部通知, article: 第三条, source: district-notice.txt}"
RULES = f"""\
reminders:
  - id: d.close_reminders
    title: {{zh: 结束前提醒, en: Reminders before closing}}
    citation: {CITATION}
    process: test.warning
    step: close
    before_working_days: [3]
    on_due: true
    escalate:
      after_working_days: 2
      to: {{id: district_department, title: {{zh: 区委组织部, en: District organisation department}}}}
  - id: d.talk_reminders
    title: {{zh: 谈话提醒, en: Talk reminders}}
    citation: {CITATION}
    effect: d.talk
    on_due: true
effects:
  - id: d.talk
    title: {{zh: 诫勉谈话, en: Admonition}}
    kind: duty
    subject: person
    imposed_by: [{{process: test.warning, step: warn}}]
    lasts: {{until_lifted: true}}
    due: {{working_days: 5}}
    citation: {CITATION}
"""


def _setting(tmp_path: Path, rules: str = RULES) -> tuple[Engine, SqlStore]:
    (tmp_path / "process.yaml").write_text(PROCESS, encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(rules, encoding="utf-8")
    engine = Engine.load(policies=[tmp_path / "process.yaml", tmp_path / "rules.yaml"])
    store = SqlStore(f"sqlite:///{tmp_path / 'governance.db'}")
    runtime = engine.runtime(store)
    instance = runtime.start("test.warning", "p1", CLERK, AT, instance_id="w1")
    runtime.fire(instance, "warn", CLERK, AT)  # 1 March 2024: close is due on 31 March
    return engine, store


def _sent(engine: Engine, store: SqlStore, day: date) -> list[str]:
    return [r.moment for r in remind(engine, store, day) if r.target == "w1"]


def test_a_step_is_reminded_before_on_and_after_its_last_day(tmp_path: Path) -> None:
    engine, store = _setting(tmp_path)
    assert _sent(engine, store, date(2024, 3, 26)) == []
    # three working days before Sunday 31 March: Friday 29, Thursday 28, Wednesday 27
    assert _sent(engine, store, date(2024, 3, 27)) == ["before-3"]
    assert _sent(engine, store, date(2024, 3, 28)) == []  # sent once
    assert _sent(engine, store, date(2024, 3, 31)) == ["due"]
    assert _sent(engine, store, date(2024, 4, 1)) == []
    # two working days after: Monday 1 and Tuesday 2 April
    (escalation,) = [r for r in remind(engine, store, date(2024, 4, 2)) if r.target == "w1"]
    assert (escalation.moment, escalation.escalate_to) == ("escalate", "district_department")
    assert "区委组织部" in escalation.text.zh and "District organisation" in escalation.text.en
    kinds = [row.kind for row in store.outbox.rows(None)]
    assert kinds.count("reminder") == 3  # the duty was due on 8 March: nobody swept then
    assert verify(store).ok


def test_a_missed_sweep_sends_what_is_still_useful(tmp_path: Path) -> None:
    engine, store = _setting(tmp_path)
    # nobody swept until after the last day: no late "before" reminder, the escalation once
    assert _sent(engine, store, date(2024, 4, 10)) == ["escalate"]
    assert _sent(engine, store, date(2024, 4, 11)) == []


def test_a_duty_is_reminded_on_its_due_day(tmp_path: Path) -> None:
    engine, store = _setting(tmp_path)
    (talk,) = [r.effect for r in store.effects.effects()]
    assert talk.kind is EffectKind.DUTY and talk.due == date(2024, 3, 8)
    (reminder,) = [r for r in remind(engine, store, date(2024, 3, 8)) if r.target == talk.id]
    assert reminder.moment == "due" and "诫勉谈话" in reminder.text.zh
    store.effects.lift(talk.id, date(2024, 3, 8), by="镇党委", reason="已谈话")
    assert [r for r in due_reminders(engine, store, date(2024, 3, 8)) if r.target == talk.id] == []


def test_an_edited_reminder_row_is_reported(tmp_path: Path) -> None:
    engine, store = _setting(tmp_path)
    remind(engine, store, date(2024, 3, 27))
    with store.engine.begin() as c:
        c.execute(
            text(
                'UPDATE outbox SET payload = \'{"zh": "假", "en": "x"}\' WHERE kind = \'reminder\''
            )
        )
    report = verify(store)
    assert not report.ok


def test_the_sweep_command_sends_reminders(tmp_path: Path) -> None:
    _setting(tmp_path)
    url = f"sqlite:///{tmp_path / 'governance.db'}"
    args = ["sweep", "--until", "2024-03-27", "--database", url]
    args += ["--policy", str(tmp_path / "process.yaml"), "--policy", str(tmp_path / "rules.yaml")]
    done = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    assert "提醒：结束（p1）须在 2024-03-31 前办理" in done.output
    assert "已发出 1 条提醒" in done.output


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("    step: close\n", "    step: shut\n"), "has no step 'shut'"),
        (("    effect: d.talk\n", "    effect: d.none\n"), "no effects 'd.none'"),
        (("    before_working_days: [3]\n", "    before_working_days: [0]\n"), "from 1 to 60"),
        (("    before_working_days: [3]\n", "    before_working_days: [3, 3]\n"), "listed twice"),
        (
            ("    effect: d.talk\n    on_due: true\n", "    effect: d.talk\n"),
            "give before_working_days",
        ),
        (
            (
                "    effect: d.talk\n",
                "    effect: d.talk\n    process: test.warning\n    step: close\n",
            ),
            "one of them",
        ),
    ],
)
def test_a_bad_rule_is_a_located_problem(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in RULES
    with pytest.raises(PolicyError) as caught:
        _setting(tmp_path, RULES.replace(old, new, 1))
    assert expected in str(caught.value) and "rules.yaml:" in str(caught.value)


def test_an_effect_that_is_not_a_duty_has_no_reminders(tmp_path: Path) -> None:
    rules = RULES.replace("    kind: duty\n", "    kind: label\n").replace(
        "    due: {working_days: 5}\n", ""
    )
    with pytest.raises(PolicyError, match="is not a duty"):
        _setting(tmp_path, rules)


def test_no_rules_no_reminders(tmp_path: Path) -> None:
    engine, store = _setting(tmp_path, RULES.split("effects:")[0].split("reminders:")[0] or "{}\n")
    assert remind(engine, store, date(2024, 3, 31)) == []


@pytest.mark.districts
def test_the_documented_rules_load_with_the_districts_they_name(tmp_path: Path) -> None:
    for page in ("reminders.md", "reminders.en.md"):
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        block = re.search(r"```yaml\n(.*?)```", text, re.S)
        assert block is not None
        (tmp_path / page).with_suffix(".yaml").write_text(block[1], encoding="utf-8")
        engine = Engine.load(
            plugins=["shizhong", "jiaozhou"], policies=[(tmp_path / page).with_suffix(".yaml")]
        )
        assert len(engine.policies.of(REMINDERS).rules) == 2


OVERLAY = """\
overlay: {id: d.extra, title: {zh: 区补充, en: District}, version: "1"}
processes:
  - process: test.warning
    steps:
      - {id: review, title: {zh: 复查, en: Review}, sources: [warned], dest: warned,
         roles: [town_committee]}
"""


def test_a_reminder_and_an_effect_may_name_a_step_an_overlay_adds(tmp_path: Path) -> None:
    rules = RULES.replace("    step: close\n", "    step: review\n", 1).replace(
        "imposed_by: [{process: test.warning, step: warn}]",
        "imposed_by: [{process: test.warning, step: review}]",
    )
    for name, text_ in (("process.yaml", PROCESS), ("rules.yaml", rules), ("extra.yaml", OVERLAY)):
        (tmp_path / name).write_text(text_, encoding="utf-8")
    policies = [tmp_path / "process.yaml", tmp_path / "rules.yaml"]
    with pytest.raises(PolicyError) as caught:  # without the overlay the step is not there
        Engine.load(policies=policies)
    assert str(caught.value).count("has no step 'review'") == 2
    engine = Engine.load(policies=policies, overlays=[tmp_path / "extra.yaml"])
    assert engine.policies.of(REMINDERS).of_step("test.warning", "review")
