#!/usr/bin/env python
import os
import sys

# Beside `make stack`, its settings (STACK_DIR/env) are this command's too: `make backup` backs up the stack's
# site (unionhub/envfile.py, which imports nothing of Django; UNIONHUB_ENV_FILE=none reads no file).
from unionhub.envfile import env_file_load


def main() -> None:
    env_file_load()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionhub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
