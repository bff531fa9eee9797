"""Comment text is cleaned and escaped; only links, >>N anchors and line breaks become markup."""

from __future__ import annotations

import pytest

from newsdesk.comments.render import clean_text, count_links, has_controls, render_body


def html(text: str) -> str:
    return render_body(clean_text(text))[0]


def test_script_and_event_handlers_are_escaped():
    out = html('<script>alert(1)</script><img src=x onerror="alert(2)">')
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in out


def test_broken_markup_stays_text():
    out = html('<a href="x" <b>unclosed <!-- comment &amp; "quotes" \'single\'')
    assert "<a" not in out and "<b>" not in out and "<!--" not in out
    assert "&amp;amp;" in out and "&#x27;single&#x27;" in out


@pytest.mark.parametrize(
    "text",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>", "vbscript:x"],
)
def test_other_schemes_are_never_linkified(text):
    assert "<a" not in html(text)
    assert count_links(text) == 0


def test_urls_become_safe_links():
    out = html("見て https://example.com/a?b=1&c=2。")
    assert out == (
        '見て <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener" target="_blank">'
        "https://example.com/a?b=1&amp;c=2</a>。"
    )


def test_a_url_cannot_break_out_of_its_attribute():
    out = html('https://example.com/"onmouseover="alert(1) https://example.com/<script>')
    assert 'href="https://example.com/"' in out
    assert '"onmouseover' not in out and "<script" not in out


def test_trailing_punctuation_is_not_part_of_the_link():
    assert 'href="https://example.com/x"' in html("(https://example.com/x).")
    assert 'href="https://ja.wikipedia.org/wiki/A_(B)"' in html("https://ja.wikipedia.org/wiki/A_(B)")


def test_anchors_link_to_posts_and_are_collected():
    out, replies = render_body(">>12 と >>3、また>>12 ＞＞４")
    assert '<a class="anchor" href="#c12" data-no="12">&gt;&gt;12</a>' in out
    assert '<a class="anchor" href="#c3" data-no="3">&gt;&gt;3</a>' in out
    assert 'data-no="4">＞＞４</a>' in out
    assert replies == [3, 4, 12]
    assert render_body(">>0")[1] == []


def test_line_breaks_are_kept():
    out = html("一行目\r\n二行目\r三行目\n\n\n\n\n\n終わり")
    assert out == "一行目<br>二行目<br>三行目<br><br><br>終わり"


def test_bidi_overrides_and_zero_width_characters_are_removed():
    text = "abc\u202egnp.exe\u2066x\u2069 N\u200bG\u2060語\ufeff"
    cleaned = clean_text(text)
    assert cleaned == "abcgnp.exex NG語"
    assert "\u202e" not in html(text)


def test_emoji_joiners_survive_but_stray_joiners_do_not():
    family = "👨\u200d👩\u200d👧"
    assert clean_text(family) == family
    assert clean_text("N\u200dG") == "NG"


def test_control_characters():
    assert has_controls("a\x00b") and has_controls("\x1b[31m") and has_controls("\x7f")
    assert not has_controls("tab\tcr\rlf\n")
    assert clean_text("a\x00b\x07c\td") == "abc d"
    assert clean_text("一\n二", keep_newlines=False) == "一 二"


def test_link_count():
    assert count_links("https://a.example/ と http://b.example/x と https://") == 2
