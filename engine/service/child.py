"""The training host's process entry point, importable without torch.

``multiprocessing`` names a spawn target by module and function, and the window
imports that module to name it: this one imports nothing until it runs in the child.
"""

from __future__ import annotations

from multiprocessing.connection import Connection


def main(conn: Connection) -> None:
    from engine.service.priority import lower_priority

    lower_priority()  # before torch starts its threads: they inherit it
    from engine.service.host import main as serve

    serve(conn)
