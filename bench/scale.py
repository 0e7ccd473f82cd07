"""Copies of geodata/ with every layer's features multiplied, for the scaling part of the benchmark.

Copy k (k = 1 .. N-1) of a feature gets the id `<id>-c<k>` and its coordinates shifted by k small steps (about 0.002
degrees of longitude and 0.0015 of latitude per step, towards the inside of the atlas area), so the copies are
distinct shapes that draw and validate like the originals (a shape spanning the whole area is shrunk a little
instead). References (place, front, control.by, the maps' phase events) keep pointing at the originals, which stay
as they were. maps.json and sources.json are copied unchanged.

Territories valid on the same day must not overlap (atlas/checks.py), and a copy shifted a little overlaps its
original, so the copies of territories are written with kind "area": the same polygons, drawn the same way (one SVG
path each), on the Areas layer instead of the Territories layer.
"""
import json
import os
import shutil

DX, DY = 0.002, 0.0015
AREA = {"west": 95.0, "east": 165.0, "south": 28.0, "north": 62.0}  # atlas/schema.py's AREA, read-only copy


def _shift(coords, dx, dy):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0] + dx, 6), round(coords[1] + dy, 6)] + list(coords[2:])
    return [_shift(c, dx, dy) for c in coords]


def _shrink(coords, cx, cy, factor):
    if isinstance(coords[0], (int, float)):
        return [round(cx + (coords[0] - cx) * factor, 6), round(cy + (coords[1] - cy) * factor, 6)] + list(coords[2:])
    return [_shrink(c, cx, cy, factor) for c in coords]


def _inside(coords):
    return all(AREA["west"] <= p[0] <= AREA["east"] and AREA["south"] <= p[1] <= AREA["north"]
               for p in _positions(coords))


def _moved(coords, k, sx, sy):
    """Copy k of a geometry's coordinates: shifted by k steps, or, where that would leave the atlas area (a shape
    spanning it), shrunk by k * 0.04% towards the centre of its bounding box (inside the area, so it stays inside;
    a similarity transform keeps a valid polygon valid and its winding as it was)."""
    shifted = _shift(coords, sx * DX * k, sy * DY * k)
    if _inside(shifted):
        return shifted
    positions = list(_positions(coords))
    cx = (min(p[0] for p in positions) + max(p[0] for p in positions)) / 2
    cy = (min(p[1] for p in positions) + max(p[1] for p in positions)) / 2
    return _shrink(coords, cx, cy, 1 - 0.0004 * k)


def _positions(coords):
    if isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _positions(c)


def _direction(geometry):
    """+1/-1 per axis so that shifting keeps the shape inside the atlas area."""
    positions = list(_positions(geometry["coordinates"]))
    lon = sum(p[0] for p in positions) / len(positions)
    lat = sum(p[1] for p in positions) / len(positions)
    return (1 if lon < (AREA["west"] + AREA["east"]) / 2 else -1), (1 if lat < (AREA["south"] + AREA["north"]) / 2
                                                                    else -1)


def multiply(source, target, factor):
    """Write a copy of the geodata folder `source` into `target` with every feature `factor` times."""
    if os.path.exists(target):
        shutil.rmtree(target)
    os.makedirs(target)
    features = 0
    for name in sorted(os.listdir(source)):
        path = os.path.join(source, name)
        if not name.endswith(".geojson"):
            if os.path.isfile(path):
                shutil.copy2(path, os.path.join(target, name))
            continue
        with open(path, encoding="utf-8") as handle:
            doc = json.load(handle)
        out = []
        for feature in doc["features"]:
            out.append(feature)
            geometry = feature.get("geometry")
            sx, sy = _direction(geometry) if geometry else (1, 1)
            for k in range(1, factor):
                copy = json.loads(json.dumps(feature))
                copy["properties"]["id"] = f"{feature['properties']['id']}-c{k}"
                if copy["properties"].get("kind") == "territory":
                    copy["properties"]["kind"] = "area"
                if geometry:
                    copy["geometry"]["coordinates"] = _moved(geometry["coordinates"], k, sx, sy)
                out.append(copy)
        doc["features"] = out
        features += len(out)
        with open(os.path.join(target, name), "w", encoding="utf-8") as handle:
            json.dump(doc, handle, ensure_ascii=False, indent=1)
    return features
