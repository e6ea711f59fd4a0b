"""The persistent cache of online geocoding answers."""

from __future__ import annotations

import threading

from dashboard.geocoding.cache import CachedAnswer, GeocodeCache, default_cache_path

FOUND = CachedAnswer(True, 33.3, 44.4, "Somewhere, Iraq", {"type": "village", "name": "ع"})


def test_a_name_never_asked_is_a_miss(tmp_path):
    assert GeocodeCache(tmp_path / "c.sqlite").get("nominatim", "Somewhere") is None


def test_answers_and_not_found_are_kept_across_instances(tmp_path):
    path = tmp_path / "sub" / "c.sqlite"
    cache = GeocodeCache(path)
    cache.put("nominatim", "Somewhere", None, FOUND)
    cache.put("nominatim", "Nowhere", None, CachedAnswer(found=False))
    cache.close()
    reopened = GeocodeCache(path)
    assert reopened.get("nominatim", "Somewhere") == FOUND
    assert reopened.get("nominatim", "Nowhere") == CachedAnswer(found=False)
    assert len(reopened) == 2


def test_keys_ignore_case_accents_and_punctuation_but_not_country_or_provider(tmp_path):
    cache = GeocodeCache(tmp_path / "c.sqlite")
    cache.put("nominatim", "Ḩadīthah", "iq", FOUND)
    assert cache.get("nominatim", "  hadithah ", "IQ") == FOUND
    assert cache.get("nominatim", "Hadithah", None) is None
    assert cache.get("nominatim", "Hadithah", "SY") is None
    assert cache.get("other", "Hadithah", "IQ") is None


def test_default_path_is_under_the_atlas_home(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_HOME", str(tmp_path / "home"))
    assert default_cache_path() == tmp_path / "home" / "geocode-cache.sqlite"


def test_threads_can_share_one_cache(tmp_path):
    cache = GeocodeCache(tmp_path / "c.sqlite")

    def work(n: int) -> None:
        for i in range(20):
            cache.put("nominatim", f"place {n} {i}", None, FOUND)
            assert cache.get("nominatim", f"place {n} {i}") == FOUND

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 80
