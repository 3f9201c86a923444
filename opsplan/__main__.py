"""`python -m opsplan …` is the same program as `opsplan …`."""

import sys

from opsplan.cli import main

sys.exit(main())
