"""Checks across features that help editors: territories that overlap or almost touch on the same date, features
that no map shows, and arrows that reach a town on another day than the town's own record says it changed hands.
Run by dataset.load after every file has passed its own checks."""
import math
import re

import numpy as np
import shapely

from . import dates

OVERLAP_KM2 = 1.0  # rounding to 4 decimals moves a border by ~10 m; real overlaps are far larger
GAP_DEGREES = 0.02  # neighbours closer than ~2 km but not touching left a sliver between them
KM_PER_DEGREE = 111.32
AT_PLACE_KM = 5.0  # an axis vertex this close to a place's point is that place (towns are drawn at their centre)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")
CAPTURED_BY = ("soviet", "mongolian")


def _dates_meet(a, b):
    return a.first_day <= b.last_day and b.first_day <= a.last_day


def territory_problems(data, problems):
    """Territories valid on the same day must not overlap, and should not leave slivers between them."""
    features = [f for f in data.by_id.values() if f.props["kind"] == "territory"]
    if len(features) < 2:
        return
    shapes = np.array([f.shape for f in features])  # built once, by the schema check that let them in
    # Candidates: pairs whose boxes, widened by the gap, meet (cheap), then only pairs shown on a common day. One
    # DE-9IM matrix per pair then says which overlap and which are apart: neighbours that share a border only touch,
    # and most pairs are those, so the costly intersection is made only where interiors meet.
    x0, y0, x1, y1 = shapely.bounds(shapes).T
    near = shapely.box(x0 - GAP_DEGREES, y0 - GAP_DEGREES, x1 + GAP_DEGREES, y1 + GAP_DEGREES)
    query, found = shapely.STRtree(shapes).query(near)
    pairs = sorted((i, j) for i, j in zip(query.tolist(), found.tolist())
                   if i < j and _dates_meet(features[i], features[j]))
    if not pairs:
        return
    first_of, second_of = (np.array(side) for side in zip(*pairs))
    matrices = shapely.relate(shapes[first_of], shapes[second_of])
    # Pairs that are apart are near only if within the gap: asked of prepared shapes, whose indexed edges answer
    # at once where a full distance between two large coastlines would be measured (a tenth of the whole load).
    shapely.prepare(shapes)
    close = shapely.dwithin(shapes[first_of], shapes[second_of], GAP_DEGREES)
    for (i, j), matrix, near_enough in zip(pairs, matrices, close):
        interiors_meet, apart = matrix[0] != "F", matrix[:2] == "FF" and matrix[3:5] == "FF"
        if not interiors_meet and not (apart and near_enough):
            continue  # they share a border and nothing else, or lie well apart
        a, b = features[i], features[j]
        first, last = max(a.first_day, b.first_day), min(a.last_day, b.last_day)
        where = data.display(a.layer + ".geojson")
        other = data.display(b.layer + ".geojson")
        if interiors_meet:
            lat = shapes[i].centroid.y
            area = shapes[i].intersection(shapes[j]).area * KM_PER_DEGREE ** 2 * max(0.1, math.cos(math.radians(lat)))
            if area > OVERLAP_KM2:
                problems.add(where, f"feature {a.id}", "geometry",
                             f"overlaps territory {b.id} ({other}) by about {area:,.0f} km² from {first} to {last}; "
                             "territories shown on the same day must not overlap")
            continue
        gap = shapes[i].distance(shapes[j])
        if gap <= GAP_DEGREES:  # dwithin said so; the distance is for the message
            problems.add(where, f"feature {a.id}", "geometry",
                         f"comes within {gap * KM_PER_DEGREE:.1f} km of territory {b.id} ({other}) without touching "
                         f"it, from {first} to {last}; neighbours should share the same border line", warning=True)


def unmapped_features(data, problems):
    """Features that no map shows: their layer is on no map, or their dates miss every map that has the layer."""
    for feature in data.by_id.values():
        maps = [m for m in data.maps if feature.layer in m["layers"]]
        if any(feature.first_day <= m["end_date"] and feature.last_day >= m["start_date"] for m in maps):
            continue
        where = data.display(feature.layer + ".geojson")
        if not maps:
            message = f"is on no map: no map in maps.json has the layer {feature.layer}"
        else:
            ranges = "; ".join(f"{m['id']} {m['start_date']} to {m['end_date']}" for m in maps)
            message = (f"is on no map: {feature.first_day} to {feature.last_day} falls outside every map with "
                       f"this layer ({ranges})")
        problems.add(where, f"feature {feature.id}", "start_date", message, warning=True)


def distance_km(a, b):
    """Great-circle distance between two [lon, lat] points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _mentions_day(text, iso_day):
    """Does the text give this day, as notes write it: "18 Aug", "18 August", "the 18th"?"""
    if len(iso_day) < 10:
        return False
    _, month, day = iso_day.split("-")
    day, name = int(day), MONTHS[int(month) - 1]
    return re.search(rf"\b{day} {name[:3]}|\bthe {day}(?:st|nd|rd|th)\b", text) is not None


def _names(place):
    """The names a note may use for a place: "Changkufeng (Zaozyornaya Hill)" is also "Changkufeng" and
    "Zaozyornaya Hill"; the modern name too."""
    names = re.split(r" \(|\)| / ", place.props["name"]) + [place.props.get("name_modern") or ""]
    names = [name.strip() for name in names if name.strip()]
    return names + [name.removesuffix(" Hill") for name in names if name.endswith(" Hill")]


def _nearest_places(places, vertices):
    """For each vertex [lon, lat], the nearest place within AT_PLACE_KM, or None. A spatial index keeps this linear
    in the data (a copy of the atlas 100 times over has 16,000 vertices and 8,700 places)."""
    if not places or not vertices:
        return [None] * len(vertices)
    tree = shapely.STRtree([shapely.Point(p.geometry["coordinates"]) for p in places])
    # a box in degrees that holds AT_PLACE_KM at the atlas's northern edge (62 N); the exact distance follows
    reach = AT_PLACE_KM / (KM_PER_DEGREE * math.cos(math.radians(62)))
    found = [[] for _ in vertices]
    pairs = tree.query([shapely.Point(v) for v in vertices], predicate="dwithin", distance=reach)
    for v, p in zip(*pairs):
        distance = distance_km(vertices[v], places[p].geometry["coordinates"])
        if distance <= AT_PLACE_KM:
            found[v].append((distance, p))
    return [places[min(hits)[1]] if hits else None for hits in found]


def arrival_dates(data, problems):
    """An arrow of advance that reaches a place must reach it on a day the place's `control` says its side took it,
    or its note must say why not (naming the place and that day): otherwise the map shows the place taken on one
    day and the arrow arriving on another, and a reader cannot tell which to believe. A vertex is at the place
    nearest to it, if within AT_PLACE_KM. An arrow may set out from a place its side already holds (first vertex).
    A route vertex (null date) marks no arrival: it only steers the line, often out of a harbour past its town."""
    places = [f for f in data.by_id.values() if f.props["kind"] == "place" and f.geometry]
    axes = [f for f in data.by_id.values() if f.props["kind"] == "axis" and f.geometry]
    vertices = [(axis, index, point, day) for axis in axes
                for index, (point, day, given) in enumerate(zip(axis.geometry["coordinates"],
                                                                dates.vertex_days(axis.props.get("point_dates", [])),
                                                                axis.props.get("point_dates", [])))
                if given is not None]
    nearest_places = _nearest_places(places, [point for _, _, point, _ in vertices])
    for (axis, index, _, day), nearest in zip(vertices, nearest_places):
        if nearest is None:
            continue
        sides = (axis.props["side"],) if axis.props.get("side") else CAPTURED_BY
        explained = " ".join(axis.props.get(field) or "" for field in ("note", "description"))
        control = nearest.props.get("control") or []
        held = [c for c in control if c["start_date"] <= day]
        holder = held[-1] if held else None
        if holder and holder["side"] in sides and (holder["start_date"] == day or index == 0):
            continue  # taken that day, or the arrow sets out from a place its side holds
        if holder and holder["side"] in sides:
            taken = holder  # arrives at a place its side already held
        else:  # an attack on a place the other side held: when did this side take it, if ever?
            taken = next((c for c in control if c["start_date"] > day and c["side"] in sides), None)
        if taken is None and not any(c["side"] in sides for c in control):
            continue  # the place's record does not follow this side at all
        wanted = taken["start_date"] if taken else ""
        names = _names(nearest)
        if any(name in explained for name in names) and (not wanted or _mentions_day(explained, wanted)):
            continue
        record = (f"has {taken['side']} there from {wanted}" if taken
                  else f"never has {' or '.join(sides)} there after that day")
        problems.add(data.display(axis.layer + ".geojson"), f"feature {axis.id}", f"point_dates[{index}]",
                     f"reaches {nearest.id} on {day}, but {nearest.id}'s control {record}; give both the same "
                     f"date, or say in this feature's note why they differ (naming {names[0]}"
                     + (f" and {wanted})" if wanted else ")"), warning=True)
