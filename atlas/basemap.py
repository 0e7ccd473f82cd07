"""The base map: Natural Earth land (public domain, via world-atlas), clipped to a map's view and simplified.

No modern borders and no labels: the sea is the page's background colour and the land one plain shape, so the
only borders on a map are the dated ones in geodata/. Deriving it takes ~0.7 s, so the result is cached by the
hash of its inputs in .cache/ (never by file times).
"""
import hashlib
import json
import os
from functools import lru_cache

from .assets import CACHE, world_atlas

VERSION = "4"  # bump when the derivation below changes
SURROUND = 0.25  # how far past its bounds a page's map may be panned, as a share of the bounds' larger side
COARSE = 5  # the surround is simplified this many times more than the view, since it is seen zoomed out


def pan_box(bounds):
    """[[south, west], [north, east]]: how far a page lets its map be panned, and how far its land reaches (a
    view wider than the map's bounds, e.g. a wide screen or a phone held upright, shows land there, not sea)."""
    (south, west), (north, east) = bounds
    extra = round(max(north - south, east - west) * SURROUND, 3)
    return [[max(south - extra, -85.0), west - extra], [min(north + extra, 85.0), east + extra]]


def land(bounds, margin=2.0, surround=False, cache=True):
    """Land polygons covering bounds [[south, west], [north, east]] plus a margin, as a GeoJSON dict; with surround,
    also a coarser outline of the land out to pan_box(bounds). cache=False derives it afresh and stores nothing
    (for the benchmark of a cold build)."""
    (south, west), (north, east) = bounds
    box = (west - margin, south - margin, east + margin, north + margin)
    span = max(box[2] - box[0], box[3] - box[1])
    tolerance = round(min(0.02, span / 1500), 4)  # about one pixel at the map's starting zoom
    # A regional map simplifies to 0.02 degrees (~2 km), coarser than the 1:50m coast; battle maps need 1:10m.
    source = world_atlas("land-50m.json" if tolerance >= 0.02 else "land-10m.json")
    (outer_south, outer_west), (outer_north, outer_east) = pan_box(bounds)
    outer = (min(outer_west, box[0]), min(outer_south, box[1]), max(outer_east, box[2]), max(outer_north, box[3]))
    outer = outer if surround and outer != box else None
    with open(source, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()[:16]
    key = hashlib.sha256(json.dumps([VERSION, digest, box, tolerance, outer]).encode()).hexdigest()[:20]
    path = os.path.join(CACHE, f"land-{key}.json")
    if not cache:
        return _derive(source, box, tolerance, outer)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    result = _derive(source, box, tolerance, outer)
    os.makedirs(CACHE, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(result, handle, separators=(",", ":"))
    os.replace(tmp, path)
    return result


@lru_cache(maxsize=None)
def _world_polygons(source):
    """Natural Earth land as (shapely polygons, their bounding boxes), decoded from world-atlas's TopoJSON once per
    process (faster than reading it through geopandas, and needs no GDAL)."""
    import numpy as np
    import shapely

    with open(source, encoding="utf-8") as handle:
        topology = json.load(handle)
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:  # quantized and delta-encoded
        points = np.cumsum(np.asarray(arc, dtype=np.float64), axis=0)
        arcs.append(points * scale + translate)

    def ring(indexes):
        parts = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            parts.append(points if not parts else points[1:])  # consecutive arcs share their end point
        return unwrap(np.concatenate(parts))

    def unwrap(points):
        # TopoJSON rings are spherical: a ring crossing the antimeridian (Chukotka) jumps from -180 to 180 in one
        # step. Drawn on a plane that step is an edge around the whole world, and clipping then loses the land north
        # of it (everything above ~65 N). Undo each jump so the ring runs on past 180, then bring the ring back
        # to where most of it lies.
        lon = points[:, 0]
        jumps = np.diff(lon)
        if len(jumps) == 0 or np.abs(jumps).max() <= 180.0:  # nearly every ring: nothing to undo
            return points
        steps = np.concatenate([[0.0], -360.0 * np.round(jumps / 360.0)])
        lon = lon + np.cumsum(steps)
        lon -= 360.0 * np.round(np.median(lon) / 360.0)
        return np.column_stack([lon, points[:, 1]])

    polygons = []
    for geometry in topology["objects"]["land"]["geometries"]:
        rings = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in rings:
            coords = [ring(r) for r in polygon]
            polygons.append(shapely.Polygon(coords[0], coords[1:]))
    return polygons, shapely.bounds(np.array(polygons, dtype=object))


def _derive(source, box, tolerance, outer=None):
    import shapely
    from shapely.geometry import mapping

    shape = _clipped(source, box, tolerance)
    if outer is not None:
        # The surround comes from the 1:50m coast, simplified coarsely, with the view's box cut out of it; the
        # two meet along that box's edges, where both are land, so no seam shows.
        coarse = tolerance * COARSE if tolerance >= 0.02 else 0.02 * COARSE
        ring = _clipped(world_atlas("land-50m.json"), outer, coarse).difference(shapely.box(*box))
        shape = shapely.union_all([shape, shapely.set_precision(ring, 0.001)])
        shape = shapely.MultiPolygon([g for g in getattr(shape, "geoms", [shape]) if g.geom_type == "Polygon"])
    shape = shapely.orient_polygons(shape)
    return {"type": "Feature", "properties": {}, "geometry": mapping(shape)}


def _clipped(source, box, tolerance):
    """The land inside box as a MultiPolygon, simplified to tolerance and rounded to 0.001 degrees."""
    import shapely

    polygons, bounds = _world_polygons(source)
    west, south, east, north = box
    near = (bounds[:, 0] <= east) & (bounds[:, 2] >= west) & (bounds[:, 1] <= north) & (bounds[:, 3] >= south)
    # The world polygons are invalid in places; clip first, then repair the small piece (repairing all takes 15 s).
    pieces = [shapely.make_valid(shapely.clip_by_rect(polygons[i], *box)) for i in near.nonzero()[0]]
    merged = shapely.union_all(pieces).simplify(tolerance, preserve_topology=True)
    merged = shapely.set_precision(merged, 0.001)
    kept = [g for g in getattr(merged, "geoms", [merged]) if g.geom_type == "Polygon" and g.area > tolerance ** 2]
    return shapely.MultiPolygon(kept)
