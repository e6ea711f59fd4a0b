"""`streamlit run dashboard/app.py`: page config and navigation, nothing else."""

import streamlit as st

st.set_page_config(page_title="Incident Atlas", page_icon="🗺️", layout="wide")

pages = [
    st.Page("views/overview.py", title="Incidents", icon="🗺️", default=True),
]
st.navigation(pages).run()
