"""Static pictures (atlas/static.py): every map and key date gets a PNG and an SVG, every map a PDF handout; the
pictures have the promised size, are not blank, are byte-identical from run to run, and show what the data shows on
their date."""
import os
import re
import subprocess
import sys

import numpy as np
import pytest
from matplotlib import image as mpimg

from atlas import dataset, dates, pictures, static, story
from conftest import MINI, ROOT


def load(folder):
    data, problems = dataset.load(folder)
    assert not problems.errors, problems.errors
    return data


def files_under(folder):
    return sorted(os.path.relpath(os.path.join(d, name), folder) for d, _, names in os.walk(folder) for name in names)


def read_png(path):
    """The PNG as 0-255 RGB."""
    pixels = mpimg.imread(path)
    return np.round(pixels[:, :, :3] * 255).astype(int)


def rgb(color):
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)])


def pixel(image, spec, lon, lat):
    """The median colour of the 3 x 3 pixels around a longitude/latitude of a map's PNG."""
    x, y = static.lonlat_to_pixel(spec, lon, lat)
    x, y = int(round(x)), int(round(y))
    assert 1 <= x < static.WIDTH - 1 and 1 <= y < static.HEIGHT - 1
    return np.median(image[y - 1:y + 2, x - 1:x + 2].reshape(-1, 3), axis=0)


def close(a, b, tolerance=12):
    return float(np.max(np.abs(np.asarray(a, float) - np.asarray(b, float)))) <= tolerance


def check_picture_files(folder, spec, days):
    """PNG and SVG of each day and the handout: present, of the promised size, and not blank."""
    map_id = spec["id"]
    expected = [f"{map_id}/{map_id}-{day}.{ext}" for day in days for ext in ("png", "svg")]
    expected.append(f"{map_id}/{map_id}-handout.pdf")
    assert sorted(expected) == [f for f in files_under(folder) if f.startswith(map_id + "/")]
    for day in days:
        image = read_png(os.path.join(folder, map_id, f"{map_id}-{day}.png"))
        assert image.shape == (static.HEIGHT, static.WIDTH, 3) == (1000, 1600, 3)
        assert image.std() > 20, f"{map_id} {day}: the picture is (nearly) one colour"
        coarse = image // 32  # 8 levels a channel
        assert len(np.unique(coarse[:, :, 0] * 64 + coarse[:, :, 1] * 8 + coarse[:, :, 2])) > 8, \
            f"{map_id} {day}: too few colours"
        with open(os.path.join(folder, map_id, f"{map_id}-{day}.svg"), encoding="utf-8") as handle:
            svg = handle.read()
        # 1600 x 1000 px at 150 dpi is 768 x 480 pt; the text is drawn as paths, so no font is needed to view it.
        assert re.search(r'<svg [^>]*width="768pt" height="480pt"', svg)
        assert "<text" not in svg and "Matplotlib v" not in svg
        assert svg.count("<path") > 50
    with open(os.path.join(folder, map_id, f"{map_id}-handout.pdf"), "rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>") >= 1
    box = [float(v) for v in re.search(rb"/MediaBox \[\s*([\d.\s]+)\]", pdf).group(1).split()]
    assert [round(v) for v in box] == [0, 0, 842, 595]  # A4 landscape in points
    assert b"CreationDate" not in pdf and b"Matplotlib" not in pdf


@pytest.fixture(scope="module")
def mini_data():
    return load(MINI)


@pytest.fixture(scope="module")
def mini_out(tmp_path_factory, mini_data):
    out = str(tmp_path_factory.mktemp("static") / "static")
    lines = []
    written = static.render_all(mini_data, out, progress=lines.append)
    return out, written, lines


# ---- the small pure functions ----

def test_handout_dates_spread_evenly_from_the_open_date():
    stops = dates.days(dates.parse("1945-08-08"), dates.parse("1945-08-20"))
    assert static.handout_dates(stops, "1945-08-09", "1945-08-20") == [
        "1945-08-09", "1945-08-11", "1945-08-13", "1945-08-15", "1945-08-17", "1945-08-20"]
    # Fewer stops than panels: all of them, from the open date.
    assert static.handout_dates(["1904-01-01", "1905-09-05", "1932-03-01", "1945-09-02"], "1905-09-05",
                                "1945-09-02") == ["1905-09-05", "1932-03-01", "1945-09-02"]
    # Always the open date first, the last stop last, six sorted unique days.
    for count in range(6, 40):
        stops = [f"{1900 + i}-01-01" for i in range(count)]
        chosen = static.handout_dates(stops, stops[2], stops[-1])
        assert len(chosen) == min(6, count - 2) and chosen[0] == stops[2] and chosen[-1] == stops[-1]
        assert chosen == sorted(set(chosen)) and set(chosen) <= set(stops)


def test_key_dates_are_the_phase_starts_and_the_open_date(mini_data):
    assert static.key_dates(mini_data, mini_data.maps[0]) == ["1945-08-09", "1945-08-15"]
    spec = dict(mini_data.maps[0], open_date="1945-08-12")
    assert static.key_dates(mini_data, spec) == ["1945-08-09", "1945-08-12", "1945-08-15"]


def test_an_advance_is_cut_to_the_points_reached_as_on_the_html_map():
    coords = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]]
    reached = ["1945-08-09", "1945-08-12", "1945-08-19"]
    stub = [(0.0, 0.0), (2.0, 0.0)]  # only the jump-off point: the first fifth of the first segment
    assert static.axis_points(coords, reached, "1945-08-08") == stub
    assert static.axis_points(coords, reached, "1945-08-09") == stub
    assert static.axis_points(coords, reached, "1945-08-11") == stub
    assert static.axis_points(coords, reached, "1945-08-12") == [(0.0, 0.0), (10.0, 0.0)]
    assert static.axis_points(coords, reached, "1945-08-19") == [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]
    assert static.axis_points(coords, reached, "1945-09-02") == [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]


# ---- the files ----

def test_every_key_date_has_a_png_and_an_svg_and_every_map_a_handout(mini_out, mini_data):
    out, written, lines = mini_out
    spec = mini_data.maps[0]
    check_picture_files(out, spec, ["1945-08-09", "1945-08-15"])
    assert sorted(os.path.relpath(p, out) for p in written["mini"]) == files_under(out)
    assert len(lines) == 1 and re.fullmatch(r".*static/mini: 2 images, handout, \d+\.\d s", lines[0]), lines


def test_the_noscript_picture_is_the_open_date(mini_out, mini_data):
    out, _, _ = mini_out
    name, alt = pictures.key_image(mini_data, mini_data.maps[0])
    assert name == "mini/mini-1945-08-09.png"
    assert os.path.exists(os.path.join(out, name))
    assert alt.startswith("Map: Mini map, on 9 August 1945 (Attack)") and "The attack" in alt


def test_the_same_data_gives_the_same_bytes(mini_out, tmp_path):
    """A second run, in another process with another hash seed, writes byte-identical files."""
    out, _, _ = mini_out
    again = str(tmp_path / "again")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from atlas import dataset, static; "
            "data, _ = dataset.load(sys.argv[2]); static.render_all(data, sys.argv[3], progress=None)")
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-c", code, ROOT, MINI, again], check=True, cwd=ROOT, env=env, timeout=120)
    assert files_under(again) == files_under(out)
    for name in files_under(out):
        with open(os.path.join(out, name), "rb") as a, open(os.path.join(again, name), "rb") as b:
            assert a.read() == b.read(), f"{name} differs between two runs"


def test_a_territory_is_drawn_only_on_its_dates(mini_out, mini_data):
    """The mini fixture's "zone" (with a hole) is shown 10-15 August: filled on the 15th, absent on the 9th."""
    out, _, _ = mini_out
    spec = mini_data.maps[0]
    before = read_png(os.path.join(out, "mini", "mini-1945-08-09.png"))
    during = read_png(os.path.join(out, "mini", "mini-1945-08-15.png"))
    inside, hole = (121.5, 41.5), (122.5, 42.5)
    background = pixel(before, spec, *inside)
    assert close(background, rgb(static.LAND)) or close(background, rgb(static.SEA))
    fill = rgb(story.SIDE_COLORS["manchukuo"])
    assert close(pixel(during, spec, *inside), 0.55 * fill + 0.45 * background)
    # The hole stays empty, and nothing else changed there.
    assert close(pixel(during, spec, *hole), pixel(before, spec, *hole), 2)


def test_an_advance_grows_with_the_dates(mini_out, mini_data):
    """The axis reaches its second point on 12 August: on the 9th only the stub is drawn, on the 15th the segment."""
    out, _, _ = mini_out
    spec = mini_data.maps[0]
    before = read_png(os.path.join(out, "mini", "mini-1945-08-09.png"))
    during = read_png(os.path.join(out, "mini", "mini-1945-08-15.png"))
    front = rgb(story.palette(mini_data)["fronts"]["army"])
    (ax, ay), (bx, by) = (121.0, 47.0), (123.0, 45.5)

    def along(t):
        return ax + (bx - ax) * t, ay + (by - ay) * t

    assert close(pixel(before, spec, *along(0.08)), front, 25)  # the stub, on both dates
    assert close(pixel(during, spec, *along(0.08)), front, 25)
    assert close(pixel(during, spec, *along(0.6)), front, 25)  # beyond the stub: only once reached
    assert not close(pixel(before, spec, *along(0.6)), front, 80)


def test_a_real_map(tmp_path):
    """The real August Storm map: every key date and the handout, at the promised size."""
    data = load(os.path.join(ROOT, "geodata"))
    spec = next(s for s in data.maps if s["id"] == "august-storm")
    written = static.render_map(data, spec, str(tmp_path))
    days = static.key_dates(data, spec)
    assert days == ["1945-08-08", "1945-08-09", "1945-08-15", "1945-08-19", "1945-09-02"]
    assert len(written) == 2 * len(days) + 1
    check_picture_files(str(tmp_path), spec, days)
    stops = story.stops(spec, story.select(data, spec))
    assert static.handout_dates(stops, spec["open_date"], spec["end_date"]) == [
        "1945-08-09", "1945-08-13", "1945-08-18", "1945-08-23", "1945-08-28", "1945-09-02"]


def test_a_renamed_place_is_labelled_by_its_name_of_the_day():
    # matplotlib writes each text's string as a comment in the SVG: the labels of the committed pictures
    def labels(day):
        with open(os.path.join(ROOT, "maps", "static", "road-to-war", f"road-to-war-{day}.svg"),
                  encoding="utf-8") as handle:
            return set(re.findall(r"<!-- (.+?) -->", handle.read()))
    before, after = labels("1905-09-05"), labels("1938-07-29")
    assert {"Changchun", "Urga", "Vladimirovka", "Dairen"} <= before and not {"Hsinking", "Ulan Bator"} & before
    assert {"Hsinking", "Ulan Bator", "Toyohara"} <= after and not {"Changchun", "Urga"} & after


def test_committed_pictures_are_a_fresh_build(tmp_path):
    """maps/static is committed beside the pages, for teachers who print: every picture and handout there must be
    what `build.py --static` makes of today's geodata/, byte for byte (a handout once stayed behind a changed note)."""
    data = load(os.path.join(ROOT, "geodata"))
    static.render_all(data, str(tmp_path), progress=lambda *_: None)
    committed = os.path.join(ROOT, "maps", "static")
    assert files_under(str(tmp_path)) == files_under(committed)
    stale = [name for name in files_under(committed)
             if open(os.path.join(committed, name), "rb").read() != open(os.path.join(tmp_path, name), "rb").read()]
    assert not stale, f"run `python build.py --static`; stale: {stale}"


def _key_date_pictures():
    """(spec, fig, ax, renderer, day, artists) for every key date of every map, drawn as the pictures are: a main
    figure per map, each day's artists removed once the caller has looked at them."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    data = load(os.path.join(ROOT, "geodata"))
    with matplotlib.rc_context(static.RC):
        for spec in data.maps:
            m = static._Map(data, spec)
            fig, ax, extent, _date, _phase = static._main_figure(m, m.land([static._extent(
                story.opening_view(spec), static._MAIN_AXES[2] * static.WIDTH,
                static._MAIN_AXES[3] * static.HEIGHT)]))
            renderer = FigureCanvasAgg(fig).get_renderer()
            for day in static.key_dates(data, spec):
                artists = m.draw(ax, day, extent, static.PX)
                yield spec, fig, ax, renderer, day, artists
                for artist in artists:
                    artist.remove()


def test_no_label_lies_under_the_scale_bar_or_the_north_arrow():
    """The pictures' labels keep off the scale bar and the north arrow, as the page's keep off Leaflet's controls (the
    name JAPANESE-OCCUPIED CHINA was once half hidden behind the scale bar of August Storm on 19 August 1945)."""
    from matplotlib.text import Text

    checked = 0
    for spec, _fig, ax, renderer, day, artists in _key_date_pictures():
        scale_bar = next(p for p in ax.patches if p.get_zorder() == static.Z_FURNITURE).get_window_extent(renderer)
        north = next(t for t in ax.texts if t.get_text() == "N")
        furniture = [scale_bar, north.get_bbox_patch().get_window_extent(renderer)]
        for artist in artists:
            if isinstance(artist, Text) and artist.get_text():
                box = artist.get_window_extent(renderer)
                assert not any(box.overlaps(f) for f in furniture), \
                    f"{spec['id']} {day}: {artist.get_text()!r} lies under the scale bar or the north arrow"
                checked += 1
    assert checked > 100


def test_a_pictures_labels_cover_neither_each_other_nor_the_dot_of_a_named_point():
    """The pictures place labels by the page's rule (atlas.js declutter): a name never covers another, nor the dot of
    a point that is named (it would read as that point's name), on every key date of every map."""
    from matplotlib.collections import PathCollection
    from matplotlib.text import Annotation

    def meets(a, b):
        return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5

    checked = 0
    for spec, fig, ax, renderer, day, artists in _key_date_pictures():
        fig.canvas.draw()  # lays out the labels' boxes
        # (name, its point if it names a place or formation, not an arrow or line, box)
        labels = [(a.get_text(), tuple(np.round(ax.transData.transform(a.xy), 3))
                   if a.get_fontweight() == "normal" and a.get_fontstyle() == "normal" else None,
                   a.get_bbox_patch().get_window_extent(renderer).extents)
                  for a in artists if isinstance(a, Annotation) and a.get_text()]
        dots = {}
        for a in artists:
            if isinstance(a, PathCollection):
                for (x, y), size in zip(a.get_offsets(), np.broadcast_to(a.get_sizes(), len(a.get_offsets()))):
                    cx, cy = ax.transData.transform((x, y))
                    r = np.sqrt(size) / 2 * fig.dpi / 72
                    dots[tuple(np.round((cx, cy), 3))] = (cx - r, cy - r, cx + r, cy + r)
        for i, (name, _xy, box) in enumerate(labels):
            for other, _other_xy, other_box in labels[i + 1:]:
                assert not meets(box, other_box), f"{spec['id']} {day}: {name!r} covers {other!r}"
            for other, other_xy, _ in labels:
                if other != name and other_xy in dots:
                    assert not meets(box, dots[other_xy]), f"{spec['id']} {day}: {name!r} covers the dot of {other!r}"
            checked += 1
    assert checked > 100


def test_how_far_a_label_lies_from_a_line():
    box = (0, 0, 10, 4)
    assert static._line_distance([(-5, 2), (15, 2)], box) == 0  # through it
    assert static._line_distance([(-5, 10), (15, 10)], box) == pytest.approx(6)  # along it, 6 below
    assert static._line_distance([(13, -10), (13, 20)], box) == pytest.approx(3)  # beside it
    assert static._line_distance([(20, 20), (30, 30)], box) == pytest.approx(np.hypot(10, 16))  # off a corner


def test_the_handouts_name_the_arrows(tmp_path, monkeypatch):
    """A printed handout's small panels once left every arrow unnamed, so a class could not tell the armies apart;
    its labels now find room along the arrows as the page's do."""
    from matplotlib.text import Annotation

    texts = {}
    original = static._save

    def keep(fig, path, fmt, **kwargs):
        if path.endswith("handout.pdf"):
            texts[os.path.basename(path)] = {a.get_text() for a in fig.findobj(Annotation)}
        return original(fig, path, fmt, **kwargs)
    monkeypatch.setattr(static, "_save", keep)
    data = load(os.path.join(ROOT, "geodata"))
    static.render_map(data, next(s for s in data.maps if s["id"] == "august-storm"), str(tmp_path))
    named = texts["august-storm-handout.pdf"]
    assert {"6th Guards Tank Army", "36th Army", "2nd Red Banner Army", "15th Army", "25th Army (Korea)",
            "Kuril landing"} <= named
