"""The `newsdesk` command: Django's management commands under one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["newsdesk", *(sys.argv[1:] if argv is None else argv)])
    except ImproperlyConfigured as exc:  # a NEWSDESK_* setting the operator can fix: no traceback
        sys.stderr.write(f"設定エラー: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
