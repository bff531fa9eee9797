"""The moderation side of anonymous comments, in the Japanese admin: registers the ModelAdmins.

- ``comments``: the Comment list, which opens on the moderation queue (``comment_filters``);
- ``threads``: per-article threads, locked or held for approval;
- ``bans``: NG words and bans of a poster's source.
"""

from django.contrib import admin

from newsdesk.comments.admin.bans import BanAdmin, NGWordAdmin
from newsdesk.comments.admin.comments import CommentAdmin
from newsdesk.comments.admin.threads import ThreadAdmin
from newsdesk.comments.models import Ban, Comment, NGWord, Thread

admin.site.register(Comment, CommentAdmin)
admin.site.register(Thread, ThreadAdmin)
admin.site.register(NGWord, NGWordAdmin)
admin.site.register(Ban, BanAdmin)
