"""Admin pieces for rows the pipeline or readers write: editors may look, not change."""


class NoAddOrChangeMixin:
    """For a ModelAdmin or an inline: rows are only looked at, or deleted (a bad cache entry)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(NoAddOrChangeMixin):
    """For a ModelAdmin or an inline: no adding, changing or deleting in the admin."""

    def has_delete_permission(self, request, obj=None):
        return False
