"""The August Storm content made "the common way", for comparison: folium maps with a time plugin, made offline.

Run by bench/run.py as `python bench/common_way.py OUT_DIR MAP_ID` with PYTHONPATH pointing at a temporary
`pip install --target` folder of folium-offline (package `offlinefolium`, a copy of folium 0.20 that inlines every
CDN asset it references into the page). Never imported into the project; nothing is installed into its venv.

Two pages, both with the same features (atlas.story.map_content) and the same base map (atlas.basemap.land) as ours:
* common-timestamped.html: folium.plugins.TimestampedGeoJson (Leaflet.TimeDimension, jQuery, jQuery UI, moment,
  iso8601), each feature with a `times` list as its docstring asks (one time per position of a LineString: an advance's
  point_dates; the start day for anything else), defaults otherwise (duration=None: a feature stays once shown).
* common-timeline.html: folium.plugins.Timeline + TimelineSlider (leaflet.timeline, moment), each feature with
  `start`/`end` properties (its first and last day): the same show-between-two-days rule as ours.
Popups carry the name, dates and description as HTML; styles are a colour per kind. Prints JSON on stdout.
"""
import datetime
import html
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

KIND_COLORS = {"axis": "#d55e00", "front-line": "#333333", "border": "#222222", "claim": "#777777",
               "railway": "#3b3b3b", "river": "#4a90c8", "area": "#555555", "battle": "#b2182b", "event": "#b2182b",
               "place": "#6b6b6b", "unit": "#444444"}
SIDE_COLORS = {"russian": "#e8b9b0", "soviet": "#e49a8f", "mongolian": "#9cc3e0", "japanese": "#f2dc8d",
               "manchukuo": "#d8c7a6", "chinese": "#b9d9a6", "korean": "#cdb5dc", "allied": "#cccccc"}


def epoch_ms(day):
    return (datetime.date.fromisoformat(day) - datetime.date(1970, 1, 1)).days * 86400000


def style_of(p):
    if p["kind"] == "territory":
        return {"color": "#5b5b5b", "weight": 1, "fillColor": SIDE_COLORS.get(p.get("side"), "#cccccc"),
                "fillOpacity": 0.55}
    color = KIND_COLORS.get(p["kind"], "#555555")
    return {"color": color, "weight": 4 if p["kind"] == "axis" else 2, "fillColor": color, "fillOpacity": 0.2}


def popup_of(p):
    from atlas import dates
    parts = [f"<b>{html.escape(p['name'])}</b>", html.escape(dates.readable_range(p["s"], p["e"]))]
    if p.get("description"):
        parts.append(html.escape(p["description"]))
    return "<br>".join(parts)


def features_of(content):
    for _label, _pane, _z, collection in content.layers:
        for feature in collection["features"]:
            yield feature


def times_of(feature):
    p, geometry = feature["properties"], feature["geometry"]
    if geometry["type"] == "LineString" and "pd" in p:
        return list(p["pd"])
    if geometry["type"] == "Point":
        return [p["s"]]
    return [p["s"]] * len(geometry["coordinates"])


def main(out, map_id):
    clock = time.perf_counter
    started = clock()
    import offlinefolium
    from offlinefolium import plugins
    from offlinefolium.utilities import JsCode

    from atlas import basemap, dataset, story
    imported = clock() - started

    data, problems = dataset.load(os.path.join(ROOT, "geodata"))
    spec = next(m for m in data.maps if m["id"] == map_id)
    content = story.map_content(data, spec)
    land = basemap.land(spec["bounds"], surround=True)
    (south, west), (north, east) = spec["bounds"]
    features = list(features_of(content))
    results = {"features": len(features), "import_seconds": imported, "pages": {}}

    def new_map():
        m = offlinefolium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=5, tiles=None)
        offlinefolium.GeoJson(land, name="Land", style_function=lambda _f: {
            "stroke": True, "color": "#b9ad95", "weight": 0.6, "fillColor": "#f3efe4", "fillOpacity": 1}).add_to(m)
        m.fit_bounds(spec["bounds"])
        return m

    # 1. TimestampedGeoJson
    t = clock()
    m = new_map()
    stamped = []
    for f in features:
        p = f["properties"]
        props = {"name": p["name"], "kind": p["kind"], "times": times_of(f), "popup": popup_of(p),
                 "style": style_of(p)}
        if f["geometry"]["type"] == "Point":
            props["icon"] = "circle"
            props["iconstyle"] = {"radius": 6, "color": "#ffffff", "weight": 2,
                                  "fillColor": KIND_COLORS.get(p["kind"], "#555555"), "fillOpacity": 1}
        stamped.append({"type": "Feature", "geometry": f["geometry"], "properties": props})
    plugins.TimestampedGeoJson({"type": "FeatureCollection", "features": stamped}, period="P1D", auto_play=False,
                               add_last_point=False, date_options="YYYY-MM-DD").add_to(m)
    path = os.path.join(out, "common-timestamped.html")
    m.save(path)
    results["pages"]["timestamped"] = {"path": path, "build_seconds": clock() - t}

    # 2. Timeline + TimelineSlider
    t = clock()
    m = new_map()
    timed = []
    for f in features:
        p = f["properties"]
        timed.append({"type": "Feature", "geometry": f["geometry"], "properties": {
            "name": p["name"], "kind": p["kind"], "start": p["s"], "end": p["e"], "popup": popup_of(p),
            "style": style_of(p)}})
    timeline = plugins.Timeline(
        {"type": "FeatureCollection", "features": timed},
        style=JsCode("function (feature) { return feature.properties.style; }"),
        pointToLayer=JsCode("function (feature, latlng) { var s = feature.properties.style; return "
                            "L.circleMarker(latlng, {radius: 6, color: '#ffffff', weight: 2, fillColor: s.color, "
                            "fillOpacity: 1}); }"),
        onEachFeature=JsCode("function (feature, layer) { layer.bindPopup(feature.properties.popup); }"),
    ).add_to(m)
    slider = plugins.TimelineSlider(auto_play=False, start=epoch_ms(spec["start_date"]),
                                    end=epoch_ms(spec["end_date"]), date_options="YYYY-MM-DD").add_to(m)
    slider.add_timelines(timeline)
    path = os.path.join(out, "common-timeline.html")
    m.save(path)
    results["pages"]["timeline"] = {"path": path, "build_seconds": clock() - t}
    results["total_seconds"] = clock() - started
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "august-storm"))
