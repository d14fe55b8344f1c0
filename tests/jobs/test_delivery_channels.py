"""The channels of the settings' [delivery] table (docs/delivery.md), each against a real
server on loopback: a webhook receiver that checks the signature, WeCom and DingTalk robots
that answer in their documented formats, and an SMTP server with STARTTLS. Failures are
retried with back-off and the receiver sees the same delivery id, so it can keep one."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.errors import ConfigError
from governance_core.jobs.deliverers import Message, channels, message_of, signature
from governance_core.jobs.delivery import deliver_due
from governance_core.messages import in_language
from governance_core.plugins import Delivery, DeliverySettings, read_settings
from governance_core.rules.common import Title
from tests.storage.test_outbox import NOW, _store

SECRET = "s3cret"
Answer = Callable[[bytes, dict[str, str]], tuple[int, bytes]]


class _Receiver:
    """An HTTP server on loopback: records each request and answers with ``answer``."""

    def __init__(self, answer: Answer) -> None:
        self.seen: list[tuple[str, dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.seen.append((self.path, headers, body))
                status, reply = answer(body, headers)
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def receiver() -> Iterator[Callable[[Answer], _Receiver]]:
    started: list[_Receiver] = []

    def start(answer: Answer) -> _Receiver:
        started.append(_Receiver(answer))
        return started[-1]

    yield start
    for r in started:
        r.server.shutdown()


def _checks_signature(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    expected = signature(SECRET, headers["x-governance-timestamp"], body)
    ok = hmac.compare_digest(expected, headers["x-governance-signature"])
    return (200, b"ok") if ok else (401, b"bad signature")


def test_a_signed_webhook_delivers_every_consequence(
    tmp_path: Path, receiver: Callable[[Answer], _Receiver]
) -> None:
    engine, store = _store(tmp_path)
    hook = receiver(_checks_signature)
    through = channels(DeliverySettings(webhook=hook.url + "/hook", webhook_secret=SECRET))
    with in_language("zh"):
        report = deliver_due(engine, store, NOW, channels=through)
    assert len(report.delivered) == 2 and not report.failed
    bodies = [orjson.loads(body) for _path, _headers, body in hook.seen]
    assert [b["instance"] for b in bodies] == ["w1", "w2"]
    assert bodies[0]["text"] == "程序 w1 第 2 步的后果：" + bodies[0]["consequence_zh"]
    assert {h["x-governance-delivery"] for _p, h, _b in hook.seen} == {
        str(i) for i in report.delivered
    }


def test_a_wrong_secret_is_refused_by_the_receiver_and_retried(
    tmp_path: Path, receiver: Callable[[Answer], _Receiver]
) -> None:
    engine, store = _store(tmp_path)
    hook = receiver(_checks_signature)
    wrong = channels(DeliverySettings(webhook=hook.url, webhook_secret="not it"))
    report = deliver_due(engine, store, NOW, channels=wrong)
    assert report.delivered == () and len(report.failed) == 2
    assert "answered 401" in report.failed[0][1]


def test_failures_are_retried_with_back_off_and_the_id_kept(
    tmp_path: Path, receiver: Callable[[Answer], _Receiver]
) -> None:
    engine, store = _store(tmp_path)
    answers = iter([(500, b"down"), (500, b"down"), (200, b""), (200, b"")])
    hook = receiver(lambda body, headers: next(answers))
    through = channels(DeliverySettings(webhook=hook.url, webhook_secret=SECRET))
    first = deliver_due(engine, store, NOW, channels=through, backoff=dt.timedelta(minutes=1))
    assert first.delivered == () and len(first.failed) == 2
    again = deliver_due(engine, store, NOW + dt.timedelta(minutes=2), channels=through)
    assert len(again.delivered) == 2
    ids = [h["x-governance-delivery"] for _p, h, _b in hook.seen]
    assert sorted(ids) == sorted([*set(ids)] * 2)  # each id seen twice: once failed, once kept
    later = deliver_due(engine, store, NOW + dt.timedelta(hours=1), channels=through)
    assert later.delivered == () and len(hook.seen) == 4  # nothing acknowledged is sent again


def test_the_robots_get_their_documented_formats(
    tmp_path: Path, receiver: Callable[[Answer], _Receiver]
) -> None:
    engine, store = _store(tmp_path)
    accepted: Answer = lambda body, headers: (200, b'{"errcode": 0, "errmsg": "ok"}')  # noqa: E731
    wecom, dingtalk = receiver(accepted), receiver(accepted)
    settings = DeliverySettings(
        wecom=wecom.url + "/cgi-bin/webhook/send?key=k",
        dingtalk=dingtalk.url + "/robot/send?access_token=t",
        dingtalk_secret="SECabc",
    )
    report = deliver_due(engine, store, NOW, channels=channels(settings))
    assert len(report.delivered) == 2
    for seen in (wecom.seen, dingtalk.seen):
        body = orjson.loads(seen[0][2])
        assert body["msgtype"] == "text" and body["text"]["content"]
    path = dingtalk.seen[0][0]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    stamp = query["timestamp"][0]
    digest = hmac.new(b"SECabc", f"{stamp}\nSECabc".encode(), hashlib.sha256).digest()
    assert query["sign"][0] == base64.b64encode(digest).decode()


def test_a_robot_that_refuses_says_why(
    tmp_path: Path, receiver: Callable[[Answer], _Receiver]
) -> None:
    engine, store = _store(tmp_path)
    robot = receiver(lambda body, headers: (200, b'{"errcode": 93000, "errmsg": "invalid key"}'))
    report = deliver_due(engine, store, NOW, channels=channels(DeliverySettings(wecom=robot.url)))
    assert len(report.failed) == 2 and "93000" in report.failed[0][1]
    assert "invalid key" in report.failed[0][1]


def test_personal_data_is_masked_unless_the_channel_may_carry_it() -> None:
    delivery = Delivery(7, "w1", 2, "consequence", Title("联系 13812345678", "call 13812345678"), 1)
    message = message_of(delivery, dt.datetime(2024, 3, 2, 8))
    assert "13812345678" in message.text
    hidden = message.masked()
    assert "13812345678" not in hidden.text and "13812345678" not in str(hidden.data)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _mail_server(handler: Any, context: ssl.SSLContext, **kwargs: Any) -> tuple[Controller, int]:
    port = _free_port()
    server = Controller(handler, hostname="127.0.0.1", port=port, tls_context=context, **kwargs)
    server.start()
    return server, port


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class _Inbox:
    def __init__(self) -> None:
        self.mails: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.mails.append(envelope.content)
        return "250 OK"


def test_mail_goes_over_starttls_in_chinese(tmp_path: Path) -> None:
    engine, store = _store(tmp_path)
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = _Inbox()
    server, port = _mail_server(inbox, context, require_starttls=True)
    try:
        settings = DeliverySettings(
            smtp_host="localhost",
            smtp_port=port,
            smtp_from="governance@district.example",
            smtp_to=("clerk@town.example",),
            smtp_ca_file=str(cert),
        )
        with in_language("zh"):
            report = deliver_due(engine, store, NOW, channels=channels(settings))
    finally:
        server.stop()
    assert len(report.delivered) == 2 and len(inbox.mails) == 2
    mail = message_from_bytes(inbox.mails[0])
    assert "w1" in str(make_header(decode_header(mail["Subject"])))
    assert mail["X-Governance-Delivery"] in {str(i) for i in report.delivered}


def test_mail_refuses_a_server_it_cannot_trust(tmp_path: Path) -> None:
    engine, store = _store(tmp_path)
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server, port = _mail_server(_Inbox(), context)
    try:
        settings = DeliverySettings(
            smtp_host="localhost",
            smtp_port=port,
            smtp_from="a@b.example",
            smtp_to=("c@d.example",),
        )  # no smtp_ca_file: the self-signed certificate is not trusted
        report = deliver_due(engine, store, NOW, channels=channels(settings))
    finally:
        server.stop()
    assert report.delivered == () and "SSLCertVerificationError" in report.failed[0][1]


def test_a_configuration_that_cannot_work_is_refused_whole() -> None:
    bad = DeliverySettings(
        webhook="ftp://x", wecom="file:///etc/passwd", smtp_host="m", smtp_port=0
    )
    with pytest.raises(ConfigError) as caught:
        channels(bad, "governance.toml")
    text = str(caught.value)
    for expected in ("not an http or https", "webhook_secret", "smtp_from", "smtp_port"):
        assert expected in text
    assert "governance.toml" in text


def test_the_environment_wins_and_a_bad_value_is_named() -> None:
    attrs.resolve_types(DeliverySettings)  # as cattrs does once a settings file was read
    settings = DeliverySettings(webhook="https://a.example", webhook_secret="file")
    environ = {
        "GOVERNANCE_DELIVERY_WEBHOOK_SECRET": "env",
        "GOVERNANCE_DELIVERY_SMTP_TO": "a@x, b@y",
        "GOVERNANCE_DELIVERY_SMTP_PORT": "2525",
        "GOVERNANCE_DELIVERY_WEBHOOK_PERSONAL_DATA": "true",
    }
    merged = settings.with_environment(environ)
    assert (merged.webhook_secret, merged.smtp_to, merged.smtp_port) == (
        "env",
        ("a@x", "b@y"),
        2525,
    )
    assert merged.webhook_personal_data is True
    with pytest.raises(ConfigError, match="GOVERNANCE_DELIVERY_SMTP_PORT"):
        settings.with_environment({"GOVERNANCE_DELIVERY_SMTP_PORT": "many"})


def test_outbox_deliver_uses_the_settings_table(
    tmp_path: Path, receiver: Callable[[Answer], _Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    _store(tmp_path)
    hook = receiver(_checks_signature)
    (tmp_path / "governance.toml").write_text(
        f'policies = ["process.yaml"]\n\n[delivery]\nwebhook = "{hook.url}"\n', encoding="utf-8"
    )
    assert read_settings(tmp_path / "governance.toml").delivery.webhook == hook.url
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVERNANCE_DELIVERY_WEBHOOK_SECRET", SECRET)
    url = f"sqlite:///{tmp_path / 'governance.db'}"
    args = ["outbox", "deliver", "--database", url, "--at", NOW.isoformat(), "-f", "json"]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    assert len(orjson.loads(done.stdout)["delivered"]) == 2 and len(hook.seen) == 2
    monkeypatch.delenv("GOVERNANCE_DELIVERY_WEBHOOK_SECRET")
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 1 and "webhook_secret" in refused.output


def test_message_words_are_the_catalogs() -> None:
    delivery = Delivery(1, "w1", 2, "consequence", Title("诫勉谈话", "admonition"), 1)
    with in_language("en"):
        english: Message = message_of(delivery, dt.datetime(2024, 3, 2))
    with in_language("zh"):
        chinese = message_of(delivery, dt.datetime(2024, 3, 2))
    assert "admonition" in english.text and "诫勉谈话" in chinese.text
    assert english.text != chinese.text


def test_the_service_delivers_on_its_timer(
    tmp_path: Path, receiver: Callable[[Answer], _Receiver]
) -> None:
    from fastapi.testclient import TestClient

    from governance_core.service import create_app

    engine, store = _store(tmp_path)
    hook = receiver(_checks_signature)
    through = channels(DeliverySettings(webhook=hook.url, webhook_secret=SECRET))
    app = create_app(engine, store, clock=lambda: NOW, sweep_every=0.05, channels=through)
    with TestClient(app):
        deadline = time.monotonic() + 10
        while len(hook.seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert len(hook.seen) == 2
    assert {row.status for row in store.outbox.rows(None)} == {"delivered"}


def test_an_escalation_goes_to_its_roles_own_channels(
    tmp_path: Path, receiver: Callable[[Answer], _Receiver]
) -> None:
    from governance_core.jobs.reminders import remind
    from tests.jobs.test_reminders import _setting

    engine, store = _setting(tmp_path)
    district, town = receiver(_checks_signature), receiver(_checks_signature)
    (tmp_path / "governance.toml").write_text(
        f'[delivery]\nwebhook = "{town.url}"\nwebhook_secret = "{SECRET}"\n\n'
        f'[delivery.roles.district_department]\nwebhook = "{district.url}"\n',
        encoding="utf-8",
    )
    through = channels(read_settings(tmp_path / "governance.toml").delivery)
    assert [c.name for c in through] == ["webhook", "webhook (district_department)"]
    remind(engine, store, dt.date(2024, 3, 27))  # before the last day: nobody's own channel
    remind(engine, store, dt.date(2024, 4, 2))  # the escalation to the district department
    with in_language("zh"):  # as from the command line
        report = deliver_due(
            engine, store, NOW.replace(year=2024, month=4, day=3), channels=through
        )
    assert not report.failed and not report.dead
    to_district = [orjson.loads(body) for _, _, body in district.seen]
    assert [(b["kind"], b["to"]) for b in to_district] == [("reminder", ["district_department"])]
    assert "区委组织部" in to_district[0]["text"]
    assert {orjson.loads(body)["to"] == [] for _, _, body in town.seen} == {True}
    assert len(town.seen) == len(report.delivered) - 1


def test_a_roles_table_that_cannot_work_is_refused(tmp_path: Path) -> None:
    (tmp_path / "governance.toml").write_text(
        '[delivery]\n\n[delivery.roles.town]\nsmtp_to = ["a@x"]\n\n'
        '[delivery.roles.district]\nwebhook = "ftp://x"\n\n[delivery.roles.empty]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        channels(read_settings(tmp_path / "governance.toml").delivery, "governance.toml")
    text = str(caught.value)
    for expected in (
        "delivery.roles.town.smtp_to needs smtp_host",
        "[delivery.roles.district]",
        "not an http or https",
        "webhook_secret",
        "delivery.roles.empty names no channel",
    ):
        assert expected in text
    (tmp_path / "governance.toml").write_text(
        "[delivery.roles.town]\nwebhok = 1\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="webhok"):
        read_settings(tmp_path / "governance.toml")
