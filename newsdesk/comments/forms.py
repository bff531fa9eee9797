"""The comment form: plain text, control characters removed, nothing about the poster kept."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator

from newsdesk.comments.identity import TRIP_KEY_CHARS
from newsdesk.comments.models import Comment
from newsdesk.comments.render import clean_text

NAME_CHARS = Comment._meta.get_field("name").max_length


class PlainTextField(forms.CharField):
    def __init__(self, *, keep_newlines: bool, **kwargs):
        self.keep_newlines = keep_newlines
        kwargs["strip"] = False
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value, self.keep_newlines) if value else value


class CommentForm(forms.Form):
    name = PlainTextField(
        keep_newlines=False,
        label="名前",
        required=False,
        max_length=NAME_CHARS + 1 + TRIP_KEY_CHARS,
        help_text="省略すると「名無しさん」になります。「名前#キー」と書くと、キーから作った◆トリップが付きます（キーは表示されません）。",
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
        self.fields["name"].error_messages["max_length"] = f"名前は{NAME_CHARS}文字以内で入力してください。"

    def clean_name(self):
        """The name part of ``名前#キー`` is limited like a stored name; the key has its own limit."""
        value = self.cleaned_data.get("name", "")
        name, mark, key = value.replace("＃", "#").partition("#")
        if len(name) > NAME_CHARS:
            raise forms.ValidationError(f"名前は{NAME_CHARS}文字以内で入力してください。", code="max_length")
        if mark and len(key) > TRIP_KEY_CHARS:
            raise forms.ValidationError(
                f"「#」の後のキーは{TRIP_KEY_CHARS}文字以内で入力してください。", code="max_length"
            )
        return value
