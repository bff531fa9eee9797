import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

from newsdesk.handlers import application_with_api  # noqa: E402 (needs the settings module set)

application = application_with_api()
