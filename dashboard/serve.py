"""Start the dashboard the way `make run` does: Streamlit, with the incidents loaded while the
server starts rather than when the first visitor arrives.

    python -m dashboard.serve [streamlit options, e.g. --server.port 8501]

A thread waits for the server to be up, then imports what the pages draw with (Altair, folium,
the map package), builds the engine for ATLAS_DATA at its current version and asks it everything
the main page's first run needs (`views.warm`); the first page then finds its answers ready (or
waits for the build already under way, never starting another).
`streamlit run dashboard/app.py` still works: its first visitor does this work instead.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from dashboard.paths import PACKAGE_DIR

APP = PACKAGE_DIR / "app.py"
log = logging.getLogger("dashboard.serve")


RUNTIME_WAIT_S = 60


def preload() -> None:
    """What the first page would otherwise do before it can draw anything."""
    # After the server exists: Streamlit's caches attach to the running server when their
    # modules are imported, and work started earlier only competes with the server's own start
    # for the interpreter (measured: the health check answered 0.7 s later, the first map no
    # sooner). Components (streamlit-folium) register only from a page's own script run, so
    # the page imports those.
    if not _runtime_started():
        return
    try:
        engine = _engine_and_libraries()
        from dashboard.views import warm

        warm.first_page(engine)
    except Exception as error:  # noqa: BLE001 - the page shows the same error to its visitor
        log.warning("the first page not prepared ahead of its visitor: %s", error)


def _engine_and_libraries():
    import altair  # noqa: F401 - the charts
    import PIL.Image  # noqa: F401 - the page's icon (st.set_page_config reads it)

    from dashboard.datasource import DataSource, shared_engine
    from dashboard.views import map  # noqa: F401 - folium and the map's builders

    source = DataSource.configured()
    return shared_engine(source.setting, source.version())


def _runtime_started() -> bool:
    from streamlit.runtime import Runtime

    deadline = time.monotonic() + RUNTIME_WAIT_S
    while not Runtime.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def main(argv: list[str] | None = None) -> None:
    # Imported here, before the preload thread exists: that thread waits on Runtime while this
    # one imports Streamlit, and two threads importing streamlit.runtime at once can deadlock
    # (seen: _DeadlockError on ModuleLock('streamlit.runtime'), the server exiting at start).
    import streamlit.runtime  # noqa: F401

    threading.Thread(target=preload, name="atlas-preload", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
