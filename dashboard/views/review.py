"""Article review: paste or upload a report, check the candidate incidents, import them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import settings
from dashboard.errors import AtlasError, InvalidFile
from dashboard.ingest import NoPublicationDate, extract_incidents
from dashboard.ingest.article import html_to_text, looks_like_html
from dashboard.ingest.review import (
    POSSIBLY,
    RECORD_CHOICES,
    SHOWN,
    accepted_batch,
    publication_day,
    review_table,
    slug,
    with_matches,
)
from dashboard.schema import EVENT_TYPES, WEAPONS
from dashboard.store import configured_store
from dashboard.views.common import current_engine, notice, show_error
from dashboard.views.highlight import highlight_html
from dashboard.views.map import build_map


@st.cache_data(show_spinner="Reading the article...")
def _candidates(
    text: str, published: date | None, source: str | None, url: str | None, name: str
) -> pd.DataFrame:
    return extract_incidents(text, published=published, source=source, source_url=url, name=name)


def _uploaded_text(upload) -> str:
    raw = upload.getvalue()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if Path(upload.name).suffix.lower() in (".html", ".htm") or looks_like_html(text):
        text = html_to_text(text)
    return text


def _show_recorded(table: pd.DataFrame, recorded: pd.DataFrame) -> None:
    """Each candidate already (or possibly) recorded, beside the stored incident and every
    source of it."""
    matched = table[table["recorded_as"].notna()]
    if matched.empty:
        return
    possibly = matched["recorded"].str.startswith(POSSIBLY)
    heads = [f"**{(~possibly).sum()} already recorded** in the store"] if (~possibly).any() else []
    if possibly.any():
        heads.append(f"**{possibly.sum()} possibly recorded** (a day apart: check the dates)")
    st.markdown("; ".join(heads) + ":")
    engine = current_engine()
    for row in matched.itertuples():
        notice("markdown", "**#{n}** is {recorded} ({id})", n=row.n, recorded=row.recorded,
               id=row.recorded_as)  # fmt: skip
        for source in engine.sources_of(row.recorded_as).itertuples():
            day = "" if pd.isna(source.published) else f" {source.published:%Y-%m-%d}"
            url = "" if source.url is None or pd.isna(source.url) else f" {source.url}"
            words = f"{source.publication or 'source'}{day}{url}"
            notice("markdown", "- {words}", words=words)


st.title("Article review")
st.caption(
    "Paste a report or upload it (.txt or .html). Each candidate incident is read by rules and "
    "the offline gazetteer; its evidence is highlighted in the article. Correct what is wrong, "
    "untick what is not an incident, then import the rest as one batch (removable on the "
    'upload page). A candidate the store already has is marked "already recorded": '
    'importing adds the article as a source of that incident, unless you choose "new '
    'incident". A candidate "possibly recorded" (the same place a day apart: outlets date a '
    'night strike by either night) stays a new incident unless you choose "add as source".'
)

upload = st.file_uploader("Article file", type=["txt", "html", "htm"], key="review_upload")
pasted = st.text_area(
    "Article text", key="review_text", height=240, placeholder="Paste the article here"
)
left, middle, right = st.columns(3)
published = left.date_input(
    "Publication date (read from the article when empty)", value=None, key="review_published"
)
source_name = middle.text_input("Source (e.g. The National)", key="review_source")
source_url = right.text_input("Source URL", key="review_source_url")

text = _uploaded_text(upload) if upload is not None else pasted
if not text or not text.strip():
    st.info("Paste an article or upload a file to see its candidate incidents.")
    st.stop()

name = slug(source_name or (Path(upload.name).stem if upload is not None else "pasted-article"))
source = source_name.strip() or f"article:{name}"
try:
    candidates = _candidates(text, published, source, source_url.strip() or None, name)
except NoPublicationDate:
    show_error(
        NoPublicationDate(f"{name}: no publication date found in the article; enter it above")
    )
    st.stop()
except AtlasError as error:
    show_error(error)
    st.stop()

st.subheader(f"{len(candidates)} candidate incident{'s' if len(candidates) != 1 else ''}")
if candidates.empty:
    st.write("No incident found: the article reports no dated event at a known place.")
else:
    try:
        table, recorded = with_matches(review_table(candidates), current_engine())
    except AtlasError as error:
        show_error(error)
        st.stop()
    edited = st.data_editor(
        table[list(SHOWN)],
        key="review_candidates",
        hide_index=True,
        width="stretch",
        disabled=["n", "recorded", "time_precision", "confidence", "site_id", "evidence"],
        column_config={
            "accept": st.column_config.CheckboxColumn("accept", default=True),
            "n": st.column_config.NumberColumn("#", help="number of the highlight"),
            "record": st.column_config.SelectboxColumn(
                "import as",
                options=list(RECORD_CHOICES),
                required=True,
                help="add as source: the article becomes a source of the incident already "
                "recorded; new incident: a row of its own",
            ),
            "recorded": st.column_config.TextColumn(
                "in the store",
                width="large",
                help="already or possibly recorded: the stored incident",
            ),
            "event_date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
            "location": st.column_config.TextColumn("place"),
            "event_type": st.column_config.SelectboxColumn("type", options=list(EVENT_TYPES)),
            "weapon": st.column_config.SelectboxColumn("weapon", options=list(WEAPONS)),
            "killed": st.column_config.NumberColumn("killed", min_value=0, step=1),
            "wounded": st.column_config.NumberColumn("wounded", min_value=0, step=1),
            "time_precision": st.column_config.NumberColumn(
                "date precision", help="1 day, 2 week, 3 month"
            ),
            "confidence": st.column_config.ProgressColumn(
                "evidence score",
                min_value=0.0,
                max_value=1.0,
                format="%.2f",
                help="How much the text states for this row: a known site, a day in the text, "
                "who did it, figures. Not a probability, and a weak guide: on five sets of "
                "articles nobody here had read, 58-100% of the rows scoring 0.7 or more were "
                "right, 30-86% of those at 0.5-0.7, 5 of 19 below 0.5. Check every row against "
                "the highlighted text.",
            ),
            "evidence": st.column_config.TextColumn("evidence", width="large"),
        },
    )
    full = table.copy()
    for column in edited.columns:
        full[column] = edited[column].values
    day = publication_day(text, published)
    incidents, attach, problems = accepted_batch(
        table, full, dataset=f"article:{name}", published=day
    )
    _show_recorded(table, recorded)

    article_col, map_col = st.columns([3, 2])
    with article_col:
        st.html(highlight_html(text, candidates["evidence"]))
    with map_col:
        located = incidents.dropna(subset=["latitude", "longitude"])
        st.caption(
            f"{len(located)} of {len(incidents)} new incidents have coordinates; "
            f"{len(attach)} accepted candidates add a source to recorded incidents."
        )
        st_folium(
            build_map(located, color_by="event_type", basemap=settings.get("basemap")),
            height=380,
            use_container_width=True,
            key="review_map",
            returned_objects=[],
        )

    nothing = incidents.empty and attach.empty
    if st.button("Import accepted as a batch", type="primary", disabled=nothing):
        try:
            if problems:
                raise InvalidFile(f"article {name} (edited table)", problems)
            batch = configured_store().import_incidents(
                incidents,
                name=f"article: {source}",
                source_file=source,
                format="article",
                attach=attach,
                published=day,
            )
        except AtlasError as error:
            show_error(error)
        else:
            st.cache_data.clear()
            notice(
                "success",
                "Imported {contents} as batch {id} ({name}); remove it on the upload page if "
                "needed.",
                contents=batch.contents(), id=batch.batch_id, name=batch.name,
            )  # fmt: skip
