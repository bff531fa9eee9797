"""The author's biography on a pasted page: one line, a line under a heading, or a profile block.

The shapes (the people here are made up):

- a sentence that says who the author is: ``山田花子氏はサンプル通信の記者である。``,
  ``Jane Roe is a senior fellow at the Sample Institute.``, ``Jane Roe, a fellow at ..., writes ...``;
  a Japanese one may go on with career sentences (``1980年生まれ。2019年からソウル駐在。``);
- a heading, then the biography: ``■プロフィール`` / ``筆者紹介`` / ``About the author``, alone on
  its line or with the text after it (``About the author: Jane Roe is ...``);
- a Japanese profile block: a name with its reading (``山田花子（やまだ・はなこ）``), then a line of
  career (生まれ, 卒業, 入社, を経て, 現職 ...).

Only the lines are read here; :mod:`newsdesk.ingest.pasted_parts` decides where on the page they
count (at the end of the article, never its first line).
"""

from __future__ import annotations

import re

from .textlines import key

_EN_ROLES = (
    r"professor|lecturer|reporter|correspondent|journalist|editor|writer|columnist|fellow|researcher"
    r"|analyst|author|director|scholar|economist|contributor|historian|commentator|diplomat|ambassador"
    r"|consultant|specialist|adviser|advisor|founder|chair|student|candidate|associate|partner|former"
    r"|head of|chief|president of|expert|lawyer|officer|manager|member"
)
_JA_ROLES = (
    r"記者|特派員|教授|講師|研究員|研究者|編集者|編集長|編集委員|論説委員|ジャーナリスト|作家|コラムニスト"
    r"|アナリスト|エコノミスト|フェロー|所長|代表|理事|客員|専門家|学者|大使|顧問|博士|院生|主任|部長"
    r"|支局長|評論家|翻訳家|社長|会長|議員|弁護士|ライター|デスク"
)
_LEAD_MARK = re.compile(r"^[—–―‐*_-]+\s*|[*_]+$")  # "—Jane Roe is ...", "*Jane Roe is ...*"
_EN_NAME_PART = r"(?:(?:Dr|Prof|Mr|Ms|Mrs)\.?\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}"
_EN_BIO = re.compile(
    rf"^(?P<name>{_EN_NAME_PART})(?:\s*\([^)]{{1,40}}\))?\s+"
    r"(?:is|was|has been|serves as|works as|teaches|writes|covers|reports|leads|heads|directs)\b(?P<rest>.*)$"
)
# "Jane Roe, a senior fellow at the Sample Institute, writes on ..." or "Jane Roe, a senior fellow
# at the Sample Institute." (the name, then who she is); "Jane Roe, a spokesperson, said ..." is news
_EN_APPOSITIVE = re.compile(
    rf"^(?P<name>{_EN_NAME_PART}),\s+(?:a|an|the)\s+(?P<rest>[^,]+?)"
    r"(?:,\s+(?:is|was|has|writes|covers|studies|teaches|researches|specialises|specializes|focuses"
    r"|leads|previously|also|served|works)\b.*|\.?)$"
)
_JA_BIO = re.compile(
    r"^(?P<name>[^\s、。「」はがをにで]{2,24}?)(?:氏|さん|博士)?は、?(?P<rest>[^。]+)。?(?P<more>.*)$"
)
_JA_BIO_END = re.compile(
    r"(?:である|です|だ|(?:て|で)?いる|を?務め(?:る|た|ている)|として活動(?:する|している)"
    rf"|に(?:在籍|所属)(?:する|している)|など|現職|(?:{_JA_ROLES}))$"
)
# The sentences a Japanese biography goes on with: birth, schools, employers, posts, books.
_CAREER = re.compile(
    r"生まれ|出身|卒業|卒|修了|入社|入庁|入省|を経て|経験|専門|著書|共著|現職|担当|歴任|就任|年から|年より"
    r"|博士号|在住|駐在|勤務|受賞|所属|在籍"
)
_NOT_NAMES = {"筆者", "著者", "記者", "私", "わたし", "本稿"}
_JOURNALISM = re.compile(r"記者|特派員|編集委員|論説委員|編集者|編集長|支局長|コラムニスト|reporter|"
                         r"correspondent|journalist|editor|columnist|writer")  # fmt: skip
_JA_ORG = re.compile(
    r"^(?P<org>[^\s、。の]{2,30}?)の(?:[^。]{0,12}?)(?:記者|特派員|編集委員|論説委員|編集者|編集長|支局長|コラムニスト)"
)
_EN_ORG = re.compile(
    r"(?:reporter|correspondent|journalist|editor|columnist|writer)\s+(?:for|at|with)\s+(?:the\s+)?"
    r"(?P<org>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*)"
)


# 「サンプル通信ソウル支局」: the outlet, then its bureau; the outlet is the part before the bureau
_BUREAU = re.compile(
    r"^(?P<outlet>.+?(?:通信|新聞|日報|放送|テレビ|タイムズ|ニュース|ポスト|新報|時報|社))"
    r"[^\s]{1,10}?(?:支局|総局|支社|本社|編集局|報道局)$"
)


def parse_bio(text: str) -> tuple[str, str] | None:
    """(author, outlet) when the line is an author's biography, else None.

    ``山田花子氏はサンプル通信の記者である。`` gives ("山田花子", "サンプル通信");
    ``John Smith is a professor of economics at Sample University.`` gives ("John Smith", "").
    The author is "" where the line names no one (``筆者はサンプル大学教授。``).
    """
    text = _LEAD_MARK.sub("", text.strip()).strip()
    if len(text) > 300:
        return None
    m = _EN_BIO.match(text) or _EN_APPOSITIVE.match(text)
    if m and re.search(rf"\b(?:{_EN_ROLES})", m.group("rest"), re.I) and text.count(". ") <= 2:
        org = _EN_ORG.search(m.group("rest"))
        outlet = org.group("org").rstrip(".") if org and _JOURNALISM.search(m.group("rest")) else ""
        return m.group("name"), outlet
    m = _JA_BIO.match(text)
    if not (m and re.search(_JA_ROLES, m.group("rest")) and _JA_BIO_END.search(m.group("rest"))):
        return None
    # more sentences only when each tells a career (生まれ, 卒業, ...): 「同氏は協定を評価した。」 is news
    more = [s for s in m.group("more").split("。") if s.strip()]
    if len(text) > 220 or not all(_CAREER.search(s) and len(s) <= 80 for s in more):
        return None
    name = m.group("name")
    org = _JA_ORG.match(m.group("rest"))
    outlet = org.group("org") if org else ""
    bureau = _BUREAU.match(outlet)
    return ("" if name in _NOT_NAMES else name), (bureau.group("outlet") if bureau else outlet)


# --- headings and profile blocks ------------------------------------------------------------------

_HEADINGS = frozenset(
    {"about the author", "about the authors", "about the writer", "about the contributor"}
    | {"about the contributors", "author bio", "author biography"}
    | {
        "プロフィール",
        "プロフィル",
        "筆者紹介",
        "筆者プロフィール",
        "筆者略歴",
        "著者紹介",
        "著者プロフィール",
    }
    | {
        "著者略歴",
        "執筆者紹介",
        "執筆者プロフィール",
        "執筆者",
        "筆者",
        "著者",
        "記者紹介",
        "記者プロフィール",
        "略歴",
    }
)
_HEADING_INLINE = re.compile(
    r"^(?:about the authors?|author bio|プロフィール|筆者紹介|筆者プロフィール|筆者略歴|著者紹介"
    r"|著者プロフィール|著者略歴|執筆者紹介|執筆者プロフィール)\s*[:：]\s*(?P<rest>.+)$",
    re.I,
)


def bio_heading(text: str) -> str | None:
    """The text after a biography heading: "" for ``■プロフィール`` or ``About the author`` alone on
    its line, the rest for ``About the author: Jane Roe is ...``; None for any other line."""
    if key(text) in _HEADINGS:
        return ""
    m = _HEADING_INLINE.match(text.strip())
    return m.group("rest").strip() if m else None


# 山田花子（やまだ・はなこ）, 山田 花子 Yamada Hanako, 山田花子（サンプル大学教授）
_PROFILE_NAME = re.compile(
    r"^(?P<name>[\u4e00-\u9fff々]{1,4}\s?[\u4e00-\u9fff々\u3041-\u3096]{1,5}|[\u30a1-\u30fa\u30fc]{2,10}"
    r"(?:[・\s][\u30a1-\u30fa\u30fc]{2,10}){0,2})"
    # \s*+ and \s++: a long run of spaces is not shared out between two patterns (quadratic).
    r"(?:\s*+[（(][\u3041-\u3096\u30a1-\u30fa\u30fc・\s]{2,20}[)）]|\s*+[（(][^()（）]{2,30}[)）]|\s++[A-Z][a-z]+\s+[A-Z][a-z]+)$"
)


def profile_name(text: str) -> str:
    """The name of a profile block's first line (``山田花子（やまだ・はなこ）``), or ""."""
    m = _PROFILE_NAME.match(text.strip())
    return m.group("name").replace("\u3000", " ") if m else ""


def reads_as_bio(text: str) -> bool:
    """A line under a biography heading that tells who the author is: a biography sentence, a
    career line, or a job at a place ("Science writer at Example", 「サンプル通信の記者」)."""
    if parse_bio(text) or is_career_line(text):
        return True
    return bool(
        re.search(
            rf"\b(?:{_EN_ROLES})\s+(?:at|for|with|of|in)\b|(?<![こそあど])の(?:{_JA_ROLES})", text, re.I
        )
    )


def is_career_line(text: str) -> bool:
    """A line of a Japanese profile: sentences of birth, schools, employers and posts."""
    sentences = [s for s in text.split("。") if s.strip()]
    careers = sum(1 for s in sentences if _CAREER.search(s) or re.search(_JA_ROLES, s))
    told = any(
        _CAREER.search(s) for s in sentences
    )  # a job title alone (「この研究員のコラム」) is no career
    return len(text) <= 400 and told and careers * 2 >= len(sentences)
