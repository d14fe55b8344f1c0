"""The tables of the SQL store (SQLAlchemy Core), the same on SQLite and PostgreSQL.

``events`` is the audit chain: ``position`` orders everything the store records, and each row
keeps the SHA-256 of its canonical JSON together with the previous row's hash; its head is the
last row. A row's ``kind`` says what it records: a ``step`` of an instance (``instance`` and
``sequence`` set), a ``verdict`` (a list's verdict for a person, or a guard's at a step) or a
``score_sheet`` (a person's sheet, vote and grade under a grade policy). The last two have a
row in ``verdicts`` or ``score_sheets`` with the columns to query them by, taken from the
chained body, so that the audit can check them against it. A step's row also chains, in
``state``, the instance's row and deadlines after the step, so that an edited subject,
process, pinned definition or deadline shows too. On PostgreSQL every append first locks the single row of ``chain_lock``, so the chain
has one order even with several writing processes (SQLite's BEGIN IMMEDIATE serialises
writers already). The schema's version is the alembic revision (``alembic_version``).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from governance_core.storage._protected import ProtectedText, protected

__all__ = ["metadata"]

metadata = MetaData()

definitions = Table(
    "definitions",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("process", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("body", JSON, nullable=False),
)

instances = Table(
    "instances",
    metadata,
    Column("id", protected(200), primary_key=True),
    Column("process", String(200), nullable=False),
    Column("process_version", Integer, nullable=False),
    Column("definition_hash", String(64), ForeignKey("definitions.hash"), nullable=False),
    Column("subject", protected(200), nullable=False),
    Column("state", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("entered_on", Date, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(20), nullable=False, server_default="step"),
    Column("instance", protected(200), ForeignKey("instances.id")),  # steps only
    Column("sequence", Integer),  # steps only
    Column("request_id", protected(200), unique=True),
    Column("body", ProtectedText, nullable=False),  # canonical JSON, as hashed (protected)
    # a step's instance row and deadlines after it, canonical JSON, hashed with the body
    Column("state", ProtectedText),
    Column("hash", String(64), nullable=False),
    Column("previous_hash", String(64), nullable=False),
    UniqueConstraint("instance", "sequence"),
)

chain_lock = Table("chain_lock", metadata, Column("id", Integer, primary_key=True))

deadlines = Table(
    "deadlines",
    metadata,
    Column("instance", protected(200), ForeignKey("instances.id"), primary_key=True),
    Column("step", String(200), primary_key=True),
    Column("last_day", Date),
    Column("automatic", Boolean, nullable=False),
    Column("unknown_because", Text),
    Column("provisional_year", Integer),  # counted on weekends only across this year
    Column("moved_from", Date),  # the day a recount moved it from
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("instance", protected(200), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("kind", String(100), nullable=False),
    Column("payload", JSON, nullable=False),
    # its delivery: pending → delivering (under a lease) → delivered, or dead after N failures
    Column("status", String(20), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt", DateTime),
    Column("lease_until", DateTime),
    Column("claim", String(64)),
    Column("last_error", Text),
    Column("delivered_at", DateTime),
    Index("outbox_by_status", "status", "next_attempt"),
)

verdicts = Table(
    "verdicts",
    metadata,
    Column("position", Integer, ForeignKey("events.position"), primary_key=True),
    Column("list_id", String(200)),  # None: an expression guard's verdict
    Column("person_id", protected(200), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("outcome", String(40), nullable=False),
    Column("conclusive", Boolean, nullable=False),
    Column("instance", protected(200)),  # a guard's verdict: the step that asked for it
    Column("sequence", Integer),
    Column("guard", String(200)),
    Index("verdicts_by_list", "list_id", "person_id", "as_of"),
)

score_sheets = Table(
    "score_sheets",
    metadata,
    Column("position", Integer, ForeignKey("events.position"), primary_key=True),
    Column("policy_id", String(200), nullable=False),
    Column("person_id", protected(200), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("score", String(60)),  # exact, as text ("171", "343/4"); None when unscored
    Column("place", Integer),
    Column("grade", String(100)),
    Column("conclusive", Boolean, nullable=False),
    Index("score_sheets_by_policy", "policy_id", "person_id", "as_of"),
)


# bearer tokens of the HTTP service: the secret is kept as its SHA-256 only (it is 32 random
# bytes, so a fast hash is enough); roles are "role" or "role@organisation" (docs/service.md)
tokens = Table(
    "tokens",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("secret_hash", String(64), nullable=False),
    Column("actor", protected(200), nullable=False),
    Column("roles", JSON, nullable=False),
    Column("raw_personal_data", Boolean, nullable=False, server_default=false()),
    Column("created_at", DateTime, nullable=False),
    Column("expires_on", Date),
    Column("revoked_at", DateTime),
)


# each issue, change and revocation of a token is a record in the chain (kind "token", its body
# the token's row after it): a row no chained record explains is refused at authentication
token_records = Table(
    "token_records",
    metadata,
    Column("position", Integer, ForeignKey("events.position"), primary_key=True),
    Column("token_id", String(32), nullable=False),
    Index("token_records_by_token", "token_id", "position"),
)


# each imposition and lifting of an effect is a record in the chain (kind "effect", its body
# the effect after the event): the effect in force is its last record (docs/effects.md)
effect_records = Table(
    "effect_records",
    metadata,
    Column("position", Integer, ForeignKey("events.position"), primary_key=True),
    Column("effect_record", protected(400), nullable=False),
    Column("effect", String(200), nullable=False),
    Column("person_id", protected(200), nullable=False),
    Column("event", String(20), nullable=False),  # imposed, lifted
    Index("effect_records_by_record", "effect_record", "position"),
    Index("effect_records_by_person", "person_id", "position"),
)


# each reminder or escalation the sweep sent is a record in the chain (kind "reminder"), named
# so that it is sent once; its outbox row (instance "reminder:<digest>") is written with it
reminder_records = Table(
    "reminder_records",
    metadata,
    Column("position", Integer, ForeignKey("events.position"), primary_key=True),
    Column("reminder_id", protected(400), nullable=False),
    Column("outbox_key", String(80), nullable=False),
    Index("reminder_records_by_id", "reminder_id"),
)


# each opening, retry and resolution of an incident is a record in the chain (kind "incident",
# its body the incident after the event): the incident as it stands is its last record
incident_records = Table(
    "incident_records",
    metadata,
    Column("position", Integer, ForeignKey("events.position"), primary_key=True),
    Column("incident_id", protected(400), nullable=False),
    Column("status", String(20), nullable=False),  # open, resolved
    Index("incident_records_by_id", "incident_id", "position"),
)


# the manifest of each policy set that decided something (kind "policy_set", once per digest):
# what a verdict's or score sheet's "policy_set" digest stands for (governance replay)
policy_sets = Table(
    "policy_sets",
    metadata,
    Column("position", Integer, ForeignKey("events.position"), primary_key=True),
    Column("digest", String(64), nullable=False, unique=True),
)


# the manifest of each policy set steps were taken under, by its digest (kept as definitions
# are: the digest is in each step's chained event, and the manifest hashes to it)
policy_set_manifests = Table(
    "policy_set_manifests",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("body", JSON, nullable=False),
)


# the workbench's signed-in sessions (docs/workbench.md): a session's id is kept hashed, so
# that reading the database does not sign anyone in; not chained (a session decides nothing)
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("token_id", String(64), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Index("web_sessions_by_last_seen", "last_seen"),
)
