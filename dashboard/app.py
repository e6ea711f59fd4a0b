"""`streamlit run dashboard/app.py`: page config and navigation, nothing else."""

from pathlib import Path

import streamlit as st

from dashboard import settings

briefing = st.query_params.get("view") == "briefing"
st.set_page_config(
    page_title="Incident Atlas",
    page_icon=str(Path(__file__).parent / "static" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="collapsed" if briefing else "auto",
)

try:
    read_only = settings.read_only()
except settings.BadSetting as error:
    from dashboard.views.common import show_error

    show_error(error)
    st.stop()

if briefing:
    pages = [st.Page("views/briefing.py", title="Briefing", default=True)]
else:
    pages = [
        st.Page("views/overview.py", title="Incidents", icon=":material/map:", default=True),
        st.Page(
            "views/site.py",
            title="Site dossier",
            icon=":material/location_on:",
            url_path="site",
        ),
    ]
    # A read-only deployment does not have the pages that change the store at all.
    if not read_only:
        pages += [
            st.Page(
                "views/review.py",
                title="Article review",
                icon=":material/article:",
                url_path="review",
            ),
            st.Page(
                "views/upload.py",
                title="Load your own data",
                icon=":material/upload_file:",
                url_path="upload",
            ),
        ]
st.navigation(pages, position="hidden" if briefing else "sidebar").run()
