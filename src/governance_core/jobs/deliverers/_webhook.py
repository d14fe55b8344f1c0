"""A webhook signed with HMAC-SHA256 (docs/delivery.md): the JSON body is posted with
``X-Governance-Signature: sha256=<hex>`` over ``<timestamp>.<body>``, the timestamp in
``X-Governance-Timestamp`` and the delivery's id in ``X-Governance-Delivery``, so a receiver
checks the sender, refuses an old replay and tells a repeated delivery."""

from __future__ import annotations

import hmac
import time

import httpx
import orjson

from governance_core.jobs.deliverers._channels import DeliveryError
from governance_core.jobs.deliverers._message import Message
from governance_core.messages import _
from governance_core.plugins import DeliverySettings

__all__ = ["SIGNATURE_HEADER", "Webhook", "signature"]

SIGNATURE_HEADER = "X-Governance-Signature"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``<timestamp>.<body>`` under ``secret``."""
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, "sha256")
    return "sha256=" + digest.hexdigest()


def posted(url: str, body: bytes, headers: dict[str, str], timeout: float) -> httpx.Response:
    """POST ``body`` as JSON; DeliveryError on a network error or a status that is not 2xx."""
    try:
        response = httpx.post(
            url,
            content=body,
            headers={"Content-Type": "application/json; charset=utf-8", **headers},
            timeout=timeout,
            follow_redirects=False,
        )
    except httpx.HTTPError as error:
        raise DeliveryError(
            _("{url}: {error}").format(url=_host(url), error=type(error).__name__)
        ) from None
    if not 200 <= response.status_code < 300:
        raise DeliveryError(
            _("{url} answered {status}").format(url=_host(url), status=response.status_code)
        )
    return response


def _host(url: str) -> str:
    """The address without its path and query, which may hold a key."""
    return httpx.URL(url).copy_with(path="/", query=None).__str__().rstrip("/")


class Webhook:
    """A signed webhook: the message's data as the JSON body."""

    __slots__ = ("_secret", "_timeout", "_url", "personal_data")

    name = "webhook"

    def __init__(self, url: str, secret: str, settings: DeliverySettings) -> None:
        self._url, self._secret, self._timeout = url, secret, settings.timeout_seconds
        self.personal_data = settings.webhook_personal_data

    def send(self, message: Message) -> None:
        body = orjson.dumps(message.data, option=orjson.OPT_SORT_KEYS)
        timestamp = str(int(time.time()))
        headers = {
            SIGNATURE_HEADER: signature(self._secret, timestamp, body),
            "X-Governance-Timestamp": timestamp,
            "X-Governance-Delivery": str(message.delivery),
        }
        posted(self._url, body, headers, self._timeout)
