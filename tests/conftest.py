"""Shared test setup: every test gets its own atlas home, and no test can reach the network."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and self.family in (socket.AF_INET, socket.AF_INET6):
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise ConnectionRefusedError(f"tests may not reach the network (tried {address})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def isolated_atlas(tmp_path, monkeypatch):
    """A private ATLAS_HOME, no configured data source, no online geocoder, no network."""
    monkeypatch.setenv("ATLAS_HOME", str(tmp_path / "atlas-home"))
    for name in ("ATLAS_DATA", "ATLAS_ONLINE_GEOCODER", "ATLAS_BASEMAP", "ATLAS_READ_ONLY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    yield
    from dashboard.store import close_open_stores

    close_open_stores()


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server per test session (per xdist worker), on 127.0.0.1.

    No skip: without PostgreSQL the tests that need it fail and say how to install it."""
    from tests.postgres import PostgresMissing, running_postgres

    try:
        server_context = running_postgres()
        server = server_context.__enter__()
    except PostgresMissing as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server_context.__exit__(None, None, None)


@pytest.fixture
def postgres_url(postgres_server):
    """A URL to an empty PostgreSQL store of this test's own."""
    url = postgres_server.new_store_url()
    yield url
    from dashboard.store import close_open_stores

    close_open_stores()
    postgres_server.drop_store(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """Each store test runs on the embedded SQLite store and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(store_url):
    """An empty store (not seeded) at `store_url`, closed after the test."""
    from dashboard.store import Store

    store = Store(store_url, seed_csv=None)
    yield store
    store.close()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's, or Playwright's where installed)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_FLAGS, chromium_path

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The app as `make run` starts it, on the bundled data, with a private store."""
    from tests.browser import ARTIFACTS, running_app

    home = tmp_path_factory.mktemp("browser-atlas-home")
    with running_app({"ATLAS_HOME": str(home)}, ARTIFACTS / "app.log") as url:
        yield url


@pytest.fixture
def page(browser):
    """A 1920x1080 page whose requests are all recorded in `page.requests`."""
    from tests.browser import RequestLog

    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    tab = context.new_page()
    tab.requests = RequestLog()
    tab.on("request", tab.requests.record)
    yield tab
    context.close()
