"""E-mail over SMTP with STARTTLS (the standard library's smtplib and ssl): the message's text
as a UTF-8 mail to the configured recipients. ``smtp_ca_file`` trusts a district's own
certificate authority; ``smtp_starttls = false`` sends in the clear, for a relay on the same
machine only."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from governance_core.jobs.deliverers._channels import DeliveryError
from governance_core.jobs.deliverers._message import Message
from governance_core.messages import _
from governance_core.plugins import DeliverySettings

__all__ = ["Mail"]


class Mail:
    """Mail through one SMTP server."""

    __slots__ = ("_settings", "personal_data")

    name = "smtp"

    def __init__(self, settings: DeliverySettings) -> None:
        self._settings = settings
        self.personal_data = settings.smtp_personal_data

    def send(self, message: Message) -> None:
        s = self._settings
        assert s.smtp_host is not None and s.smtp_from is not None  # checked by channels()
        mail = EmailMessage()
        mail["Subject"] = message.subject
        mail["From"] = s.smtp_from
        mail["To"] = ", ".join(s.smtp_to)
        mail["X-Governance-Delivery"] = str(message.delivery)
        mail.set_content(message.text)
        try:
            with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.timeout_seconds) as server:
                if s.smtp_starttls:
                    server.starttls(context=ssl.create_default_context(cafile=s.smtp_ca_file))
                if s.smtp_user is not None:
                    server.login(s.smtp_user, s.smtp_password or "")
                server.send_message(mail)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(
                _("mail through {host}: {error}").format(
                    host=s.smtp_host, error=f"{type(error).__name__}: {str(error)[:200]}"
                )
            ) from None
