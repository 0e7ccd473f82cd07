"""Random mutations of valid data never crash the checker: each gives clear errors or passes."""
import copy
import json
import shutil

from hypothesis import HealthCheck, given, settings, strategies as st

from atlas import dataset
from conftest import MINI

with open(f"{MINI}/layer.geojson", encoding="utf-8") as _h:
    BASE = json.load(_h)

ODD_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                       st.text(max_size=12), st.just("1945-02-30"), st.just("1945-08"), st.just([]), st.just({}),
                       st.lists(st.integers(), max_size=3), st.just([[1, 2], [3]]), st.just({"ref": 5}))
KEYS = st.sampled_from(["id", "name", "kind", "start_date", "end_date", "sources", "point_dates", "control",
                        "figures", "place", "front", "names", "rank", "precision", "geometry", "type", "properties",
                        "coordinates", "strat_date", "side"])


def _mutate(doc, path_choice, key, value, action):
    value = copy.deepcopy(value)  # strategies such as st.just({}) hand out one shared object
    features = doc["features"]
    target = features[path_choice % len(features)]
    if action == "replace-doc":
        return value
    if action == "replace-feature":
        features[path_choice % len(features)] = value
        return doc
    if not isinstance(target, dict):
        return doc
    if not isinstance(target.get("properties"), dict) and action in ("set-prop", "drop-prop"):
        return doc
    if action == "set-prop":
        target.setdefault("properties", {})[key] = value
    elif action == "drop-prop":
        target.get("properties", {}).pop(key, None)
    elif action == "set-member":
        target[key] = value
    elif action == "set-coords" and isinstance(target.get("geometry"), dict):
        target["geometry"]["coordinates"] = value
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 50), KEYS, ODD_VALUES,
                          st.sampled_from(["set-prop", "drop-prop", "set-member", "set-coords", "replace-feature",
                                           "replace-doc"])), min_size=1, max_size=4))
def test_mutated_layers_give_errors_not_tracebacks(tmp_path_factory, mutations):
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(MINI, folder, dirs_exist_ok=True)
    doc = copy.deepcopy(BASE)
    for choice, key, value, action in mutations:
        doc = _mutate(doc, choice, key, value, action)
        if not isinstance(doc, dict) or not isinstance(doc.get("features"), list) or not doc["features"]:
            break
    (folder / "layer.geojson").write_text(json.dumps(doc), encoding="utf-8")
    data, problems = dataset.load(str(folder))  # must not raise
    for problem in problems:
        line = str(problem).removeprefix("warning: ")
        assert "\n" not in line and line.startswith(str(folder))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_give_a_file_level_error(tmp_path_factory, junk):
    folder = tmp_path_factory.mktemp("junk")
    shutil.copytree(MINI, folder, dirs_exist_ok=True)
    (folder / "layer.geojson").write_bytes(junk)
    _data, problems = dataset.load(str(folder))
    assert problems.errors


POSITIONS = st.lists(st.tuples(st.floats(120, 128), st.floats(40, 46)).map(list), max_size=7)
CLOSED = st.lists(st.tuples(st.floats(120, 128), st.floats(40, 46)).map(list), min_size=3, max_size=7).map(
    lambda ring: ring + ring[:1])  # closed as GeoJSON wants, so that the shape gets built and checked
RING = st.one_of(POSITIONS, CLOSED)
SHAPES = st.one_of(
    st.tuples(st.just("Polygon"), st.lists(RING, min_size=1, max_size=4)),
    st.tuples(st.just("Polygon"), st.lists(CLOSED, min_size=1, max_size=4)),
    st.tuples(st.just("MultiPolygon"), st.lists(st.lists(RING, min_size=1, max_size=3), min_size=1, max_size=3)),
    st.tuples(st.just("MultiPolygon"), st.lists(st.lists(CLOSED, min_size=1, max_size=3), min_size=1, max_size=3)),
    st.tuples(st.just("LineString"), POSITIONS),
    st.tuples(st.just("MultiLineString"), st.lists(POSITIONS, min_size=1, max_size=3)))


@settings(max_examples=300, deadline=None)
@given(SHAPES)
def test_odd_shapes_give_errors_not_tracebacks(tmp_path_factory, shape):
    """Rings of any length, open or closed, any number of holes and parts: the checker answers, it never raises (a
    polygon with two holes of different lengths once did)."""
    gtype, coordinates = shape
    folder = tmp_path_factory.mktemp("shapes")
    shutil.copytree(MINI, folder, dirs_exist_ok=True)
    doc = copy.deepcopy(BASE)
    target = next(f for f in doc["features"] if f["properties"]["id"] == "zone")
    target["geometry"] = {"type": gtype, "coordinates": coordinates}
    (folder / "layer.geojson").write_text(json.dumps(doc), encoding="utf-8")
    _data, problems = dataset.load(str(folder))  # must not raise
    for problem in problems:
        line = str(problem).removeprefix("warning: ")
        assert "\n" not in line and line.startswith(str(folder))
