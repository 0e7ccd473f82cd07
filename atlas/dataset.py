"""Read geodata/ into a Dataset, checking every file against the contract and every cross-reference.

`load(folder)` never raises for bad data: it returns the Dataset it could read and the Problems it found.
"""
import json
import os
from dataclasses import dataclass, field
from functools import cached_property

from . import checks, dates, schema
from .problems import Problems

MAPS_FILE, SOURCES_FILE = "maps.json", "sources.json"


@dataclass
class Feature:
    """One feature of a layer file, with where it came from."""

    layer: str  # file name without .geojson
    geometry: dict | None
    props: dict
    shape: object = field(default=None, repr=False, compare=False)  # the geometry in shapely, built by the check

    @property
    def id(self):
        return self.props["id"]

    # Read thousands of times per build (every stop, every change sentence); a feature is never edited once loaded.
    @cached_property
    def first_day(self):
        return dates.parse(self.props["start_date"]).isoformat()

    @cached_property
    def last_day(self):
        return dates.parse(self.props["end_date"], last=True).isoformat()


@dataclass
class Dataset:
    """Everything in geodata/: layers of features, the bibliography and the map definitions."""

    folder: str
    layers: dict = field(default_factory=dict)  # layer name -> [Feature]
    sources: dict = field(default_factory=dict)  # key -> source entry
    maps: list = field(default_factory=list)  # map definitions (dicts) in file order
    by_id: dict = field(default_factory=dict)  # feature id -> Feature
    # What could not be read, so that references into it are not reported a second time.
    unreadable: set = field(default_factory=set)  # layer names whose file is not a readable FeatureCollection
    rejected: set = field(default_factory=set)  # ids of features that have errors of their own
    rejected_sources: set = field(default_factory=set)  # keys of sources.json entries with errors of their own

    def display(self, name):
        return os.path.join(self.folder, name)


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def read_json(path, display, problems):
    """Parse one JSON file, reporting encoding and syntax errors with their line. None when unreadable."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as err:
        problems.add(display, message=f"cannot be read: {err.strerror}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        problems.add(display, message=f"line {line}: is not UTF-8 text (byte 0x{raw[err.start]:02x}); "
                                      "save the file as UTF-8")
        return None
    if text.startswith("\ufeff"):
        problems.add(display, message="line 1: starts with a byte-order mark; save as UTF-8 without BOM")
        return None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as err:
        problems.add(display, message=f"the key {err.args[0]!r} appears twice in one object; keep one")
    except json.JSONDecodeError as err:
        problems.add(display, message=f"line {err.lineno}, column {err.colno}: invalid JSON: {err.msg}")
    return None


def load(folder="geodata"):
    """Read and check a geodata folder. Returns (Dataset, Problems)."""
    problems = Problems()
    data = Dataset(folder=folder)
    if not os.path.isdir(folder):
        problems.add(folder, message="is not a folder")
        return data, problems
    names = sorted(os.listdir(folder))
    _load_sources(data, problems)
    for name in names:
        if name.endswith(".geojson"):
            _load_layer(data, name, problems)
        elif name.endswith(".json") and name not in (MAPS_FILE, SOURCES_FILE):
            problems.add(data.display(name), message="is not a layer; layers end in .geojson "
                                                     "(the only .json files are maps.json and sources.json)")
    _check_references(data, problems)
    _load_maps(data, problems)
    if not problems.errors:
        # A feature or file with an error is left out, so its sources would look unused: noise beside the real error.
        _check_unused_sources(data, problems)
    if not data.unreadable:
        checks.territory_problems(data, problems)
        checks.unmapped_features(data, problems)
        checks.arrival_dates(data, problems)
    return data, problems


def _read_member(data, name, member, kind, why, shape, problems):
    """The one top-level member of maps.json or sources.json, or None (with the problem reported)."""
    display = data.display(name)
    path = os.path.join(data.folder, name)
    if not os.path.exists(path):
        problems.add(display, message=f"is missing; {why}")
        return None
    doc = read_json(path, display, problems)
    if doc is None:
        return None
    if not isinstance(doc, dict) or set(doc) != {member} or not isinstance(doc[member], kind):
        problems.add(display, message=f"must be {shape}")
        return None
    return doc[member]


def _load_sources(data, problems):
    display = data.display(SOURCES_FILE)
    entries = _read_member(data, SOURCES_FILE, "sources", dict, "every feature cites its sources from this file",
                           '{"sources": {key: {"title": ..., ...}}}', problems)
    if entries is None:
        return
    for key, entry in entries.items():
        if not schema.ID.match(key):
            problems.add(display, f"source {key}", "", "source keys must be lowercase slugs of a-z, 0-9 and '-'")
            continue
        ok = True
        if not isinstance(entry, dict):
            problems.add(display, f"source {key}", "", "must be an object with title and optional author, year, publisher, url")
            continue
        for name in entry:
            if name not in schema.SOURCE:
                problems.add(display, f"source {key}", name, schema.unknown_key_message(name, schema.SOURCE))
                ok = False
        if not isinstance(entry.get("title"), str) or not entry["title"].strip():
            problems.add(display, f"source {key}", "title", "is missing; every source needs a title")
            ok = False
        if "year" in entry and not (isinstance(entry["year"], int) and 1800 <= entry["year"] <= 2100):
            problems.add(display, f"source {key}", "year", "must be a year as a number, e.g. 1983")
            ok = False
        for name in ("author", "publisher", "note"):
            if name in entry and not (isinstance(entry[name], str) and entry[name].strip()):
                problems.add(display, f"source {key}", name, "must be a non-empty string")
                ok = False
        if "url" in entry:
            message = schema.check_url(entry["url"])
            if message:
                problems.add(display, f"source {key}", "url", message)
                ok = False
        if ok:
            data.sources[key] = entry
        else:
            data.rejected_sources.add(key)


def _load_layer(data, name, problems):
    display = data.display(name)
    doc = read_json(os.path.join(data.folder, name), display, problems)
    layer = name[: -len(".geojson")]
    if doc is None:
        data.unreadable.add(layer)
        return
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"),
                                                                                              list):
        problems.add(display, message='must be a GeoJSON FeatureCollection: {"type": "FeatureCollection", '
                                      '"features": [...]}')
        data.unreadable.add(layer)
        return
    for key in doc:
        if key not in ("type", "features"):
            problems.add(display, message=f"unknown member {key!r}; a layer has only type and features")
    features = data.layers.setdefault(layer, [])
    citable = set(data.sources) | data.rejected_sources  # a citation of a broken source is that source's error
    for index, raw in enumerate(doc["features"]):
        count = len(problems.errors)
        label, geometry = schema.check_feature(raw, index, display, problems, citable)
        if len(problems.errors) > count:
            data.rejected.add(label)
            continue
        feature = Feature(layer, raw["geometry"], raw["properties"], geometry)
        if feature.id in data.by_id:
            other = data.by_id[feature.id]
            problems.add(display, f"feature {label}", "id", f"is also used in {data.display(other.layer + '.geojson')}; "
                                               "ids must be unique across geodata/")
            continue
        data.by_id[feature.id] = feature
        features.append(feature)


def _check_references(data, problems):
    """References between features: place -> place, front -> unit, control.by -> unit."""
    if data.unreadable:
        return  # a reference may point into the unreadable file; the file's own error says what to fix first

    def expect(feature, field, ref, kind):
        if ref in data.rejected:
            return  # the target has errors of its own, reported already
        target = data.by_id.get(ref)
        display = data.display(feature.layer + ".geojson")
        if target is None:
            problems.add(display, f"feature {feature.id}", field,
                         f"refers to {ref!r}, which is no feature in {data.folder}/")
        elif target.props["kind"] != kind:
            problems.add(display, f"feature {feature.id}", field, f"refers to {ref!r}, which is a {target.props['kind']}, "
                                                     f"not a {kind}")

    for feature in data.by_id.values():
        props = feature.props
        if "place" in props:
            expect(feature, "place", props["place"], "place")
        if "front" in props:
            expect(feature, "front", props["front"], "unit")
        for i, entry in enumerate(props.get("control", [])):
            if "by" in entry:
                expect(feature, f"control[{i}].by", entry["by"], "unit")


def _load_maps(data, problems):
    display = data.display(MAPS_FILE)
    specs = _read_member(data, MAPS_FILE, "maps", list, "it lists the maps to build",
                         '{"maps": [{"id": ..., ...}]}', problems)
    if specs is None:
        return
    seen = set()
    for index, spec in enumerate(specs):
        label = spec.get("id") if isinstance(spec, dict) and isinstance(spec.get("id"), str) else f"#{index + 1}"
        if _check_map(spec, label, display, data, problems):
            if label in seen:
                problems.add(display, f"map {label}", "id", "is used by two maps")
                continue
            seen.add(label)
            data.maps.append(spec)


def _bounds_problem(bounds):
    """What is wrong with a map's bounds, its starting view or the view a phase button shows, or None."""
    if not (isinstance(bounds, list) and len(bounds) == 2 and all(
            isinstance(c, list) and len(c) == 2 and all(isinstance(x, (int, float)) for x in c) for c in bounds)):
        return "must be [[south, west], [north, east]]"
    (south, west), (north, east) = bounds
    a = schema.AREA
    if not (a["south"] <= south < north <= a["north"] and a["west"] <= west < east <= a["east"]):
        return f"{bounds} must be [[south, west], [north, east]] inside the atlas area"
    return None


def _check_map(spec, label, display, data, problems):
    where = f"map {label}"
    count = len(problems.errors)

    def report(field, message):
        problems.add(display, where, field, message)

    if not isinstance(spec, dict):
        report("", "must be an object")
        return False
    for key in spec:
        if key not in schema.MAP:
            report(key, schema.unknown_key_message(key, schema.MAP))
    for key, required in schema.MAP.items():
        if required and key not in spec:
            report(key, "is missing")
    if len(problems.errors) > count:
        return False
    if not schema.ID.match(spec["id"]) or spec["id"] == "index":
        report("id", "must be a lowercase slug (and not 'index', which is the gallery page)")
    for key in ("title", "subtitle"):
        if key in spec and not (isinstance(spec[key], str) and spec[key].strip()):
            report(key, "must be a non-empty string")
    days = {}
    for key in ("start_date", "end_date", "open_date"):
        value = spec[key]
        if not (isinstance(value, str) and len(value) == 10):
            report(key, f"{value!r} must be a full day, YYYY-MM-DD")
            continue
        try:
            days[key] = dates.parse(value)
        except dates.DateError as err:
            report(key, str(err))
    if len(days) == 3:
        if days["start_date"] > days["end_date"]:
            report("end_date", "comes before start_date")
        elif not days["start_date"] <= days["open_date"] <= days["end_date"]:
            report("open_date", f"{spec['open_date']} is outside the map's range {spec['start_date']} to "
                                f"{spec['end_date']}")
    if spec["step"] not in ("day", "change"):
        report("step", f"{spec['step']!r} is not one of day, change")
    problem = _bounds_problem(spec["bounds"])
    if problem:
        report("bounds", problem)
    if "view" in spec:
        view_problem = _bounds_problem(spec["view"])
        if view_problem:
            report("view", view_problem)
        elif not problem:
            (south, west), (north, east) = spec["view"]
            (b_south, b_west), (b_north, b_east) = spec["bounds"]
            if not (b_south <= south and b_west <= west and north <= b_north and east <= b_east):
                report("view", f"{spec['view']} must lie inside the map's bounds {spec['bounds']}")
    layers = spec["layers"]
    if not isinstance(layers, list) or not layers:
        report("layers", "must be a non-empty list of layer names")
    else:
        for name in layers:
            if name not in data.layers and name not in data.unreadable:
                known = ", ".join(sorted(data.layers))
                report("layers", f"{name!r} is not a layer in {data.folder}/ (layers: {known})")
    for i, phase in enumerate(spec.get("phases", [])):
        if not (isinstance(phase, dict) and {"label", "event"} <= set(phase) <= {"label", "event", "bounds"}):
            report(f"phases[{i}]", 'must be {"label": ..., "event": <id of an event>, "bounds"?: [[s, w], [n, e]]}')
            continue
        problem = _bounds_problem(phase["bounds"]) if "bounds" in phase else None
        if problem:
            report(f"phases[{i}].bounds", problem)
        event = data.by_id.get(phase["event"])
        if event is None and (data.unreadable or phase["event"] in data.rejected):
            continue
        if event is None or event.props["kind"] not in ("event", "battle"):
            report(f"phases[{i}].event", f"{phase['event']!r} is not the id of an event")
        elif len(days) == 3 and not (days["start_date"].isoformat() <= event.first_day
                                     <= days["end_date"].isoformat()):
            report(f"phases[{i}].event", f"{phase['event']} starts {event.first_day}, outside the map's range")
    if "tick_rank" in spec and spec["tick_rank"] not in (1, 2, 3):
        report("tick_rank", "must be 1, 2 or 3")
    return len(problems.errors) == count


def _check_unused_sources(data, problems):
    cited = set()
    for feature in data.by_id.values():
        cited.update(c["ref"] for c in feature.props["sources"])
        cited.update(f["ref"] for f in feature.props.get("figures", []))
    for key in sorted(set(data.sources) - cited):
        problems.add(data.display(SOURCES_FILE), f"source {key}", "", "is cited by no feature", warning=True)
