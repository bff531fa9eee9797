"""django-axes (failed-login lockouts, newsdesk.editorial.login) under a Japanese name in the
admin: the app takes its label for one, and ships no Japanese (its strings: newsdesk/locale)."""

from axes.apps import AppConfig as AxesConfig


class LoginLockoutsConfig(AxesConfig):
    verbose_name = "ログイン制限"
