"""Hostile text in every text field, every page and view visited in a real headless Chromium:
no dialog, no element or link made from the data, no script run, nothing fetched that the app
did not ship. And no traceback on a page: a failing script shows Streamlit's generic message,
our own errors are messages.

The values are HTML and script, Markdown (and Streamlit's own: colours, icons, math), links,
javascript: and data: URLs, blank lines, bidirectional overrides, Unicode and very long text.
The readers refuse control characters, overrides and non-http links, so the incidents go into
the store through its API, as data written before those checks would be; the upload page is
shown a file of them too, and must show its refusal as text. Everything a hostile value could
load names a "beacon" (a path on the app's own server, or 127.0.0.2, a loopback address nothing
serves), so a fetch shows in the page's requests.
"""

from __future__ import annotations

import io
from urllib.parse import quote, urlparse

import pandas as pd
import pytest

from tests.browser import ARTIFACTS, REPO, running_app
from tests.test_browser_app import FIRST_MARKER_POINT, map_frame, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
WAIT = 60_000
BEACON = "http://127.0.0.2:9/beacon"
LONG = "Ünïcödé 中文 العربية עברית 🙂 " + "long text " * 600
# Text that would become an element (or an attribute value) of its own only if markup in the
# data were interpreted: none of them may ever be an element's whole text or an attribute value.
MARKERS = [
    "HOSTILE-b", "HOSTILE-a", "HOSTILE-bold", "HOSTILE-em", "HOSTILE-code", "HOSTILE-del",
    "HOSTILE-link", "HOSTILE-auto", "HOSTILE-heading", "HOSTILE-item", "HOSTILE-quote",
    "HOSTILE-indented", "HOSTILE-red", "HOSTILE-alt", "HOSTILE-image", "HOSTILE-title",
    "HOSTILE-iframe", "HOSTILE-setext", "HOSTILE-cell", "hostile_icon",
]  # fmt: skip
HOSTILE = [
    "<b>HOSTILE-b</b><script>/*HOSTILE-script*/window.__xss=1;alert(1)</script>",
    '<img src="/beacon-img.png" onerror="window.__xss=1;alert(1)" alt="HOSTILE-alt">',
    '<iframe src="/beacon-frame.html" title="HOSTILE-iframe"></iframe>'
    '<svg onload="window.__xss=1"><image href="/beacon-svg.png"/></svg>',
    '<a href="javascript:window.__xss=1;alert(1)">HOSTILE-a</a>'
    "<style>body{background:url(/beacon-css.png)}</style>",
    "**HOSTILE-bold** _HOSTILE-em_ `HOSTILE-code` ~~HOSTILE-del~~",
    "[HOSTILE-link](http://example.org/beacon-link) <http://example.org/beacon-auto> "
    "www.example.org/beacon-www mail@beacon.example.org",
    f'![HOSTILE-image]({BEACON}-md.png "HOSTILE-title") [x]: {BEACON}-ref',
    "first line\n\n# HOSTILE-heading\n\n- HOSTILE-item\n\n> HOSTILE-quote\n\n"
    "    HOSTILE-indented\n\nHOSTILE-setext\n===\n\n| HOSTILE-cell | x |\n|---|---|",
    ":red[HOSTILE-red] :material/hostile_icon: $HOSTILE-math$ :smile: -> &lt;b&gt;",
    "\u202eHOSTILE reversed\u202c and \u2067an isolate left open",
    LONG,
]
HOSTILE_URLS = [
    "javascript:window.__xss=1;alert(1)",
    "JaVaScRiPt:window.__xss=1",
    "data:text/html,<script>window.__xss=1</script>",
    "vbscript:msgbox(1)",
    f"{BEACON}-source <img src=/beacon-url.png>",
]
HOSTILE_BATCH = "batch **HOSTILE-bold** <img src=/beacon-batch.png onerror=alert(1)>\n\n# x"
# No "/" in a file name: **HOSTILE-bold**, a link and an image that would fetch beacon-file.png.
HOSTILE_FILE = (
    "file **HOSTILE-bold** [HOSTILE-link](javascript:alert(1)) "
    "<img src=beacon-file.png onerror=alert(1)>.csv"
)
SITE = "ain-al-asad"  # a gazetteer site: its dossier shows the hostile incidents
ARTICLE = (
    "Published: January 21, 2024\n\n<script>window.__xss=1;alert(1)</script>\n\n"
    "On Saturday, rockets were fired at Ain al-Asad air base.\n\n" + "\n\n".join(HOSTILE)
)

INERT = r"""(markers) => {
  const found = [];
  const loads = /^(on|src$|srcset$|href$|xlink:href$|data$|action$|formaction$|poster$)/i;
  for (const el of document.querySelectorAll("*")) {
    const text = (el.textContent || "").trim();
    if (markers.includes(text)) found.push(`<${el.localName}> made of ${text}`);
    // Scripts may hold data as JSON (the map's layers): only one that *is* the data's counts.
    if (/^(script|style)$/.test(el.localName) && /^(\/\*HOSTILE|body\{)/.test(text))
      found.push(`<${el.localName}> from data`);
    for (const attr of el.attributes) {
      if (markers.includes(attr.value.trim()))
        found.push(`${el.localName}[${attr.name}] made of ${attr.value}`);
      if (loads.test(attr.name) && /beacon|__xss|javascript:|vbscript:/i.test(attr.value))
        found.push(`${el.localName}[${attr.name}]=${attr.value.slice(0, 80)}`);
    }
  }
  if (document.querySelector(".katex")) found.push("math typeset from data");
  if (window.__xss !== undefined) found.push("a script from the data ran");
  return found;
}"""


def hostile_incidents() -> pd.DataFrame:
    """One incident per hostile value, each text field holding a different one (every field sees
    every value), at Ain al-Asad a few hundred metres apart (each its own marker)."""
    n = len(HOSTILE)

    def shifted(k: int) -> list[str]:
        return [HOSTILE[(i + k) % n] for i in range(n)]

    return pd.DataFrame(
        {
            "incident_id": [f"evil-{i} {HOSTILE[i][:40]}" for i in range(n)],
            "event_date": [f"2024-01-{10 + i:02d}" for i in range(n)],
            "event_type": ["attack"] * n,
            "weapon": ["rocket"] * n,
            "actor1": shifted(0),
            "actor2": shifted(1),
            "location": shifted(2),
            "site_id": [SITE if i % 2 == 0 else HOSTILE[i] for i in range(n)],
            "country": ["IQ"] * n,
            "admin1": shifted(3),
            "latitude": [33.7856 + 0.004 * i for i in range(n)],
            "longitude": [42.4412] * n,
            "killed": [i for i in range(n)],
            "source": shifted(4),
            "source_url": [HOSTILE_URLS[i % len(HOSTILE_URLS)] for i in range(n)],
            "notes": shifted(5),
        }
    )


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    from dashboard.schema import coerce_dtypes
    from dashboard.store import Store

    folder = tmp_path_factory.mktemp("hostile-everywhere")
    url = f"sqlite:///{folder / 'hostile.db'}"
    store = Store(url)
    store.ensure_seeded()
    store.remove_batch(store.curated_batch_id())  # only hostile incidents on the pages
    store.import_incidents(coerce_dtypes(hostile_incidents()), name=HOSTILE_BATCH,
                           source_file=HOSTILE_FILE)  # fmt: skip
    store.close()
    return {"ATLAS_HOME": str(folder / "home"), "ATLAS_DATA": url}


@pytest.fixture(scope="module")
def hostile_app(hostile_store):
    with running_app(hostile_store, ARTIFACTS / "hostile-everywhere.log") as url:
        yield url


@pytest.fixture
def watched(page):
    """The page, with every dialog recorded (and dismissed)."""
    page.dialogs = []

    def record(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return page


def settle(page) -> None:
    """Wait until the script has finished its run (and the browser has drawn what it sent)."""
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        timeout=WAIT
    )
    page.wait_for_load_state("load")


def assert_inert(page, where: str) -> None:
    settle(page)
    for frame in page.frames:
        try:
            found = frame.evaluate(INERT, MARKERS)
        except Exception as error:  # noqa: BLE001 - a frame replaced while we looked
            if "detached" in str(error) or "destroyed" in str(error):
                continue
            raise
        assert found == [], f"{where}, frame {frame.url[:60]}: {found}"
    assert page.dialogs == [], f"{where}: dialogs {page.dialogs}"
    # A beacon is a host or a path; the page's own link may name one in its query string.
    fetched = [u for u in page.requests.urls if "beacon" in where_from(u)]
    assert fetched == [], f"{where}: fetched {fetched}"
    assert page.requests.outside() == [], where


def where_from(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.netloc}{parts.path}".lower()


def wait_for(page, text: str) -> None:
    page.get_by_text(text).first.wait_for(timeout=WAIT)


def open_options(page, widget) -> None:
    """Open a selectbox or multiselect so its options are in the page."""
    widget.click()
    page.locator("[role='option']").first.wait_for(timeout=WAIT)


def test_the_desk_with_its_popups_tooltips_options_and_selection(hostile_app, watched):
    page = watched
    actor = quote(HOSTILE[4])  # an attacker in the data: the description line names it
    page.goto(f"{hostile_app}/?actor={actor}&contry={quote(HOSTILE[1])}&q={quote(HOSTILE[5])}")
    wait_for(page, "could not be used")
    assert_inert(page, "desk with a hostile link")

    page.goto(hostile_app)
    wait_for(page, f"{len(HOSTILE)} incidents")
    frame = map_frame(page)
    container = frame.locator(".leaflet-container").first
    for _ in range(50):  # until the map has finished moving to the marker
        point = frame.evaluate(FIRST_MARKER_POINT)
        container.hover(position={"x": point["x"], "y": point["y"]})
        if frame.locator(".leaflet-tooltip").count():
            break
        page.wait_for_timeout(200)
    assert_inert(page, "map tooltip")
    container.click(position={"x": point["x"], "y": point["y"]})
    frame.locator(".leaflet-popup-content").first.wait_for(timeout=WAIT)
    assert_inert(page, "map popup")
    wait_for(page, "Selected:")  # the clicked incident, described above the table
    assert_inert(page, "selected incident")

    bars = page.locator(".st-key-breakdowns svg.marks").first
    bars.scroll_into_view_if_needed()
    bars.locator('path[aria-roledescription="bar"]').first.hover()
    page.locator("#vg-tooltip-element").wait_for(state="visible", timeout=WAIT)
    assert_inert(page, "breakdown tooltip")

    sidebar = page.locator("[data-testid='stSidebar']")
    open_options(page, sidebar.locator("[data-testid='stMultiSelect']").first)
    assert_inert(page, "attacker options")
    screenshot(page, "hostile-desk.png")


def test_the_wall_and_every_panel(hostile_app, watched):
    page = watched
    actor = quote(HOSTILE[0])
    page.goto(f"{hostile_app}/?view=briefing&actor={actor}&rotate={quote(HOSTILE[3])}")
    page.locator(".wall-panels").first.wait_for(timeout=WAIT)
    map_frame(page)
    # Every panel is in the page at once (CSS shows them in turn): all are checked here.
    assert page.locator(".wall-panel").count() == 6
    assert_inert(page, "wall")
    screenshot(page, "hostile-wall.png")


def test_the_site_dossier(hostile_app, watched):
    page = watched
    page.goto(f"{hostile_app}/site?id={SITE}")
    wait_for(page, "Incidents and their sources")
    assert_inert(page, "site dossier")
    page.goto(f"{hostile_app}/site?id={quote(HOSTILE[6])}")
    wait_for(page, "No gazetteer site has the id")
    assert_inert(page, "unknown site id")


def test_the_review_page_with_a_hostile_article(hostile_app, watched):
    page = watched
    page.goto(f"{hostile_app}/review")
    wait_for(page, "Article review")
    page.locator("textarea").first.fill(ARTICLE)
    page.keyboard.press("Control+Enter")
    wait_for(page, "candidate incident")
    page.fill("input[aria-label='Source (e.g. The National)']", HOSTILE[5].replace("\n", " "))
    page.keyboard.press("Enter")
    page.locator(".atlas-article mark").first.wait_for(timeout=WAIT)
    assert "<script>" in page.locator(".atlas-article").inner_text()
    assert_inert(page, "review page")
    page.get_by_role("button", name="Import accepted as a batch").click()
    wait_for(page, "Imported")
    assert_inert(page, "review import")


def hostile_csv(*, refused: bool) -> bytes:
    """The hostile values in a file; with `refused`, ones the readers refuse (links that are
    not http, overrides, control characters), so the page must quote them in its problems."""
    frame = hostile_incidents().drop(columns=["site_id"])
    if not refused:  # no overrides, http links, ids of their own
        frame = frame.replace(HOSTILE[9], "no override").assign(
            source_url="https://example.org/report",
            incident_id=[f"upload-{i}" for i in range(len(frame))],
        )
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode()


def upload(page, data: bytes) -> None:
    page.locator("input[type=file]").set_input_files(
        files=[{"name": HOSTILE_FILE, "mimeType": "text/csv", "buffer": data}]
    )


def test_the_upload_page_batches_and_refusals(hostile_app, watched):
    page = watched
    page.goto(f"{hostile_app}/upload")
    wait_for(page, "Batches in the store")
    open_options(page, page.locator(".st-key-remove_batch_id [role='combobox']"))
    assert_inert(page, "batch options")
    page.locator("[role='option']").filter(has_text="HOSTILE").first.click()
    page.get_by_role("button", name="Remove batch").first.click()
    wait_for(page, "Its incidents leave the dashboard")
    assert_inert(page, "removal confirmation naming the batch")

    upload(page, hostile_csv(refused=True))
    wait_for(page, "problems found")
    assert_inert(page, "refused upload")
    upload(page, hostile_csv(refused=False))
    wait_for(page, "valid,")
    assert_inert(page, "valid upload")
    page.get_by_role("button", name="Import as a new batch").click()
    wait_for(page, "Imported")
    assert_inert(page, "imported upload")


# ----------------------------------------------------------------------------- tracebacks

FAILING_SCRIPT = REPO / "tests" / "fixtures" / "failing_page.py"


def test_an_unexpected_error_shows_no_traceback(tmp_path, watched):
    """Served with the repository's .streamlit/config.toml, as the app is: the page says an
    error happened and nothing of what, where or how."""
    page = watched
    with running_app({}, ARTIFACTS / "failing-page.log", script=FAILING_SCRIPT) as url:
        page.goto(url)
        wait_for(page, "This app has encountered an error")
        text = page.locator("[data-testid='stApp']").inner_text()
    for secret in ("secret-detail", "Traceback", "failing_page.py", "RuntimeError", str(REPO)):
        assert secret not in text


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("ATLAS_READ_ONLY", HOSTILE[4], "ATLAS_READ_ONLY="),
        ("ATLAS_DATA", "sqlite:///{tmp}/missing/" + HOSTILE[1] + ".db", "cannot open the store"),
    ],
)
def test_our_errors_are_messages_not_exceptions(tmp_path, watched, setting, value, message):
    """A setting's value the app cannot use is quoted in a message, as text."""
    page = watched
    env = {"ATLAS_HOME": str(tmp_path / "home"), setting: value.replace("{tmp}", str(tmp_path))}
    with running_app(env, ARTIFACTS / "error-messages.log") as url:
        page.goto(url)
        alert = page.locator("[data-testid='stAlert']").filter(has_text=message)
        alert.first.wait_for(timeout=WAIT)
        assert page.locator("[data-testid='stException']").count() == 0
        assert_inert(page, f"error message for {env}")
