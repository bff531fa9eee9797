"""The Japanese admin for editors. Django loads this module; the ModelAdmins register themselves
in the modules named after what they show."""

from newsdesk.editorial import article_admin, outlet_admin  # noqa: F401
