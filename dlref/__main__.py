"""``python -m dlref``: the same as the ``dlref`` command (dlref.cli)."""

import sys

from dlref.cli import main

sys.exit(main())
