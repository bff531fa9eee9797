"""The comment form: plain text, control characters removed, nothing about the poster kept."""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator

from newsdesk.comments.models import Comment

# Bidirectional overrides and isolates can disguise text; zero-width spaces hide it.
INVISIBLE = (
    {"\u200b", "\u2028", "\u2029", "\ufeff"}
    | {chr(c) for c in range(0x202A, 0x202F)}
    | {chr(c) for c in range(0x2066, 0x206A)}
)


def strip_controls(text: str, keep_newlines: bool) -> str:
    """``text`` without control characters; newlines are normalised to ``\\n`` and kept if asked."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    kept = []
    for char in text:
        if char == "\n":
            kept.append("\n" if keep_newlines else " ")
        elif char in INVISIBLE or unicodedata.category(char) == "Cc":
            continue
        else:
            kept.append(char)
    text = "".join(kept)
    if keep_newlines:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        text = re.sub(r"\n{4,}", "\n\n\n", text)
    return text.strip()


class PlainTextField(forms.CharField):
    def __init__(self, *, keep_newlines: bool, **kwargs):
        self.keep_newlines = keep_newlines
        kwargs["strip"] = False
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return strip_controls(value, self.keep_newlines) if value else value


class CommentForm(forms.Form):
    name = PlainTextField(
        keep_newlines=False,
        label="名前",
        required=False,
        max_length=Comment._meta.get_field("name").max_length,
        help_text="省略すると「名無しさん」になります。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "名無しさん"}),
    )
    body = PlainTextField(
        keep_newlines=True,
        label="本文",
        error_messages={"required": "本文を入力してください。"},
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        max_chars = settings.NEWSDESK["COMMENT_MAX_CHARS"]
        body = self.fields["body"]
        body.max_length = max_chars
        body.validators.append(MaxLengthValidator(max_chars))
        body.widget.attrs["maxlength"] = str(max_chars)
        body.error_messages["max_length"] = (
            f"本文は{max_chars}文字以内で入力してください（現在%(show_value)d文字）。"
        )
        self.fields["name"].error_messages["max_length"] = "名前は%(limit_value)d文字以内で入力してください。"
