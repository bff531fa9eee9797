"""A starting glossary of the region's public figures, agencies, hacker groups and news agencies."""

from django.db import migrations

P, O, G, T = "person", "organization", "group", "term"

ENTRIES = [
    # (source, japanese, language, kind)
    ("Kim Jong Un", "金正恩", "en", P),
    ("Kim Yo Jong", "金与正", "en", P),
    ("Choe Son Hui", "崔善姫", "en", P),
    ("Lee Jae-myung", "李在明", "en", P),
    ("Yoon Suk Yeol", "尹錫悦", "en", P),
    ("Xi Jinping", "習近平", "en", P),
    ("Li Qiang", "李強", "en", P),
    ("Wang Yi", "王毅", "en", P),
    ("Lai Ching-te", "頼清徳", "en", P),
    ("Vladimir Putin", "プーチン", "en", P),
    ("Putin", "プーチン", "en", P),
    ("Sergei Shoigu", "ショイグ", "en", P),
    ("Shoigu", "ショイグ", "en", P),
    ("Sergei Lavrov", "ラブロフ", "en", P),
    ("Andrei Belousov", "ベロウソフ", "en", P),
    ("Sanae Takaichi", "高市早苗", "en", P),
    ("Shigeru Ishiba", "石破茂", "en", P),
    ("Workers' Party of Korea", "朝鮮労働党", "en", O),
    ("Reconnaissance General Bureau", "偵察総局", "en", O),
    ("National Intelligence Service", "国家情報院", "en", O),
    ("People's Liberation Army", "人民解放軍", "en", O),
    ("Ministry of State Security", "国家安全省", "en", O),
    ("Lazarus Group", "ラザロ・グループ", "en", G),
    ("Kimsuky", "キムスキー", "en", G),
    ("Andariel", "アンダリエル", "en", G),
    ("Volt Typhoon", "ボルト・タイフーン", "en", G),
    ("Salt Typhoon", "ソルト・タイフーン", "en", G),
    ("Korean Central News Agency", "朝鮮中央通信", "en", O),
    ("KCNA", "朝鮮中央通信", "en", O),
    ("Yonhap", "聯合ニュース", "en", O),
    ("Xinhua", "新華社", "en", O),
    ("TASS", "タス通信", "en", O),
    ("김정은", "金正恩", "ko", P),
    ("이재명", "李在明", "ko", P),
    ("연합뉴스", "聯合ニュース", "ko", O),
    ("习近平", "習近平", "zh", P),
    ("新华社", "新華社", "zh", O),
    ("Путин", "プーチン", "ru", P),
    ("Шойгу", "ショイグ", "ru", P),
    ("ТАСС", "タス通信", "ru", O),
]


def add_entries(apps, schema_editor):
    GlossaryEntry = apps.get_model("translation", "GlossaryEntry")
    for source, japanese, language, kind in ENTRIES:
        GlossaryEntry.objects.get_or_create(
            source=source, language=language, defaults={"japanese": japanese, "kind": kind}
        )


def remove_entries(apps, schema_editor):
    GlossaryEntry = apps.get_model("translation", "GlossaryEntry")
    for source, _japanese, language, _kind in ENTRIES:
        GlossaryEntry.objects.filter(source=source, language=language).delete()


class Migration(migrations.Migration):
    dependencies = [("translation", "0001_initial")]

    operations = [migrations.RunPython(add_entries, remove_entries)]
