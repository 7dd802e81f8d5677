"""Rendering and sending one mail over SMTP (stdlib ``smtplib``).

Why not Flask-Mail: its SMTP connection has no timeout (a hanging mail
server would block a worker thread for good) and its STARTTLS does not
verify the server's certificate. ``smtplib`` with ``ssl.create_default_context``
and ``email.message.EmailMessage`` does both in a few lines.
"""

from __future__ import annotations

import contextlib
import email.policy
import logging
import smtplib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from types import SimpleNamespace
from typing import Any

from flask import current_app, g, render_template
from flask_babel import force_locale

from mediahub.core import outbound

# The name it had before it moved to core: log configurations keep working.
log = logging.getLogger("mediahub.mail.sender")


class MailNotSent(RuntimeError):
    """The mail server refused the mail or could not be reached (the task retries)."""


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    #: One-click unsubscribe address (RFC 8058), for mails one can turn off.
    unsubscribe_url: str | None = None


class _UrlListHeader(UnstructuredHeader):
    """``List-Unsubscribe`` (RFC 2369): a URL in angle brackets, read as written.

    The default policy MIME-encodes a word that does not fit on a 78-character
    line (``=?utf-8?q?<https=3A//…?=``), which mail programs do not decode in
    this header; so it stays on one line (the hard limit is 998 characters).
    """

    name: str

    # typeshed declares fold on BaseHeader, which the registry mixes in at run time.
    def fold(self, *, policy: email.policy.Policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


_headers = HeaderRegistry()
# The registry mixes BaseHeader in itself (see email.headerregistry); typeshed
# wants the finished class.
_headers.map_to_type("list-unsubscribe", _UrlListHeader)  # type: ignore[arg-type]
_POLICY = email.policy.default.clone(header_factory=_headers)


def recipient_locale(user: Any) -> str:
    """The language a person reads their mails in (their choice, else German)."""
    langs = current_app.config["LANGUAGES"]
    chosen = getattr(user, "locale", None)
    return str(chosen if chosen in langs else current_app.config["BABEL_DEFAULT_LOCALE"])


@contextlib.contextmanager
def in_locale(locale: str) -> Iterator[None]:
    """Translate in ``locale`` (also outside a request, e.g. in the worker)."""
    # flask_babel.force_locale silently does nothing while ``g`` is empty,
    # which it is in a fresh app context of the worker.
    if not hasattr(g, "_flask_babel"):
        g._flask_babel = SimpleNamespace()
    with force_locale(locale):
        yield


def render_mail(
    template: str, to: str, locale: str, *, unsubscribe_url: str | None = None, **context: Any
) -> OutgoingMail:
    """Render ``templates/mail/<template>.txt``: the first line is the subject.

    ``unsubscribe_url`` is shown to the template and sent as ``List-Unsubscribe``.
    """
    with in_locale(locale):
        rendered = render_template(
            f"mail/{template}.txt", unsubscribe_url=unsubscribe_url, **context
        )
    subject, _, body = rendered.strip().partition("\n")
    return OutgoingMail(
        to=to,
        subject=outbound.mail_header(subject),
        text=body.strip() + "\n",
        unsubscribe_url=unsubscribe_url,
    )


def build_message(mail: OutgoingMail) -> EmailMessage:
    cfg = current_app.config
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = cfg["MAIL_DEFAULT_SENDER"]
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=msg["From"].addresses[0].domain or None)
    # Mails from a machine: no out-of-office answers back.
    msg["Auto-Submitted"] = "auto-generated"
    if mail.unsubscribe_url:
        # RFC 8058 one-click: mail programs offer a button that POSTs here.
        msg["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(mail.text)
    return msg


def deliver(mail: OutgoingMail) -> None:
    """Send ``mail`` now (call from a task), or log it when sending is off.

    Raises:
        MailNotSent: the server could not be reached or refused the mail.
    """
    cfg = current_app.config
    if cfg["ENV"] == "development":
        log.info("mail (development, not sent) to %s: %s\n%s", mail.to, mail.subject, mail.text)
        return
    if not cfg["MAIL_SERVER"]:
        log.warning(
            "mail NOT sent (MEDIAHUB_MAIL_SERVER is not set) to %s: %s", mail.to, mail.subject
        )
        return
    msg = build_message(mail)
    try:
        with _connect() as smtp:
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(f"mail to {mail.to} not sent: {exc}") from exc
    log.info("mail sent to %s: %s", mail.to, mail.subject)


def _connect() -> smtplib.SMTP:
    cfg = current_app.config
    host, port, timeout = cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), cfg["MAIL_TIMEOUT"]
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if cfg["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls(context=context)
    if cfg["MAIL_USERNAME"] and cfg["MAIL_PASSWORD"]:
        smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
    return smtp
