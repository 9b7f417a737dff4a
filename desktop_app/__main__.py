"""``python -m desktop_app``: start Autoencoder Lab."""

import sys

if __name__ == "__main__":  # not when a spawned process imports this module as its main
    from desktop_app.app import main

    sys.exit(main())
