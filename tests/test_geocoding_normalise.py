"""Normalisation of place names: transliteration habits, kind words, context splitting."""

from __future__ import annotations

import pytest

from dashboard.geocoding.normalise import (
    AIR,
    ALTERNATIVE,
    BASE,
    CONTEXT,
    CROSSING,
    FIELD,
    HEAD,
    TOWN,
    clean,
    fuzzy_key,
    parse_name,
    split_context,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ḩadīthah", "hadithah"),
        ("Aïn el-Assad", "ain el assad"),
        ("Al-Qa'im", "al qaim"),
        ("Al Qā’im", "al qaim"),
        ("ʿAyn ʿĪsá", "ayn isa"),
        ("`Ayn `Isa", "ayn isa"),
        ("Jurf  Al-Sakhar ", "jurf al sakhar"),
        ("K-1", "k1"),
        ("İncirlik", "incirlik"),
        ("أربيل", "اربيل"),
        ("الأسد", "الاسد"),
        ("قاعدة", "قاعده"),
    ],
)
def test_clean(text, expected):
    assert clean(text) == expected


@pytest.mark.parametrize(
    ("text", "core", "kinds"),
    [
        # articles in all their transliterations
        ("Ain Al Asad", "ain asad", set()),
        ("Ayn al-Asad", "ain asad", set()),
        ("Ein el-Asad", "ain asad", set()),
        ("Jurf as-Sakhar", "jurf sakhar", set()),
        ("Deir ez-Zor", "deir zor", set()),
        ("Dayr az Zawr", "deir zawr", set()),
        ("Tell Tamer", "tal tamer", set()),
        ("Ash Shaddadah", "shaddadah", set()),
        # kind words are not names
        ("Ayn al-Asad airbase", "ain asad", {AIR}),
        ("Ain al-Asad Air Base", "ain asad", {AIR}),
        ("Baghdad International Airport", "baghdad", {AIR}),
        ("a military base", "", {BASE}),
        ("Al-Tanf garrison", "tanf", {BASE}),
        ("Camp Taji", "taji", {BASE}),
        ("Mission Support Site Conoco", "conoco", {BASE}),
        ("al-Omar oil field", "omar", {FIELD}),
        ("Al Waleed border crossing", "waleed", {CROSSING}),
        ("Hasakah countryside", "hasakah", {TOWN}),
        ("the northern city of Erbil", "erbil", set()),
        ("eastern Baghdad", "baghdad", set()),
        ("Baghdad Intl Airport", "baghdad", {AIR}),
        # who holds a place is not part of its name
        ("US Embassy in Baghdad", "embassy baghdad", set()),
        ("U.S. Embassy, Baghdad", "embassy baghdad", set()),
        ("Embassy of the United States, Baghdad", "embassy baghdad", set()),
        # Arabic script: article and kind words
        ("قاعدة عين الأسد", "عين اسد", {BASE}),
        ("مطار أربيل الدولي", "اربيل", {AIR}),
        ("جرف الصخر", "جرف صخر", set()),
        # codes survive
        ("ORAA", "oraa", set()),
        ("K-1 Air Base", "k1", {AIR}),
    ],
)
def test_parse_name(text, core, kinds):
    parsed = parse_name(text)
    assert parsed.core == core
    assert parsed.kinds == frozenset(kinds)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("hassakeh", "hasakah"),
        ("mayadeen", "mayadin"),
        ("qaim", "kaim"),
        ("chaddadi", "shaddadi"),
        ("sulaymaniyah", "sulaimaniyah"),
        ("raqqa", "raqqah"),
    ],
)
def test_fuzzy_key_folds_transliteration_variants(a, b):
    assert fuzzy_key(a) == fuzzy_key(b)


@pytest.mark.parametrize(("a", "b"), [("erbil", "irbid"), ("tanf", "tal"), ("hit", "hut")])
def test_fuzzy_key_keeps_different_names_apart(a, b):
    assert fuzzy_key(a) != fuzzy_key(b)


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Ain Al Asad", [("Ain Al Asad", HEAD)]),
        (
            "Harir Airport in the northern city of Erbil",
            [("Harir Airport", HEAD), ("the northern city of Erbil", CONTEXT)],
        ),
        (
            "a military base near Baghdad International Airport",
            [("a military base", HEAD), ("Baghdad International Airport", CONTEXT)],
        ),
        (
            "Jurf Al Sakhar (Jurf al-Nasr)",
            [("Jurf Al Sakhar", HEAD), ("Jurf al-Nasr", ALTERNATIVE)],
        ),
        (
            "Ain Al Asad airbase west of Baghdad",
            [("Ain Al Asad airbase", HEAD), ("Baghdad", CONTEXT)],
        ),
        ("Asad airbase, Anbar", [("Asad airbase", HEAD), ("Anbar", CONTEXT)]),
        (
            "a village 10 km north-east of Hit",
            [("a village", HEAD), ("Hit", CONTEXT)],
        ),
        # a name that only contains "in" inside a word is not split
        ("Ain Issa", [("Ain Issa", HEAD)]),
        # only context named
        ("near Abu Kamal", [("Abu Kamal", CONTEXT)]),
        (
            "near Abu Ghraib, west of Baghdad",
            [("Abu Ghraib", CONTEXT), ("Baghdad", CONTEXT)],
        ),
        # two places named: each is the place
        (
            "US Embassy Baghdad and Union III",
            [("US Embassy Baghdad", HEAD), ("Union III", ALTERNATIVE)],
        ),
    ],
)
def test_split_context(text, pieces):
    assert list(split_context(text)) == pieces
