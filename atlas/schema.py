"""The data contract of geodata/, as code. geodata/README.md documents the same fields; a test keeps them in step.

Each check takes the parsed JSON of one file and reports into a Problems list; nothing here reads files.
"""
import difflib
import math
import re

import numpy
import shapely

from . import dates
from .problems import Problems

AREA = {"west": 95.0, "east": 165.0, "south": 28.0, "north": 62.0}
FIRST_DAY, LAST_DAY = "1890-01-01", "1950-12-31"
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SIDES = ("soviet", "mongolian", "japanese", "manchukuo", "chinese", "korean", "allied", "russian")
LANGS = ("ru", "ja", "zh", "ko", "mn")
PRECISIONS = ("exact", "approximate", "disputed", "schematic")
CERTAINTIES = ("exact", "approximate")

POLY, LINE, POINT = ("Polygon", "MultiPolygon"), ("LineString", "MultiLineString"), ("Point",)
# kind -> geometry types allowed; None in the tuple means the feature may have no geometry.
KINDS = {
    "territory": POLY,
    "area": POLY,
    "border": LINE,
    "claim": LINE,
    "front-line": LINE,
    "axis": ("LineString",),
    "unit": POINT + (None,),
    "place": POINT,
    "battle": POINT + POLY + (None,),
    "event": POINT + (None,),
    "railway": LINE,
    "river": LINE,
}


def _text(value):
    return isinstance(value, str) and value.strip() != ""


# field -> (required, check returning an error message or None). Order here is the canonical key order.
def _check_id(v):
    return None if isinstance(v, str) and ID.match(v) else "must be a lowercase slug of a-z, 0-9 and '-', e.g. \"hsinking\""


def _check_text(v):
    return None if _text(v) else "must be a non-empty string"


def _check_names(v):
    if not isinstance(v, dict) or not v:
        return f"must be an object with keys among {', '.join(LANGS)}"
    bad = [k for k in v if k not in LANGS]
    if bad:
        return f"unknown language {bad[0]!r}; expected one of {', '.join(LANGS)}"
    if not all(_text(x) for x in v.values()):
        return "every name must be a non-empty string"
    return None


def _check_enum(values):
    def check(v):
        return None if v in values else f"{v!r} is not one of {', '.join(values)}"
    return check


def _check_date(v):
    try:
        first = dates.parse(v)
    except dates.DateError as err:
        return str(err)
    if not FIRST_DAY <= first.isoformat() <= LAST_DAY:
        return f"{v!r} is outside the atlas's years ({FIRST_DAY[:4]}-{LAST_DAY[:4]})"
    return None


def _check_description(v):
    if not _text(v):
        return "must be a non-empty string"
    return None if len(v) <= 600 else f"is {len(v)} characters; keep it to 600"


def _check_rank(v):
    return None if v in (1, 2, 3) and not isinstance(v, bool) else "must be 1, 2 or 3"


def _check_list(v):
    return None if isinstance(v, list) and v else "must be a non-empty list"


PROPERTIES = {
    "id": (True, _check_id),
    "name": (True, _check_text),
    "name_modern": (False, _check_text),
    "names": (False, _check_names),
    "label": (False, _check_text),
    "kind": (True, _check_enum(tuple(KINDS))),
    "category": (False, _check_text),
    "side": (False, _check_enum(SIDES)),
    "front": (False, _check_id),
    "commander": (False, _check_text),
    "start_date": (True, _check_date),
    "end_date": (True, _check_date),
    "date_certainty": (False, _check_enum(CERTAINTIES)),
    "point_dates": (False, _check_list),
    "precision": (False, _check_enum(PRECISIONS)),
    "place": (False, _check_id),
    "location": (False, _check_text),
    "rank": (False, _check_rank),
    "description": (False, _check_description),
    "note": (False, _check_text),
    "control": (False, _check_list),
    "period_names": (False, _check_list),
    "figures": (False, _check_list),
    "sources": (True, _check_list),
}
CITATION = {"ref": True, "pages": False, "note": False}
FIGURE = {"label": True, "value": True, "ref": True, "pages": False, "note": False}
CONTROL = {"side": True, "start_date": True, "by": False, "note": False}
PERIOD_NAME = {"name": True, "start_date": True}
SOURCE = {"title": True, "author": False, "year": False, "publisher": False, "url": False, "note": False}
MAP = {
    "id": True, "title": True, "subtitle": False, "start_date": True, "end_date": True, "open_date": True,
    "step": True, "bounds": True, "view": False, "layers": True, "phases": False, "tick_rank": False,
}


def unknown_key_message(key, allowed):
    """'unknown field; expected one of ...' with a suggestion for a likely typo."""
    close = difflib.get_close_matches(key, list(allowed), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown field{hint}; allowed fields are {', '.join(allowed)}"


def feature_label(feature, index):
    """How errors name a feature: its id when it has a usable one, else its position."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    fid = props.get("id") if isinstance(props, dict) else None
    return fid if isinstance(fid, str) and ID.match(fid) else f"#{index + 1}"


def _check_object(obj, spec, report, field):
    """Check a small nested object (citation, figure, control entry) against its field spec."""
    if not isinstance(obj, dict):
        report(field, f"must be an object with fields {', '.join(spec)}")
        return False
    ok = True
    for key in obj:
        if key not in spec:
            report(f"{field}.{key}", unknown_key_message(key, spec))
            ok = False
    for key, required in spec.items():
        if required and key not in obj:
            report(field, f"missing {key!r}")
            ok = False
        elif key in obj and not _text(obj[key]):
            report(f"{field}.{key}", "must be a non-empty string")
            ok = False
    return ok


def check_url(url):
    """None if url is an http(s) link, else what is wrong."""
    return None if isinstance(url, str) and re.match(r"^https?://[^\s<>\"]+$", url) else \
        f"{url!r} is not an http:// or https:// link"


def check_feature(feature, index, path, report_problems: Problems, source_keys):
    """Check one feature on its own (cross-feature checks live in checks.py). Returns its label and its geometry as
    shapely built it to check it (None where it could not), so later checks need not build it again."""
    label = feature_label(feature, index)

    def report(field, message, warning=False):
        report_problems.add(path, f"feature {label}", field, message, warning)

    if not isinstance(feature, dict):
        report("", "must be a GeoJSON Feature object")
        return label, None
    for key in feature:
        if key not in ("type", "geometry", "properties"):
            report(key, "unknown member; a feature has only type, geometry and properties (put the id in properties)")
    if feature.get("type") != "Feature":
        report("type", f"is {feature.get('type')!r}; expected \"Feature\"")
    props = feature.get("properties")
    if not isinstance(props, dict):
        report("properties", "must be an object")
        return label, None

    for key in props:
        if key not in PROPERTIES:
            report(key, unknown_key_message(key, PROPERTIES))
    bad = set()
    for key, (required, check) in PROPERTIES.items():
        if key not in props:
            if required:
                report(key, "is missing; every feature needs " + ", ".join(k for k, (r, _) in PROPERTIES.items() if r))
                bad.add(key)
            continue
        message = check(props[key])
        if message:
            report(key, message)
            bad.add(key)

    if "name_modern" in props and not bad & {"name", "name_modern"} and props["name_modern"] == props["name"]:
        # name_modern is shown as "Period / Modern": the same word twice would claim a change of name that never was.
        report("name_modern", f"repeats name {props['name']!r}; give name_modern only where today's name differs")
        bad.add("name_modern")

    if not bad & {"start_date", "end_date"} and "start_date" in props:
        if dates.parse(props["start_date"]) > dates.parse(props["end_date"], last=True):
            report("end_date", f"{props['end_date']} is before start_date {props['start_date']}; "
                               "end_date is the last day shown and must not come before start_date")
            bad.add("end_date")

    if "sources" not in bad:
        for i, cite in enumerate(props["sources"]):
            if _check_object(cite, CITATION, report, f"sources[{i}]") and cite["ref"] not in source_keys:
                report(f"sources[{i}].ref", f"{cite['ref']!r} is not a key of sources.json")
    if "figures" in props and "figures" not in bad:
        for i, fig in enumerate(props["figures"]):
            if _check_object(fig, FIGURE, report, f"figures[{i}]") and fig["ref"] not in source_keys:
                report(f"figures[{i}].ref", f"{fig['ref']!r} is not a key of sources.json")
    if "control" in props and "control" not in bad:
        previous = None
        for i, entry in enumerate(props["control"]):
            if not _check_object(entry, CONTROL, report, f"control[{i}]"):
                continue
            if entry["side"] not in SIDES:
                report(f"control[{i}].side", f"{entry['side']!r} is not one of {', '.join(SIDES)}")
            message = _check_date(entry["start_date"])
            if message:
                report(f"control[{i}].start_date", message)
                continue
            day = dates.parse(entry["start_date"])
            if previous and day < previous:
                report(f"control[{i}].start_date", f"{entry['start_date']} comes before the entry above it; "
                                                   "list control changes in date order")
            previous = day

    if "period_names" in props and "period_names" not in bad:
        previous = None
        for i, entry in enumerate(props["period_names"]):
            if not _check_object(entry, PERIOD_NAME, report, f"period_names[{i}]"):
                continue
            problems = [(key, check(entry[key])) for key, check in (("name", _check_text), ("start_date", _check_date))]
            for key, message in problems:
                if message:
                    report(f"period_names[{i}].{key}", message)
            if any(message for _key, message in problems):
                continue
            day = dates.parse(entry["start_date"])
            if previous and day <= previous:
                report(f"period_names[{i}].start_date", f"{entry['start_date']} does not come after the entry "
                                                        "above it; list the names in date order")
            previous = day
        last = props["period_names"][-1]
        if previous and "name" in props and last.get("name") != props["name"]:
            report("period_names", f"the last name, {last.get('name')!r}, must be the feature's name "
                                   f"{props['name']!r} (the name it had last)")
        if "control" not in bad:
            _check_renaming_order(props, report)

    kind = props.get("kind") if "kind" not in bad else None
    return label, _check_geometry(feature.get("geometry"), kind, props, report, bad)


def _check_renaming_order(props, report):
    """A renaming known only to the year (or month) must not span a change of hands: the map shows a partial date
    from its first day, so "Kanko, 1910" would name Hamhung in Japanese eight months before the annexation that
    brought the name. The editor has to say which came first, with a more precise date, or, where no source tells,
    say so in the note (naming the new name and the date as written)."""
    changes = [(j, c["start_date"]) for j, c in enumerate(props.get("control", [])[1:], 1)
               if isinstance(c, dict) and isinstance(c.get("start_date"), str) and not _check_date(c["start_date"])]
    for i, entry in enumerate(props["period_names"][1:], 1):
        when = entry.get("start_date") if isinstance(entry, dict) else None
        if not isinstance(when, str) or _check_date(when) or dates.precision(when) == "day":
            continue
        first, last = dates.parse(when), dates.parse(when, last=True)
        note = props.get("note") if isinstance(props.get("note"), str) else ""
        if str(entry.get("name")) in note and when in note:
            continue
        for j, changed in changes:
            if first < dates.parse(changed) <= last:
                report(f"period_names[{i}].start_date",
                       f"{when} is known only to the {dates.precision(when)}, and control[{j}] changes hands within "
                       f"it ({changed}); give the month or day, so the map does not show {entry.get('name')!r} "
                       f"before the change that brought it, or say in the note which came first (naming "
                       f"{entry.get('name')} and {when})")
                break


def _positions(coords, depth):
    """Yield the [lon, lat] positions of a coordinates array nested `depth` levels."""
    if depth == 0:
        yield coords
    else:
        for part in coords:
            yield from _positions(part, depth - 1)


_DEPTH = {"Point": 0, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


_NUMBER = (int, float)  # type(), not isinstance(): JSON gives int, float or bool, and a bool is no coordinate


def _position_ok(position):
    return (type(position) is list and len(position) == 2
            and type(position[0]) in _NUMBER and type(position[1]) in _NUMBER
            and math.isfinite(position[0]) and math.isfinite(position[1]))


def _structure_ok(coords, depth):
    if depth == 0:
        return _position_ok(coords)
    if type(coords) is not list or not coords:
        return False
    if depth == 1:  # the hot loop: every position of every line and ring
        return all(map(_position_ok, coords))
    return all(_structure_ok(c, depth - 1) for c in coords)


def _check_geometry(geom, kind, props, report, bad):
    allowed = KINDS.get(kind)
    if geom is None:
        if allowed is not None and None not in allowed:
            report("geometry", f"is null; a {kind} needs a {' or '.join(allowed)}")
        elif kind == "event" and not (props.get("place") or props.get("location")):
            report("geometry", "is null; an event without geometry needs a place (id of a place) or a location (text)")
        return
    if not isinstance(geom, dict) or set(geom) != {"type", "coordinates"}:
        report("geometry", "must be an object with exactly type and coordinates (or null)")
        return
    gtype = geom["type"]
    if gtype not in _DEPTH:
        report("geometry.type", f"{gtype!r} is not supported; use Point, LineString, MultiLineString, Polygon "
                                "or MultiPolygon")
        return
    if allowed is not None and gtype not in allowed:
        report("geometry.type", f"{gtype} does not fit kind {kind}; expected {' or '.join(t for t in allowed if t)}")
    if props.get("place") and kind in ("event", "battle", "unit"):
        report("geometry", "has a place and a geometry; give one of them (the place's point is used when geometry "
                           "is null)")
    coords = geom["coordinates"]
    depth = _DEPTH[gtype]
    if not _structure_ok(coords, depth):
        report("geometry.coordinates", f"are not a valid {gtype}: expected "
                                       f"{'[' * (depth + 1)}lon, lat{']' * (depth + 1)} with two numbers per position")
        return
    points = _arrays(coords, depth)
    everything = _all_positions(points, depth)
    if (everything[..., 0].min() < AREA["west"] or everything[..., 0].max() > AREA["east"]
            or everything[..., 1].min() < AREA["south"] or everything[..., 1].max() > AREA["north"]):
        _report_outside(coords, depth, report)
        return
    if gtype in ("Polygon", "MultiPolygon"):
        polygons = [coords] if gtype == "Polygon" else coords
        if any(len(ring) < 4 or ring[0] != ring[-1] for polygon in polygons for ring in polygon):
            report("geometry.coordinates", "a polygon ring must be closed (first position repeated last) "
                                           "and have at least 4 positions")
            return
    if gtype in ("LineString", "MultiLineString"):
        lines = [coords] if gtype == "LineString" else coords
        if any(len(line) < 2 for line in lines):
            report("geometry.coordinates", "a line needs at least 2 positions")
            return
    geometry = _geometry(gtype, points)
    if gtype in ("Polygon", "MultiPolygon"):
        # the winding of every ring of the shape just built, at once: each polygon's exterior first, then its holes
        rings, owner = shapely.get_rings(shapely.get_parts(geometry), return_index=True)
        exterior = numpy.ones(len(owner), dtype=bool)
        exterior[1:] = owner[1:] != owner[:-1]
        wrong = numpy.flatnonzero(shapely.is_ccw(rings) != exterior)
        if len(wrong):
            which, want = ("exterior ring", "counter-clockwise") if exterior[wrong[0]] else ("hole", "clockwise")
            report("geometry.coordinates", f"{which} is wound the wrong way; RFC 7946 wants it {want} "
                                           "(python build.py --format rewinds it)")
            return
    if not geometry.is_valid:
        report("geometry", f"is not a valid {gtype}: {shapely.is_valid_reason(geometry)}")
    if kind == "axis" and gtype == "LineString" and "point_dates" not in bad:
        _check_point_dates(props, len(coords), report)
    elif "point_dates" in props and kind != "axis":
        report("point_dates", "only an axis has point_dates")
    return geometry


def _arrays(coords, depth):
    """The positions of a well-formed coordinates array as numpy arrays: one (n, 2) array per line or ring, nested
    as the GeoJSON nests them (a Point gives one (2,) array). Built once, they serve the area check and shapely."""
    if depth <= 1:
        return numpy.asarray(coords, dtype=float)
    if depth == 2:
        return [numpy.asarray(part, dtype=float) for part in coords]
    return [_arrays(part, depth - 1) for part in coords]


def _all_positions(points, depth):
    """_arrays' output as one (n, 2) array."""
    if depth <= 1:
        return points.reshape(-1, 2)
    if depth == 2:
        return numpy.concatenate(points)
    return numpy.concatenate([ring for polygon in points for ring in polygon])


def _geometry(gtype, points):
    """The shapely geometry of _arrays' output, built from the arrays in C rather than position by position."""
    if gtype == "Point":
        return shapely.points(points)
    if gtype == "LineString":
        return shapely.linestrings(points)
    if gtype == "MultiLineString":
        return shapely.multilinestrings([shapely.linestrings(line) for line in points])
    polygons = [points] if gtype == "Polygon" else points
    # Holes as rings, not as one array: numpy cannot stack holes of different lengths into one.
    built = [shapely.polygons(rings[0], holes=[shapely.linearrings(hole) for hole in rings[1:]] or None)
             for rings in polygons]
    return built[0] if gtype == "Polygon" else shapely.multipolygons(built)


def _report_outside(coords, depth, report):
    """Name the first position outside the atlas area (rare: the fast check above only says that there is one)."""
    for lon, lat in _positions(coords, depth):
        if not (AREA["west"] <= lon <= AREA["east"] and AREA["south"] <= lat <= AREA["north"]):
            hint = " (latitude and longitude swapped?)" if (AREA["west"] <= lat <= AREA["east"]
                                                            and AREA["south"] <= lon <= AREA["north"]) else ""
            report("geometry.coordinates", f"[{lon}, {lat}] is outside the atlas area (longitude "
                                           f"{AREA['west']:g} to {AREA['east']:g}, latitude {AREA['south']:g} to "
                                           f"{AREA['north']:g}){hint}; coordinates are [longitude, latitude]")
            return


def _check_point_dates(props, count, report):
    point_dates = props.get("point_dates")
    if point_dates is None:
        report("point_dates", f"is missing; an axis needs one date per vertex ({count} here)")
        return
    if len(point_dates) != count:
        report("point_dates", f"has {len(point_dates)} dates for {count} vertices; give one date per vertex")
        return
    for i in (0, len(point_dates) - 1):
        if point_dates[i] is None:
            report(f"point_dates[{i}]", "is null; only a vertex on the way may be null (a route vertex whose day no "
                                        "source gives), the first and the last need a date")
            return
    previous = None
    for i, day in enumerate(point_dates):
        if day is None:
            continue
        message = _check_date(day)
        if message:
            report(f"point_dates[{i}]", message)
            return
        first = dates.parse(day)
        if previous and first < previous:
            before = next(d for d in reversed(point_dates[:i]) if d is not None)
            report(f"point_dates[{i}]", f"{day} comes before the date of the vertex before it ({before}); "
                                        "the dates along an axis must never go backwards")
            return
        previous = first
    try:
        start, end = dates.parse(props["start_date"]), dates.parse(props["end_date"], last=True)
    except (dates.DateError, KeyError, TypeError):
        return
    if dates.parse(point_dates[0]) < start or dates.parse(point_dates[-1], last=True) > end:
        report("point_dates", f"run from {point_dates[0]} to {point_dates[-1]}, outside the feature's dates "
                              f"({props['start_date']} to {props['end_date']})")
