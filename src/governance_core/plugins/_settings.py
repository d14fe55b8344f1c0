"""Settings: which plugins, overlays and policy files to use, from ``governance.toml`` or the
``[tool.governance]`` table of ``pyproject.toml``.

.. code-block:: toml

    # governance.toml (in pyproject.toml: the same keys under [tool.governance])
    plugins = ["shizhong>=0.1"]          # entry-point names, optional version specifiers
    overlays = ["overlays/exit.yaml"]    # applied in this order
    policies = ["policies/local.yaml"]   # extra policy files
    strict_parameters = false            # a parameter without a value: error, not unknown

    [delivery]                           # where consequences and reminders go (docs/delivery.md)
    webhook = "https://oa.example/hook"  # signed with webhook_secret (HMAC-SHA256)
    smtp_host = "smtp.example"            # e-mail over STARTTLS; smtp_password from the environment
    wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
    dingtalk = "https://oapi.dingtalk.com/robot/send?access_token=…"

    [delivery.roles.district_department] # what is addressed to a role goes to its own channels
    smtp_to = ["zzb@district.example"]

Relative paths are read from the settings file's folder. Every ``[delivery]`` key can be given
in the environment instead (``GOVERNANCE_DELIVERY_`` and the key in capitals), which wins:
secrets belong there, not in a file kept with the policies.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, final

import attrs

from governance_core.errors import ConfigError, Problem
from governance_core.files import Located, decode_text, read_bounded, structure_located
from governance_core.messages import _
from governance_core.model import converter

__all__ = ["DeliverySettings", "RoleDelivery", "Settings", "find_settings", "read_settings"]


@final
@attrs.frozen(slots=True)
class RoleDelivery:
    """The channels of one role (``[delivery.roles.<role>]``): a reminder or an escalation
    addressed to the role goes through these instead of ``[delivery]``'s. Mail goes through
    ``[delivery]``'s server to ``smtp_to``; a secret not given is ``[delivery]``'s."""

    webhook: str | None = None
    webhook_secret: str | None = None
    webhook_personal_data: bool = False
    smtp_to: tuple[str, ...] = ()
    smtp_personal_data: bool = False
    wecom: str | None = None
    wecom_personal_data: bool = False
    dingtalk: str | None = None
    dingtalk_secret: str | None = None
    dingtalk_personal_data: bool = False


@final
@attrs.frozen(slots=True)
class DeliverySettings:
    """The channels consequences and reminders are delivered through (``[delivery]``); a
    channel is used when its address is given. ``*_personal_data``: the channel may carry
    ID-card and mobile numbers unmasked (masked otherwise)."""

    webhook: str | None = None
    webhook_secret: str | None = None
    webhook_personal_data: bool = False
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_to: tuple[str, ...] = ()
    smtp_ca_file: str | None = None
    smtp_personal_data: bool = False
    wecom: str | None = None
    wecom_personal_data: bool = False
    dingtalk: str | None = None
    dingtalk_secret: str | None = None
    dingtalk_personal_data: bool = False
    timeout_seconds: float = 10.0
    roles: Mapping[str, RoleDelivery] = attrs.field(factory=dict)

    def for_role(self, role: str) -> DeliverySettings:
        """The settings of ``role``'s own channels: its addresses, with ``[delivery]``'s mail
        server, secrets where the role gives none, and time limit."""
        own = self.roles[role]
        return attrs.evolve(
            self,
            webhook=own.webhook,
            webhook_secret=own.webhook_secret or self.webhook_secret,
            webhook_personal_data=own.webhook_personal_data,
            smtp_host=self.smtp_host if own.smtp_to else None,
            smtp_to=own.smtp_to,
            smtp_personal_data=own.smtp_personal_data,
            wecom=own.wecom,
            wecom_personal_data=own.wecom_personal_data,
            dingtalk=own.dingtalk,
            dingtalk_secret=own.dingtalk_secret or self.dingtalk_secret,
            dingtalk_personal_data=own.dingtalk_personal_data,
            roles={},
        )

    def with_environment(self, environ: Mapping[str, str]) -> DeliverySettings:
        """These settings with every ``GOVERNANCE_DELIVERY_<KEY>`` of ``environ`` in place of
        the file's (``true``/``false`` for switches, commas between addresses); ConfigError
        naming the variable for a value of the wrong kind."""
        changed: dict[str, Any] = {}
        for field in attrs.fields(DeliverySettings):
            if field.name == "roles":  # tables of their own: in the settings file only
                continue
            name = f"{ENVIRONMENT_PREFIX}{field.name.upper()}"
            if name in environ:
                # the default says the kind (every field has one), whether or not attrs has
                # resolved the annotations yet
                changed[field.name] = _from_environment(name, environ[name], type(field.default))
        return attrs.evolve(self, **changed)


ENVIRONMENT_PREFIX = "GOVERNANCE_DELIVERY_"


def _from_environment(name: str, text: str, kind: type) -> Any:
    try:
        if kind is bool:
            if text.strip().lower() not in ("true", "false", "1", "0"):
                raise ValueError(text)
            return text.strip().lower() in ("true", "1")
        if kind in (int, float):
            return kind(text)
        if kind is tuple:
            return tuple(a.strip() for a in text.split(",") if a.strip())
        return text
    except ValueError:
        raise ConfigError(
            [
                Problem(
                    _("{name}: {value!r} is not a {kind}").format(
                        name=name, value=text, kind=kind.__name__
                    ),
                    name,
                    hint=_("fix the environment variable, or unset it to use the settings file"),
                )
            ]
        ) from None


@final
@attrs.frozen(slots=True)
class Settings:
    """What to load, and where to deliver. ``origin`` is the file the settings were read
    from, if any."""

    plugins: tuple[str, ...] = ()
    overlays: tuple[Path, ...] = ()
    policies: tuple[Path, ...] = ()
    strict_parameters: bool = False
    origin: Path | None = None
    delivery: DeliverySettings = DeliverySettings()

    def merged(
        self,
        *,
        plugins: tuple[str, ...] = (),
        overlays: tuple[Path, ...] = (),
        policies: tuple[Path, ...] = (),
        strict_parameters: bool | None = None,
    ) -> Settings:
        """These settings with more plugins, overlays and policies (from the command line)."""
        return attrs.evolve(
            self,
            plugins=(*self.plugins, *plugins),
            overlays=(*self.overlays, *overlays),
            policies=(*self.policies, *policies),
            strict_parameters=self.strict_parameters
            if strict_parameters is None
            else strict_parameters,
        )


@final
@attrs.frozen(slots=True)
class _Table:
    plugins: tuple[str, ...] = ()
    overlays: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()
    strict_parameters: bool = False
    delivery: DeliverySettings = DeliverySettings()


_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def _load_toml(path: Path) -> dict[str, Any]:
    text = decode_text(read_bounded(path, ConfigError), str(path), ConfigError)
    try:
        return tomllib.loads(text)
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise ConfigError(
            [
                Problem(
                    _("the file nests arrays or tables too deeply"),
                    str(path),
                    hint=_("flatten it"),
                )
            ]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        at = _AT.search(str(exc))
        line, column = (int(at[1]), int(at[2])) if at else (None, None)
        message = _AT.sub("", str(exc)).strip()
        raise ConfigError(
            [
                Problem(
                    _("malformed TOML: {message}").format(message=message), str(path), line, column
                )
            ]
        ) from None


def read_settings(path: str | Path) -> Settings:
    """Settings from ``governance.toml``, or from ``[tool.governance]`` when ``path`` is a
    ``pyproject.toml`` (empty settings if it has no such table). ConfigError otherwise."""
    path = Path(path)
    data = _load_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("governance", {})
    table = structure_located(converter, Located(data, str(path), {}, {}), _Table, ConfigError)
    folder = path.parent
    return Settings(
        table.plugins,
        tuple(folder / p for p in table.overlays),
        tuple(folder / p for p in table.policies),
        table.strict_parameters,
        path,
        table.delivery,
    )


def find_settings(folder: str | Path = ".") -> Settings:
    """The settings of ``folder``: its ``governance.toml``, else the ``[tool.governance]``
    table of its ``pyproject.toml``, else none (no plugins)."""
    folder = Path(folder)
    for name in ("governance.toml", "pyproject.toml"):
        candidate = folder / name
        if candidate.is_file():
            settings = read_settings(candidate)
            if name == "governance.toml" or settings != Settings(origin=candidate):
                return settings
    return Settings()
