"""One engine per data version, shared by every session of a server; while a new version is
being built, pages answer from the previous one (after a short wait) instead of all waiting."""

from __future__ import annotations

import threading
from collections import OrderedDict

import pytest

from dashboard import datasource
from dashboard.datasource import DataSource, engine_for, engine_ready


@pytest.fixture
def builds(monkeypatch):
    """Engines are strings; building 'slow' waits for `release`; building 'bad' fails."""
    release = threading.Event()
    built: list[str] = []

    def fake_engine(self, version=None, *, server=True):
        if version == "slow":
            assert release.wait(30), "the test never released the slow build"
        if version == "bad":
            raise OSError("the store cannot be read")
        built.append(version)
        return f"engine {version}"

    monkeypatch.setattr(DataSource, "engine", fake_engine)
    monkeypatch.setattr(datasource, "_ENGINES", OrderedDict())
    yield release, built
    release.set()


def finish_builds() -> None:
    for build in list(datasource._BUILDS.values()):
        build.join(30)


def test_the_first_version_is_waited_for_and_built_once(builds):
    _, built = builds
    assert engine_for("store", "v1", wait_s=0) == ("engine v1", True)
    assert engine_for("store", "v1", wait_s=0) == ("engine v1", True)
    assert built == ["v1"]


def test_pages_answer_from_the_previous_version_while_the_next_is_built(builds):
    release, built = builds
    engine_for("store", "v1", wait_s=0)
    assert engine_for("store", "slow", wait_s=0.05) == ("engine v1", False)
    assert engine_for("store", "slow", wait_s=0.05) == ("engine v1", False)  # one build
    release.set()
    finish_builds()
    assert engine_ready("store", "slow")
    assert engine_for("store", "slow", wait_s=0) == ("engine slow", True)
    assert built == ["v1", "slow"]
    assert not engine_ready("store", "v1")  # only the current version is kept


def test_a_new_version_built_within_the_wait_is_shown_at_once(builds):
    engine_for("store", "v1", wait_s=0)
    assert engine_for("store", "v2", wait_s=30) == ("engine v2", True)


def test_a_failed_build_reaches_the_page_rather_than_the_old_data_forever(builds):
    engine_for("store", "v1", wait_s=0)
    with pytest.raises(OSError, match="cannot be read"):
        engine_for("store", "bad", wait_s=30)
