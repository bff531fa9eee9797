"""Test settings: the real settings, pointed at the test database and an in-process queue."""

import atexit
import os
import shutil
import tempfile

# Always a new data folder (secret key, disk cache), gone after the run: never a real site's.
os.environ["NEWSDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="newsdesk-test-")
atexit.register(shutil.rmtree, os.environ["NEWSDESK_DATA_DIR"], ignore_errors=True)
os.environ["NEWSDESK_QUEUE_URL"] = "immediate"
# No test reaches the internet for an article's image: tests/test_images.py turns images on itself.
os.environ.setdefault("NEWSDESK_IMAGES", "false")

from newsdesk import conf  # noqa: E402
from newsdesk.settings import *  # noqa: E402,F403
from newsdesk.settings import database_config  # noqa: E402

DATABASES = {"default": database_config(conf.get("NEWSDESK_TEST_DATABASE_URL"))}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
