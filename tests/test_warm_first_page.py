"""A server prepares the main page before its first visitor: that visitor's page then asks the
engine for nothing the server did not already ask (it only draws)."""

from __future__ import annotations

import inspect

import pytest

from dashboard.datasource import DataSource, shared_engine
from dashboard.engine import Engine
from dashboard.synthetic import synthetic_incidents
from dashboard.views import warm
from tests.app_pages import count_in, run_app

# Asked on every rerun on purpose (cheap, and they must see the current data).
UNCACHED = {"data_span", "span", "where", "incident", "close"}  # where: span's SQL


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A file served the way `dashboard.serve` serves it: its shared engine built, and every
    engine query the page makes from then on recorded."""
    data = tmp_path / "incidents.csv"
    synthetic_incidents(400, seed=3).to_csv(data, index=False)
    monkeypatch.setenv("ATLAS_DATA", str(data))
    monkeypatch.setenv("ATLAS_HOME", str(tmp_path / "home"))
    source = DataSource.configured()
    engine = shared_engine(source.setting, source.version())
    asked: list[str] = []
    for name, _method in inspect.getmembers(Engine, inspect.isfunction):
        if not name.startswith("_") and name not in UNCACHED:
            monkeypatch.setattr(engine, name, _recording(asked, name, getattr(engine, name)))
    return engine, asked


def _recording(asked, name, bound):
    def call(*args, **kwargs):
        asked.append(name)
        return bound(*args, **kwargs)

    return call


def test_the_first_visitor_is_answered_from_what_the_server_prepared(served):
    engine, asked = served
    warm.first_page(engine)
    prepared = set(asked)
    assert {"headline", "timeline", "breakdown", "page", "choices", "map_bounds"} <= prepared
    asked.clear()
    at = run_app()
    assert not at.exception
    assert count_in(at) == 400
    assert asked == []


def test_without_preparing_the_same_page_asks_the_engine(served):
    _, asked = served
    at = run_app()
    assert not at.exception
    assert {"headline", "timeline", "page", "map_bounds"} <= set(asked)
