"""Signals the layers above listen to, so that the editorial admin can tell the public site that
something changed without importing it."""

from django.dispatch import Signal

# Sent by the editors' pick actions (オススメに追加/外す), which use update() and so send no
# post_save; the site's cached オススメ lists are dropped on it.
picks_changed = Signal()
