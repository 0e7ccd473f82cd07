"""Canonical form: lossless for valid features, idempotent, one feature per line; and --format's CLI."""
import json
import os

from hypothesis import HealthCheck, given, settings, strategies as st

from atlas import canonical, schema
from conftest import run_build

day = st.dates(min_value=__import__("datetime").date(1900, 1, 1),
               max_value=__import__("datetime").date(1950, 12, 31)).map(lambda d: d.isoformat())
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(str.strip)
lon = st.floats(min_value=95, max_value=165, allow_nan=False).map(lambda x: round(x, 4))
lat = st.floats(min_value=28, max_value=62, allow_nan=False).map(lambda x: round(x, 4))
point = st.tuples(lon, lat).map(list)


@st.composite
def features(draw):
    kind = draw(st.sampled_from(["place", "event", "railway", "territory"]))
    props = {"id": draw(st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)),
             "name": draw(text), "kind": kind, "start_date": draw(day), "end_date": draw(day),
             "sources": [{"ref": "src", **({"pages": draw(text)} if draw(st.booleans()) else {})}]}
    for key, strategy in (("name_modern", text), ("description", text), ("rank", st.sampled_from([1, 2, 3])),
                          ("names", st.fixed_dictionaries({"ja": text}, optional={"ru": text, "zh": text}))):
        if draw(st.booleans()):
            props[key] = draw(strategy)
    props = dict(draw(st.permutations(list(props.items()))))  # any key order in, canonical order out
    if kind in ("place", "event"):
        geometry = {"type": "Point", "coordinates": draw(point)}
    elif kind == "railway":
        geometry = {"type": "LineString", "coordinates": draw(st.lists(point, min_size=2, max_size=5))}
    else:
        x, y = draw(lon.filter(lambda v: v < 160)), draw(lat.filter(lambda v: v < 58))
        x1, y1 = round(x + 1, 4), round(y + 1, 4)  # inputs at the documented precision
        ring = [[x, y], [x1, y], [x1, y1], [x, y1], [x, y]]
        geometry = {"type": "Polygon", "coordinates": [ring if draw(st.booleans()) else ring[::-1]]}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _floats(value):
    return float(value) if isinstance(value, (int, float)) else [_floats(v) for v in value]


def meaning(doc):
    """What a layer means, regardless of layout: properties and geometry per feature (rings as sets of points)."""
    out = []
    for f in doc["features"]:
        geom = f["geometry"]
        coords = _floats(geom["coordinates"])
        if geom["type"] == "Polygon":
            coords = [sorted(map(tuple, ring)) for ring in coords]
        out.append((json.dumps(f["properties"], sort_keys=True), geom["type"], json.dumps(coords)))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(features(), max_size=6))
def test_format_is_lossless_and_idempotent(feats):
    doc = {"type": "FeatureCollection", "features": feats}
    once = canonical.layer(doc)
    reparsed = json.loads(once)
    assert meaning(reparsed) == meaning(doc)
    assert canonical.layer(reparsed) == once
    assert once.count("\n") == (len(feats) + 2 if feats else 2)  # "[", one line per feature, "]}"
    assert len(once.splitlines()) == once.count("\n")  # no character that editors take for a line break
    for line, feature in zip(once.split("\n")[1:], feats):
        props = json.loads(line.rstrip(","))["properties"]
        assert list(props) == [k for k in schema.PROPERTIES if k in props]


def test_format_rewinds_polygons():
    ring = [[121, 41], [121, 44], [124, 44], [124, 41], [121, 41]]  # clockwise
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    fixed = json.loads(canonical.layer(doc))["features"][0]["geometry"]["coordinates"][0]
    import shapely
    assert shapely.is_ccw(shapely.linearrings(fixed))


def test_repository_data_is_canonical():
    result = run_build("--format", "--check")
    assert result.returncode == 0, result.stderr


def test_format_check_reports_and_format_fixes(mini):
    path = mini / "layer.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(doc, indent=4), encoding="utf-8")
    result = run_build("--format", "--check", "--data", str(mini))
    assert result.returncode == 1
    assert f"{mini}/layer.geojson: not in canonical form; `python build.py --format` rewrites it" in result.stderr
    assert json.loads(path.read_text(encoding="utf-8")) == doc  # --check changed nothing
    assert run_build("--format", "--data", str(mini)).returncode == 0
    assert run_build("--format", "--check", "--data", str(mini)).returncode == 0
    assert run_build("--check", "--data", str(mini)).returncode == 0


def test_format_leaves_broken_json_alone(mini):
    path = mini / "layer.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    result = run_build("--format", "--data", str(mini))
    assert result.returncode == 1
    assert "invalid JSON" in result.stderr and "Traceback" not in result.stderr
    assert path.read_text(encoding="utf-8") == '{"type": "FeatureCollection", "features": ['


def test_only_format_writes_to_the_data_folder(mini, tmp_path):
    before = {n: (mini / n).read_bytes() for n in os.listdir(mini)}
    assert run_build("--data", str(mini), "--out", str(tmp_path / "maps")).returncode == 0
    assert run_build("--check", "--data", str(mini)).returncode == 0
    assert {n: (mini / n).read_bytes() for n in os.listdir(mini)} == before
