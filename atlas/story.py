"""What one map holds, derived from the data and its entry in maps.json: features, slider stops, phases, ticks,
the event list, the sentence that says what changed at each stop, the sources, the palette and the legend.

Pure functions of (Dataset, map spec): no files, no folium. page.py turns the result into HTML.
"""
import bisect
import functools
import itertools
import math
import re
from dataclasses import dataclass, field

import numpy as np
import shapely

from . import basemap, dates
from .schema import AREA

# "russian" is Russia that is not Soviet: the Empire to 1917, then the local authorities that kept the Provisional
# Government's order where Soviet power had not come (zemstvos, city dumas, commissars), then the White governments
# of 1918-1922.
SIDE_LABELS = {
    "russian": "the Whites", "soviet": "Soviet Union", "mongolian": "Mongolia", "japanese": "Japan",
    "manchukuo": "Manchukuo", "chinese": "China", "korean": "Korea", "allied": "Allied powers",
}
# What a side was called before a day, where its name changed within the atlas's years (so that Chita does not fall
# to the "Soviet Union" in 1920): [(first day of the next name, earlier name)], oldest first.
SIDE_EARLIER_LABELS = {
    # the Bolshevik seizure of power; Semyonov's return to Transbaikalia on 5 Apr 1918, the first White army to
    # hold ground on the map (Gamov's rising at Blagoveshchensk in March 1918 was made with the city duma and zemstvo)
    "russian": [("1917-11-07", "Russia"), ("1918-04-05", "Russia (local authorities)")],
    "soviet": [("1922-12-30", "Soviet Russia")],  # the Treaty on the Creation of the USSR
}


def side_label(side, day):
    """What the side was called on this day (ISO date)."""
    for until, label in SIDE_EARLIER_LABELS.get(side, []):
        if day < until:
            return label
    return SIDE_LABELS[side]


def side_labels_between(side, first, last):
    """The side's names in use from day first to day last, joined: 'Soviet Russia / Soviet Union'."""
    names, since = [], ""
    for until, label in SIDE_EARLIER_LABELS.get(side, []) + [("9999-12-31", SIDE_LABELS[side])]:
        if since <= last and first < until:
            names.append(label)
        since = until
    return " / ".join(names)


# Territory fills: every pair that can share a map differs by Delta E >= 14 under simulated protan, deutan and
# tritan vision (tests/test_colours.py; chosen by a search over pale hues of each side's usual colour family). The
# Empire and the Whites (russian) share days with Soviet Russia from 1918 and take a darker rose: no pale colour
# stays 14 apart from the Soviet salmon and all the others.
SIDE_COLORS = {
    "russian": "#b06c72", "soviet": "#e49a8f", "mongolian": "#7cb5ea", "japanese": "#e7df86",
    "manchukuo": "#bf8eaa", "chinese": "#d8efb2", "korean": "#9f8bee", "allied": "#cccccc",
}
OTHER_SIDE_COLOR = "#777777"  # a territory with no side, or a front without a colour (palette.other in atlas.js)
# Fronts of the Soviet side take these in id order; the Japanese side's take greys. Okabe-Ito based (a palette
# designed for colour-blind readers); tests/test_colours.py checks the fronts that share a map.
FRONT_COLORS = ["#d55e00", "#0072b2", "#e69f00", "#cc79a7", "#56b4e9", "#a6761d", "#009e73", "#8e44ad"]
AXIS_FRONT_GREYS = ["#333333", "#5e5e5e", "#8a8a8a"]  # no brown: it read as the Trans-Baikal Front (#a6761d)
KIND_LABELS = {
    "territory": "Territory", "area": "Area", "border": "Border", "claim": "Claimed border",
    "front-line": "Front line", "axis": "Advance", "unit": "Formation", "place": "Place", "battle": "Battle",
    "event": "Event", "railway": "Railway", "river": "River",
}
# Layers of the layer menu, bottom to top: (label, kinds, Leaflet pane, pane z-index).
GROUPS = [
    ("Territories", ("territory",), "atlas-territory", 300),
    ("Areas", ("area",), "atlas-area", 340),
    ("Rivers", ("river",), "atlas-lines", 380),
    ("Railways", ("railway",), "atlas-lines", 380),
    ("Borders and claims", ("border", "claim"), "atlas-lines", 380),
    ("Front lines", ("front-line",), "atlas-lines", 380),
    ("Advances", ("axis",), "atlas-axes", 420),
    ("Formations", ("unit",), "atlas-points", 450),
    ("Places", ("place",), "atlas-points", 450),
    ("Events and battles", ("event", "battle"), "atlas-points", 450),
]
MAX_NAMES = 6
TERRITORY_LABEL_PANE = ("atlas-territory-labels", 320)  # names of states: over the fills, under the areas and lines


@dataclass
class MapContent:
    """Everything one page shows, ready to serialise."""

    spec: dict
    layers: list = field(default_factory=list)  # [(label, pane, FeatureCollection)]
    config: dict = field(default_factory=dict)  # what atlas.js gets
    legend: list = field(default_factory=list)  # [{"label", "swatch"}]
    events: list = field(default_factory=list)  # event list entries (also used by the no-script fallback)


def palette(data):
    """Colours by side and by front, fixed for the whole dataset so a front looks the same on every map."""
    fronts = sorted({f.props["front"] for f in data.by_id.values() if "front" in f.props})
    colors, own, other = {}, 0, 0
    for fid in fronts:
        unit = data.by_id.get(fid)
        side = unit.props.get("side") if unit else None
        if side in ("japanese", "manchukuo"):
            colors[fid] = AXIS_FRONT_GREYS[other % len(AXIS_FRONT_GREYS)]
            other += 1
        else:
            colors[fid] = FRONT_COLORS[own % len(FRONT_COLORS)]
            own += 1
    return {"sides": SIDE_COLORS, "fronts": colors, "other": OTHER_SIDE_COLOR, "edges": AREA_EDGES}


def _darker(color, keep=0.5):
    """A colour mixed with black: `keep` of each channel stays."""
    return "#" + "".join(f"{round(int(color[i:i + 2], 16) * keep):02x}" for i in (1, 3, 5))


# An area of a front is drawn in the front's strong colour; an area that belongs only to a side (an occupation zone)
# would vanish in the side's pale territory fill over a pale territory, so its edge is the side's colour darkened.
AREA_EDGES = {side: _darker(color) for side, color in SIDE_COLORS.items()}


def select(data, spec):
    """The features of a map: those of its layers whose dates meet its range, in a stable order."""
    start, end = spec["start_date"], spec["end_date"]
    chosen = []
    for layer in spec["layers"]:
        for feature in data.layers.get(layer, []):
            if feature.first_day <= end and feature.last_day >= start:
                chosen.append(feature)
    return sorted(chosen, key=lambda f: (f.first_day, f.id))


def stops(spec, features):
    """The days the slider stops on: every day, or (step "change") every day on which the map changes."""
    first, last = dates.parse(spec["start_date"]), dates.parse(spec["end_date"])
    if spec["step"] == "day":
        return dates.days(first, last)
    start, end = spec["start_date"], spec["end_date"]
    days = {start, end, spec["open_date"]}
    for f in features:
        days.add(f.first_day)
        if f.last_day < end:
            days.add(dates.next_day(f.last_day))
        days.update(dates.parse(d).isoformat() for d in f.props.get("point_dates", []) if d is not None)
        days.update(dates.parse(c["start_date"]).isoformat() for c in f.props.get("control", []))
        days.update(dates.parse(n["start_date"]).isoformat() for n in f.props.get("period_names", [])[1:])
    return sorted(d for d in days if start <= d <= end)


def name_on(props, day):
    """A feature's English name on `day` (an ISO day): of its period_names the last in force by then (before the
    first, the first), else its name. atlas.js's nameOn does the same in the page."""
    names = props.get("period_names")
    if not names:
        return props["name"]
    current = names[0]["name"]
    for entry in names:
        if dates.parse(entry["start_date"]).isoformat() <= day:
            current = entry["name"]
    return current


def _names(items, day):
    names = [name_on(i.props, day) for i in items]
    if len(names) > MAX_NAMES:
        return "; ".join(names[:MAX_NAMES]) + f"; and {len(names) - MAX_NAMES} more"
    return "; ".join(names)


def changes(stop_days, features, data):
    """For each stop, one plain sentence of what changed since the stop before (for sight and for screen readers).

    Each change is put in the bucket of the stop that brings it (the first stop on or after its date), so the
    work grows with the number of features, not with features times stops."""
    first = stop_days[0]
    buckets = {day: {"events": [], "appeared": [], "advancing": [], "taken": [], "renamed": [], "gone": []}
               for day in stop_days}

    def stop_bringing(day):
        if day == first:
            return first
        i = bisect.bisect_left(stop_days, day)
        return stop_days[i] if 0 < i < len(stop_days) else None

    def put(bucket, day, item, first_stop_too=False):
        stop = stop_bringing(day)
        if stop is not None and (first_stop_too or stop != first):
            target = buckets[stop][bucket]
            if item not in target:
                target.append(item)

    for f in features:
        kind = f.props["kind"]
        if kind in ("event", "battle"):
            put("events", f.first_day, f, first_stop_too=True)
        elif kind == "axis":
            for point_day in filter(None, f.props["point_dates"]):
                put("advancing", max(dates.parse(point_day).isoformat(), f.first_day), f, first_stop_too=True)
        else:
            put("appeared", f.first_day, f)
        for c in f.props.get("control", []):
            by = data.by_id.get(c.get("by", ""))
            day = dates.parse(c["start_date"]).isoformat()
            # the name it had when it was taken: Mauka fell to Japan, and was renamed Maoka the same day
            put("taken", day, f"{name_on(f.props, dates.previous_day(day))} to {side_label(c['side'], day)}"
                + (f" ({by.props['name']})" if by else ""))
        names = f.props.get("period_names", [])
        for before, after in zip(names, names[1:]):
            when = after["start_date"]  # a date known only to the month or year says so: the stop is its first day
            put("renamed", dates.parse(when).isoformat(), f"{before['name']} renamed {after['name']}" +
                (f" (in {dates.readable(when)})" if dates.precision(when) != "day" else ""))
        if f.last_day >= first:
            i = bisect.bisect_right(stop_days, f.last_day)
            if i < len(stop_days):
                buckets[stop_days[i]]["gone"].append(f)

    out = {}
    for day in stop_days:
        b = buckets[day]
        # A feature that ends as another of the same name and kind begins (a territory drawn anew for a new
        # period) has not come or gone: it has been redrawn.
        keys = {id(f): (f.props["kind"], name_on(f.props, day)) for f in b["appeared"] + b["gone"]}
        going = {keys[id(f)] for f in b["gone"]}
        coming = {keys[id(f)] for f in b["appeared"]}
        redrawn = [f for f in b["appeared"] if keys[id(f)] in going]
        appeared = [f for f in b["appeared"] if keys[id(f)] not in going]
        gone = [f for f in b["gone"] if keys[id(f)] not in coming]
        successors = _successors(appeared, gone)
        appeared = [f for f in appeared if id(f) not in successors]
        gone = [f for f in gone if id(f) not in {id(g) for g in successors.values()}]
        parts = []
        if b["events"]:
            parts.append(_names(b["events"], day))
        if redrawn or successors:
            was = [f"{name_on(f.props, day)}, formerly {name_on(successors[id(f)].props, dates.previous_day(day))}"
                   for f in b["appeared"] if id(f) in successors]
            parts.append("redrawn: " + "; ".join(([_names(redrawn, day)] if redrawn else []) + was))
        if appeared:
            parts.append("now on the map: " + _names(appeared, day))
        if b["advancing"]:
            parts.append("advancing: " + _names(b["advancing"], day))
        if b["taken"]:
            extra = f"; and {len(b['taken']) - MAX_NAMES} more" if len(b["taken"]) > MAX_NAMES else ""
            parts.append("changed hands: " + "; ".join(b["taken"][:MAX_NAMES]) + extra)
        if b["renamed"]:
            parts.append("; ".join(b["renamed"]))
        if gone:
            parts.append("ended or no longer shown: " + _names(gone, day))
        text = ". ".join(p[0].upper() + p[1:] for p in parts)
        out[day] = (text + ".") if text else ""
    return out


_ESCAPED_NON_ASCII = re.compile(r"(?:%[89a-fA-F][0-9a-fA-F])+")


def readable_url(url):
    """The URL with its escaped non-ASCII characters written as characters (an IRI: /wiki/滿洲國 for
    /wiki/%E6%BB%BF%E6%B4%B2%E5%9C%8B). A browser escapes them again when it follows the link, so it leads to the
    same page, in a third of the bytes (a Chinese or Russian title is most of many links). Escapes of ASCII
    characters (%20, %2F, %3F, ...) stay as they are, since decoding them could change what the URL means, and so
    does a run of bytes that is not UTF-8 (a link escaped in another encoding)."""
    def decode(match):
        try:
            return bytes.fromhex(match.group(0).replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return match.group(0)
    return _ESCAPED_NON_ASCII.sub(decode, url)


SUCCESSOR_OVERLAP = 0.5  # intersection over union: a stage of the same zone, not a new area within an old one
SUCCESSOR_GROWTH = 0.9  # or the old zone lies (almost) wholly inside the new one: the zone grew
SUCCESSOR_SHRINK = 1 / 3  # or the new one lies (almost) wholly inside the old and keeps a third of it or more: the
#                           zone shrank (Chinese Chahar losing Xilingol in 1936); a smaller piece is a pocket


def _successors(appeared, gone):
    """Areas and territories that end as another of the same side begins over much the same ground, under a new
    name (Japanese-occupied Chahar, then Japanese-occupied Chahar and northern Shanxi), or over ground that holds
    the old one (Peiping-Tientsin, then north China and Shanghai), or over a third or more of the old ground (Chinese
    Chahar without Xilingol): the same zone redrawn, not one ending and another beginning. A small area that begins
    inside a large one that ends (a pocket cut out of a country) is neither.
    {id(new feature): the feature it follows}; each is paired once, best first."""
    pairs = []
    for new in appeared:
        for old in gone:
            if (new.props["kind"] in ("territory", "area") and new.props["kind"] == old.props["kind"]
                    and new.props.get("side") == old.props.get("side") and new.shape is not None
                    and old.shape is not None and new.shape.intersects(old.shape)):
                shared = new.shape.intersection(old.shape).area
                overlap = shared / (new.shape.area + old.shape.area - shared)
                grew = shared >= SUCCESSOR_GROWTH * old.shape.area
                shrank = shared >= SUCCESSOR_GROWTH * new.shape.area and shared >= SUCCESSOR_SHRINK * old.shape.area
                if overlap >= SUCCESSOR_OVERLAP or grew or shrank:
                    pairs.append((-overlap, new.id, old.id, new, old))
    paired, used = {}, set()
    for _, _, _, new, old in sorted(pairs, key=lambda p: p[:3]):
        if id(new) not in paired and id(old) not in used:
            paired[id(new)] = old
            used.add(id(old))
    return paired


def _cite_short(source, pages):
    who = source.get("author", "").split(",")[0].split(" and ")[0].split()[-1:] or [source["title"][:40]]
    text = who[0] + (f" {source['year']}" if "year" in source else "")
    return text + (f", p. {pages}" if pages else "")


def _round(coords, digits):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], digits), round(coords[1], digits)]
    if isinstance(coords[0][0], (int, float)):  # a line or ring: its points in one pass (most of the work)
        return [[round(x, digits), round(y, digits)] for x, y in coords]
    return [_round(c, digits) for c in coords]


def opening_view(spec):
    """[[south, west], [north, east]]: what a map opens on (and its phases without a view of their own return to),
    and what its pictures show: its `view`, where the map's bounds reach farther than the opening should show (a
    battle's distant railhead or air battle, which would shrink the battlefield to a corner of a phone), else its
    bounds."""
    return spec.get("view", spec["bounds"])


def is_battle_map(bounds):
    """A battle map opens on less than a degree across: it zooms in further and keeps finer coordinates."""
    (south, west), (north, east) = bounds
    return max(north - south, east - west) < 1


def page_digits(spec):
    """Decimals of coordinates on a page: 3 (~100 m) is finer than a screen pixel on a regional map; a battle
    map keeps the data's 4."""
    return 4 if is_battle_map(opening_view(spec)) else 3


def feature_geometry(feature, data):
    """A feature's GeoJSON geometry, or, for an event placed by `place`, that place's point; None if it has none."""
    if feature.geometry is not None:
        return feature.geometry
    place = data.by_id.get(feature.props.get("place", ""))
    return {"type": "Point", "coordinates": place.geometry["coordinates"]} if place else None


LABELLED_LINES = ("border", "claim", "front-line")  # kinds whose `label` is written along the line on the map


# Where along a labelled line its name may be written, as fractions of its length, best first: halfway, then
# stepping out towards the ends, for the middle may be crowded (the 38th parallel's by Heijo and Keijo).
LINE_LABEL_ALONG = (0.5, 0.35, 0.65, 0.2, 0.8)


def line_label_anchors(geometry):
    """[(lng, lat)] where a labelled line's name may be written, on the page and in the pictures alike, best first
    (LINE_LABEL_ALONG): along the line (its longest part, if it has several), measured in degrees: the lines are
    short enough for that."""
    parts = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]

    def length(part):
        return sum(math.dist(a[:2], b[:2]) for a, b in zip(part, part[1:]))
    part = max(parts, key=length)

    def at(distance):
        for a, b in zip(part, part[1:]):
            step = math.dist(a[:2], b[:2])
            if step and distance <= step:
                t = distance / step
                return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
            distance -= step
        return tuple(part[-1][:2])
    return [at(length(part) * fraction) for fraction in LINE_LABEL_ALONG]


# A territory with a `label` has its name written across it (spaced capitals, under everything else). Sizes are CSS
# pixels of the page (atlas.css) on a laptop, where the map of VIEW_PX opens with its bounds fitted (start_view). Each
# name gets places, best first: a few in the opening view, clear of the labels always drawn (rank 1 places and
# formations), then more across the pan limits for views zoomed or panned to. The page writes it at the first place
# that no label shown that day covers (atlas.js placeTerritoryLabel), as the pictures do (static.py), since
# formations' labels move from day to day.
VIEW_PX = (940, 530)  # the map in the benchmark's 1280x800 window: 517-544 px tall as the phase buttons wrap
ZOOM_SNAP = 0.25  # templates/map.html
# Leaflet's controls in the map's corners, as (top?, left?, width, height): zoom buttons, layers button, scale bar and
# attribution. atlas.js also keeps names off the controls as they are drawn.
CORNERS_PX = [(True, True, 54, 84), (True, False, 58, 58), (False, True, 110, 30), (False, False, 320, 24)]
TERRITORY_LABEL_PX = (10.6, 16)  # .atlas-territory-label: width of one spaced capital, height of a line
POINT_LABEL_PX = (7.0, 18)  # .atlas-label: width of one character, height; it starts 6 px right of its point
LABEL_MARGIN_PX = 4  # the name keeps this far from other labels and the frame's edges; its middle, from its territory's
LABEL_GRID_PX = 8  # candidate positions are tried on a grid this fine
LABEL_TRIES = 2000  # positions tried (most central first) before a territory is left unnamed
LABEL_PLACES = 4  # places offered for one name in the starting view, apart from each other
LABEL_SPARE = 2  # a name is broken over more lines rather than have fewer places than this in that view
LABEL_FAR_PLACES = 48  # and elsewhere, for views zoomed or panned to (two in each quarter of a view's width and
LABEL_SPREAD_GRID_PX = 24  # height), tried on a coarser grid
# Where the page and the pictures write a name, it keeps this far (x, y) from other names, so that two names side by
# side never read as one (atlas.js TERRITORY_LABEL_GAP, static.py)
TERRITORY_LABEL_GAP_PX = (14, 4)
LABEL_LINES = 3  # a name too long for its territory is broken over at most this many lines


def _mercator(x, y):
    """Web Mercator, in degrees of longitude, so that room is measured as the map shows it."""
    return x, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(y) / 2)))


def _unmercator(x, y):
    return x, math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def _projected(geometry):
    def mercator(xy):  # _mercator, on every vertex at once
        return np.column_stack([xy[:, 0], np.degrees(np.log(np.tan(np.pi / 4 + np.radians(xy[:, 1]) / 2)))])
    return shapely.transform(geometry, mercator)


def pan_limits(bounds):
    """How far a page lets its map be panned: the base map's surround (basemap.pan_box), but never past the area
    the data may cover (schema.AREA). The territories end at that area's edges, and their cut edges would show as
    borders; atlas.js also keeps the map from zooming out so far that the view is wider than these limits."""
    (south, west), (north, east) = basemap.pan_box(bounds)
    inset = 0.5  # degrees: a view at the limit must not show the stroke of a cut edge lying on it
    return [[max(south, AREA["south"] + inset), max(west, AREA["west"] + inset)],
            [min(north, AREA["north"] - inset), min(east, AREA["east"] - inset)]]


def start_view(bounds, view=None):
    """(box, px): the part of the world a laptop's map opens on, projected, and the size of a pixel in it (degrees of
    longitude, and of projected latitude), as Leaflet's fitBounds chooses them: the greatest zoom, in steps of
    ZOOM_SNAP, at which the whole of view (opening_view; bounds if None) is in view, around its middle; but no wider
    than the pan limits of bounds (atlas.js keepViewWithinLimits), which on a laptop zooms road-to-war in past its
    bounds' height."""
    (south, west), (north, east) = view or bounds
    (x0, y0), (x1, y1) = _mercator(west, south), _mercator(east, north)
    zoom = math.log2(min(VIEW_PX[0] / (x1 - x0), VIEW_PX[1] / (y1 - y0)) * 360 / 256)
    zoom = math.floor(round(zoom / ZOOM_SNAP, 6)) * ZOOM_SNAP
    (_s, limit_west), (_n, limit_east) = pan_limits(bounds)
    least = math.log2(VIEW_PX[0] * 360 / (256 * (limit_east - limit_west)))
    zoom = max(zoom, math.ceil(least / ZOOM_SNAP - 1e-9) * ZOOM_SNAP)
    px = 360 / (256 * 2 ** zoom)
    cx, cy, half_w, half_h = (x0 + x1) / 2, (y0 + y1) / 2, VIEW_PX[0] * px / 2, VIEW_PX[1] * px / 2
    return shapely.box(cx - half_w, cy - half_h, cx + half_w, cy + half_h), px


@functools.lru_cache(maxsize=8)
def _label_frame(bounds, view=None):
    """The part of a map's starting view that a name may take, projected: all but a margin at the edges and the
    controls in the corners (CORNERS_PX). bounds and view (or None) as tuples of tuples (cached: one per map)."""
    box, px = start_view(bounds, view)
    x0, y0, x1, y1 = box.bounds
    corners = [shapely.box(x0 if left else x1 - w * px, y1 - h * px if top else y0,
                           x0 + w * px if left else x1, y1 if top else y0 + h * px) for top, left, w, h in CORNERS_PX]
    return box.buffer(-LABEL_MARGIN_PX * px, join_style="mitre").difference(shapely.union_all(corners))


def _frozen(bounds):
    return None if bounds is None else tuple(map(tuple, bounds))


@functools.lru_cache(maxsize=8)
def _pan_frame(bounds, view=None):
    """Where the map can be panned to (pan_limits), projected, less a margin: the places farther off are for the
    views a reader zooms or pans to. bounds and view (or None) as tuples of tuples (cached: one per map)."""
    (south, west), (north, east) = pan_limits(bounds)
    margin = LABEL_MARGIN_PX * start_view(bounds, view)[1]
    return shapely.box(*_mercator(west, south), *_mercator(east, north)).buffer(-margin, join_style="mitre")


def label_sea(land, bounds, view=None):
    """The open water within a map's pan limits, projected, for territory_label_anchors: the limits less `land`
    (the union of the map's territories, which cover its land)."""
    return _pan_frame(_frozen(bounds), _frozen(view)).difference(_projected(land))


def label_lines(text, lines):
    """text broken at spaces into `lines` lines ("\\n" between them) as even as can be, or None if it has too few
    words; the longest line is as short as it can be, except that a break after a " / " is preferred while the
    longest line stays within a quarter of that: "Soviet Russia /" over "Far Eastern Republic", not "Far" left on the
    first line of two names."""
    words = text.split(" ")
    if lines == 1 or len(words) < lines:
        return text if lines == 1 else None
    layouts = []
    for cuts in itertools.combinations(range(1, len(words)), lines - 1):
        parts = [" ".join(words[a:b]) for a, b in zip((0, *cuts), (*cuts, len(words)))]
        layouts.append((max(map(len, parts)), -sum(words[c - 1] == "/" for c in cuts), parts))
    shortest = min(longest for longest, _, _ in layouts)
    return "\n".join(min((slashes, longest, parts) for longest, slashes, parts in layouts
                         if longest <= 1.25 * shortest)[2])


def territory_label_anchors(shape, text, bounds, obstacles=(), sea=None, view=None):
    """(text as written, [(lng, lat, zoom_in), ...]) for a territory's name on a map of those bounds whose starting
    view is view (bounds if None), or
    None when there is no room for it. At every place the whole name lies on the territory or on the sea (label_sea:
    a peninsula's name may reach over the water) at the size it has in the starting view (zoom_in 0) or once the map
    is zoomed in one step (zoom_in 1). First come the places in the starting view, clear of the obstacles ((lng, lat,
    text) of labels always drawn beside their points), farthest from the territory's edges first, none on top of
    another (the obstacles are let be only when the name fits nowhere clear of them); then places elsewhere within
    the pan limits, spread out, for the views a reader zooms or pans to. The name is broken over more lines only
    when that gives it more places in the starting view and it has fewer than LABEL_SPARE on fewer lines."""
    px = start_view(bounds, view)[1]
    margin = LABEL_MARGIN_PX * px
    key = (_frozen(bounds), _frozen(view))
    exact = _projected(shape).intersection(_pan_frame(*key))
    visible = exact.simplify(px)
    inner = visible.buffer(-margin, join_style="mitre")  # the name's centre is on the territory
    if inner.is_empty:
        return None
    in_view = visible.intersection(_label_frame(*key))
    blocked = shapely.STRtree([
        shapely.box(x - 2 * px, y - POINT_LABEL_PX[1] * px / 2, x + (6 + len(name) * POINT_LABEL_PX[0]) * px,
                    y + POINT_LABEL_PX[1] * px / 2)
        for x, y, name in ((*_mercator(lng, lat), name) for lng, lat, name in obstacles)])
    if sea is not None:  # only the water near enough to take part of a name: a smaller union
        reach = max(len(text), 12) * TERRITORY_LABEL_PX[0] * px
        x0, y0, x1, y1 = exact.bounds
        sea = shapely.clip_by_rect(sea, x0 - reach, y0 - reach, x1 + reach, y1 + reach)
    allowed = exact if sea is None or sea.is_empty else exact.union(sea)
    shapely.prepare(allowed)
    frame = _label_frame(*key)
    shapely.prepare(frame)

    def grid(region, step):
        """Points of region on a grid, most room round them first (to the pixel), then nearest its middle."""
        x0, y0, x1, y1 = region.bounds
        xs, ys = (a.ravel() for a in np.meshgrid(np.arange(x0, x1 + step, step), np.arange(y0, y1 + step, step)))
        keep = shapely.contains_xy(region, xs, ys)
        xs, ys = xs[keep], ys[keep]
        points = shapely.points(xs, ys)
        room = np.round(shapely.distance(region.boundary, points) / px)
        order = np.lexsort((shapely.distance(region.centroid, points), -room))[:LABEL_TRIES]
        return xs[order], ys[order]

    def fitting(xs, ys, written, within=None, clear_of=None, zoom_in=0):
        lines = written.split("\n")
        half_w = max(map(len, lines)) * TERRITORY_LABEL_PX[0] * px / 2 ** (zoom_in + 1)
        half_h = len(lines) * TERRITORY_LABEL_PX[1] * px / 2 ** (zoom_in + 1)
        letters = shapely.box(xs - half_w, ys - half_h, xs + half_w, ys + half_h)
        fits = shapely.contains(allowed, letters)
        if within is not None:
            fits &= shapely.contains(within, letters)
        if clear_of is not None:  # the margin round the letters clear of other labels
            hit = clear_of.query(shapely.box(xs - half_w - margin, ys - half_h - margin, xs + half_w + margin,
                                             ys + half_h + margin), predicate="intersects")[0]
            fits[hit] = False
        return np.flatnonzero(fits), half_w + margin, half_h + margin

    layouts = [w for w in (label_lines(text, n) for n in range(1, LABEL_LINES + 1)) if w is not None]
    written, chosen = None, []
    view_inner = in_view.buffer(-margin, join_style="mitre")
    if not view_inner.is_empty:
        xs, ys = grid(view_inner, LABEL_GRID_PX * px)
        for clear_of in (blocked, None):
            for layout in layouts:
                fits, half_w, half_h = fitting(xs, ys, layout, frame, clear_of)
                apart = []
                for i in fits:
                    if all(abs(xs[i] - x) >= 2 * half_w or abs(ys[i] - y) >= 2 * half_h for x, y in apart):
                        apart.append((xs[i], ys[i]))
                        if len(apart) == LABEL_PLACES:
                            break
                # One place alone is lost to whatever label of the day lands on it (an arrow's, a town's): a name
                # takes more lines for a second place, as the MPR's must beside the Trans-Baikal Front's arrows.
                if len(apart) > len(chosen):
                    written, chosen = layout, apart
                if len(chosen) >= LABEL_SPARE:
                    break
            if chosen:
                break
    # Elsewhere: places where the name fits once the map is zoomed in one step (it then takes half the room; the page
    # uses such a place only from that zoom on) or already at the opening zoom. Up to two in each cell of a grid of
    # half that zoomed view's size, those with most room and not on top of another, so that any view zoomed in one
    # step holds a whole cell and so a place or two.
    xs, ys = grid(inner.simplify(LABEL_SPREAD_GRID_PX * px / 4), LABEL_SPREAD_GRID_PX * px)
    cells = np.floor(xs / (VIEW_PX[0] * px / 4)) * 1e6 + np.floor(ys / (VIEW_PX[1] * px / 4))
    places = [(x, y, 0) for x, y in chosen]
    for layout in [written] if written else layouts:
        fits, half_w, half_h = fitting(xs, ys, layout, zoom_in=1)
        now = set(fits[fitting(xs[fits], ys[fits], layout)[0]].tolist())
        far, per_cell = [], {}
        for i in fits:  # in order of room
            if per_cell.get(cells[i], 0) < 2 and all(abs(xs[i] - x) >= 2 * half_w or abs(ys[i] - y) >= 2 * half_h
                                                     for x, y, _ in places + far):
                per_cell[cells[i]] = per_cell.get(cells[i], 0) + 1
                far.append((xs[i], ys[i], 0 if i in now else 1))
        if far or written:
            written, places = layout, places + sorted(far, key=lambda p: p[2])[:LABEL_FAR_PLACES]
            break
    if not places:
        return None
    return written, [(*_unmercator(float(x), float(y)), zoom_in) for x, y, zoom_in in places]


def _label_obstacles(features):
    """(lng, lat, text, first day, last day) of the labels a page always draws beside a point: rank 1 places and
    formations (by the name they are given the longest; a renamed place's names are close in length)."""
    return [(*f.geometry["coordinates"][:2], f.props["name"], f.first_day, f.last_day) for f in features
            if f.props["kind"] in ("place", "unit") and f.props.get("rank") == 1 and f.geometry
            and f.geometry["type"] == "Point"]


def territory_labels(features, spec):
    """{feature id: (text as written, [(lng, lat, zoom_in), ...])} of the named territories of a map
    (territory_label_anchors), for its page and its pictures alike, in the order their names are to be placed."""
    labelled = [f for f in features if f.props["kind"] == "territory" and "label" in f.props and f.shape is not None]
    if not labelled:
        return {}
    obstacles = _label_obstacles(features)
    # The territories of any one day cover the map's land (the same area every day): those of the opening day are
    # united, a tenth of the work of uniting every stage.
    day = spec["open_date"]
    sea = label_sea(shapely.union_all([f.shape for f in features if f.props["kind"] == "territory"
                                       and f.shape is not None and f.first_day <= day <= f.last_day]), spec["bounds"],
                    spec.get("view"))
    out = {}
    # smaller territories first: they have fewer places, so a page and a picture write their names first
    for f in sorted(labelled, key=lambda f: f.shape.area):
        near = [o[:3] for o in obstacles if o[3] <= f.last_day and f.first_day <= o[4]]
        found = territory_label_anchors(f.shape, f.props["label"], spec["bounds"], near, sea, spec.get("view"))
        if found:
            out[f.id] = found
    return out


def _geometry(feature, data, digits):
    """feature_geometry rounded for a page."""
    geometry = feature_geometry(feature, data)
    if geometry is None:
        return None
    return {"type": geometry["type"], "coordinates": _round(geometry["coordinates"], digits)}


def slider_ticks(events):
    """One tick per day that has key events (events in date order): two ticks on one day would sit one exactly
    over the other, and the one below could be neither seen nor clicked. The tick names each event of its day."""
    ticks = []
    for event in events:
        if ticks and ticks[-1]["date"] == event["start"]:
            ticks[-1]["label"] += "; " + event["name"]
        else:
            ticks.append({"date": event["start"], "label": event["name"]})
    return ticks


def map_phases(data, spec):
    """The map's phases in order, each {"label", "start", "end"} and the "bounds" its button shows, if it has any: a
    phase starts on its event's first day and runs to the day before the next phase (the last one to the map's end)."""
    starts = sorted((data.by_id[p["event"]].first_day, p["label"], p.get("bounds")) for p in spec.get("phases", []))
    return [dict({"label": label, "start": start,
                  "end": spec["end_date"] if i == len(starts) - 1 else dates.previous_day(starts[i + 1][0])},
                 **({"bounds": bounds} if bounds else {}))
            for i, (start, label, bounds) in enumerate(starts)]


def phase_on(data, spec, day):
    """Label of the phase a day falls in, or None before the first phase."""
    return next((p["label"] for p in map_phases(data, spec) if p["start"] <= day <= p["end"]), None)


def map_content(data, spec):
    """Derive one map's content from the dataset."""
    features = select(data, spec)
    colors = palette(data)
    stop_days = stops(spec, features)
    # The Sources tab lists them alphabetically by title, as a bibliography reads; titles in order also compress
    # better than keys in order (about 6 KB less on road-to-war, measured with DEFLATE), since alike titles and their sites sit together.
    source_keys = sorted({c["ref"] for f in features for c in f.props["sources"]} |
                         {x["ref"] for f in features for x in f.props.get("figures", [])},
                         key=lambda key: (data.sources[key]["title"].casefold(), key))
    source_index = {key: i for i, key in enumerate(source_keys)}
    # What a citation shows (the key is only the data's handle; a citation finds its source by index).
    sources = [_source_row(data.sources[key]) for key in source_keys]

    by_group = {label: [] for label, *_ in GROUPS}
    kind_group = {kind: label for label, kinds, *_ in GROUPS for kind in kinds}
    events = []
    digits = page_digits(spec)
    names = territory_labels(features, spec)
    name_order = {fid: i for i, fid in enumerate(names)}
    zoom = math.log2(360 / 256 / start_view(spec["bounds"], spec.get("view"))[1])  # the laptop's opening zoom
    for f in features:
        props = _js_props(f, data, source_index)
        if f.id in names:  # a territory's name, where it may be written (best first) and when it is placed
            props["short"], props["lo"] = names[f.id][0], name_order[f.id]
            # 3 decimals (about 100 m, far less than a name) are 0.7 KB less of road-to-war than 4
            props["lp"] = [[round(lat, 3), round(lng, 3)] + ([zoom + zoom_in] if zoom_in else [])
                           for lng, lat, zoom_in in names[f.id][1]]
        geometry = _geometry(f, data, digits)
        if f.props["kind"] in ("event", "battle"):
            events.append(_event_entry(f, props, geometry))
        if geometry is not None:
            by_group[kind_group[f.props["kind"]]].append(
                {"type": "Feature", "geometry": geometry, "properties": props})
    layers = [(label, pane, z, {"type": "FeatureCollection", "features": by_group[label]})
              for label, _kinds, pane, z in GROUPS if by_group[label]]
    events.sort(key=lambda e: (e["start"], e["end"], e["id"]))

    phases = map_phases(data, spec)
    tick_rank = spec.get("tick_rank", 1)
    ticks = slider_ticks([e for e in events
                          if e["rank"] <= tick_rank and spec["start_date"] <= e["start"] <= spec["end_date"]])

    held_sides = sorted({c["side"] for f in features for c in f.props.get("control", [])})
    # a side's earlier names, only where the map's dates reach back to them: [[first day of the next name, name]]
    earlier = {s: [[until, label] for until, label in SIDE_EARLIER_LABELS.get(s, []) if until > spec["start_date"]]
               for s in held_sides}
    (south, west), (north, east) = spec["bounds"]
    config = {
        "map": {"id": spec["id"], "title": spec["title"], "start": spec["start_date"], "end": spec["end_date"],
                "open": spec["open_date"], "view": opening_view(spec),
                "eventZoom": 9 if max(north - south, east - west) < 3 else 6,
                # On a day-by-day map a place that falls is outlined; over decades every place changes hands.
                "markCaptures": spec["step"] == "day"},
        "stops": stop_days,
        "changes": changes(stop_days, features, data),
        "phases": phases,
        "ticks": ticks,
        # The list needs no descriptions: the popups have them (the no-script fallback uses content.events).
        "events": [{k: v for k, v in e.items() if k not in ("description", "when")} for e in events],
        "sources": sources,
        "palette": colors,
        # Said once here rather than in every feature: what each kind and side is called in a popup.
        "labels": {"kinds": {k: KIND_LABELS[k] for k in sorted({f.props["kind"] for f in features})},
                   "sides": {s: SIDE_LABELS[s] for s in held_sides},
                   "earlier": {s: names for s, names in earlier.items() if names}},
    }
    content = MapContent(spec=spec, layers=layers, config=config, events=events)
    content.legend = legend(features, colors, data, spec)
    return content


# Where an editor may have written a feature id in a note: a quoted word ("place 'tamsag-bulag'"), a hyphenated
# lower-case word ("see hulunbuir-barga-1912") or a lower-case word alone ("see tungliao": English writes a town's
# name with a capital, so the lower-case word is the id), but not part of a web address ("chita.ru"). Each candidate
# is looked up, so the cost does not grow with the ids.
MENTION = re.compile(r"'([a-z0-9][a-z0-9-]*)'|(?<![\w.-])([a-z0-9]+(?:-[a-z0-9]+)*)(?![\w-]|\.\w)")
# ids of one word that are also English words, which a note uses as such ("the capital chosen")
WORD_IDS = {"chosen"}


def readable_mentions(text, data):
    """Text for readers: a feature id written in a note or description (the data's handle for it) becomes the
    feature's name, "see hulunbuir-barga-1912" -> "see Hulunbuir (Barga)", "see tungliao" -> "see Tungliao"."""
    def name(match):
        fid = match.group(1) or match.group(2)
        feature = data.by_id.get(fid)
        if feature is None or fid in WORD_IDS and not match.group(1):
            return match.group(0)  # an ordinary word ("north-west", 'weak', "chosen")
        shown = feature.props["name"]
        return f"'{shown}'" if match.group(1) else shown
    return MENTION.sub(name, text)


def _js_props(f, data, source_index):
    """The properties a page needs of a feature: names, dates made whole, citations as indexes."""
    p = f.props
    # Dates go as days; the page writes them out ('9 August 1945', 'August 1945'), told by pr how much of each
    # date the source gives where that is less than a day.
    out = {"id": p["id"], "name": p["name"], "kind": p["kind"], "s": f.first_day, "e": f.last_day,
           **_precisions(p["start_date"], p["end_date"]),
           "rank": p.get("rank", 2),
           "sources": [_cite(c, source_index) for c in p["sources"]]}
    for key, name in (("name_modern", "modern"), ("names", "names"), ("category", "category"), ("side", "side"),
                      ("front", "front"), ("commander", "commander"), ("description", "description"),
                      ("note", "note"), ("location", "location")):
        if key in p:
            out[name] = readable_mentions(p[key], data) if key in ("description", "note") else p[key]
    if p.get("date_certainty") == "approximate":
        out["approx"] = True
    if p.get("precision", "exact") != "exact":
        out["precision"] = p["precision"]
    if "point_dates" in p:
        out["pd"] = [dates.parse(d).isoformat() for d in dates.vertex_days(p["point_dates"])]
    if "period_names" in p:
        # [day, name, precision of the date as the source gives it ("day", "month" or "year")]
        out["pn"] = [[dates.parse(n["start_date"]).isoformat(), n["name"], dates.precision(n["start_date"])]
                     for n in p["period_names"]]
    if "control" in p:
        out["control"] = [{"side": c["side"], "start": dates.parse(c["start_date"]).isoformat(),
                           **_precisions(c["start_date"]),
                           **({"by": data.by_id[c["by"]].props["name"]} if "by" in c else {}),
                           **({"note": readable_mentions(c["note"], data)} if "note" in c else {})}
                          for c in p["control"]]
    if "figures" in p:
        out["figures"] = [{"label": x["label"], "value": x["value"],
                           "cite": _cite_short(data.sources[x["ref"]], x.get("pages"))} for x in p["figures"]]
    if p["kind"] == "axis":
        out["short"] = p.get("label", p["name"])
    if p["kind"] in LABELLED_LINES and "label" in p and f.geometry is not None:
        out["short"] = p["label"]
        out["lp"] = [[round(lat, 4), round(lng, 4)] for lng, lat in line_label_anchors(f.geometry)]
    return out


def _precisions(*texts):
    """{"pr": ...}: dates.precision of each date (a list for a range, one value for one date), or {} when every
    date is a whole day (the usual case)."""
    kinds = [dates.precision(t) for t in texts]
    return {"pr": kinds if len(kinds) > 1 else kinds[0]} if any(k != "day" for k in kinds) else {}


# A source on the page is a row, not an object: the bibliography of road-to-war has some 1,900 entries, and their
# keys written out cost about 3.7 KB of the page after compressing (DEFLATE, when measured) (atlas.js's `source` reads a row back).
SOURCE_ROW = ("title", "url", "author", "publisher", "year")


def _source_row(source):
    """[title, url, author, publisher, year] as the page shows them (0 for a field the source lacks, and none after
    the last it has); the URL written with its characters (readable_url)."""
    row = [source.get(k, 0) for k in SOURCE_ROW]
    row[1] = readable_url(row[1]) if row[1] else 0
    while row[-1] == 0:
        row.pop()
    return row


def _cite(cite, source_index):
    """A citation for the page: the source's index in config.sources, or [index, note, pages] when it has a note or
    pages (0 for the note when it has only pages), again a row for the bytes (2.1 KB of road-to-war)."""
    i = source_index[cite["ref"]]
    if "pages" in cite:
        return [i, cite.get("note", 0), cite["pages"]]
    return [i, cite["note"]] if "note" in cite else i


def _event_entry(f, props, geometry):
    when = dates.readable_range(f.props["start_date"], f.props["end_date"])
    entry = {"id": f.id, "name": f.props["name"], "start": f.first_day, "end": f.last_day,
             **_precisions(f.props["start_date"], f.props["end_date"]), "rank": f.props.get("rank", 2),
             # for the no-script list; the page writes its own from start, end and pr
             "when": when + (" (approximate)" if props.get("approx") else "")}
    if props.get("approx"):
        entry["approx"] = True
    if "modern" in props:
        entry["modern"] = props["modern"]
    if "location" in f.props:
        entry["location"] = f.props["location"]
    if geometry is not None and geometry["type"] == "Point":
        lon, lat = geometry["coordinates"]
        entry["latlng"] = [lat, lon]
    if "description" in props:
        entry["description"] = props["description"]
    return entry


def _swatch(kind, color, dashed=False):
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    if kind == "fill":
        return (f'<svg class="atlas-swatch" viewBox="0 0 28 16" aria-hidden="true"><rect x="1" y="1" width="26" '
                f'height="14" fill="{color}" fill-opacity="0.8" stroke="#5b5b5b"{dash}/></svg>')
    if kind == "arrow":
        return (f'<svg class="atlas-swatch" viewBox="0 0 28 16" aria-hidden="true"><path d="M2 8 H20" stroke="{color}" '
                f'stroke-width="4"/><path d="M18 2 L27 8 L18 14 z" fill="{color}"/></svg>')
    if kind == "dot":
        stroke = "#111111" if dashed else "#ffffff"
        return (f'<svg class="atlas-swatch" viewBox="0 0 28 16" aria-hidden="true"><circle cx="14" cy="8" r="6" '
                f'fill="{color}" stroke="{stroke}" stroke-width="{3 if dashed else 2}"/></svg>')
    return (f'<svg class="atlas-swatch" viewBox="0 0 28 16" aria-hidden="true"><path d="M1 8 H27" stroke="{color}" '
            f'stroke-width="3"{dash}/></svg>')


def _dated(item, shown, spec):
    """A legend entry with the days its features are on the map ("s", "e"), when that is less than the whole map:
    the page shows it only then (a 1904 army's arrow is not explained in 1938)."""
    first = max(min(f.first_day for f in shown), spec["start_date"])
    last = min(max(f.last_day for f in shown), spec["end_date"])
    if (first, last) != (spec["start_date"], spec["end_date"]):
        item.update(s=first, e=last)
    return item


def legend(features, colors, data, spec):
    """Legend entries for what this map actually shows, in drawing order, each dated to the days it is needed."""
    items = []
    territories = [f for f in features if f.props["kind"] == "territory"]
    for side in sorted({f.props.get("side") for f in territories} - {None}):
        # named for the whole map here; the page and each picture name it as it was called on the day shown
        items.append(_dated({"label": side_labels_between(side, spec["start_date"], spec["end_date"]), "side": side,
                             "swatch": _swatch("fill", SIDE_COLORS[side])},
                            [f for f in territories if f.props.get("side") == side], spec))
    others = [f for f in territories if not f.props.get("side")]
    if others:
        # a power outside the story's sides (a German or British lease): grey, as atlas.js sideColor draws it
        items.append(_dated({"label": "Other powers", "swatch": _swatch("fill", OTHER_SIDE_COLOR)}, others, spec))
    axes = [f for f in features if "front" in f.props and f.props["kind"] == "axis"]
    for fid in sorted({f.props["front"] for f in axes}):
        items.append(_dated({"label": "Advance: " + data.by_id[fid].props["name"],
                             "swatch": _swatch("arrow", colors["fronts"][fid])},
                            [f for f in axes if f.props["front"] == fid], spec))
    # the kinds of area this map has, as their categories name them (an occupation zone, a fortified region, ...)
    area_kinds = sorted({f.props.get("category") or "other" for f in features if f.props["kind"] == "area"})
    simple = [("area", f"Area ({', '.join(area_kinds)}), in the colour of its side or front", "line", "#555555"),
              ("front-line", "Front line", "line", "#333333"),
              ("border", "Border or demarcation line", "line", "#222222"),
              ("railway", "Railway", "line", "#3b3b3b"),
              ("river", "River", "line", "#4a90c8"),
              ("place", "Place, in the colour of whoever held it that day", "dot", "#6b6b6b"),
              ("unit", "Formation: headquarters or starting position, in the colour of its side or front", "dot",
               "#444444"),
              ("event", "Event or battle", "dot", "#b2182b")]
    for kind, label, shape, color in simple:
        of_kind = [f for f in features if f.props["kind"] == kind or (kind == "event" and f.props["kind"] == "battle")]
        if of_kind:
            items.append(_dated({"label": label, "swatch": _swatch(shape, color)}, of_kind, spec))
        if kind == "border":  # each side's claimed border in the colour it is drawn in (atlas.js featureColor)
            claims = [f for f in features if f.props["kind"] == "claim"]
            for side in sorted({f.props.get("side") for f in claims}, key=str):
                shown = [f for f in claims if f.props.get("side") == side]
                drawn = colors["fronts"].get(shown[0].props.get("front")) or SIDE_COLORS.get(side, OTHER_SIDE_COLOR)
                who = side_labels_between(side, spec["start_date"], spec["end_date"]) if side else "other"
                items.append(_dated({"label": f"Claimed border: {who}", "swatch": _swatch("line", drawn, True)},
                                    shown, spec))
    captured = spec["step"] == "day" and any(dates.parse(c["start_date"]).isoformat() >= spec["start_date"] and
                   dates.parse(c["start_date"]).isoformat() > f.first_day
                   for f in features for c in f.props.get("control", []))
    if captured:
        items.append({"label": "Place that changed hands on this map (outlined)", "swatch": _swatch("dot", "#e49a8f", True)})
    if any(f.props.get("precision", "exact") != "exact" for f in features):
        items.append({"label": "Dashed: border or line approximate, disputed or schematic",
                      "swatch": _swatch("line", "#333333", True)})
    if any(f.props.get("date_certainty") == "approximate" for f in features):
        items.append({"label": "Dates marked (approximate) in a popup are not exact", "swatch":
                      '<svg class="atlas-swatch" viewBox="0 0 28 16" aria-hidden="true"><text x="4" y="13" '
                      'font-size="13" font-style="italic" fill="#8a4b00">~d</text></svg>'})
    return items
