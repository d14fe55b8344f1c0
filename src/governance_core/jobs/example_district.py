"""The bundled example district: generated, the same for the same seed, at the sizes the
sources report. Its people, names, scores, findings and survey answers are invented; only
the sizes are the sources':

- 淄川 has "13个镇街道、447个村居" (003): 13 towns with 447 villages and communities, each
  with a party secretary;
- 峄城 sent 171 first secretaries: "市直部门干部23人,区直机关71人,离退休干部10人,镇街干部67人"
  (004), each posted to a village of the district here;
- 汶上 grades the 双报到 work of "机关企事业单位党组织、在职党员" (002): the example has a few
  of each, reporting to its communities (how many is invented).

Nothing here is policy: the rules applied to this district are the loaded plugins'. The inputs a
step needs (scores, rubric inputs, ballots) are generated for whichever group of people has the
attributes its grade policy ranks by (:meth:`ExampleDistrict.entries_for`).
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, final

import attrs

from governance_core.engine import Engine
from governance_core.errors import LedgerError, Problem
from governance_core.messages import _
from governance_core.model import (
    Area,
    Finding,
    Organisation,
    OrganisationRecord,
    OrgLevel,
    Person,
    Post,
    Roster,
)
from governance_core.rules.cycles import Planned
from governance_core.rules.points import Claim, ClaimReviews, Household, ItemKind, Ledger, Review
from governance_core.rules.scoring import (
    Ballots,
    Composite,
    Entry,
    GradePolicy,
    Rubric,
    RuleKind,
    VoteRule,
)

__all__ = [
    "FIRST_SECRETARY_ORIGINS",
    "TOWNS",
    "VILLAGES",
    "ExampleDistrict",
    "FirstSecretary",
    "Member",
    "Origin",
    "example_district",
]

TOWNS = 13  # 淄川: "13个镇街道" (003)
VILLAGES = 447  # 淄川: "447个村居" (003)


class Origin(enum.Enum):
    """Where a first secretary comes from (004 counts them by origin)."""

    CITY_DEPARTMENT = "市直部门干部"
    DISTRICT_ORGAN = "区直机关"
    RETIRED = "离退休干部"
    TOWN_CADRE = "镇街干部"


# 峄城 (004): 市直部门干部23人, 区直机关71人, 离退休干部10人, 镇街干部67人 — 171 in all
FIRST_SECRETARY_ORIGINS = {
    Origin.CITY_DEPARTMENT: 23,
    Origin.DISTRICT_ORGAN: 71,
    Origin.RETIRED: 10,
    Origin.TOWN_CADRE: 67,
}

SECRETARY = "党组织书记"
# 汶上 (002): "对机关企事业单位党组织、在职党员‘双报到’工作开展情况进行综合评价"; how many report to
# the example's communities is invented
DUAL_REPORTING = {"机关企事业单位党组织": 40, "在职党员": 160}
# the example's attributes of first secretaries, used as ranking groups by 胶州's policy
# (004): whether posted full time, the sending unit's kind, the rank class; all invented
_FULL_TIME, _PART_TIME = "脱产驻村第一书记", "非脱产联村第一书记"
_RANK_CLASSES = ("党政正职", "非党政正职领导干部", "正股级", "副股级及以下")
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = "建国华明丽军芳强敏静伟秀英海燕志红平玉兰文杰春梅立新德胜振宇晓雪"


@final
@attrs.frozen(slots=True)
class FirstSecretary:
    """A first secretary of the example, posted to ``village``."""

    person: str
    name: str
    origin: Origin
    village: str
    town: str
    full_time: bool
    rank_class: str

    @property
    def groups(self) -> dict[str, str]:
        """Ranking-group attributes, as 胶州's grade policy groups them (unit, attendance,
        rank class)."""
        unit = "镇街" if self.origin is Origin.TOWN_CADRE else "市直部门"
        return {
            "unit": unit,
            "attendance": "脱产" if self.full_time else "非脱产",
            "rank_class": self.rank_class,
        }


@final
@attrs.frozen(slots=True)
class Member:
    """Someone a grade policy of the example can grade, with their ranking-group attributes."""

    person: str
    name: str
    groups: Mapping[str, str]


@final
@attrs.frozen(slots=True)
class ExampleDistrict:
    """The example district: its roster (organisations, the village secretaries and first
    secretaries with their posts and findings), its first secretaries' attributes, and the
    party organisations and members reporting to its communities (双报到)."""

    seed: int
    roster: Roster
    first_secretaries: tuple[FirstSecretary, ...]
    dual_reporting: tuple[Member, ...] = ()

    @property
    def towns(self) -> tuple[Organisation, ...]:
        return tuple(o for o in self.roster.organisations if o.level is OrgLevel.TOWN)

    def villages(self) -> tuple[Organisation, ...]:
        places = (OrgLevel.VILLAGE, OrgLevel.COMMUNITY)
        return tuple(o for o in self.roster.organisations if o.level in places)

    def town_of(self) -> dict[str, Organisation]:
        """Each village's town, by village id."""
        towns = {t.id: t for t in self.towns}
        return {v.id: towns[v.parent or ""] for v in self.villages()}

    @property
    def example(self) -> bool:
        """The example's data are invented: the workbook marks every sheet 示例."""
        return True

    def entries(
        self,
        planned: Planned,
        policy: GradePolicy,
        rubric: Rubric | None,
        vote: VoteRule | None,
        occurrences: int,
    ) -> tuple[list[Entry], str, date | None]:
        """A step's inputs for one occurrence, as :meth:`entries_for` invents them."""
        assert planned.occurrence is not None
        entries, whom = self.entries_for(policy, rubric, vote, planned.occurrence.label)
        return entries, whom, None

    def unused(self) -> list[tuple[str, str]]:
        """The example's inputs are invented for its steps: none is left unread."""
        return []

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The example's inputs are made, not read: nothing is wrong with them."""
        return ()

    def ledger(
        self,
        engine: Engine,
        scheme: str,
        planned: Planned,
        reviews: Mapping[str, ClaimReviews],
    ) -> Ledger | str:
        """An invented ledger of ``scheme`` for one occurrence: 40 households, each with one
        claim of an item a household can earn, passed at both reviews on the occurrence's last
        day. A scheme that publishes no such item (嘉祥 publishes none) has nothing to post:
        the step is skipped, and says so."""
        assert planned.occurrence is not None
        day = planned.occurrence.end
        ledger = engine.open_ledger(scheme)
        items = sorted(
            (
                i
                for i in ledger.catalogue.items.values()
                if i.kind is ItemKind.BONUS and i.in_effect(day)
            ),
            key=lambda i: (i.town or "", i.id),
        )
        if not items:
            return _(
                "{scheme} publishes no item a household can earn: the example has nothing to post"
            ).format(scheme=scheme)
        rng = random.Random(f"{self.seed}/ledger/{scheme}/{planned.occurrence.label}")
        towns = [t.name for t in self.towns]
        try:
            for n in range(1, 41):
                item = rng.choice(items)
                household = Household(
                    f"h{n:03d}", _name(rng) + "户", item.town or rng.choice(towns)
                )
                ledger.register(household)
                claim = ledger.declare(Claim(f"c{n:03d}", household.id, item.id, day, day))
                ledger.review_by_member(claim.id, Review("示例联户党员", day, approved=True))
                ledger.review_by_committee(claim.id, Review("示例评价委员会", day, approved=True))
        except LedgerError as error:  # an item the example cannot claim (a value unpublished)
            return str(error)
        return ledger

    def populations(self) -> dict[str, tuple[Member, ...]]:
        """Who can be graded, by what they are: the village secretaries (grouped by town),
        the first secretaries (by unit, attendance and rank class, as 胶州 groups them) and
        the organisations and members reporting to communities (by subject)."""
        town_of = self.town_of()
        names = {p.id: p.name for p in self.roster.people}
        secretaries = tuple(
            Member(post.person, names[post.person], {"town": town_of[post.organisation].name})
            for post in self.roster.posts
            if post.role == SECRETARY
        )
        first = tuple(Member(f.person, f.name, f.groups) for f in self.first_secretaries)
        return {
            "village_secretaries": secretaries,
            "first_secretaries": first,
            "dual_reporting": self.dual_reporting,
        }

    def entries_for(
        self,
        policy: GradePolicy,
        rubric: Rubric | None,
        vote: VoteRule | None,
        occurrence: str,
    ) -> tuple[list[Entry], str]:
        """Invented inputs of ``policy`` for one occurrence (``2024-10``, ``2024Q4``), and
        whom they are for, in words. Those graded are the first population that has every
        attribute the policy groups by; a policy grouping by an attribute no population has
        grades the village secretaries, with the attribute 示例. Scores, rubric inputs and
        ballots are drawn the same for the same seed, population and occurrence, so two
        policies over the same quarter read the same quarterly score."""
        populations = self.populations()
        chosen = next(
            (
                name
                for name, members in populations.items()
                if members and set(policy.group_by) <= set(members[0].groups)
            ),
            None,
        )
        key = chosen or "village_secretaries"
        rng = random.Random(f"{self.seed}/{key}/{occurrence}")  # never the words: a language
        entries = []
        for m in populations[key]:
            groups = {k: m.groups.get(k, "示例") for k in policy.group_by}
            score = Decimal(rng.randint(600, 1000)) / 10
            inputs = (
                {}
                if rubric is None
                else {rule.input: _input(rng, rule) for _, _, rule in rubric.rules()}
            )
            ballots = None if vote is None else _ballots(rng, vote)
            given = policy.composite is Composite.GIVEN
            entries.append(
                Entry(m.person, m.name, groups, inputs, ballots, score if given else None)
            )
        whom = _POPULATION_WORDS[key]()
        if chosen is None:
            whom = _("{whom} (the example has no one grouped by {attributes})").format(
                whom=whom, attributes=", ".join(policy.group_by)
            )
        return entries, whom


# what each population is, in words (read when shown, in the language then set)
_POPULATION_WORDS: dict[str, Callable[[], str]] = {
    "village_secretaries": lambda: _("village secretaries"),
    "first_secretaries": lambda: _("first secretaries"),
    "dual_reporting": lambda: _("dual reporting"),
}


def _input(rng: random.Random, rule: Any) -> Any:
    """A plausible input to one rule: most requirements met, a few deductions, some bonuses."""
    kind = rule.kind
    if kind is RuleKind.DEDUCT_UNLESS:
        return rng.random() < 0.9
    if kind is RuleKind.BONUS_IF:
        return rng.random() < 0.2
    if kind in (RuleKind.DEDUCT_PER, RuleKind.BONUS_PER):
        return rng.choice((0, 0, 0, 0, 1, 2))
    if kind is RuleKind.DEDUCT_JUDGED:
        low, high = rule.range
        return 0 if rng.random() < 0.8 else rng.randint(low, high)
    if kind is RuleKind.BONUS_PER_AMOUNT:
        return Decimal(rng.choice((0, 0, 0, 5000, 12000, 30000)))
    if kind is RuleKind.BONUS_BY_CLASS:
        return [] if rng.random() < 0.8 else [rng.choice(sorted(rule.classes))]
    scale = list(rule.scale)  # grade steps: mostly unchanged, sometimes one step
    start = rng.randrange(len(scale))
    end = min(max(start + rng.choice((0, 0, 0, -1, 1)), 0), len(scale) - 1)
    return {"from": scale[start], "to": scale[end]}


def _ballots(rng: random.Random, vote: VoteRule) -> Ballots:
    eligible = rng.randint(30, 80)
    cast = round(eligible * rng.uniform(0.6, 0.95))  # now and then below a 2/3 quorum
    weights = [6, 3, 1, 0.3][: len(vote.answers)] + [0.2] * max(len(vote.answers) - 4, 0)
    counts = dict.fromkeys(vote.answers, 0)
    for answer in rng.choices(vote.answers, weights=weights, k=cast):
        counts[answer] += 1
    return Ballots(eligible, counts)


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))


def _records(
    seed: int,
    organisations: Sequence[Organisation],
    as_of: date,
    kinds: Mapping[str, Collection[OrgLevel]],
) -> tuple[OrganisationRecord, ...]:
    """Records of ``kinds`` kept on the 28th of each month of ``as_of``'s year up to it, by
    each organisation of the kind's levels, one month in twelve left without (a generator of
    its own: the rest of the district is as it was without records)."""
    rng = random.Random(f"{seed}/records")
    found: list[OrganisationRecord] = []
    for kind in sorted(kinds):
        for organisation in organisations:
            if organisation.level not in kinds[kind]:
                continue
            for month in range(1, as_of.month + 1):
                if rng.random() < 1 / 12:
                    continue
                day = date(as_of.year, month, 28)
                number = len(found) + 1
                found.append(OrganisationRecord(f"R{number:05d}", organisation.id, kind, day))
    return tuple(found)


def example_district(
    *,
    seed: int = 2024,
    as_of: date = date(2024, 6, 30),
    finding_kinds: Sequence[str] = (),
    finding_rate: float = 0.02,
    record_kinds: Mapping[str, Collection[OrgLevel]] | None = None,
) -> ExampleDistrict:
    """The example district for ``seed``. ``finding_kinds`` are the kinds of finding some
    secretaries (``finding_rate`` of them) have, established in the half year before
    ``as_of``: the main job passes the kinds its loaded lists name. ``record_kinds`` are the
    kinds of organisation record the loaded cycles count, with the levels that keep them:
    each organisation of those levels keeps one on the 28th of most months of the year."""
    rng = random.Random(seed)
    district = Organisation("zc", "示例区（淄川规模）", OrgLevel.DISTRICT)
    organisations = [district]
    per_town, extra = divmod(VILLAGES, TOWNS)
    villages: list[Organisation] = []
    for t in range(1, TOWNS + 1):
        town = Organisation(f"t{t:02d}", f"示例{t:02d}镇", OrgLevel.TOWN, district.id)
        organisations.append(town)
        for v in range(1, per_town + (1 if t <= extra else 0) + 1):
            community = rng.random() < 0.12
            level = OrgLevel.COMMUNITY if community else OrgLevel.VILLAGE
            suffix = "社区" if community else "村"
            villages.append(
                Organisation(f"t{t:02d}v{v:02d}", f"示例{t:02d}-{v:02d}{suffix}", level, town.id)
            )
    organisations += villages
    people: list[Person] = []
    posts: list[Post] = []
    for n, village in enumerate(villages, 1):
        person = Person(
            f"s{n:03d}",
            _name(rng),
            birth_date=date(rng.randint(1962, 1990), rng.randint(1, 12), rng.randint(1, 28)),
            gender=rng.choice(("男", "男", "女")),
            education=rng.choice(("高中", "中专", "大专", "本科")),
        )
        people.append(person)
        area = Area.URBAN if village.level is OrgLevel.COMMUNITY else Area.RURAL
        start = date(rng.randint(2012, 2023), rng.randint(1, 12), 1)
        posts.append(Post(person.id, SECRETARY, village.id, start, area=area))
    town_of = {v.id: v.parent or "" for v in villages}
    posted = rng.sample(villages, sum(FIRST_SECRETARY_ORIGINS.values()))
    first: list[FirstSecretary] = []
    origins = [o for o, count in FIRST_SECRETARY_ORIGINS.items() for _ in range(count)]
    for n, (origin, village) in enumerate(zip(origins, posted, strict=True), 1):
        full_time = origin in (Origin.CITY_DEPARTMENT, Origin.DISTRICT_ORGAN)
        secretary = FirstSecretary(
            f"f{n:03d}",
            _name(rng),
            origin,
            village.id,
            town_of[village.id],
            full_time,
            rng.choice(_RANK_CLASSES),
        )
        first.append(secretary)
        people.append(Person(secretary.person, secretary.name))
        role = _FULL_TIME if full_time else _PART_TIME
        posts.append(Post(secretary.person, role, village.id, date(as_of.year - 1, 3, 1)))
    findings: list[Finding] = []
    if finding_kinds:
        for person in people[: len(villages)]:
            if rng.random() < finding_rate:
                day = date.fromordinal(as_of.toordinal() - rng.randint(0, 180))
                findings.append(
                    Finding(
                        f"F{len(findings) + 1:04d}",
                        person.id,
                        rng.choice(sorted(finding_kinds)),
                        day,
                        "镇党委",
                        text="（示例）",
                        evidence=f"（示例）认定{len(findings) + 1}号",
                    )
                )
    subjects = [s for s, count in DUAL_REPORTING.items() for _ in range(count)]
    reporting = tuple(
        Member(
            f"d{n:03d}",
            _name(rng) if subject == "在职党员" else f"示例单位{n:03d}党组织",
            {"subject": subject},
        )
        for n, subject in enumerate(subjects, 1)
    )
    roster = Roster(
        people=tuple(people),
        organisations=tuple(organisations),
        posts=tuple(posts),
        findings=tuple(findings),
        organisation_records=_records(seed, organisations, as_of, record_kinds or {}),
    )
    return ExampleDistrict(seed, roster, tuple(first), reporting)
