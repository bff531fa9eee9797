"""Admin pieces shared by the editorial admin modules."""

from __future__ import annotations

from django.db import models
from django.utils.html import format_html

# URLs typed without a scheme are taken to be https, as Django 6 will do by default.
URL_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


def lines_block(lines) -> str:
    """A list shown one item per line, escaped."""
    if not lines:
        return "—"
    return format_html('<pre class="newsdesk-pre">{}</pre>', "\n".join(str(line) for line in lines))
