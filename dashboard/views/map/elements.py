"""The two kinds of folium element the map is made of, both thin calls into map.js.

- `AtlasLayer`: a Leaflet layer made by `Atlas.<factory>(args...)`; folium adds it to its parent
  (the map, or the feature group streamlit-folium swaps on every answer).
- `AtlasCall`: `Atlas.<function>(map, args...)` run once when the map is created (setup,
  borders, controls).

Arguments are JSON made safe for an inline <script> (`templates.js`); the factory names are
fixed in code, never taken from data.
"""

from __future__ import annotations

from typing import Any

import folium
from folium.map import Layer
from folium.template import Template

from dashboard.views.map.templates import js


class AtlasLayer(Layer):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = Atlas.{{ this.factory }}({{ this.arguments }});
        {% endmacro %}
        """
    )

    def __init__(self, factory: str, *arguments: Any, kind: str, name: str | None = None):
        super().__init__(name=name or kind, overlay=True, control=False, show=True)
        self._name = kind
        self.factory = factory
        self.arguments = ", ".join(js(argument) for argument in arguments)


class AtlasCall(folium.MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        Atlas.{{ this.function }}({{ this._parent.get_name() }}{{ this.arguments }});
        {% endmacro %}
        """
    )

    def __init__(self, function: str, *arguments: Any, kind: str):
        super().__init__()
        self._name = kind
        self.function = function
        self.arguments = "".join(", " + js(argument) for argument in arguments)
