"""`python -m opsplan …` is the same program as `opsplan …`."""

import sys

from opsplan.cli.commands import main

sys.exit(main())
