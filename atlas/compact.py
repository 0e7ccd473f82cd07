"""Shared-vertex encoding of polygon layers for the page.

Territories repeat the same borders many times: neighbours share them and the same land is redrawn for every
period (in the road-to-war map only 27% of territory edges are distinct). The page therefore carries each vertex
once, in a table of integer deltas, and each ring as deltas of indices into that table; atlas.decodeShared in
atlas.js rebuilds the GeoJSON in the browser before Leaflet sees it. The coordinates come out exactly as the
plain GeoJSON would give them.
"""


def encode(collection, digits):
    """A FeatureCollection of (Multi)Polygons -> {"s": scale, "v": vertex deltas, "f": features with "r" rings}."""
    scale = 10 ** digits
    index, table = {}, []

    def ring(coords):
        out, previous = [], 0
        for lon, lat in coords:
            key = (round(lon * scale), round(lat * scale))
            if key not in index:
                index[key] = len(table)
                table.append(key)
            out.append(index[key] - previous)
            previous = index[key]
        return out

    features = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            rings = [ring(r) for r in geometry["coordinates"]]
        elif geometry["type"] == "MultiPolygon":
            rings = [[ring(r) for r in polygon] for polygon in geometry["coordinates"]]
        else:
            raise ValueError(f"only polygons can be encoded, not {geometry['type']}")
        features.append({"type": "Feature", "properties": feature["properties"],
                         "geometry": {"type": geometry["type"], "r": rings}})
    deltas, px, py = [], 0, 0
    for x, y in table:
        deltas += [x - px, y - py]
        px, py = x, y
    return {"s": scale, "v": deltas, "f": features}


def decode(packed):
    """The inverse of encode, as atlas.js does it (used by the tests)."""
    scale, points, x, y = packed["s"], [], 0, 0
    values = packed["v"]
    for i in range(0, len(values), 2):
        x += values[i]
        y += values[i + 1]
        points.append([x / scale, y / scale])

    def ring(deltas):
        out, k = [], 0
        for d in deltas:
            k += d
            out.append(points[k])
        return out

    features = []
    for feature in packed["f"]:
        g = feature["geometry"]
        coords = [ring(r) for r in g["r"]] if g["type"] == "Polygon" else [[ring(r) for r in p] for p in g["r"]]
        features.append({"type": "Feature", "properties": feature["properties"],
                         "geometry": {"type": g["type"], "coordinates": coords}})
    return {"type": "FeatureCollection", "features": features}
