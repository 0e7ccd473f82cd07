"""Broken data: every case gets the exact one-line message a user sees, a non-zero exit, no traceback,
and leaves maps/ exactly as it was."""
import json
import os

import pytest

from conftest import run_build


def edit_feature(fid, change):
    def mutate(folder):
        path = folder / "layer.geojson"
        doc = json.loads(path.read_text(encoding="utf-8"))
        for feature in doc["features"]:
            if feature["properties"]["id"] == fid:
                change(feature)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return mutate


def set_prop(fid, key, value):
    return edit_feature(fid, lambda f: f["properties"].__setitem__(key, value))


def rename_prop(fid, old, new):
    return edit_feature(fid, lambda f: f["properties"].__setitem__(new, f["properties"].pop(old)))


def drop_prop(fid, key):
    return edit_feature(fid, lambda f: f["properties"].pop(key))


def set_geometry(fid, geometry):
    return edit_feature(fid, lambda f: f.__setitem__("geometry", geometry))


def write(name, text):
    def mutate(folder):
        (folder / name).write_text(text, encoding="utf-8")
    return mutate


def edit_map(key, value):
    def mutate(folder):
        path = folder / "maps.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["maps"][0][key] = value
        path.write_text(json.dumps(doc), encoding="utf-8")
    return mutate


def add_feature(feature):
    def mutate(folder):
        path = folder / "layer.geojson"
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["features"].append(feature)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return mutate


def territory(fid, ring, start="1945-08-12", end="1945-08-20"):
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"id": fid, "name": fid, "kind": "territory", "side": "soviet", "start_date": start,
                           "end_date": end, "sources": [{"ref": "test-source"}]}}


CASES = {
    "overlapping territories": (
        add_feature(territory("rival", [[123, 43], [125, 43], [125, 45], [123, 45], [123, 43]])),
        ["DATA/layer.geojson: feature zone: geometry: overlaps territory rival (DATA/layer.geojson) by about "
         "9,146 km² from 1945-08-12 to 1945-08-15; territories shown on the same day must not overlap"]),
    "typo in a field name": (
        rename_prop("advance", "start_date", "strat_date"),
        ["DATA/layer.geojson: feature advance: strat_date: unknown field (did you mean 'start_date'?); allowed fields "
         "are id, name, name_modern, names, label, kind, category, side, front, commander, start_date, end_date, "
         "date_certainty, point_dates, precision, place, location, rank, description, note, control, period_names, "
         "figures, sources",
         "DATA/layer.geojson: feature advance: start_date: is missing; every feature needs id, name, kind, start_date, "
         "end_date, sources"]),
    "impossible day": (
        set_prop("advance", "end_date", "1945-08-32"),
        ["DATA/layer.geojson: feature advance: end_date: '1945-08-32' is not a calendar date; expected YYYY, YYYY-MM "
         "or YYYY-MM-DD"]),
    "end before start": (
        set_prop("zone", "end_date", "1945-08-01"),
        ["DATA/layer.geojson: feature zone: end_date: 1945-08-01 is before start_date 1945-08-10; end_date is the "
         "last day shown and must not come before start_date"]),
    "no sources": (
        set_prop("town", "sources", []),
        ["DATA/layer.geojson: feature town: sources: must be a non-empty list"]),
    "unknown source": (
        set_prop("town", "sources", [{"ref": "nobody-2000"}]),
        ["DATA/layer.geojson: feature town: sources[0].ref: 'nobody-2000' is not a key of sources.json"]),
    "swapped latitude and longitude": (
        set_geometry("town", {"type": "Point", "coordinates": [43.8171, 125.3235]}),
        ["DATA/layer.geojson: feature town: geometry.coordinates: [43.8171, 125.3235] is outside the atlas area "
         "(longitude 95 to 165, latitude 28 to 62) (latitude and longitude swapped?); coordinates are "
         "[longitude, latitude]"]),
    "axis dates going backwards": (
        set_prop("advance", "point_dates", ["1945-08-09", "1945-08-14", "1945-08-12"]),
        ["DATA/layer.geojson: feature advance: point_dates[2]: 1945-08-12 comes before the date of the vertex before "
         "it (1945-08-14); the dates along an axis must never go backwards"]),
    "axis route vertex at the start": (
        set_prop("advance", "point_dates", [None, "1945-08-12", "1945-08-19"]),
        ["DATA/layer.geojson: feature advance: point_dates[0]: is null; only a vertex on the way may be null (a route "
         "vertex whose day no source gives), the first and the last need a date"]),
    "axis dates going backwards past a route vertex": (
        set_prop("advance", "point_dates", ["1945-08-14", None, "1945-08-12"]),
        ["DATA/layer.geojson: feature advance: point_dates[2]: 1945-08-12 comes before the date of the vertex before "
         "it (1945-08-14); the dates along an axis must never go backwards"]),
    "axis dates missing a vertex": (
        set_prop("advance", "point_dates", ["1945-08-09", "1945-08-12"]),
        ["DATA/layer.geojson: feature advance: point_dates: has 2 dates for 3 vertices; give one date per vertex"]),
    "clockwise polygon": (
        set_geometry("zone", {"type": "Polygon", "coordinates": [[[121, 41], [121, 44], [124, 44], [124, 41],
                                                                   [121, 41]]]}),
        ["DATA/layer.geojson: feature zone: geometry.coordinates: exterior ring is wound the wrong way; RFC 7946 wants "
         "it counter-clockwise (python build.py --format rewinds it)"]),
    "hole wound like an exterior": (
        set_geometry("zone", {"type": "Polygon", "coordinates": [
            [[121, 41], [124, 41], [124, 44], [121, 44], [121, 41]],
            [[122, 42], [123, 42], [123, 43], [122, 43], [122, 42]]]}),
        ["DATA/layer.geojson: feature zone: geometry.coordinates: hole is wound the wrong way; RFC 7946 wants it "
         "clockwise (python build.py --format rewinds it)"]),
    "second polygon of a multipolygon wound the wrong way": (
        set_geometry("zone", {"type": "MultiPolygon", "coordinates": [
            [[[121, 41], [122, 41], [122, 42], [121, 42], [121, 41]]],
            [[[123, 41], [123, 42], [124, 42], [124, 41], [123, 41]]]]}),
        ["DATA/layer.geojson: feature zone: geometry.coordinates: exterior ring is wound the wrong way; RFC 7946 wants "
         "it counter-clockwise (python build.py --format rewinds it)"]),
    "a multipolygon vertex outside the area": (
        set_geometry("zone", {"type": "MultiPolygon", "coordinates": [
            [[[121, 41], [122, 41], [122, 42], [121, 42], [121, 41]]],
            [[[123, 41], [170.5, 41], [124, 42], [123, 41]]]]}),
        ["DATA/layer.geojson: feature zone: geometry.coordinates: [170.5, 41] is outside the atlas area "
         "(longitude 95 to 165, latitude 28 to 62); coordinates are [longitude, latitude]"]),
    "self-intersecting polygon": (
        set_geometry("zone", {"type": "Polygon", "coordinates": [[[121, 41], [124, 44], [124, 41], [121, 44],
                                                                   [121, 41]]]}),
        None),  # winding of a bow-tie is undefined; asserted below by field only
    "wrong geometry for the kind": (
        set_geometry("town", {"type": "LineString", "coordinates": [[121, 41], [122, 42]]}),
        ["DATA/layer.geojson: feature town: geometry.type: LineString does not fit kind place; expected Point"]),
    "renamings out of order": (
        set_prop("town", "period_names", [{"name": "Hsinking", "start_date": "1932-03-14"},
                                          {"name": "Changchun", "start_date": "1904"}]),
        ["DATA/layer.geojson: feature town: period_names[1].start_date: 1904 does not come after the entry above "
         "it; list the names in date order",
         "DATA/layer.geojson: feature town: period_names: the last name, 'Changchun', must be the feature's name "
         "'Hsinking' (the name it had last)"]),
    "modern name that repeats the name": (
        set_prop("town", "name_modern", "Hsinking"),
        ["DATA/layer.geojson: feature town: name_modern: repeats name 'Hsinking'; give name_modern only where "
         "today's name differs"]),
    "renaming on an impossible day": (
        set_prop("town", "period_names", [{"name": "Changchun", "start_date": "1904"},
                                          {"name": "Hsinking", "start_date": "1932-02-30"}]),
        ["DATA/layer.geojson: feature town: period_names[1].start_date: '1932-02-30' is not a calendar date; "
         "expected YYYY, YYYY-MM or YYYY-MM-DD"]),
    "renaming known only to a year in which the town changed hands": (
        edit_feature("town", lambda f: f["properties"].update(
            control=[{"side": "chinese", "start_date": "1904"}, {"side": "japanese", "start_date": "1931-09-19"}],
            period_names=[{"name": "Changchun", "start_date": "1904"}, {"name": "Hsinking", "start_date": "1931"}])),
        ["DATA/layer.geojson: feature town: period_names[1].start_date: 1931 is known only to the year, and "
         "control[1] changes hands within it (1931-09-19); give the month or day, so the map does not show "
         "'Hsinking' before the change that brought it, or say in the note which came first (naming Hsinking and "
         "1931)"]),
    "unknown place": (
        set_prop("attack", "place", "atlantis"),
        ["DATA/layer.geojson: feature attack: place: refers to 'atlantis', which is no feature in DATA/"]),
    "front that is not a unit": (
        set_prop("advance", "front", "town"),
        ["DATA/layer.geojson: feature advance: front: refers to 'town', which is a place, not a unit"]),
    "unknown kind": (
        set_prop("town", "kind", "city"),
        ["DATA/layer.geojson: feature town: kind: 'city' is not one of territory, area, border, claim, front-line, "
         "axis, unit, place, battle, event, railway, river"]),
    "duplicate id": (
        set_prop("army", "id", "town"),
        ["DATA/layer.geojson: feature town: id: is also used in DATA/layer.geojson; ids must be unique across "
         "geodata/",
         "DATA/layer.geojson: feature town: control[1].by: refers to 'army', which is no feature in DATA/",
         "DATA/layer.geojson: feature advance: front: refers to 'army', which is no feature in DATA/"]),
    "javascript link in a source": (
        write("sources.json", '{"sources": {"test-source": {"title": "T", "url": "javascript:alert(1)"}}}'),
        ["DATA/sources.json: source test-source: url: 'javascript:alert(1)' is not an http:// or https:// link"]),
    "broken JSON": (
        write("layer.geojson", '{"type": "FeatureCollection",\n "features": [\n {"type": "Feature",}\n]}'),
        ["DATA/layer.geojson: line 3, column 21: invalid JSON: Expecting property name enclosed in double quotes"]),
    "duplicate key": (
        write("layer.geojson", '{"type": "FeatureCollection", "type": "FeatureCollection", "features": []}'),
        ["DATA/layer.geojson: the key 'type' appears twice in one object; keep one"]),
    "not UTF-8": (
        lambda folder: (folder / "layer.geojson").write_bytes(b'{"type": "FeatureCollection",\n"features": ["\xe9"]}'),
        ["DATA/layer.geojson: line 2: is not UTF-8 text (byte 0xe9); save the file as UTF-8"]),
    "map with an unknown layer": (
        edit_map("layers", ["layer", "fronts"]),
        ["DATA/maps.json: map mini: layers: 'fronts' is not a layer in DATA/ (layers: layer)"]),
    "map opening outside its range": (
        edit_map("open_date", "1946-01-01"),
        ["DATA/maps.json: map mini: open_date: 1946-01-01 is outside the map's range 1945-08-08 to 1945-08-20"]),
    "opening view reaching past the map's bounds": (
        edit_map("view", [[39, 121], [45, 127]]),
        ["DATA/maps.json: map mini: view: [[39, 121], [45, 127]] must lie inside the map's bounds "
         "[[40, 120], [48, 132]]"]),
    "opening view that is not a box": (
        edit_map("view", [43, 125, 45, 128]),
        ["DATA/maps.json: map mini: view: must be [[south, west], [north, east]]"]),
    "phase view with latitude and longitude swapped": (
        edit_map("phases", [{"label": "Attack", "event": "attack", "bounds": [[125, 43], [128, 45]]}]),
        ["DATA/maps.json: map mini: phases[0].bounds: [[125, 43], [128, 45]] must be [[south, west], [north, east]] "
         "inside the atlas area"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_data_is_rejected_with_a_clear_message(case, mini, tmp_path):
    mutate, expected = CASES[case]
    out = tmp_path / "maps"
    out.mkdir()
    (out / "mini.html").write_text("previous build", encoding="utf-8")
    mutate(mini)
    result = run_build("--data", str(mini), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line.replace(str(mini), "DATA") for line in result.stderr.splitlines() if not line.startswith("warning")]
    assert lines[-1].endswith("problem(s) in DATA/; nothing was written.")
    if expected is None:
        assert any("feature zone: geometry" in line for line in lines), lines
    else:
        assert lines[:-1] == expected
    assert os.listdir(out) == ["mini.html"]
    assert (out / "mini.html").read_text(encoding="utf-8") == "previous build"


def test_editor_warnings_do_not_stop_the_build(mini, tmp_path):
    add_feature(territory("sliver", [[124.01, 41], [125, 41], [125, 42], [124.01, 42], [124.01, 41]]))(mini)
    add_feature(territory("later", [[130, 41], [131, 41], [131, 42], [130, 41]], "1946-01-01", "1946-02-01"))(mini)
    result = run_build("--data", str(mini), "--out", str(tmp_path / "maps"))
    assert result.returncode == 0, result.stderr
    warnings = [line.replace(str(mini), "DATA") for line in result.stderr.splitlines()]
    assert warnings == [
        "warning: DATA/layer.geojson: feature zone: geometry: comes within 1.1 km of territory sliver "
        "(DATA/layer.geojson) without touching it, from 1945-08-12 to 1945-08-15; neighbours should share the "
        "same border line",
        "warning: DATA/layer.geojson: feature later: start_date: is on no map: 1946-01-01 to 1946-02-01 falls "
        "outside every map with this layer (mini 1945-08-08 to 1945-08-20)"]


def test_holes_of_different_lengths_are_accepted(mini, tmp_path):
    """A polygon with a square hole and a triangular one is valid data (the loader once stacked all the holes of a
    polygon into one numpy array, which fails when their lengths differ, and the build ended in a traceback)."""
    set_geometry("zone", {"type": "Polygon", "coordinates": [
        [[121, 41], [124, 41], [124, 44], [121, 44], [121, 41]],
        [[122, 42], [122, 43], [123, 43], [123, 42], [122, 42]],
        [[123.3, 41.3], [123.3, 41.7], [123.7, 41.3], [123.3, 41.3]]]})(mini)
    result = run_build("--data", str(mini), "--out", str(tmp_path / "maps"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_a_renaming_of_unknown_order_is_accepted_when_the_note_says_so(mini):
    """Where no source tells whether the renaming came before or after the change of hands, the note says so."""
    edit_feature("town", lambda f: f["properties"].update(
        control=[{"side": "chinese", "start_date": "1904"}, {"side": "japanese", "start_date": "1931-09-19"}],
        period_names=[{"name": "Changchun", "start_date": "1904"}, {"name": "Hsinking", "start_date": "1931"}],
        note="Renamed Hsinking in 1931 (year only); no source says whether before or after the occupation."))(mini)
    result = run_build("--check", "--data", str(mini))
    assert result.returncode == 0, result.stderr


def test_an_error_brings_no_unused_source_warnings(mini):
    """A file or feature with an error is left out of the data, so the sources it cites look unused; saying so
    would bury the one real problem under a warning for each of its sources."""
    write("layer.geojson", '{"type": "FeatureCollection", "features": [}')(mini)
    result = run_build("--check", "--data", str(mini))
    assert result.returncode == 1
    assert "cited by no feature" not in result.stderr
    assert [line.replace(str(mini), "DATA") for line in result.stderr.splitlines()] == [
        "DATA/layer.geojson: line 1, column 44: invalid JSON: Expecting value",
        "1 problem(s) in DATA/; nothing was written."]


def test_check_mode_validates_without_writing(mini, tmp_path):
    result = run_build("--check", "--data", str(mini), "--out", str(tmp_path / "maps"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{mini}/ is valid: 7 features in 1 layers, 1 maps")
    assert not (tmp_path / "maps").exists()


def _control(day):
    return [{"side": "manchukuo", "start_date": "1932-03-01"}, {"side": "soviet", "start_date": day, "by": "army"}]


def test_an_arrow_reaching_a_town_on_another_day_than_the_town_fell_is_a_warning(mini):
    """The mini axis reaches Hsinking on 19 Aug; if the town's record says 20 Aug, the map would show the arrow in a
    town that has not fallen: the editor is told where, and the build still runs."""
    set_prop("town", "control", _control("1945-08-20"))(mini)
    result = run_build("--check", "--data", str(mini))
    assert result.returncode == 0, result.stderr
    assert [line.replace(str(mini), "DATA") for line in result.stderr.splitlines()] == [
        "warning: DATA/layer.geojson: feature advance: point_dates[2]: reaches town on 1945-08-19, but town's "
        "control has soviet there from 1945-08-20; give both the same date, or say in this feature's note why they "
        "differ (naming Hsinking and 1945-08-20)"]


@pytest.mark.parametrize("note", ["Hsinking fell only on 20 Aug; the vertex is the forward detachment.",
                                  "The garrison of Changchun surrendered on 20 August, a day after the arrow."])
def test_a_difference_explained_in_the_note_is_no_warning(mini, note):
    set_prop("town", "control", _control("1945-08-20"))(mini)
    set_prop("advance", "note", note)(mini)
    result = run_build("--check", "--data", str(mini))
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_a_route_vertex_passing_a_town_is_no_arrival(mini):
    """A null-dated vertex only steers the line (out of a harbour, round a cape): it marks no arrival, so passing
    close to a town the other side still holds is no warning, though the same vertex with a date is one."""
    set_prop("town", "control", _control("1945-08-20"))(mini)
    set_geometry("advance", {"type": "LineString", "coordinates": [[121.0, 47.0], [125.32, 43.82], [127.5, 44.5]]})(mini)
    set_prop("advance", "point_dates", ["1945-08-09", None, "1945-08-19"])(mini)
    result = run_build("--check", "--data", str(mini))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    set_prop("advance", "point_dates", ["1945-08-09", "1945-08-19", "1945-08-19"])(mini)
    result = run_build("--check", "--data", str(mini))
    assert "feature advance: point_dates[1]: reaches town on 1945-08-19" in result.stderr


def test_an_explanation_must_name_the_town_and_the_day(mini):
    set_prop("town", "control", _control("1945-08-20"))(mini)
    set_prop("advance", "note", "Hsinking fell a day later.")(mini)
    result = run_build("--check", "--data", str(mini))
    assert "feature advance: point_dates[2]: reaches town on 1945-08-19" in result.stderr
