"""A stored image's files go when its row goes (an article deleted, an editor removing the image)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from newsdesk.images.models import ArticleImage


@receiver(post_delete, sender=ArticleImage, dispatch_uid="newsdesk.images.delete_files")
def delete_files(sender, instance: ArticleImage, **kwargs) -> None:
    from newsdesk.images.service import delete_files as delete

    names = [name for name in (instance.page_file.name, instance.thumbnail_file.name) if name]
    transaction.on_commit(lambda: delete(names))
