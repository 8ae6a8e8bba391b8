"""``python -m ftalab`` runs the command line."""

import sys

from ftalab.cli.main import main

sys.exit(main())
