"""The base map: Natural Earth land (public domain, via world-atlas), clipped to a map's view and simplified.

No modern borders and no labels: the sea is the page's background colour and the land one plain shape, so the
only borders on a map are the dated ones in geodata/. Deriving it takes ~0.7 s, so the result is cached by the
hash of its inputs in .cache/ (never by file times).
"""
import hashlib
import json
import os

from .assets import ROOT, world_atlas

CACHE = os.path.join(ROOT, ".cache")
VERSION = "1"  # bump when the derivation below changes


def land(bounds, margin=2.0):
    """Land polygons covering bounds [[south, west], [north, east]] plus a margin, as a GeoJSON dict."""
    (south, west), (north, east) = bounds
    box = (west - margin, south - margin, east + margin, north + margin)
    span = max(box[2] - box[0], box[3] - box[1])
    tolerance = round(min(0.02, span / 1500), 4)  # about one pixel at the map's starting zoom
    source = world_atlas("land-10m.json")
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


def _derive(source, box, tolerance):
    import geopandas as gpd
    import shapely
    from shapely.geometry import box as make_box, mapping

    frame = gpd.read_file(source, layer="land")
    clip = make_box(*box)
    # The world polygons are invalid in places; clip first, then repair the small piece (repairing all takes 15 s).
    pieces = [shapely.make_valid(shapely.clip_by_rect(g, *box)) for g in frame.geometry if g.intersects(clip)]
    merged = shapely.union_all(pieces).simplify(tolerance, preserve_topology=True)
    merged = shapely.set_precision(merged, 0.001)
    polygons = [g for g in getattr(merged, "geoms", [merged]) if g.geom_type == "Polygon" and g.area > tolerance ** 2]
    shape = shapely.orient_polygons(shapely.MultiPolygon(polygons)) if hasattr(shapely, "orient_polygons") else \
        shapely.MultiPolygon([shapely.geometry.polygon.orient(p) for p in polygons])
    return {"type": "Feature", "properties": {}, "geometry": mapping(shape)}
