"""The shared-vertex encoding of polygon layers gives back exactly the coordinates it was given."""
import json

from atlas import compact, dataset, story
from conftest import ROOT


def test_territories_round_trip_and_shrink():
    data, _ = dataset.load(f"{ROOT}/geodata")
    spec = next(m for m in data.maps if m["id"] == "road-to-war")
    content = story.map_content(data, spec)
    collection = next(fc for label, _p, _z, fc in content.layers if label == "Territories")
    packed = compact.encode(collection, story.page_digits(spec))
    assert compact.decode(packed) == json.loads(json.dumps(collection))
    plain = len(json.dumps(collection, separators=(",", ":")))
    assert len(json.dumps(packed, separators=(",", ":"))) < plain * 0.6


def test_holes_and_multipolygons_survive():
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "MultiPolygon", "coordinates": [
            [[[121.0, 41.0], [124.0, 41.0], [124.0, 44.0], [121.0, 41.0]],
             [[122.5, 42.0], [123.0, 43.0], [123.0, 42.0], [122.5, 42.0]]],
            [[[126.0, 41.0], [127.0, 41.0], [127.0, 42.0], [126.0, 41.0]]]]}},
        {"type": "Feature", "properties": {"id": "b"}, "geometry": {"type": "Polygon", "coordinates": [
            [[124.0, 41.0], [126.0, 41.0], [124.0, 44.0], [124.0, 41.0]]]}}]}
    assert compact.decode(compact.encode(collection, 3)) == collection
