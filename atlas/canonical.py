"""The canonical layout of the files in geodata/, so that an edit to one feature is a one-line diff.

Layers: one feature per line, keys in the schema's order, coordinates rounded to PRECISION decimals (about 10 m),
polygon rings wound the RFC 7946 way, UTF-8 without escapes, a final newline. sources.json: one source per line,
sorted by key. maps.json: indented, keys in the schema's order. Formatting twice changes nothing.
"""
import json

import shapely
from shapely.geometry import mapping, shape

from . import schema

PRECISION = 4


def _number(value):
    """A coordinate as the shortest text with at most PRECISION decimals: 125.3235, 41, -0.5."""
    text = f"{round(value, PRECISION):.{PRECISION}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _coords(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(value)
    return "[" + ",".join(_coords(v) for v in value) + "]"


def _ordered(obj, order):
    """The object with keys in `order` first (as listed), then any others in sorted order (the check rejects those)."""
    keys = [k for k in order if k in obj] + sorted(k for k in obj if k not in order)
    return {k: obj[k] for k in keys}


def _properties(props):
    props = _ordered(props, list(schema.PROPERTIES))
    if isinstance(props.get("names"), dict):
        props["names"] = _ordered(props["names"], list(schema.LANGS))
    for key, order in (("sources", schema.CITATION), ("figures", schema.FIGURE), ("control", schema.CONTROL)):
        if isinstance(props.get(key), list):
            props[key] = [_ordered(item, list(order)) if isinstance(item, dict) else item for item in props[key]]
    return props


def _rewound(geometry):
    """Polygons wound the RFC 7946 way (exterior counter-clockwise, holes clockwise); other geometry as it is."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return geometry
    try:
        oriented = shapely.orient_polygons(shape(geometry))
    except Exception:  # noqa: BLE001 - malformed geometry is the validator's business; leave it untouched
        return geometry
    return {"type": geometry["type"], "coordinates": json.loads(json.dumps(mapping(oriented)["coordinates"]))}


def _dump(value):
    # Readable UTF-8, except the characters some editors take for line breaks: one feature stays one line.
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text.replace("\u0085", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _feature_line(feature):
    if not isinstance(feature, dict):
        return _dump(feature)
    parts = []
    for key in ["type", "properties", "geometry"] + sorted(k for k in feature if k not in ("type", "properties",
                                                                                           "geometry")):
        if key not in feature:
            continue
        value = feature[key]
        if key == "properties" and isinstance(value, dict):
            text = _dump(_properties(value))
        elif key == "geometry" and isinstance(value, dict) and "coordinates" in value:
            value = _rewound(value)
            text = '{"type": ' + _dump(value.get("type")) + ', "coordinates": ' + _coords(value["coordinates"]) + "}"
        else:
            text = _dump(value)
        parts.append(f"{_dump(key)}: {text}")
    return "{" + ", ".join(parts) + "}"


def layer(doc):
    """Canonical text of a layer (a FeatureCollection dict)."""
    lines = [_feature_line(f) for f in doc.get("features", [])]
    body = ",\n".join(lines)
    return '{"type": "FeatureCollection", "features": [\n' + body + ("\n" if lines else "") + "]}\n"


def sources(doc):
    """Canonical text of sources.json."""
    entries = doc.get("sources", {})
    lines = [f"  {_dump(key)}: {_dump(_ordered(entry, list(schema.SOURCE)) if isinstance(entry, dict) else entry)}"
             for key, entry in sorted(entries.items())]
    return '{"sources": {\n' + ",\n".join(lines) + ("\n" if lines else "") + "}}\n"


def maps(doc):
    """Canonical text of maps.json."""
    ordered = {"maps": [_ordered(m, list(schema.MAP)) if isinstance(m, dict) else m for m in doc.get("maps", [])]}
    return json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"


def text_for(name, doc):
    """Canonical text of a geodata/ file given its name and parsed content."""
    if name == "sources.json":
        return sources(doc)
    if name == "maps.json":
        return maps(doc)
    return layer(doc)
