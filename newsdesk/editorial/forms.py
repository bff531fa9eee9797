"""Admin forms: summary bullets one per line, the translation beside the original paragraph by paragraph."""

from __future__ import annotations

import re

from django import forms
from django.db import models

from newsdesk.articles.models import Article
from newsdesk.editorial import publishing

BLANK_LINE = re.compile(r"\n\s*\n")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, stripped, empty ones dropped."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in BLANK_LINE.split(text) if part.strip()]


class LinesField(forms.CharField):
    """A JSON list of strings edited as a textarea, one item per line."""

    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = "\n".join(str(item) for item in value)
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return self.to_python(initial or []) != self.to_python(data)


def textarea_rows(original: str, translation: str) -> int:
    """Enough rows for the longer of the two; Japanese takes about twice the width per character."""
    return max(3, min(16, max(len(original) // 50, len(translation) // 25) + 2))


class ParallelParagraphsWidget(forms.Widget):
    """One textarea per original paragraph, the original shown read-only beside it.

    Without original paragraphs (a curated page) it is one textarea with paragraphs separated by
    blank lines. Translated paragraphs beyond the original's count are kept in an extra textarea so
    nothing an editor or the pipeline wrote is lost silently.
    """

    template_name = "editorial/widgets/parallel_paragraphs.html"

    class Media:
        css = {"all": ["newsdesk/admin.css"]}

    def __init__(self, originals=None, original_language: str = "", attrs=None):
        super().__init__(attrs)
        self.originals = list(originals or [])
        self.original_language = original_language

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.originals = list(self.originals)
        return copy

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ and self.originals else id_

    def value_from_datadict(self, data, files, name):
        if not self.originals:
            return data.get(name)
        values = [data.get(f"{name}_{index}", "") for index in range(len(self.originals))]
        return values + split_paragraphs(data.get(f"{name}_extra", ""))

    def value_omitted_from_data(self, data, files, name):
        if not self.originals:
            return name not in data
        return not any(f"{name}_{index}" in data for index in range(len(self.originals)))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["original_language"] = self.original_language
        if not self.originals:
            widget["rows"] = None
            widget["text"] = "\n\n".join(value) if isinstance(value, list | tuple) else (value or "")
            return context
        values = list(value) if isinstance(value, list | tuple) else split_paragraphs(value or "")
        base_id = widget["attrs"].get("id") or f"id_{name}"
        widget["rows"] = [
            {
                "number": index + 1,
                "original": original,
                "name": f"{name}_{index}",
                "id": f"{base_id}_{index}",
                "value": values[index] if index < len(values) else "",
                "height": textarea_rows(original, values[index] if index < len(values) else ""),
            }
            for index, original in enumerate(self.originals)
        ]
        widget["extra"] = "\n\n".join(values[len(self.originals) :])
        widget["extra_name"] = f"{name}_extra"
        widget["extra_id"] = f"{base_id}_extra"
        return context


class ParagraphsField(forms.Field):
    """A JSON list of paragraphs; each textarea may hold several paragraphs separated by blank lines."""

    widget = ParallelParagraphsWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            return split_paragraphs(value)
        return [paragraph for item in value for paragraph in split_paragraphs(str(item))]

    def has_changed(self, initial, data):
        return self.to_python(initial or []) != self.to_python(data)


def formfield(db_field, **kwargs):
    """Model form fields; URLs typed without a scheme are taken to be https (Django 6 default)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ArticleAdminForm(forms.ModelForm):
    summary = LinesField(
        label="要約",
        help_text="箇条書きの要約。1行に1項目（3〜10項目、記事の順に。それぞれ単独で読める一文）。",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
    )
    translation = ParagraphsField(
        label="翻訳",
        help_text="原文の各段落の右に、その段落の日本語訳を書きます。段落の数は原文と同じにしてください。",
    )
    confirm_policy = forms.BooleanField(
        label=publishing.CONFIRM_LABEL,
        required=False,
        help_text="転載方針を編集者がまだ確認していない媒体の記事を、翻訳の全文を載せて公開するときに必要です。"
        "媒体の転載方針を確かめてからチェックしてください。",
    )

    class Meta:
        model = Article
        fields = [
            "original_title",
            "title",
            "lead",
            "lead_ja",
            "summary",
            "translation",
            "image_url",
            "caption",
            "caption_ja",
            "status",
            "site_published_at",
            "outlet",
            "url",
            "source_url",
            "author",
            "author_bio",
            "published_at",
            "published_date_only",
            "language",
            "translator",
            "is_sample",
        ]
        formfield_callback = formfield
        widgets = {
            "original_title": forms.TextInput(attrs={"size": 80}),
            "title": forms.TextInput(attrs={"size": 80}),
            "lead": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "lead_ja": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "caption": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "caption_ja": forms.Textarea(attrs={"rows": 2, "cols": 80}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "translation" in self.fields:
            originals = [p for p in (self.instance.paragraphs or []) if str(p).strip()]
            field = self.fields["translation"]
            field.widget = ParallelParagraphsWidget(
                originals=originals, original_language=self.instance.language
            )
            if not originals:
                field.help_text = "原文の段落がない記事（編集済みページから取り込んだ記事など）です。段落は空行で区切ります。"

    def clean_translation(self):
        translation = self.cleaned_data.get("translation") or []
        originals = [p for p in (self.instance.paragraphs or []) if str(p).strip()]
        if translation and originals and len(translation) != len(originals):
            raise forms.ValidationError(
                "翻訳の段落数（%(translated)d）が原文の段落数（%(original)d）と一致しません。"
                "原文の段落ごとに1つずつ訳してください。",
                code="paragraph_count",
                params={"translated": len(translation), "original": len(originals)},
            )
        return translation

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") != Article.Status.PUBLISHED or "translation" in self.errors:
            return cleaned
        instance = self.instance
        outlet = cleaned.get("outlet") or (instance.outlet if instance.outlet_id else None)
        japanese = cleaned.get("language", instance.language) == "ja"
        translation = cleaned.get("translation", instance.translation) if not japanese else []
        reason = publishing.refusal(
            japanese=japanese,
            title=cleaned.get("title", instance.title),
            translation=translation,
            summary=cleaned.get("summary", instance.summary),
            outlet=outlet,
        )
        if reason:
            field = {"翻訳がない": "translation", "日本語の見出しがない": "title"}.get(reason)
            self.add_error(field, f"{reason}まま公開することはできません。入力するか、状態を変えてください。")
            return cleaned
        publishing_now = instance.status != Article.Status.PUBLISHED
        body = instance.paragraphs if japanese else translation
        if (
            publishing_now
            and publishing.needs_confirmation(outlet, body)
            and not cleaned.get("confirm_policy")
        ):
            # The checkbox is on the page when the stored outlet is unreviewed; otherwise (the outlet
            # was changed in this same post) the message stands above the form.
            shown = publishing.asks_on_form(instance)
            self.add_error("confirm_policy" if shown else None, publishing.confirmation_message(outlet))
        return cleaned
