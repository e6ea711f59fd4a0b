"""The map's setup, added first: Leaflet's icon path, our script and stylesheet (and every
script a later feature group may need, since streamlit-folium loads scripts only once), the
theme, the display scale and the panes the layers draw in."""

from __future__ import annotations

from folium.elements import JSCSSMixin
from folium.template import Template

from dashboard.views.map.elements import AtlasCall
from dashboard.views.offline_assets import (
    ATLAS_CSS,
    ATLAS_JS,
    HEATMAP_JS,
    HTML_TO_IMAGE_JS,
    ICON_IMAGE_PATH,
)

THEMES = ("light", "dark")
THEME_STYLE = {
    "light": {
        "sea": "#d7e6f0", "land": "#f7f6f2", "border": "#8e969e", "stroke": "#222222",
        "cell_stroke": "#ffffff", "recent": "#000000", "selected": "#ff00c8",
        "outline": "#5a2ca0",
    },
    "dark": {
        "sea": "#0a1624", "land": "#1d2733", "border": "#5d6b7a", "stroke": "#f2f2f2",
        "cell_stroke": "#0a1624", "recent": "#ffe600", "selected": "#ff4fe0",
        "outline": "#c9a7ff",
    },
}  # fmt: skip
MIN_SCALE, MAX_SCALE = 0.5, 20.0  # 20: an 8K wall at 100% scaling


class MapSetup(JSCSSMixin, AtlasCall):
    default_js = [ATLAS_JS, *HEATMAP_JS, HTML_TO_IMAGE_JS]
    default_css = [ATLAS_CSS]
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.icon_path|tojson }};
        Atlas.{{ this.function }}({{ this._parent.get_name() }}{{ this.arguments }});
        {% endmacro %}
        """
    )

    def __init__(
        self, *, theme: str, offline: bool, scale: float, fit_key: str | None, wall: bool = False
    ):
        if theme not in THEMES:
            raise ValueError(f"theme must be one of {THEMES}, not {theme!r}")
        if not MIN_SCALE <= scale <= MAX_SCALE:
            raise ValueError(f"scale must be between {MIN_SCALE:g} and {MAX_SCALE:g}")
        options = {"theme": theme, "offline": offline, "scale": scale, "fitKey": fit_key,
                   "wall": wall}  # fmt: skip
        super().__init__("setup", options, kind="MapSetup")
        self.icon_path = ICON_IMAGE_PATH
