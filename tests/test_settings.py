"""Settings live in one table; the README documents exactly that table."""

from __future__ import annotations

from pathlib import Path

from dashboard import settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_settings_table_is_the_settings_table():
    assert settings.settings_markdown() in README.read_text(encoding="utf-8")


def test_defaults_work_offline(monkeypatch):
    for setting in settings.SETTINGS.values():
        monkeypatch.delenv(setting.env, raising=False)
    assert settings.get("basemap") == "offline"
    assert settings.get("online_geocoder") == "off"
    assert settings.get("data") == ""


def test_environment_overrides_and_blank_means_default(monkeypatch):
    monkeypatch.setenv("ATLAS_BASEMAP", "https://tiles.example/{z}/{x}/{y}.png")
    assert settings.get("basemap") == "https://tiles.example/{z}/{x}/{y}.png"
    monkeypatch.setenv("ATLAS_BASEMAP", "  ")
    assert settings.get("basemap") == "offline"


def test_readme_gives_the_two_commands():
    text = README.read_text(encoding="utf-8")
    quick_start = text[text.index("## Quick start") :].split("\n## ", 1)[0]
    assert "make run" in quick_start and "make test" in quick_start
