"""``python -m desktop_app``: start Autoencoder Lab."""

import sys

from desktop_app.app import main

sys.exit(main())
