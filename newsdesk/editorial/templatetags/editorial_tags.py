"""Template filters of the editorial admin: editors by the name colleagues use, times as the
rest of the admin writes them."""

from django import template
from django.utils import timezone

from newsdesk.editorial import locks

register = template.Library()


@register.filter
def editor_name(user) -> str:
    return locks.display_name(user) if user else "—"


@register.filter
def admin_time(moment) -> str:
    """「2026年12月4日 15:30」 in JST, as the admin's own date fields show it."""
    return timezone.localtime(moment).strftime("%Y年%-m月%-d日 %H:%M") if moment else "—"
