"""Admin pieces for rows the pipeline or readers write: editors may look, not change."""


class ReadOnlyMixin:
    """For a ModelAdmin or an inline: no adding, changing or deleting in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
