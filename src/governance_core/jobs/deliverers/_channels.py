"""A channel sends a message or says why it could not; ``channels`` builds those the settings
configure, refusing a configuration that cannot work (a webhook without its secret, an
address that is not http(s), mail without a sender or recipient) before anything is sent."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Protocol
from urllib.parse import urlsplit

from governance_core.errors import ConfigError, GovernanceError, Problem
from governance_core.jobs.deliverers._message import Message
from governance_core.messages import _
from governance_core.plugins import DeliverySettings, Settings

__all__ = ["Channel", "DeliveryError", "ForRole", "channels", "configured", "routed"]


class DeliveryError(GovernanceError):
    """A channel could not deliver a message; the message says why, in words."""


class Channel(Protocol):
    """Where messages go. ``personal_data``: it may carry ID-card and mobile numbers."""

    @property
    def name(self) -> str: ...

    @property
    def personal_data(self) -> bool: ...

    def send(self, message: Message) -> None:
        """Send ``message``; DeliveryError with the reason when it was not accepted."""


def _problems(settings: DeliverySettings, where: str) -> Iterator[Problem]:
    for key in ("webhook", "wecom", "dingtalk"):
        url = getattr(settings, key)
        if url is not None and urlsplit(url).scheme not in ("http", "https"):
            yield Problem(
                _("delivery.{key}: {url!r} is not an http or https address").format(
                    key=key, url=url
                ),
                where,
            )
    if settings.webhook is not None and not settings.webhook_secret:
        yield Problem(
            _("delivery.webhook needs webhook_secret: a receiver must be able to check the sender"),
            where,
            hint=_("set GOVERNANCE_DELIVERY_WEBHOOK_SECRET in the environment"),
        )
    if settings.smtp_host is not None and not (settings.smtp_from and settings.smtp_to):
        yield Problem(_("delivery.smtp_host needs smtp_from and smtp_to"), where)
    if not 1 <= settings.smtp_port <= 65535:
        yield Problem(_("delivery.smtp_port must be from 1 to 65535"), where)
    if not 0 < settings.timeout_seconds <= 300:
        yield Problem(_("delivery.timeout_seconds must be more than 0 and at most 300"), where)


class ForRole:
    """One of a role's own channels (``[delivery.roles.<role>]``): it carries only what is
    addressed to that role."""

    __slots__ = ("_channel", "role")

    def __init__(self, channel: Channel, role: str) -> None:
        self._channel, self.role = channel, role

    @property
    def name(self) -> str:
        return f"{self._channel.name} ({self.role})"

    @property
    def personal_data(self) -> bool:
        return self._channel.personal_data

    def send(self, message: Message) -> None:
        self._channel.send(message)


def routed(through: Sequence[Channel], to: Collection[str]) -> list[Channel]:
    """The channels a message addressed to the roles ``to`` goes through: the own channels
    of those roles that have some; ``[delivery]``'s when none has (or it names no role)."""
    own: list[Channel] = [c for c in through if isinstance(c, ForRole) and c.role in to]
    return own or [c for c in through if not isinstance(c, ForRole)]


def _role_problems(settings: DeliverySettings, where: str) -> Iterator[Problem]:
    for role, own in settings.roles.items():
        table = f"{where} [delivery.roles.{role}]"
        if not (own.webhook or own.smtp_to or own.wecom or own.dingtalk):
            yield Problem(
                _("delivery.roles.{role} names no channel").format(role=role),
                table,
                hint=_("give webhook, smtp_to, wecom or dingtalk, or leave the table out"),
            )
        if own.smtp_to and settings.smtp_host is None:
            yield Problem(
                _("delivery.roles.{role}.smtp_to needs smtp_host in [delivery]").format(role=role),
                table,
            )
        yield from _problems(settings.for_role(role), table)


def channels(settings: DeliverySettings, where: str = "[delivery]") -> list[Channel]:
    """The channels ``settings`` configure, in the order webhook, e-mail, WeCom, DingTalk,
    then each role's own (:class:`ForRole`); ConfigError listing every problem (``where``:
    the settings file) otherwise."""
    problems = [*_problems(settings, where), *_role_problems(settings, where)]
    if problems:
        raise ConfigError(problems)
    found = _built(settings)
    for role in settings.roles:
        found += [ForRole(c, role) for c in _built(settings.for_role(role))]
    return found


def _built(settings: DeliverySettings) -> list[Channel]:
    from governance_core.jobs.deliverers._mail import Mail
    from governance_core.jobs.deliverers._robots import DingTalk, WeCom
    from governance_core.jobs.deliverers._webhook import Webhook

    found: list[Channel] = []
    if settings.webhook is not None:
        assert settings.webhook_secret is not None  # checked above
        found.append(Webhook(settings.webhook, settings.webhook_secret, settings))
    if settings.smtp_host is not None:
        found.append(Mail(settings))
    if settings.wecom is not None:
        found.append(WeCom(settings.wecom, settings))
    if settings.dingtalk is not None:
        found.append(DingTalk(settings.dingtalk, settings))
    return found


def configured(settings: Settings, environ: Mapping[str, str]) -> list[Channel]:
    """The channels of ``settings``' ``[delivery]`` table with ``environ``'s
    ``GOVERNANCE_DELIVERY_*`` in place; ConfigError naming the settings file otherwise."""
    where = str(settings.origin) if settings.origin else "[delivery]"
    return channels(settings.delivery.with_environment(environ), where)
