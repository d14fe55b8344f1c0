"""The group robots of 企业微信 (WeCom) and 钉钉 (DingTalk), in their documented JSON formats:
a text message ``{"msgtype": "text", "text": {"content": …}}`` posted to the robot's webhook
address; each answers ``{"errcode": 0, …}`` when it accepted it. A DingTalk robot with 加签
(a secret) is addressed with ``timestamp`` and ``sign`` (base64 of HMAC-SHA256 of
``<timestamp>\\n<secret>``), as DingTalk's documentation gives."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse

import httpx
import orjson

from governance_core.jobs.deliverers._channels import DeliveryError
from governance_core.jobs.deliverers._message import Message
from governance_core.jobs.deliverers._webhook import posted
from governance_core.messages import _
from governance_core.plugins import DeliverySettings

__all__ = ["DingTalk", "WeCom", "dingtalk_sign"]


def _accepted(name: str, response: httpx.Response) -> None:
    try:
        answer = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        raise DeliveryError(
            _("{name} answered something other than JSON").format(name=name)
        ) from None
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        code = answer.get("errcode") if isinstance(answer, dict) else None
        text = answer.get("errmsg") if isinstance(answer, dict) else None
        raise DeliveryError(
            _("{name} refused the message: errcode {code}, {text}").format(
                name=name, code=code, text=str(text)[:200]
            )
        )


def _text(message: Message) -> bytes:
    return orjson.dumps({"msgtype": "text", "text": {"content": message.text}})


class WeCom:
    """A 企业微信 group robot."""

    __slots__ = ("_timeout", "_url", "personal_data")

    name = "wecom"

    def __init__(self, url: str, settings: DeliverySettings) -> None:
        self._url, self._timeout = url, settings.timeout_seconds
        self.personal_data = settings.wecom_personal_data

    def send(self, message: Message) -> None:
        _accepted(_("WeCom"), posted(self._url, _text(message), {}, self._timeout))


def dingtalk_sign(secret: str, timestamp_ms: str) -> str:
    """The ``sign`` of a DingTalk robot with 加签, URL-encoded."""
    digest = hmac.new(
        secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


class DingTalk:
    """A 钉钉 group robot, signed when it has a secret."""

    __slots__ = ("_secret", "_timeout", "_url", "personal_data")

    name = "dingtalk"

    def __init__(self, url: str, settings: DeliverySettings) -> None:
        self._url, self._timeout = url, settings.timeout_seconds
        self._secret = settings.dingtalk_secret
        self.personal_data = settings.dingtalk_personal_data

    def send(self, message: Message) -> None:
        url = self._url
        if self._secret:
            stamp = str(int(time.time() * 1000))
            url += f"&timestamp={stamp}&sign={dingtalk_sign(self._secret, stamp)}"
        _accepted(_("DingTalk"), posted(url, _text(message), {}, self._timeout))
