"""Template helpers for the reader site: JST dates and site settings."""

from __future__ import annotations

import datetime as dt

from django import template
from django.conf import settings

from newsdesk.japanese.dates import JST

register = template.Library()


def to_jst(value) -> dt.datetime | None:
    """The datetime in Japan time; a naive datetime is taken to be UTC."""
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(JST)


@register.filter
def jst(value) -> str:
    """``2024年6月24日 01:06`` for a datetime, shown in Japan time whatever zone it is stored in."""
    local = to_jst(value)
    if local is None:
        return ""
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@register.filter
def jst_iso(value) -> str:
    """ISO 8601 in Japan time, for ``<time datetime="...">``."""
    local = to_jst(value)
    return local.isoformat(timespec="seconds") if local else ""


@register.simple_tag
def newsdesk_setting(name: str):
    """A value of ``settings.NEWSDESK``, for templates rendered without a request (500.html)."""
    return settings.NEWSDESK.get(name, "")
