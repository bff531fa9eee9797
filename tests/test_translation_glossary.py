"""The glossary: the starting entries, matching, versions, the check, placeholders; the admin pages."""
# ruff: noqa: F811  (pytest fixtures imported from tests.translation_servers)

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from newsdesk.pipeline import runner
from newsdesk.translation.glossary import Glossary, load_glossary
from newsdesk.translation.models import GlossaryEntry, TranslationMemory
from newsdesk.translation.ratelimit import RateLimiter
from tests.test_translation_openai import untranslated
from tests.translation_servers import fast_retries, openai_server, use_openai  # noqa: F401


@pytest.mark.django_db
def test_the_starting_glossary_covers_the_region():
    entries = dict(GlossaryEntry.objects.filter(language="en").values_list("source", "japanese"))
    assert GlossaryEntry.objects.count() >= 30
    assert entries["Kim Jong Un"] == "金正恩" and entries["Sergei Shoigu"] == "ショイグ"
    assert entries["Lazarus Group"] == "ラザロ・グループ" and entries["Yonhap"] == "聯合ニュース"
    assert load_glossary("ko").as_dict()["김정은"] == "金正恩"
    assert "김정은" not in load_glossary("en").as_dict()


GLOSSARY = Glossary.of(
    "en",
    [("Kim Jong Un", "金正恩"), ("Sergei Shoigu", "ショイグ"), ("Shoigu", "ショイグ"), ("TASS", "タス通信")],
)


def test_terms_match_whole_words_only():
    assert [t.source for t in GLOSSARY.found_in("Sergei Shoigu told TASS.")] == [
        "Sergei Shoigu",
        "Shoigu",
        "TASS",
    ]
    assert GLOSSARY.found_in("TASSEL and Kim Jong Unification") == []
    assert GLOSSARY.found_in("Kim Jong Un's sister") != []


def test_cyrillic_terms_match_declined_forms_and_cjk_anywhere():
    russian = Glossary.of("ru", [("Путин", "プーチン")])
    assert russian.found_in("встреча с Путиным") and not russian.found_in("Распутин")
    korean = Glossary.of("ko", [("김정은", "金正恩")])
    assert korean.found_in("김정은위원장이")


def test_the_check_flags_terms_whose_japanese_form_is_missing():
    missing = GLOSSARY.missing("Kim Jong Un met Sergei Shoigu.", "金正恩はショイグ国防相と会った。")
    assert missing == []
    missing = GLOSSARY.missing("Kim Jong Un met Sergei Shoigu.", "キム・ジョンウンはショイグと会った。")
    assert [t.source for t in missing] == ["Kim Jong Un"]


def test_versions_change_with_the_terms_not_their_order():
    same = Glossary.of("en", reversed([("Kim Jong Un", "金正恩"), ("TASS", "タス通信")]))
    assert same.version == Glossary.of("en", [("Kim Jong Un", "金正恩"), ("TASS", "タス通信")]).version
    assert same.version != Glossary.of("en", [("Kim Jong Un", "金正恩"), ("TASS", "タス")]).version
    assert Glossary.of("en", []).version == "0"


def test_placeholders_protect_the_longest_match_and_restore_japanese():
    text, mapping = GLOSSARY.protect("Sergei Shoigu met Kim Jong Un; Shoigu spoke to TASS.")
    assert text == "ZX1 met ZX2; ZX3 spoke to ZX4."
    assert (
        Glossary.restore("ZX2 は ZX 1、Z X3、ZX4 に語った", mapping)
        == "金正恩 は ショイグ、ショイグ、タス通信 に語った"
    )


def test_the_rate_limiter_keeps_a_second_window():
    import time

    limiter = RateLimiter(5, window=0.5)
    started = time.monotonic()
    for _ in range(11):
        limiter.acquire()
    assert 1.0 <= time.monotonic() - started < 1.5


@pytest.mark.django_db
def test_admin_pages_show_the_glossary_flags_usage_and_memory(use_openai, admin_client, article_factory):
    use_openai.ignore_glossary = True
    article = untranslated(article_factory)
    runner.run(article)
    page = admin_client.get(reverse("admin:translation_glossaryentry_changelist")).content.decode()
    assert "用語集" in page and "金正恩" in page and "ラザロ・グループ" in page
    assert admin_client.get(reverse("admin:translation_glossaryentry_add")).status_code == 200
    record = article.machine_translation
    page = html.unescape(
        admin_client.get(
            reverse("admin:translation_articletranslation_change", args=[record.pk])
        ).content.decode()
    )
    assert "見出し：「Kim Jong Un」の訳語「金正恩」が訳文にありません" in page
    page = admin_client.get(reverse("admin:translation_articletranslation_changelist"), {"flagged": "yes"})
    assert article.original_title in html.unescape(page.content.decode())
    page = admin_client.get(reverse("admin:translation_translationusage_changelist")).content.decode()
    assert "翻訳エンジン別の合計" in page and "openai:test-model" in page
    memory = TranslationMemory.objects.first()
    assert (
        admin_client.get(reverse("admin:translation_translationmemory_change", args=[memory.pk])).status_code
        == 200
    )


@pytest.mark.django_db
def test_editors_can_add_an_entry_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:translation_glossaryentry_add"),
        {
            "source": "Choe Ryong Hae",
            "japanese": "崔竜海",
            "language": "en",
            "kind": "person",
            "note": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert load_glossary("en").as_dict()["Choe Ryong Hae"] == "崔竜海"
