"""``python -m dlref.figures``: regenerate ``docs/figures/*.svg``."""

import sys

from dlref.figures import main

sys.exit(main())
