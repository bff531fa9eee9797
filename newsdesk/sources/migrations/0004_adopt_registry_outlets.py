"""Existing outlets meet the outlet registry (``newsdesk/sources/registry.json``).

New registry outlets are made lazily, the first time an article or a feed of theirs is stored
(``newsdesk.sources.recognize``): the registry is data shipped in the package, not rows. What
this migration does is put right the outlets a database already has, as ingest would have made
them had the registry been there:

1. each outlet is matched to the registry by its domain (subdomains too), or by its name when it
   has no domain (met in pasted text);
2. outlets matched to the same registry outlet (bbc.com and bbc.co.uk) are merged into the
   oldest: articles and feeds move, the others' domains and names stay as aliases;
3. articles whose address belongs to an edition inside another outlet's site (bbc.com/japanese
   under bbc.com) move to that edition's outlet, made when missing;
4. each matched outlet gets the registry key, its English name and language when missing, and
   the Japanese display name when its name was only what ingest found (the domain, the site
   name); a name an editor gave stays. Reuse policies and their review are left as they are.

Search documents carry their article's outlet for the outlet filter: they are brought in line.
Going back leaves the names as they are (the fields go with migration 0003).
"""

from django.db import migrations

from newsdesk.sources import registry as registry_module
from newsdesk.sources.registry import name_key


def forwards(apps, schema_editor):
    Outlet = apps.get_model("sources", "Outlet")
    Alias = apps.get_model("sources", "OutletAlias")
    Source = apps.get_model("sources", "Source")
    Article = apps.get_model("articles", "Article")
    reg = registry_module.load()

    def entry_of(outlet):
        if outlet.domain:
            return reg.for_host(outlet.domain)
        return reg.for_name(outlet.name)

    keepers = {}
    moved = False
    for outlet in Outlet.objects.order_by("pk"):
        entry = entry_of(outlet)
        if entry is None:
            continue
        keep = keepers.setdefault(entry.key, outlet)
        if keep.pk == outlet.pk:
            continue
        moved |= Article.objects.filter(outlet=outlet).update(outlet=keep) > 0
        Source.objects.filter(outlet=outlet).update(outlet=keep)
        Alias.objects.filter(outlet=outlet).update(outlet=keep)
        aliases = [("domain", outlet.domain), ("name", outlet.name)]
        outlet.delete()
        for kind, value in aliases:
            if value and value not in (keep.domain, keep.name):
                Alias.objects.update_or_create(kind=kind, value=value, defaults={"outlet": keep})

    for key, keep in list(keepers.items()):
        articles = Article.objects.filter(outlet=keep).only("pk", "url", "source_url")
        for article in articles.iterator():
            edition = reg.for_url(article.url or article.source_url)
            if edition is None or edition.key == key:
                continue
            target = keepers.get(edition.key)
            if target is None:
                free = not Outlet.objects.filter(domain=edition.primary_domain).exists()
                target = Outlet.objects.create(
                    name=edition.ja,
                    name_en=edition.en,
                    language=edition.language,
                    domain=edition.primary_domain if free else "",
                )
                keepers[edition.key] = target
            Article.objects.filter(pk=article.pk).update(outlet=target)
            moved = True

    for key, outlet in keepers.items():
        entry = reg.get(key)
        made_up = {name_key(n) for n in (outlet.domain, *entry.all_names, *entry.domains)}
        if outlet.name != entry.ja and (not outlet.name or name_key(outlet.name) in made_up):
            clash = Outlet.objects.filter(domain="", name=entry.ja).exclude(pk=outlet.pk).exists()
            if outlet.domain or not clash:
                outlet.name = entry.ja
        outlet.registry_key = key
        outlet.name_en = outlet.name_en or entry.en
        outlet.language = outlet.language or entry.language
        outlet.save()

    if moved:
        _refresh_search_documents(schema_editor)


def _refresh_search_documents(schema_editor):
    """The search app's documents copy their article's outlet (for the outlet filter)."""
    connection = schema_editor.connection
    if "search_searchdocument" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_searchdocument SET outlet_id = (SELECT outlet_id FROM articles_article "
            "WHERE articles_article.id = search_searchdocument.article_id)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0003_outlet_names_aliases_feed_results"),
        ("articles", "0002_picks_and_views"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
