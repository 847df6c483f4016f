"""`python -m iris_keras`, the same as the `iris-keras` command."""

import sys

from iris_keras.cli import main

sys.exit(main())
