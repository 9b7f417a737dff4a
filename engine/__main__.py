"""``python -m engine``: train from the command line (see ``engine.commands.cli``)."""

import sys

from engine.commands.cli import main

sys.exit(main())
