"""Outlet lookups remembered per process (newsdesk.core.remembered), under a number in the shared
cache that every committed change of an Outlet or OutletAlias row moves.

Ingest asks which outlet a page is from for every page, and the answer is three or four queries
(aliases of the domain, the registry outlet's row, rows stored with the domain): ~1.7 ms of a
page's ~33 in bench/ingest.py, for answers that change only when an editor or a new outlet
changes the rows. Never kept: "nothing found" for a registry outlet or a domain (finding nothing
goes on to make the outlet, and must see one another worker made meanwhile).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from newsdesk.core.remembered import Remembered
from newsdesk.sources.models import Outlet, OutletAlias

NUMBER_KEY = "sources:outlets"


def _copy(value):
    """A new instance of each outlet in ``value`` (an outlet, a dict of them, or None), so that a
    caller changing what it got changes nothing kept: a tenth of what ``copy.deepcopy`` costs for a
    model instance."""
    if isinstance(value, Outlet):
        names = [field.attname for field in Outlet._meta.concrete_fields]
        return Outlet.from_db(value._state.db, names, [getattr(value, name) for name in names])
    if isinstance(value, dict):
        return {name: _copy(outlet) for name, outlet in value.items()}
    return value


_outlets = Remembered(NUMBER_KEY, copy=_copy)
lookup = _outlets.lookup
changed = _outlets.changed  # outlet rows changed by a write that sends no signal


def connect() -> None:
    """Every process's saves and deletions of the rows move the number (SourcesConfig.ready)."""
    for model in (Outlet, OutletAlias):
        for signal in (post_save, post_delete):
            signal.connect(
                changed, sender=model, weak=False, dispatch_uid=f"sources.remembered.{model.__name__}"
            )
