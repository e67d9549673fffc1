"""Delivery channels: email over SMTP and an SMS gateway described by an HTTP template.

Settings (``integration_settings``):

* ``smtp``: ``host``, ``port`` (25), ``security`` (``none`` | ``starttls`` | ``ssl``), ``username``,
  ``password``, ``sender`` ("ITOps <itops@example.cn>"), ``timeout`` (10 s);
* ``sms``: ``url`` (placeholders allowed, URL-encoded), ``method`` (POST), ``headers`` (placeholders
  allowed), ``format`` (``json`` | ``form`` | ``raw``), ``body`` (for json/form an object whose string
  values may hold placeholders; for raw a string), ``success_status`` (list, default any 2xx),
  ``success_contains`` (text the response must contain), ``timeout`` (10 s).
  Placeholders: ``{phone}``, ``{text}``, ``{title}``, ``{id}``; each province fills in its own platform.

A channel raises :class:`DeliveryError` with a one-line reason; the queue records it and retries.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.parse
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from typing import Any

import requests

PLACEHOLDERS = ("phone", "text", "title", "id")
SMS_MAX_CHARS = 300


class DeliveryError(RuntimeError):
    pass


class ChannelNotConfigured(DeliveryError):
    pass


def send_email(settings: dict[str, Any], to: str, subject: str, body: str, message_id: str = "") -> None:
    host = settings.get("host")
    if not host:
        raise ChannelNotConfigured("email is not configured (itops notify config smtp --host …)")
    sender = settings.get("sender") or "ITOps <itops@localhost>"
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{message_id}@itops>" if message_id else make_msgid(domain="itops")
    msg.set_content(body)
    security = settings.get("security", "none")
    port = int(settings.get("port") or (465 if security == "ssl" else 25))
    timeout = float(settings.get("timeout") or 10)
    try:
        if security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.get("username"):
                client.login(settings["username"], settings.get("password", ""))
            client.send_message(msg, from_addr=parseaddr(sender)[1] or None, to_addrs=[to])
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP {host}:{port}: {type(exc).__name__}: {exc}".strip()) from None


def _fill(template: str, values: dict[str, str], encode: bool = False) -> str:
    out = template
    for name in PLACEHOLDERS:
        value = values.get(name, "")
        out = out.replace("{" + name + "}", urllib.parse.quote(value, safe="") if encode else value)
    return out


def _fill_doc(doc: Any, values: dict[str, str]) -> Any:
    if isinstance(doc, str):
        return _fill(doc, values)
    if isinstance(doc, dict):
        return {k: _fill_doc(v, values) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_fill_doc(v, values) for v in doc]
    return doc


def build_sms_request(settings: dict[str, Any], phone: str, text: str, title: str = "",
                      message_id: str = "") -> dict[str, Any]:
    """The HTTP request the template describes (method, url, headers, data) — testable on its own."""
    url = settings.get("url")
    if not url:
        raise ChannelNotConfigured("the SMS gateway is not configured (itops notify config sms --url …)")
    values = {"phone": phone, "text": text[:SMS_MAX_CHARS], "title": title, "id": message_id}
    headers = {str(k): _fill(str(v), values) for k, v in (settings.get("headers") or {}).items()}
    fmt = settings.get("format", "json")
    body = settings.get("body", {"phone": "{phone}", "text": "{text}"})
    if fmt == "json":
        data = json.dumps(_fill_doc(body, values), ensure_ascii=False).encode("utf-8")
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
    elif fmt == "form":
        data = urllib.parse.urlencode(_fill_doc(body, values)).encode("utf-8")
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
    elif fmt == "raw":
        data = _fill(str(body), values).encode("utf-8")
    else:
        raise DeliveryError(f"SMS gateway format must be json, form or raw, not {fmt!r}")
    return {"method": str(settings.get("method", "POST")).upper(), "url": _fill(str(url), values, encode=True),
            "headers": headers, "data": data}


def send_sms(settings: dict[str, Any], phone: str, text: str, title: str = "", message_id: str = "") -> None:
    req = build_sms_request(settings, phone, text, title, message_id)
    try:
        response = requests.request(req["method"], req["url"], headers=req["headers"], data=req["data"],
                                    timeout=float(settings.get("timeout") or 10))
    except requests.RequestException as exc:
        raise DeliveryError(f"SMS gateway: {type(exc).__name__}: {exc}") from None
    allowed = settings.get("success_status")
    ok = response.status_code in allowed if allowed else 200 <= response.status_code < 300
    if not ok:
        raise DeliveryError(f"SMS gateway answered HTTP {response.status_code}: {response.text[:200]}")
    expected = settings.get("success_contains")
    if expected and expected not in response.text:
        raise DeliveryError(f"SMS gateway refused the message: {response.text[:200]}")


def display_sender(settings: dict[str, Any]) -> str:
    name, addr = parseaddr(settings.get("sender") or "")
    return formataddr((name, addr)) if addr else ""
