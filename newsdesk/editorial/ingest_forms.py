"""The ingest page's form: URLs, pasted page text and files, read into one entry per input.

What the form can tell by itself (a line that is no web address, a file of another type or too
large) becomes a failed entry with its reason, so the other inputs still go on; what needs the
content (a binary file, a page without an article, a refused or failing address) is left to
``intake.ingest`` in the worker. A form with nothing to take in is an error.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from newsdesk.pipeline.batches import Entry
from newsdesk.pipeline.intake import INPUT_SUFFIXES
from newsdesk.pipeline.models import IntakeItem

Kind = IntakeItem.Kind
SUFFIXES = ".html .htm .txt"
assert set(SUFFIXES.split()) == INPUT_SUFFIXES
MAX_URLS = 100
PASTED_LABEL = "貼り付けたテキスト"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type="file" multiple>`` (as Django's documentation shows)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [f for f in (super(MultipleFileField, self).clean(one, initial) for one in files) if f]


def _size(n: int) -> str:
    return f"{n:,} バイト"


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.3g} MB" if n >= 100_000 else _size(n)


class IngestForm(forms.Form):
    urls = forms.CharField(
        label="URL",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80, "placeholder": "https://"}),
        help_text="1行に1つ。フィードのURLなら、そこに載っている記事をまとめて取り込みます。",
    )
    text = forms.CharField(
        label="ページのテキスト",
        required=False,
        strip=False,  # kept as pasted
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        help_text="記事ページをブラウザで全選択してコピーし、そのまま貼り付けてください。"
        "メニューや広告が混じっていてもかまいません。",
    )
    files = MultipleFileField(
        label="ファイル",
        required=False,
        allow_empty_file=True,  # an empty file fails on its own line
        widget=MultipleFileInput(attrs={"accept": SUFFIXES.replace(" ", ",")}),
        help_text=f"保存した記事ページ（{SUFFIXES}）。複数まとめて選べます。",
    )
    url = forms.URLField(
        label="元記事のURL",
        required=False,
        max_length=1000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"size": 80}),
        help_text="貼り付けたテキストかファイルが1件だけのとき、その記事の元のURLを指定できます（省略可）。",
    )
    publish = forms.BooleanField(
        label="準備ができたら公開",
        required=False,
        help_text="翻訳などの処理が終わり、編集者の確認が要らない状態になったら、そのまま公開します。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text += f"1ファイル {_megabytes(self.max_bytes)} まで。"

    @property
    def max_bytes(self) -> int:
        return settings.NEWSDESK["MAX_INPUT_BYTES"]

    def clean_urls(self) -> list[Entry]:
        lines = list(dict.fromkeys(line.strip() for line in self.cleaned_data["urls"].splitlines()))
        lines = [line for line in lines if line]
        if len(lines) > MAX_URLS:
            raise ValidationError(f"URLは一度に {MAX_URLS} 件までです（{len(lines)} 件あります）")
        return [self._url_entry(line) for line in lines]

    def _url_entry(self, line: str) -> Entry:
        try:
            URLValidator(schemes=["http", "https"], message="")(line)
            valid = len(line) <= 1000
        except ValidationError:
            valid = False
        if not valid:
            return Entry(
                Kind.URL,
                line,
                error="URLの形式が正しくありません（http:// か https:// で始まるアドレスを1行に1つ）",
            )
        return Entry(Kind.URL, line, text=line)

    def clean_text(self) -> list[Entry]:
        text = self.cleaned_data["text"]
        if not text.strip():
            return []
        size = len(text.encode())
        if size > self.max_bytes:
            return [
                Entry(
                    Kind.TEXT,
                    PASTED_LABEL,
                    error=f"テキストが大きすぎます（{_size(size)}、上限 {_size(self.max_bytes)}）",
                )
            ]
        return [Entry(Kind.TEXT, PASTED_LABEL, text=text)]

    def clean_files(self) -> list[Entry]:
        return [self._file_entry(upload) for upload in self.cleaned_data["files"]]

    def _file_entry(self, upload) -> Entry:
        name = Path(upload.name or "").name or "（名前のないファイル）"
        if Path(name).suffix.lower() not in INPUT_SUFFIXES:
            return Entry(Kind.FILE, name, error=f"この種類のファイルは取り込めません（{SUFFIXES} のみ）")
        if upload.size > self.max_bytes:
            return Entry(
                Kind.FILE,
                name,
                error=f"ファイルが大きすぎます（{_size(upload.size)}、上限 {_size(self.max_bytes)}）",
            )
        if not upload.size:
            return Entry(Kind.FILE, name, error="空のファイルです")
        return Entry(Kind.FILE, name, data=upload.read())

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        documents = cleaned["text"] + cleaned["files"]
        if not cleaned["urls"] and not documents:
            raise ValidationError(
                "取り込むものがありません。URL、ページのテキスト、ファイルのどれかを入れてください。"
            )
        if cleaned["url"] and len(documents) != 1:
            self.add_error(
                "url", "元記事のURLは、貼り付けたテキストかファイルが1件だけのときに指定できます。"
            )
        return cleaned

    def entries(self) -> list[Entry]:
        """Every input in the order of the form: URLs, the pasted text, the files."""
        data = self.cleaned_data
        return [*data["urls"], *data["text"], *data["files"]]
