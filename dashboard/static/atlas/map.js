/* Incident Atlas map helpers (our code, not vendored): the layers the Python map package
 * describes, keyboard access, label decluttering, fitting, focus and PNG snapshots.
 *
 * The map itself is created once per page (its script never changes, so streamlit-folium
 * keeps the same iframe and the user's view); the data layers arrive as a feature group that
 * is swapped on every answer. Every HTML string below was escaped on the server (autoescaped
 * Jinja templates); this file only inserts it or reads its text.
 */
(function () {
  "use strict";
  var Atlas = (window.Atlas = window.Atlas || {});
  Atlas.layers = Atlas.layers || {}; // kind -> the layer of that kind now on the map
  Atlas.state = Atlas.state || {};

  function textOf(html) {
    var span = document.createElement("span");
    span.innerHTML = html;
    return (span.textContent || "").trim();
  }

  function track(kind, layer) {
    layer.on("add", function () { Atlas.layers[kind] = layer; });
    layer.on("remove", function () {
      if (Atlas.layers[kind] === layer) { delete Atlas.layers[kind]; }
    });
    return layer;
  }

  function scaleOf(map) {
    return parseFloat(map.getContainer().dataset.iaScale || "1") || 1;
  }

  /* ------------------------------------------------------------------ setup */
  Atlas.setup = function (map, opts) {
    var c = map.getContainer();
    c.classList.add("ia-map", "ia-" + opts.theme);
    if (opts.offline) { c.classList.add("ia-offline"); }
    if (opts.wall) { c.classList.add("ia-wall"); }
    c.dataset.iaScale = String(opts.scale);
    c.style.setProperty("--ia-scale", String(opts.scale));
    c.setAttribute("aria-label", "Map of incidents. Tab to reach incidents and sites; " +
      "Enter opens the details, Escape closes them.");
    if (!map.getPane("ia-labels")) {
      var labels = map.createPane("ia-labels");
      labels.style.zIndex = 250;
      labels.style.pointerEvents = "none";
    }
    if (!map.getPane("ia-heat")) {
      var heat = map.createPane("ia-heat");
      heat.style.zIndex = 340;
      heat.style.pointerEvents = "none";
    }
    if (!map.getPane("ia-cells")) { map.createPane("ia-cells").style.zIndex = 350; }
    // Sites under the incidents' overlay pane (400): a site never takes an incident's click.
    if (!map.getPane("ia-sites")) { map.createPane("ia-sites").style.zIndex = 390; }
    if (opts.fitKey) { Atlas.state.fitKey = opts.fitKey; } // the view came from the link
    Atlas.map = map;
  };

  /* ------------------------------------------------------------------ basemap */
  Atlas.borders = function (url, style) {
    var group = L.layerGroup([], {attribution: "Natural Earth"});
    fetch(url)
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(function (data) {
        L.geoJSON(data, {
          pane: "tilePane", interactive: false,
          style: function () { return style; }
        }).addTo(group);
        data.features.forEach(function (f) {
          var at = f.properties.label;
          if (!at) { return; }
          var span = document.createElement("span");
          span.textContent = f.properties.name;
          L.marker(at, {
            icon: L.divIcon({className: "ia-country-label", html: span,
                             iconSize: [160, 16], iconAnchor: [80, 8]}),
            interactive: false, keyboard: false, pane: "ia-labels"
          }).addTo(group);
        });
        Atlas.state.bordersLoaded = true;
      })
      .catch(function (err) { console.warn("offline basemap not loaded:", err); });
    return group;
  };

  /* ------------------------------------------------------------------ keyboard */
  // Leaflet makes markers focusable; vector shapes (circles, hexagons) are not, so each gets
  // tabindex, a role and a label, opens its popup on Enter or Space (as a click would, so
  // the page learns which incident was chosen) and shows its tooltip while focused.
  Atlas.focusable = function (layer, label) {
    layer.on("add", function () {
      var el = layer.getElement && layer.getElement();
      if (!el) { return; }
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", label);
      el.classList.add("ia-focusable");
      L.DomEvent.on(el, "keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") {
          L.DomEvent.preventDefault(e);
          var at = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
          layer.fire("click", {latlng: at, originalEvent: e});
        } else if (e.key === "Escape") {
          layer.closePopup();
        }
      });
      L.DomEvent.on(el, "focus", function () { if (layer.openTooltip) { layer.openTooltip(); } });
      L.DomEvent.on(el, "blur", function () { if (layer.closeTooltip) { layer.closeTooltip(); } });
    });
  };

  /* ------------------------------------------------------------------ incidents */
  Atlas.points = function (data, opts) {
    if (opts.merge) { return track("points", wallPoints(data, opts)); }
    var renderer = L.svg({padding: 0.5});
    var scale = opts.scale || 1;
    return track("points", L.geoJSON(data, {
      pointToLayer: function (f, latlng) {
        var p = f.properties;
        return L.circleMarker(latlng, {
          renderer: renderer, radius: p.r * scale, fillColor: p.c, fillOpacity: 0.8,
          color: p.h ? opts.ring : opts.stroke, weight: (p.h ? 3 : 0.9) * scale,
          opacity: p.h ? 1 : 0.85
        });
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(f.properties.t, {sticky: true});
        layer.bindPopup(f.properties.p, {maxWidth: 320 * scale, maxHeight: 380 * scale});
        Atlas.focusable(layer, textOf(f.properties.t));
      }
    }));
  };

  /* ------------------------------------------------------------------ incidents on a wall */
  // A wall is read from across the room and never touched. The smallest symbol is as high as
  // the wall's capital letters (the desk's smallest radius, 4 px, times the wall's scale);
  // above it, growth with killed + wounded is WALL_GROWTH of the desk's, up to WALL_MAX_R, so
  // the largest stays a dot on the map rather than a patch. Symbols that would overlap at the
  // current view are merged, again until none does: one circle at their weighted centre,
  // split by colour in proportion, sized by their summed killed + wounded and number, and
  // labelled with its number of incidents where the label finds free room.
  var WALL_MIN_R = 4, WALL_MAX_R = 12, WALL_GROWTH = 0.4, WALL_GAP = 2;

  function wallRadius(known, n, scale) {
    var desk = Math.min(4 + 2 * Math.sqrt(known || 0), 20) + (n > 1 ? 2 * Math.log2(n) : 0);
    return scale * Math.min(WALL_MIN_R + (desk - 4) * WALL_GROWTH, WALL_MAX_R);
  }
  Atlas.wallPadding = function (scale) { return (WALL_MAX_R + WALL_GAP) * scale + 8; };

  function absorb(into, g, scale) {
    var n = into.n + g.n;
    into.x = (into.x * into.n + g.x * g.n) / n;
    into.y = (into.y * into.n + g.y * g.n) / n;
    into.n = n;
    into.k = into.k === null && g.k === null ? null : (into.k || 0) + (g.k || 0);
    into.h = into.h || g.h;
    Object.keys(g.parts).forEach(function (color) {
      into.parts[color] = (into.parts[color] || 0) + g.parts[color];
    });
    into.r = wallRadius(into.k, into.n, scale);
  }

  // Greedy, biggest first; each pass merges what overlaps, until a pass merges nothing.
  function mergeSymbols(map, features, scale) {
    var gap = WALL_GAP * scale;
    var groups = features.map(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      var at = map.latLngToLayerPoint([c[1], c[0]]);
      var parts = {};
      parts[p.c] = p.n;
      var k = p.k === undefined ? null : p.k;
      return {x: at.x, y: at.y, n: p.n, k: k, h: p.h, parts: parts, r: wallRadius(k, p.n, scale)};
    });
    for (var merged = true; merged;) {
      merged = false;
      groups.sort(function (a, b) { return b.n - a.n || b.r - a.r; });
      var kept = [];
      groups.forEach(function (g) {
        var into = kept.find(function (q) { return Math.hypot(g.x - q.x, g.y - q.y) < g.r + q.r + gap; });
        if (into) { absorb(into, g, scale); merged = true; } else { kept.push(g); }
      });
      groups = kept;
    }
    return groups;
  }

  function fillOf(parts, n) {
    var colors = Object.keys(parts).sort(function (a, b) { return parts[b] - parts[a]; });
    if (colors.length === 1) { return colors[0]; }
    var at = 0;
    return "conic-gradient(" + colors.map(function (color) {
      var from = at;
      at += 100 * parts[color] / n;
      return color + " " + from.toFixed(2) + "% " + at.toFixed(2) + "%";
    }).join(", ") + ")";
  }

  function wallSymbol(map, g, opts) {
    var size = 2 * g.r;
    var el = document.createElement("div");
    el.className = "ia-sym-dot";
    el.style.background = fillOf(g.parts, g.n);
    // The ring is inside the symbol's box (its size is the symbol's footprint): a share of
    // the diameter, so the colour keeps most of the dot at any size.
    el.style.borderColor = g.h ? opts.ring : opts.stroke;
    el.style.borderWidth = Math.max(g.h ? 0.13 * size : 0.04 * size, 1).toFixed(1) + "px";
    // The label beside the dot, not in it: placed from the symbol's outer edge, however thick
    // its ring (a child of the dot would be placed from inside the ring).
    var box = document.createElement("div");
    box.className = "ia-sym-box";
    box.appendChild(el);
    if (g.n > 1) {
      var label = document.createElement("span");
      label.className = "ia-sym-n";
      label.textContent = g.n.toLocaleString("en");
      box.appendChild(label);
    }
    var at = map.layerPointToLatLng([g.x, g.y]);
    var marker = L.marker(at, {
      interactive: false, keyboard: false,
      icon: L.divIcon({className: "ia-sym", iconSize: [size, size], iconAnchor: [g.r, g.r],
                       html: box})
    });
    // As a GeoJSON layer's circles carry theirs: n is the number of incidents it stands for.
    marker.feature = {type: "Feature", geometry: {type: "Point", coordinates: [at.lng, at.lat]},
                      properties: {n: g.n, k: g.k, h: g.h}};
    return marker;
  }

  // A label goes right of its symbol, else left; where both would cover a symbol, another
  // label or the map's edge, it is left out (the symbol still shows).
  function placeLabels(map, markers, groups) {
    var size = map.getSize();
    var boxes = groups.map(function (g) {
      var p = map.layerPointToContainerPoint([g.x, g.y]);
      return {left: p.x - g.r, right: p.x + g.r, top: p.y - g.r, bottom: p.y + g.r};
    });
    var clear = function (b) {
      return b.left >= 0 && b.top >= 0 && b.right <= size.x && b.bottom <= size.y &&
        !boxes.some(function (q) {
          return b.left < q.right && q.left < b.right && b.top < q.bottom && q.top < b.bottom;
        });
    };
    markers.forEach(function (m, i) {
      var el = m.getElement(), label = el && el.querySelector(".ia-sym-n");
      if (!label) { return; }
      var g = groups[i], c = boxes[i], w = label.offsetWidth, h = label.offsetHeight;
      var gap = g.r * 0.25, mid = (c.top + c.bottom) / 2;
      var right = {left: c.right + gap, right: c.right + gap + w, top: mid - h / 2, bottom: mid + h / 2};
      var left = {left: c.left - gap - w, right: c.left - gap, top: right.top, bottom: right.bottom};
      var side = clear(right) ? "right" : clear(left) ? "left" : null;
      label.classList.toggle("ia-left", side === "left");
      label.style.display = side ? "" : "none";
      if (side) { boxes.push(side === "right" ? right : left); }
    });
  }

  function wallPoints(data, opts) {
    var scale = opts.scale || 1;
    var group = L.featureGroup();
    var redraw = function () {
      var map = group._map;
      if (!map) { return; }
      group.clearLayers();
      var groups = mergeSymbols(map, data.features, scale);
      var markers = groups.map(function (g) { return wallSymbol(map, g, opts); });
      markers.forEach(function (m, i) {
        group.addLayer(m);
        m.getElement().dataset.n = String(groups[i].n);
      });
      placeLabels(map, markers, groups);
      group.symbols = groups;
    };
    group.on("add", function () {
      group._map.on("moveend resize", redraw);
      redraw();
    });
    group.on("remove", function (e) { e.target._map && e.target._map.off("moveend resize", redraw); });
    group.redraw = redraw;
    return group;
  }

  /* ------------------------------------------------------------------ hexagons */
  Atlas.cells = function (data, opts) {
    var renderer = L.svg({pane: "ia-cells", padding: 0.3});
    var scale = opts.scale || 1;
    return track("cells", L.geoJSON(data, {
      pane: "ia-cells", renderer: renderer,
      style: function (f) {
        var p = f.properties;
        return {fillColor: p.c, fillOpacity: opts.opacity, color: p.h ? opts.ring : opts.stroke,
                weight: (p.h ? 2.5 : 0.7) * scale, opacity: p.h ? 1 : 0.7};
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(f.properties.t, {sticky: true});
        layer.bindPopup(f.properties.t, {maxWidth: 340 * scale});
        Atlas.focusable(layer, textOf(f.properties.t));
      }
    }));
  };

  /* ------------------------------------------------------------------ sites */
  // Diamonds labelled with their incident count. Where two would overlap on screen, the
  // busier one is shown and the other waits for a closer zoom (never two symbols on top).
  Atlas.sites = function (data, opts) {
    var scale = opts.scale || 1;
    var size = 12 * scale;
    var layer = L.geoJSON(data, {
      pointToLayer: function (f, latlng) {
        var n = f.properties.n;
        return L.marker(latlng, {
          keyboard: true, pane: "ia-sites", title: textOf(f.properties.t),
          icon: L.divIcon({
            className: "ia-site" + (n ? "" : " ia-zero"),
            iconSize: [size, size], iconAnchor: [size / 2, size / 2],
            html: '<i class="ia-dia"></i>' +
              (n ? '<span class="ia-site-n">' + n.toLocaleString("en") + "</span>" : "")
          })
        });
      },
      onEachFeature: function (f, marker) {
        marker.bindTooltip(f.properties.t);
        marker.bindPopup(f.properties.p, {maxWidth: 300 * scale});
      }
    });
    // A site takes the box of its diamond and count label; boxes are placed busiest first
    // and a site whose box would overlap one already placed is hidden at this zoom.
    function declutter() {
      var map = layer._map;
      if (!map) { return; }
      var placed = [];
      var markers = layer.getLayers().slice().sort(function (a, b) {
        return b.feature.properties.n - a.feature.properties.n;
      });
      markers.forEach(function (m) {
        var el = m.getElement();
        if (!el) { return; }
        var p = map.latLngToLayerPoint(m.getLatLng());
        var label = el.querySelector(".ia-site-n");
        var box = {left: p.x - size / 2 - 2, right: p.x + size / 2 + 2 +
                     (label ? label.offsetWidth + size * 0.2 : 0),
                   top: p.y - size / 2 - 2, bottom: p.y + size / 2 + 2};
        var clash = placed.some(function (q) {
          return box.left < q.right && q.left < box.right && box.top < q.bottom &&
            q.top < box.bottom;
        });
        el.style.display = clash ? "none" : "";
        el.setAttribute("tabindex", clash ? "-1" : "0");
        if (!clash) { placed.push(box); }
      });
    }
    layer.on("add", function () {
      layer._map.on("zoomend", declutter);
      declutter();
    });
    layer.on("remove", function (e) { e.target._map && e.target._map.off("zoomend", declutter); });
    layer.declutter = declutter;
    return track("sites", layer);
  };

  /* ------------------------------------------------------------------ controls as layers */
  // A control that comes and goes with the feature group it belongs to.
  var ControlLayer = L.Layer.extend({
    initialize: function (control) { this._control = control; },
    onAdd: function (map) { this._control.addTo(map); },
    onRemove: function () { this._control.remove(); }
  });

  Atlas.legend = function (html, opts) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function (map) {
      var div = L.DomUtil.create("div", "ia-legend");
      div.innerHTML = html;
      var details = div.querySelector("details");
      if (details) {
        // Open on a wide map, folded on a phone, until the user chooses; the iframe may be
        // laid out after the legend is made, so the default follows the map's size.
        var byWidth = function () {
          if (Atlas.state.legendOpen === undefined) { details.open = map.getSize().x >= 560; }
        };
        details.open = Atlas.state.legendOpen === undefined ? map.getSize().x >= 560
                                                            : Atlas.state.legendOpen;
        details.querySelector("summary").addEventListener("click", function () {
          setTimeout(function () { Atlas.state.legendOpen = details.open; }, 0);
        });
        map.on("resize", byWidth);
        control.onRemove = function () { map.off("resize", byWidth); };
      }
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    Atlas.state.description = opts.description || "";
    return track("legend", new ControlLayer(control));
  };

  /* ------------------------------------------------------------------ view */
  // Fit the map to the selection once per selection (key): zooming, panning and display
  // options keep the user's view; a new filter shows its incidents.
  // A wall is fitted on every answer and every resize, with room for its largest symbol.
  var FitOnce = L.Layer.extend({
    initialize: function (key, bounds, opts) {
      this._key = key;
      this._bounds = bounds;
      this._wall = Boolean(opts && opts.wall);
    },
    onAdd: function (map) {
      if (this._wall) {
        Atlas.state.fitKey = this._key;
        this._refit = this._fitWall.bind(this, map);
        map.on("resize", this._refit);
        // The frame's height comes from CSS, possibly after the map was made: a container that
        // changes size without the window resizing is news to Leaflet unless told.
        if (window.ResizeObserver) {
          this._observer = new ResizeObserver(function () { map.invalidateSize({pan: false}); });
          this._observer.observe(map.getContainer());
        }
        this._refit();
        return;
      }
      if (Atlas.state.fitKey === this._key) { return; }
      Atlas.state.fitKey = this._key;
      if (!this._bounds) { return; }
      var size = map.getSize();
      var legend = map.getContainer().querySelector(".ia-legend");
      var right = 16;
      // The legend covers only the lower right: half its width keeps the data clear of it
      // without pushing everything to the left.
      if (legend && size.x >= 700) { right = Math.min(legend.offsetWidth / 2 + 20, size.x * 0.3); }
      map.fitBounds(this._bounds, {
        paddingTopLeft: [16, 16], paddingBottomRight: [right, 24], maxZoom: 10, animate: false
      });
    },
    _fitWall: function (map) {
      var pad = Atlas.wallPadding(scaleOf(map)), size = map.getSize();
      // Not laid out yet (a frame before its CSS height): the resize that follows fits it.
      if (!this._bounds || size.x <= 2 * pad || size.y <= 2 * pad) { return; }
      map.fitBounds(this._bounds, {padding: [pad, pad], maxZoom: 10, animate: false});
    },
    onRemove: function (map) {
      if (this._refit) { map.off("resize", this._refit); }
      if (this._observer) { this._observer.disconnect(); }
    }
  });
  Atlas.fit = function (key, bounds, opts) {
    return track("fit", new FitOnce(key, bounds, opts));
  };

  // The incident chosen elsewhere (a table row): ringed, its popup open, and once per choice
  // the map centred on it unless the choice was a click on the map itself.
  Atlas.focus = function (key, latlng, opts) {
    var ring = L.circleMarker(latlng, {
      renderer: L.svg(), radius: 16 * (opts.scale || 1), color: opts.color, weight: 3,
      dashArray: "5 4", fill: true, fillOpacity: 0, interactive: true
    });
    ring.bindPopup(opts.popup, {maxWidth: 320});
    Atlas.focusable(ring, textOf(opts.label));
    ring.on("add", function () {
      if (Atlas.state.focusKey === key) { return; }
      Atlas.state.focusKey = key;
      var map = ring._map;
      if (opts.pan) { map.setView(latlng, Math.max(map.getZoom(), 9), {animate: false}); }
      ring.openPopup();
    });
    return track("focus", ring);
  };

  /* ------------------------------------------------------------------ spatial filters */
  Atlas.outline = function (shapes, opts) {
    var group = L.featureGroup();
    var style = {color: opts.color, weight: 2.5, dashArray: "8 6", fill: false,
                 interactive: false};
    shapes.forEach(function (s) {
      if (s.kind === "circle") { L.circle(s.center, L.extend({radius: s.radius}, style)).addTo(group); }
      else { L.polygon(s.latlngs, style).addTo(group); }
    });
    // A shape drawn with the draw tool has become a filter: its outline is drawn from the
    // filter now, so the editable copy goes.
    group.on("add", function () {
      if (window.drawnItems && window.drawnItems.clearLayers) { window.drawnItems.clearLayers(); }
    });
    return track("outline", group);
  };

  /* ------------------------------------------------------------------ snapshot */
  // A PNG of what is on screen, legend and description line included, drawn in the browser
  // by the vendored html-to-image: nothing leaves the machine.
  var HIDDEN_IN_SNAPSHOT = ["leaflet-control-zoom", "leaflet-draw", "ia-snapshot",
                            "leaflet-control-fullscreen", "leaflet-control-layers"];

  Atlas.snapshot = function (map) {
    var c = map.getContainer();
    var title = document.createElement("div");
    title.className = "ia-snapshot-title";
    title.textContent = Atlas.state.description || "";
    c.appendChild(title);
    var keep = function (node) {
      return !(node.classList && HIDDEN_IN_SNAPSHOT.some(function (k) {
        return node.classList.contains(k);
      }));
    };
    var background = getComputedStyle(c).backgroundColor || "#ffffff";
    return window.htmlToImage.toPng(c, {filter: keep, skipFonts: true, backgroundColor: background})
      .then(function (url) {
        title.remove();
        var a = document.createElement("a");
        a.download = "incident-atlas-map.png";
        a.href = url;
        document.body.appendChild(a);
        a.click();
        a.remove();
        Atlas.state.snapshotBytes = Math.round(url.length * 3 / 4);
        return url;
      }, function (err) {
        title.remove();
        console.warn("snapshot failed:", err);
        throw err;
      });
  };

  Atlas.snapshotControl = function (map) {
    var control = L.control({position: "topleft"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "leaflet-bar ia-snapshot");
      var button = L.DomUtil.create("a", "ia-snapshot-button", div);
      button.href = "#";
      button.setAttribute("role", "button");
      button.title = "Save this view as a PNG (legend and description included)";
      button.setAttribute("aria-label", button.title);
      button.textContent = "PNG";
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.on(button, "click", function (e) {
        L.DomEvent.preventDefault(e);
        Atlas.snapshot(map);
      });
      return div;
    };
    return control.addTo(map);
  };
})();
