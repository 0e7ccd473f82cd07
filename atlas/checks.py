"""Checks across features that help editors: territories that overlap or almost touch on the same date, and
features that no map shows. Run by dataset.load after every file has passed its own checks."""
import math

import shapely
from shapely.geometry import shape

OVERLAP_KM2 = 1.0  # rounding to 4 decimals moves a border by ~10 m; real overlaps are far larger
GAP_DEGREES = 0.02  # neighbours closer than ~2 km but not touching left a sliver between them
KM_PER_DEGREE = 111.32


def _dates_meet(a, b):
    return a.first_day <= b.last_day and b.first_day <= a.last_day


def territory_problems(data, problems):
    """Territories valid on the same day must not overlap, and should not leave slivers between them."""
    features = [f for f in data.by_id.values() if f.props["kind"] == "territory"]
    if len(features) < 2:
        return
    shapes = [shape(f.geometry) for f in features]
    tree = shapely.STRtree(shapes)
    for i, j in zip(*tree.query(shapes, predicate="dwithin", distance=GAP_DEGREES)):
        if i >= j:
            continue
        a, b = features[i], features[j]
        if not _dates_meet(a, b):
            continue
        first, last = max(a.first_day, b.first_day), min(a.last_day, b.last_day)
        where = data.display(a.layer + ".geojson")
        other = data.display(b.layer + ".geojson")
        lat = shapes[i].centroid.y
        area = shapes[i].intersection(shapes[j]).area * KM_PER_DEGREE ** 2 * max(0.1, math.cos(math.radians(lat)))
        if area > OVERLAP_KM2:
            problems.add(where, f"feature {a.id}", "geometry",
                         f"overlaps territory {b.id} ({other}) by about {area:,.0f} km² from {first} to {last}; "
                         "territories shown on the same day must not overlap")
        elif not shapes[i].touches(shapes[j]) and not shapes[i].intersects(shapes[j]):
            gap = shapes[i].distance(shapes[j]) * KM_PER_DEGREE
            problems.add(where, f"feature {a.id}", "geometry",
                         f"comes within {gap:.1f} km of territory {b.id} ({other}) without touching it, from {first} "
                         f"to {last}; neighbours should share the same border line", warning=True)


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
