"""One map's content -> one self-contained HTML page, built with folium.

folium supplies the element tree, the GeoJson layers and the layer control; our own small elements (written the
way folium's plugins are: a class that collects options plus a template) supply the page, the map setup without
CDN links, and the time atlas around it. The output is a pure function of its inputs: same data, same bytes.
"""
import itertools
import json
import os
import re

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Environment
from folium.utilities import JsCode
from jinja2 import FileSystemLoader

from . import compact, dates, packed
from .assets import page_assets
from .story import GROUPS, TERRITORY_LABEL_PANE, is_battle_map, opening_view, page_digits, pan_limits

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def brace_safe(text):
    """Escape '{' inside the strings of a JSON text as \\u007b.

    branca compiles every rendered piece of a page as a Jinja template once more, so a '{{' or '{#' in a name or
    description would be evaluated or crash the build. Structural JSON braces are never followed by '{', '%' or
    '#', so only the braces inside strings need escaping, and the JSON means exactly the same.
    """
    return _JSON_STRING.sub(lambda m: m.group(0).replace("{", "\\u007b"), text)


def _dumps(obj, **kwargs):
    if isinstance(obj, packed.Packed):  # data sent packed: the page unpacks it where the JSON would have been
        return obj.javascript()
    kwargs.setdefault("sort_keys", True)
    kwargs["separators"] = (",", ":")  # no whitespace: the data is most of a page's bytes
    # Names in Russian, Chinese, Japanese and Korean as UTF-8 (2-3 bytes a character) rather than \uXXXX escapes
    # (6). Jinja's tojson still escapes < > & ' for the <script> element; the two line separators, which older
    # JavaScript engines refuse inside a string literal, stay escaped.
    kwargs["ensure_ascii"] = False
    text = json.dumps(obj, **kwargs).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return brace_safe(text)


# Every template of folium's (GeoJson embeds its data with |tojson) and ours serialises through brace_safe.
folium.GeoJson._template.environment.policies["json.dumps_function"] = _dumps
ENV.policies["json.dumps_function"] = _dumps


class _Text(Element):
    """A rendered piece of the page, kept as it is (branca's Element would compile it as a template again)."""

    def __init__(self, text):
        super().__init__()
        self._text = text

    def render(self, **kwargs):
        return self._text


class _OwnElement(MacroElement):
    """Base of our elements: renders its header/html/script macros into the page without re-parsing them."""

    def render(self, **kwargs):
        figure = self.get_root()
        module = self._template.module
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = getattr(module, part, None)
            if macro is not None:
                target.add_child(_Text(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class AtlasPage(Figure):
    """The HTML document: our template (lang, a zoomable viewport, scripts inside body) around folium's parts."""

    def __init__(self, title, noscript):
        super().__init__()
        self._template = ENV.get_template("page.html")
        self._name = "AtlasPage"
        self.title = title
        self.noscript = noscript
        self.header._children.clear()  # drop branca's http-equiv meta: the template declares the charset


def max_zoom_for(view):
    """How far a map zooms in: a battle map (is_battle_map) to 14, where hills 2 km apart and claim lines a few
    hundred metres apart separate; a regional map to 12, past which its simplified coast would show."""
    return 14 if is_battle_map(view) else 12


class AtlasMap(folium.Map):
    """folium's Map without its CDN assets and zoom lock; panes for a fixed drawing order of the layers."""

    default_js = []
    default_css = []

    def __init__(self, bounds, view, panes):
        (south, west), (north, east) = view
        max_zoom = max_zoom_for(view)
        super().__init__(location=[(south + north) / 2, (west + east) / 2], zoom_start=5, tiles=None,
                         min_zoom=3, max_zoom=max_zoom, control_scale=True)
        self._template = ENV.get_template("map.html")
        self.zoom_start, self.min_zoom, self.max_zoom = 5, 3, max_zoom
        self.max_bounds = pan_limits(bounds)
        self.panes = panes


class PackedGeoJson(folium.GeoJson):
    """folium's GeoJson layer with its data sent packed (packed.Packed): folium's template writes
    geo_json_N_add(atlas.unpack("...", n)) where it would write the GeoJSON, in about a quarter of the bytes."""

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)  # folium checks and normalises the data first
        self.data = packed.Packed(self.data)


class SharedGeoJson(folium.map.Layer, _OwnElement):
    """A polygon layer sent with shared vertices (see compact.py), packed; in the layer menu like any folium
    layer."""

    def __init__(self, collection, name, pane, digits):
        # overlay: a checkbox in the layer menu; folium.map.Layer defaults to a base layer, a radio button that
        # can never be switched off
        super().__init__(name=name, overlay=True)
        self._template = ENV.get_template("shared_layer.html")
        self._name = "SharedGeoJson"
        self.pane = pane
        self.packed = packed.Packed(compact.encode(collection, digits))


class TimeAtlas(_OwnElement):
    """The atlas around the map: inlined assets, the time bar, the panel, sharing; and atlas.init()."""

    def __init__(self, content, config, reading, layers):
        super().__init__()
        self._template = ENV.get_template("app.html")
        self._name = "TimeAtlas"
        self.spec = content.spec
        self.config = config
        self.packed, self.packed_size = packed.pack(config)  # the text needed to open the page: see packed.py
        self.reading, self.reading_size = packed.pack(reading)
        self.legend = content.legend
        self.layers = layers
        self.noscript_css, self.bootstrap, self.packed_assets = page_assets()
        self.open_index = content.config["stops"].index(content.spec["open_date"])
        self.open_readable = dates.readable(content.spec["open_date"])


# What only a feature's popup and the Sources tab show: its note and its citations, the notes on who held a place
# and why from that day, and the bibliography. They are most of a page's text (BENCHMARKS.md, "Bytes") and travel
# apart from the rest, packed on their own, so that the page decodes them when a reader first opens a popup or the
# tab (road-to-war's first popup takes about 140 ms, once) rather than while it opens: LZMA decodes a bit at a time
# (packed.py). Kept together they would pack 10 KB smaller.
READING = ("note", "sources")


def _properties_into_config(content):
    """(layers, config, reading) for the page: every feature's properties join the config, which travels packed
    (packed.py), and the feature keeps only its index there, {"i": n}; atlas.collect puts them back. Its note and
    citations go to `reading` instead ({"notes": [...], "cites": [...]} by the same index, with the bibliography,
    "sources"), and so do the notes of its control entries ({"held": {index: [note or "", ...]}}, only for the
    features that have them), which atlas.configure decodes on first use."""
    props, notes, cites, held, layers = [], [], [], {}, []
    for label, pane, z, collection in content.layers:
        features = []
        for feature in collection["features"]:
            features.append({**feature, "properties": {"i": len(props)}})
            p = feature["properties"]
            kept = {k: v for k, v in p.items() if k not in READING}
            if any("note" in c for c in p.get("control", [])):
                held[len(props)] = [c.get("note", "") for c in p["control"]]
                kept["control"] = [{k: v for k, v in c.items() if k != "note"} for c in p["control"]]
            props.append(kept)
            notes.append(p.get("note", ""))
            cites.append(p.get("sources", []))
        layers.append((label, pane, z, {**collection, "features": features}))
    config = {k: v for k, v in content.config.items() if k != "sources"}
    return layers, {**config, "props": props}, {"notes": notes, "cites": cites, "held": held,
                                                 "sources": content.config["sources"]}


SHARED_VERTEX_GROUPS = {"Territories"}  # the only layer that redraws the same borders many times


def _stable_ids(root):
    """Replace folium's random element ids by counters, so the same map renders to the same bytes."""
    counter = itertools.count()

    def walk(element):
        element._id = f"{next(counter):04d}"
        for child in element._children.values():
            walk(child)
    walk(root)


def render(content, land, noscript_html):
    """HTML of one map page."""
    spec = content.spec
    page = AtlasPage(spec["title"], noscript_html)
    panes = sorted({(pane, z) for _label, _kinds, pane, z in GROUPS} | {("atlas-land", 200), TERRITORY_LABEL_PANE},
                   key=lambda p: p[1])
    atlas_map = AtlasMap(spec["bounds"], opening_view(spec), panes)
    page.add_child(atlas_map)
    PackedGeoJson(land, name="Land", control=False, interactive=False, pane="atlas-land",
                   style=JsCode('function () { return {stroke: true, color: "#b9ad95", weight: 0.6, '
                                'fillColor: "#f3efe4", fillOpacity: 1}; }')).add_to(atlas_map)
    layers = []
    page_layers, config, reading = _properties_into_config(content)
    for label, pane, _z, collection in page_layers:
        if label in SHARED_VERTEX_GROUPS:
            layer = SharedGeoJson(collection, label, pane, page_digits(spec))
        else:
            layer = PackedGeoJson(collection, name=label, pane=pane, style=JsCode("atlas.style"),
                                   pointToLayer=JsCode("atlas.pointToLayer"), filter=JsCode("atlas.collect"),
                                   on_each_feature=JsCode("atlas.onEachFeature"))
        layer.add_to(atlas_map)
        layers.append(layer)
    folium.LayerControl(collapsed=True, position="topright").add_to(atlas_map)
    TimeAtlas(content, config, reading, layers).add_to(atlas_map)
    _stable_ids(page)
    return without_indentation(page.render())


def without_indentation(html):
    """The page less the indentation and blank lines of folium's and our templates (some 3.5 KB a page). Safe here:
    the page has no <pre>, its one <textarea> is empty, and its scripts have no template literal, so no line's
    leading white space means anything; line breaks stay, so no script's statements run together."""
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)  # the data in them is base 85: no `
    if re.search(r"<pre\b|<textarea[^>]*>[^<]", html) or any("`" in script for script in scripts):
        raise ValueError("the page has text whose white space matters; without_indentation would change it")
    lines = (line.strip(" \t") for line in html.split("\n"))
    return "\n".join(line for line in lines if line) + "\n"
