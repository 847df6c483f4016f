"""`python -m tools.bench` (`make bench`, `make docs-update`)."""

import sys

from tools.bench.command import main

sys.exit(main())
