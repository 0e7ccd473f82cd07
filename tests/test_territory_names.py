"""States named on the map (a territory's `label`): where story.territory_label_anchors finds room for the name, on
the page (atlas.js) and in the pictures (static.py), on the days the territory is shown, never over another label."""
import math
import os

import pytest
import shapely

from atlas import story
from conftest import ROOT

MAPS = os.path.join(ROOT, "maps")
BOUNDS = [[40.0, 100.0], [50.0, 120.0]]


def label_box(at, text, bounds):
    """The box (projected, as territory_label_anchors measures it) that `text` takes when centred at `at` (lng, lat,
    zoom_in), at the size it has zoom_in steps past the opening zoom."""
    px = story.start_view(bounds)[1] / 2 ** at[2]
    x, y = story._mercator(*at[:2])
    lines = text.split("\n")
    half_w = max(map(len, lines)) * story.TERRITORY_LABEL_PX[0] * px / 2
    half_h = len(lines) * story.TERRITORY_LABEL_PX[1] * px / 2
    return shapely.box(x - half_w, y - half_h, x + half_w, y + half_h)


def test_a_long_name_is_broken_evenly_at_spaces():
    assert story.label_lines("Mongolian People's Republic", 1) == "Mongolian People's Republic"
    assert story.label_lines("Mongolian People's Republic", 2) == "Mongolian\nPeople's Republic"
    assert story.label_lines("Mongolian People's Republic", 3) == "Mongolian\nPeople's\nRepublic"
    assert story.label_lines("Manchukuo", 2) is None  # one word: no second line
    # two names joined by a slash break between them, not inside one, though the longer line is a letter longer
    assert story.label_lines("Soviet Russia / Far Eastern Republic", 2) == "Soviet Russia /\nFar Eastern Republic"
    assert story.label_lines("Soviet Russia / Far Eastern Republic", 3) == "Soviet Russia /\nFar Eastern\nRepublic"


def test_the_name_lies_on_its_territory_at_every_place_offered():
    square = shapely.box(104, 42, 116, 48)
    text, places = story.territory_label_anchors(square, "Republic of China", BOUNDS)
    assert text == "Republic of China" and len(places) >= 2
    land = story._projected(square)
    for at in places:
        assert land.contains(label_box(at, text, BOUNDS)), at
    # the first place is the most central one, and fits at the opening zoom
    assert abs(places[0][0] - 110) < 1 and abs(places[0][1] - 45) < 1.5 and places[0][2] == 0, places[0]
    view_places = [label_box(at, text, BOUNDS) for at in places[:2]]
    assert not view_places[0].intersects(view_places[1]), "the places in the opening view overlap"


def test_places_are_offered_all_over_a_territory_for_views_zoomed_in():
    land = shapely.box(95, 35, 125, 55)  # wider than the opening view of BOUNDS
    text, places = story.territory_label_anchors(land, "Soviet Union", BOUNDS)
    view, px = story.start_view(BOUNDS)
    assert any(not view.contains(shapely.Point(story._mercator(*at[:2]))) for at in places), "none beyond the view"
    # any view zoomed in one step, wholly on the territory, has a place where the name fits
    half_w, half_h = story.VIEW_PX[0] * px / 4, story.VIEW_PX[1] * px / 4
    frame = story._pan_frame(tuple(map(tuple, BOUNDS)))
    x0, y0, x1, y1 = story._projected(land).intersection(frame).bounds
    for cx in (x0 + half_w, (x0 + x1) / 2, x1 - half_w):
        for cy in (y0 + half_h, (y0 + y1) / 2, y1 - half_h):
            zoomed = shapely.box(cx - half_w, cy - half_h, cx + half_w, cy + half_h)
            assert any(zoomed.contains(label_box(at, text, BOUNDS)) for at in places), (cx, cy)


def test_the_name_keeps_clear_of_labels_always_drawn():
    square = shapely.box(104, 42, 116, 48)
    text, (first, *_) = story.territory_label_anchors(square, "Japan", BOUNDS)
    obstacle = (first[0] - 0.5, first[1], "Hsinking")  # a rank 1 place's label across the best place
    text, places = story.territory_label_anchors(square, "Japan", BOUNDS, [obstacle])
    px = story.start_view(BOUNDS)[1]
    x, y = story._mercator(*obstacle[:2])
    taken = shapely.box(x, y - 9 * px, x + (6 + 7 * len("Hsinking")) * px, y + 9 * px)
    assert places[0] != first and not label_box(places[0], text, BOUNDS).intersects(taken)


def test_a_name_too_long_for_its_territory_is_broken_or_left_out():
    tall = shapely.box(108, 41, 112, 49)  # about 130 px wide on the laptop view of BOUNDS
    text, places = story.territory_label_anchors(tall, "Mongolian People's Republic", BOUNDS)
    assert text == "Mongolian\nPeople's\nRepublic"
    assert story._projected(tall).contains(label_box(places[0], text, BOUNDS))
    assert story.territory_label_anchors(shapely.box(110, 45, 110.15, 45.15), "Japan", BOUNDS) is None


def test_a_name_takes_more_lines_rather_than_have_one_place_alone():
    """One place in the opening view is lost to whatever label of the day lands on it (the MPR's, under the
    Trans-Baikal Front's arrows): a T whose bar holds the name on one line once, and whose stem holds it on two lines
    several times, gets it on two."""
    t = shapely.union_all([shapely.box(105, 47.0, 114.3, 47.62), shapely.box(107.6, 42.6, 111.8, 47.0)])
    text, places = story.territory_label_anchors(t, "Far Eastern Republic", BOUNDS)
    assert text == "Far Eastern\nRepublic"
    opening = [at for at in places[:story.LABEL_PLACES] if at[2] == 0]
    assert len(opening) >= 2 and not label_box(opening[0], text, BOUNDS).intersects(label_box(opening[1], text, BOUNDS))
    for at in opening:
        assert story._projected(t).contains(label_box(at, text, BOUNDS)), at
    # a name that fits twice on one line keeps one line
    assert story.territory_label_anchors(shapely.box(104, 42, 116, 48), "Far Eastern Republic", BOUNDS)[0] == \
        "Far Eastern Republic"


def test_a_name_may_reach_over_the_sea_but_not_over_a_neighbour():
    peninsula = shapely.box(110, 42, 111.6, 47)  # 50 px wide: too narrow for the name on land alone
    neighbour = shapely.box(100, 40, 110, 50)
    text, places = story.territory_label_anchors(peninsula, "Korean Empire", BOUNDS)
    assert all(at[2] == 1 for at in places), "on land alone, the name fits only zoomed in"
    sea = story.label_sea(shapely.union_all([peninsula, neighbour]), BOUNDS)
    text, places = story.territory_label_anchors(peninsula, "Korean Empire", BOUNDS, sea=sea)
    assert places[0][2] == 0
    for at in places:
        box = label_box(at, text, BOUNDS)
        assert not box.intersects(story._projected(neighbour).buffer(-1e-9)), at
        assert box.intersects(sea) or at[2] == 1


@pytest.mark.parametrize("name", ["august-storm", "road-to-war", "lake-khasan-1938", "khalkhin-gol-1939"])
def test_the_view_the_names_are_fitted_to_is_the_one_a_laptop_opens_on(open_page, name):
    # story.start_view stands in for Leaflet's fitBounds and atlas.js's zoom limit: the names are sized to it.
    page = open_page(width=1280, height=800).open(os.path.join(MAPS, f"{name}.html"))
    got = page.evaluate("""() => { const m = Object.values(window).find(v => v instanceof L.Map);
      const b = m.getBounds(); return [m.getZoom(), b.getWest(), b.getEast()]; }""")
    spec = next(m for m in story_maps() if m["id"] == name)
    view, px = story.start_view(spec["bounds"], spec.get("view"))
    assert got[0] == pytest.approx(math.log2(360 / 256 / px))
    assert got[1] == pytest.approx(view.bounds[0], abs=20 * px) and got[2] == pytest.approx(view.bounds[2], abs=20 * px)


def story_maps():
    from atlas import dataset
    data, _ = dataset.load(os.path.join(ROOT, "geodata"))
    return data.maps


NAMES = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const frame = map.getContainer().getBoundingClientRect();
  const live = e => e.style.opacity !== '0' && !e.classList.contains('atlas-label-hidden');
  const names = [...document.querySelectorAll('.atlas-territory-label')].filter(live);
  const labels = [...document.querySelectorAll('.atlas-label')].filter(live);
  const controls = [...map.getContainer().querySelectorAll('.leaflet-control')];
  const box = e => e.getBoundingClientRect();
  const over = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 &&
    b.top < a.bottom - 0.5;
  const clashes = [];
  const spaced = e => { const r = box(e); return {left: r.left - 14, right: r.right + 14, top: r.top - 4,
    bottom: r.bottom + 4}; };  // two names keep apart (story.TERRITORY_LABEL_GAP_PX), or they read as one
  names.forEach((n, i) => {
    [...labels, ...controls].forEach(o => {
      if (over(box(n), box(o))) { clashes.push(n.textContent + ' / ' + o.textContent.trim().slice(0, 30)); }
    });
    names.slice(i + 1).forEach(o => {
      if (over(spaced(n), box(o))) { clashes.push(n.textContent + ' / ' + o.textContent + ' (too close)'); }
    });
    const r = box(n);
    if (r.left < frame.left || r.right > frame.right || r.top < frame.top || r.bottom > frame.bottom) {
      clashes.push(n.textContent + ' / the frame');
    }
  });
  done({shown: names.map(e => e.textContent), clashes,
        upper: names.every(e => getComputedStyle(e).textTransform === 'uppercase')});
})))"""


def test_states_are_named_on_their_own_days(open_page):
    page = open_page().open(os.path.join(MAPS, "road-to-war.html"), "#date=1931-09-01")
    names = page.evaluate(NAMES)
    assert {"Manchuria", "Soviet Union", "Japan", "Republic of China"} <= set(names["shown"]), names
    assert "Manchukuo" not in names["shown"] and names["upper"]
    page.evaluate("atlas.setDate('1932-03-01')")
    names = page.evaluate(NAMES)
    assert "Manchukuo" in names["shown"] and "Manchuria" not in names["shown"], names
    page.evaluate("atlas.setDate('1905-10-01')")
    names = page.evaluate(NAMES)
    assert {"Russian Empire", "Qing Empire", "Korean Empire"} <= set(names["shown"]), names
    page.select_option("#atlas-labels", "modern")  # names of states stay the period's: there is no modern state
    assert "Qing Empire" in page.evaluate(NAMES)["shown"]


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)])
def test_names_of_states_never_cover_a_label_or_a_control(open_page, size):
    page = open_page(width=size[0], height=size[1]).open(os.path.join(MAPS, "august-storm.html"), "#date=1945-08-09")
    shown = set()
    for day in ("1945-08-09", "1945-08-15", "1945-08-20", "1945-09-02"):
        page.evaluate(f"atlas.setDate('{day}')")
        names = page.evaluate(NAMES)
        assert names["clashes"] == [], (day, names)
        shown |= set(names["shown"])
    if size[0] > 600:
        assert {"Manchukuo", "Soviet Union", "Japan"} <= shown, shown
    page.click(".leaflet-control-zoom-in")
    page.wait_for_timeout(600)  # the zoom animation
    assert page.evaluate(NAMES)["clashes"] == []


def test_names_move_to_where_a_zoomed_in_view_has_room(open_page):
    # Zoomed in one step on 20 August 1945, the opening view's places are off screen or under the towns' labels:
    # the places offered across the territory (story.territory_label_anchors) put names back.
    page = open_page().open(os.path.join(MAPS, "road-to-war.html"), "#date=1945-08-20")
    page.click(".leaflet-control-zoom-in")
    page.wait_for_timeout(600)  # the zoom animation
    names = page.evaluate(NAMES)
    assert names["clashes"] == [] and {"Soviet-occupied\nManchuria", "Soviet Union"} <= set(names["shown"]), names


def test_a_place_that_fits_only_zoomed_in_is_not_used_before(open_page):
    # its name would spill off the territory: at the opening zoom every name sits at a place marked zoom_in 0
    from atlas import dataset
    data, _ = dataset.load(os.path.join(ROOT, "geodata"))
    spec = next(m for m in data.maps if m["id"] == "road-to-war")
    now = {(text, round(lat, 3), round(lng, 3)) for text, places in story.territory_labels(
        story.select(data, spec), spec).values() for lng, lat, zoom_in in places if zoom_in == 0}
    page = open_page().open(os.path.join(MAPS, "road-to-war.html"), "#date=1945-08-20")
    for day in ("1945-08-20", "1938-08-01", "1905-10-01", "1920-06-01"):
        page.evaluate(f"atlas.setDate('{day}')")
        page.evaluate(NAMES)  # after the layout
        shown = page.evaluate("""() => { const m = Object.values(window).find(v => v instanceof L.Map); const out = [];
          m.eachLayer(l => { const e = l instanceof L.Tooltip && l.getElement();
            if (e && e.classList.contains('atlas-territory-label') && !e.classList.contains('atlas-label-hidden')) {
              out.push([e.textContent, l.getLatLng().lat, l.getLatLng().lng]); } });
          return out; }""")
        assert shown and all((t, round(a, 3), round(b, 3)) in now for t, a, b in shown), (day, shown)


def test_names_go_with_the_territories_layer(open_page):
    from test_browser import TOGGLE_LAYER
    page = open_page().open(os.path.join(MAPS, "road-to-war.html"), "#date=1938-08-01")
    assert "Manchukuo" in page.evaluate(NAMES)["shown"]
    page.evaluate(TOGGLE_LAYER, "Territories")
    assert page.evaluate(NAMES)["shown"] == []
    page.evaluate(TOGGLE_LAYER, "Territories")
    assert "Manchukuo" in page.evaluate(NAMES)["shown"]


def test_the_pictures_name_the_states_of_their_day():
    import matplotlib
    from atlas import dataset, static
    data, _ = dataset.load(os.path.join(ROOT, "geodata"))
    spec = next(m for m in data.maps if m["id"] == "road-to-war")
    m = static._Map(data, spec)

    def names(day):
        with matplotlib.rc_context(static.RC):
            extent = static._extent(spec["bounds"], static._MAIN_AXES[2] * static.WIDTH,
                                    static._MAIN_AXES[3] * static.HEIGHT)
            fig, ax, extent, *_ = static._main_figure(m, m.land([extent]))
            return {a.get_text().replace("\u200a", "") for a in m.draw(ax, day, extent, static.PX)
                    if isinstance(a, matplotlib.text.Text) and not hasattr(a, "xyann")}  # not the points' labels
    before, after = names("1931-09-18"), names("1932-03-01")
    assert {"MANCHURIA", "SOVIET UNION", "JAPAN"} <= before and "MANCHUKUO" not in before, before
    assert {"MANCHUKUO", "SOVIET UNION", "JAPAN"} <= after and "MANCHURIA" not in after, after
