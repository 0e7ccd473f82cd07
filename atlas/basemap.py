"""The base map: Natural Earth land (public domain, via world-atlas), clipped to a map's view and simplified.

No modern borders and no labels: the sea is the page's background colour and the land one plain shape, so the
only borders on a map are the dated ones in geodata/. Deriving it takes ~0.7 s, so the result is cached by the
hash of its inputs in .cache/ (never by file times).
"""
import hashlib
import json
import os
from functools import lru_cache

from .assets import ROOT, world_atlas

CACHE = os.path.join(ROOT, ".cache")
VERSION = "2"  # bump when the derivation below changes


def land(bounds, margin=2.0):
    """Land polygons covering bounds [[south, west], [north, east]] plus a margin, as a GeoJSON dict."""
    (south, west), (north, east) = bounds
    box = (west - margin, south - margin, east + margin, north + margin)
    span = max(box[2] - box[0], box[3] - box[1])
    tolerance = round(min(0.02, span / 1500), 4)  # about one pixel at the map's starting zoom
    # A regional map simplifies to 0.02 degrees (~2 km), coarser than the 1:50m coast; battle maps need 1:10m.
    source = world_atlas("land-50m.json" if tolerance >= 0.02 else "land-10m.json")
    with open(source, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()[:16]
    key = hashlib.sha256(json.dumps([VERSION, digest, box, tolerance]).encode()).hexdigest()[:20]
    path = os.path.join(CACHE, f"land-{key}.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    result = _derive(source, box, tolerance)
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
        return np.concatenate(parts)

    polygons = []
    for geometry in topology["objects"]["land"]["geometries"]:
        rings = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in rings:
            coords = [ring(r) for r in polygon]
            polygons.append(shapely.Polygon(coords[0], coords[1:]))
    return polygons, shapely.bounds(np.array(polygons, dtype=object))


def _derive(source, box, tolerance):
    import shapely
    from shapely.geometry import mapping

    polygons, bounds = _world_polygons(source)
    west, south, east, north = box
    near = (bounds[:, 0] <= east) & (bounds[:, 2] >= west) & (bounds[:, 1] <= north) & (bounds[:, 3] >= south)
    # The world polygons are invalid in places; clip first, then repair the small piece (repairing all takes 15 s).
    pieces = [shapely.make_valid(shapely.clip_by_rect(polygons[i], *box)) for i in near.nonzero()[0]]
    merged = shapely.union_all(pieces).simplify(tolerance, preserve_topology=True)
    merged = shapely.set_precision(merged, 0.001)
    kept = [g for g in getattr(merged, "geoms", [merged]) if g.geom_type == "Polygon" and g.area > tolerance ** 2]
    shape = shapely.orient_polygons(shapely.MultiPolygon(kept))
    return {"type": "Feature", "properties": {}, "geometry": mapping(shape)}
