"""Why a line of pasted text was dropped: the reasons ``ExtractedArticle.drop`` records.

The key is what the extractors write (``ExtractedArticle.drop_reasons``); the value is the words an
editor reads beside the line.
"""

from __future__ import annotations

REASONS = {
    # page chrome, wherever it stands (textlines.chrome_kind)
    "share": "共有ボタンの行",
    "short-url": "短縮URLの行",
    "nav": "ナビゲーションの行",
    "slogan": "サイトの標語",
    "copyright": "著作権表示",
    "image": "画像の見出し（Image1 など）",
    # where a line stands on the page
    "header": "ページ上部のサイト名・標語",
    "masthead": "媒体名・媒体の標語",
    "footer": "記事の後の一覧（関連記事・ランキングなど）",
    "after-bio": "著者紹介の後の一覧",
    "page": "編集済みページの飾り・コメント欄",
    # a second copy of something already read
    "repeat": "直前の行の繰り返し",
    "caption-repeat": "二つ目のキャプション",
    "date-other": "採用しなかった日付（更新日など）",
    "source-repeat": "二つ目の出典の行",
    "domain-repeat": "出典の行と同じドメイン",
    "byline-repeat": "既に読んだ著者・媒体の繰り返し",
    "pull-quote": "本文の文を繰り返す引用（プルクオート）",
    "pull-quote-speaker": "プルクオートの話し手の名前",
    "bio-heading": "著者紹介の見出し",
    "empty-bullet": "中身のない箇条書き",
    "meta-unknown": "編集済みページの読めなかった情報行",
}


def label(reason: str) -> str:
    """The words for ``reason``; an unknown or empty one reads 不明."""
    return REASONS.get(reason, "不明")
