"""Copies of geodata/ with every layer's features multiplied, for the scaling part of the benchmark.

Copy k (k = 1 .. N-1) of a feature gets the id `<id>-c<k>` and its coordinates shifted by k small steps (about 0.002
degrees of longitude and 0.0015 of latitude per step, towards the inside of the atlas area), so the copies are
distinct shapes that draw and validate like the originals (a shape that spans the whole area is clamped to its edge). References (place, front, control.by, the maps' phase
events) keep pointing at the originals, which stay as they were. maps.json and sources.json are copied unchanged.

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
        lon = min(max(round(coords[0] + dx, 6), AREA["west"]), AREA["east"])
        lat = min(max(round(coords[1] + dy, 6), AREA["south"]), AREA["north"])
        return [lon, lat] + list(coords[2:])
    return [_shift(c, dx, dy) for c in coords]


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
                    copy["geometry"]["coordinates"] = _shift(geometry["coordinates"], sx * DX * k, sy * DY * k)
                out.append(copy)
        doc["features"] = out
        features += len(out)
        with open(os.path.join(target, name), "w", encoding="utf-8") as handle:
            json.dump(doc, handle, ensure_ascii=False, indent=1)
    return features
