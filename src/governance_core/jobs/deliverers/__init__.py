"""The channels the library itself delivers through, configured in the settings' ``[delivery]``
table (docs/delivery.md): a signed webhook, e-mail over SMTP with STARTTLS, and the group
robots of 企业微信 (WeCom) and 钉钉 (DingTalk). Each sends one :class:`Message` or raises
:class:`DeliveryError` with the reason in words; personal data is masked unless the channel
is marked as allowed to carry it."""

from governance_core.jobs.deliverers._channels import (
    Channel,
    DeliveryError,
    ForRole,
    channels,
    configured,
    routed,
)
from governance_core.jobs.deliverers._message import Message, message_of
from governance_core.jobs.deliverers._webhook import SIGNATURE_HEADER, signature

__all__ = [
    "SIGNATURE_HEADER",
    "Channel",
    "DeliveryError",
    "ForRole",
    "Message",
    "channels",
    "configured",
    "message_of",
    "routed",
    "signature",
]
