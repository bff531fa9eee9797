"""Signals the layers above listen to, so that the editorial admin can tell the public site that
something changed without importing it."""

from django.dispatch import Signal

# Sent by the editors' pick actions (オススメに追加/外す), which use update() and so send no
# post_save; the site's cached オススメ lists are dropped on it.
picks_changed = Signal()

# Sent after a change readers see that sends no post_save (queryset updates): outlets' policies
# marked reviewed. The site's page cache takes it as a change of content (newsdesk/site/versions.py).
content_changed = Signal()

# Sent with ``article_id`` when a thread's visible comments change (posted, reacted to, moderated,
# deleted): only the pages that show comments are rendered again (newsdesk/site/versions.py).
comments_changed = Signal()
