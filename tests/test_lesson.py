"""What a lesson needs, in Chromium: LMS iframe with a strict CSP, phone width, print, keyboard only,
JavaScript off, and no serious WCAG 2.1 AA violations (axe-core)."""
import http.server
import json
import os
import re
import threading
from functools import partial

import pytest

from atlas import dates
from conftest import ROOT

MAPS = os.path.join(ROOT, "maps")
AXE = os.path.join(ROOT, "node_modules", "axe-core", "axe.min.js")
STRICT_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
PARENT = """<!DOCTYPE html><html lang="en"><head><title>Lesson</title><link rel="icon" href="data:,"></head><body>
<h1>Lesson page</h1>
<iframe id="map" sandbox="allow-scripts" src="/august-storm.html#date=1945-08-12" title="Map" width="900" height="600">
</iframe>
<script>window.received = []; window.addEventListener("message", e => window.received.push(e.data));</script>
</body></html>"""


class _LessonServer(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        if self.path.split("#")[0].endswith(".html") and not self.path.startswith("/lesson"):
            self.send_header("Content-Security-Policy", STRICT_CSP)
        super().end_headers()

    def do_GET(self):  # noqa: N802
        if self.path.startswith("/lesson"):
            body = PARENT.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@pytest.fixture(scope="module")
def lms():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_LessonServer, directory=MAPS))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_map_works_in_a_sandboxed_iframe_under_a_strict_csp(open_page, lms):
    tab = open_page()
    page = tab.page
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(lms + "/lesson.html")
    frame = page.frame_locator("#map")
    frame.locator("html.atlas-ready").wait_for()
    inner = next(f for f in page.frames if f.url.endswith("august-storm.html#date=1945-08-12"))
    assert inner.evaluate("atlas.getDate()") == "1945-08-12"
    assert "axis-6th-guards-tank-army" in inner.evaluate("atlas.visible()")
    # the lesson page drives the map, and hears back
    page.evaluate("document.getElementById('map').contentWindow.postMessage({atlas: {date: '1945-08-15'}}, '*')")
    inner.wait_for_function("atlas.getDate() === '1945-08-15'")
    page.wait_for_function("window.received.some(m => m.atlas && m.atlas.date === '1945-08-15')")
    received = page.evaluate("window.received.filter(m => m.atlas).pop()")
    assert received == {"atlas": {"map": "august-storm", "date": "1945-08-15"}}
    frame.locator("#atlas-next").click()
    assert inner.evaluate("atlas.getDate()") == "1945-08-16"
    assert violations == []
    assert [e for e in tab.errors if "favicon" not in e] == []


def test_share_gives_the_link_and_the_embed_code(open_page):
    page = open_page().open(os.path.join(MAPS, "august-storm.html"), "#date=1945-08-13")
    page.click("#atlas-share-open")
    link = page.input_value("#atlas-share-link")
    assert link.startswith("file://") and "#date=1945-08-13&view=" in link
    code = page.input_value("#atlas-share-embed")
    # opened from a file, the code names the file alone (a file:// address would point at this computer's disk)
    assert code.startswith('<iframe src="august-storm.html#date=1945-08-13&view=')
    assert 'sandbox="allow-scripts allow-popups"' in code
    assert page.is_visible("#atlas-share-local")
    assert "august-storm.html in the same folder" in page.inner_text("#atlas-share-local")
    assert page.evaluate("document.activeElement.id") == "atlas-share-link"
    page.keyboard.press("Escape")
    assert page.is_hidden("#atlas-share")
    assert page.evaluate("document.activeElement.id") == "atlas-share-open"
    # the shared link opens the same date and view
    other = open_page().page
    other.goto(link)
    other.wait_for_function("document.documentElement.classList.contains('atlas-ready')")
    assert other.evaluate("atlas.getDate()") == "1945-08-13"


def test_share_from_a_web_server_gives_the_maps_full_address(open_page, lms):
    page = open_page().page
    page.goto(lms + "/road-to-war.html#date=1937-07-07")
    page.wait_for_function("document.documentElement.classList.contains('atlas-ready')")
    page.click("#atlas-share-open")
    code = page.input_value("#atlas-share-embed")
    assert code.startswith(f'<iframe src="{lms}/road-to-war.html#date=1937-07-07&view='), code
    assert page.is_hidden("#atlas-share-local")


@pytest.mark.parametrize("name", ["august-storm", "road-to-war", "lake-khasan-1938", "khalkhin-gol-1939"])
def test_phone_width_has_no_sideways_scrolling_and_usable_controls(open_page, name):
    page = open_page(width=390, height=844, is_mobile=True, has_touch=True).open(os.path.join(MAPS, f"{name}.html"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    slider = page.locator("#atlas-slider").bounding_box()
    assert slider["x"] >= 0 and slider["x"] + slider["width"] <= 390 and slider["height"] >= 24
    before = page.evaluate("atlas.getDate()")
    page.locator("#atlas-next").tap()
    assert page.evaluate("atlas.getDate()") != before
    # the page scrolls on a phone, so the sentence of what changed is shown whole (19 Aug 1945 has five lines)
    page.evaluate("atlas.setDate('1945-08-19')" if name == "august-storm" else "atlas.setDate('1905-03-10')")
    assert page.evaluate("(() => { const e = document.getElementById('atlas-changes'); "
                         "return e.scrollHeight <= e.clientHeight + 1; })()")
    page.locator("#atlas-panel-toggle").tap()
    # the panel opens below the time bar and is brought into sight, at the day's events, in a box of its own
    page.wait_for_function("""() => { const p = document.getElementById('atlas-panel').getBoundingClientRect();
        return p.top >= 0 && p.top < innerHeight / 2; }""")
    assert page.evaluate("""() => [...document.querySelectorAll('.atlas-event[aria-current]')].some(e => {
        const b = e.getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; })""")
    assert page.evaluate("document.getElementById('atlas-panel').offsetHeight") <= 844
    page.locator("#atlas-tabbtn-legend").tap()
    legend = page.locator("#atlas-tab-legend")
    assert legend.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


TICKS = ".atlas-tick:not([hidden])"  # a tick grouped into the one before it is hidden
TIME_CONTROLS = ["#atlas-prev", "#atlas-play", "#atlas-next", "#atlas-speed", "#atlas-date", "#atlas-slider",
                 TICKS, ".atlas-phase", "#atlas-changes"]
UNCOVERED = """(selectors) => selectors.flatMap(s => [...document.querySelectorAll(s)].map(e => {
    // The control is inside the frame and on top at its middle (not under the map or another control, not
    // scrolled away).
    const b = e.getBoundingClientRect(), top = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
    const seen = b.top >= 0 && b.bottom <= innerHeight + 0.5 && b.left >= 0 && b.right <= innerWidth + 0.5
                 && !!top && (e === top || e.contains(top));
    return seen ? null : s + ' ' + (e.textContent || '').trim().slice(0, 30);
})).filter(Boolean)"""


@pytest.mark.parametrize("name", ["august-storm", "road-to-war", "khalkhin-gol-1939"])
@pytest.mark.parametrize("size", [(320, 568), (360, 740), (390, 844), (800, 450), (1280, 800)])
def test_the_scale_bar_and_the_base_maps_credit_are_both_readable(open_page, name, size):
    # On a 320-360 px phone the credit line spans the map's foot and used to cover the scale bar ("1000 km").
    width, height = size
    page = open_page(width=width, height=height).open(os.path.join(MAPS, f"{name}.html"))
    boxes = page.evaluate("""() => ['.folium-map', '.leaflet-control-scale', '.leaflet-control-attribution']
        .map(s => { const b = document.querySelector(s).getBoundingClientRect();
                    return [b.left, b.top, b.right, b.bottom]; })""")
    (left, top, right, bottom), scale, credit = boxes
    assert not (scale[2] > credit[0] and credit[2] > scale[0] and scale[3] > credit[1] and credit[3] > scale[1]), boxes
    for box in (scale, credit):
        assert box[0] >= left and box[1] >= top and box[2] <= right + 0.5 and box[3] <= bottom + 0.5, boxes


@pytest.mark.parametrize("name", ["august-storm", "road-to-war"])
@pytest.mark.parametrize("size", [(800, 450), (844, 390), (1024, 500), (900, 600)])  # a slide, a phone on its side
def test_short_frames_show_every_time_control_and_give_the_map_half_the_height(open_page, name, size):
    width, height = size
    page = open_page(width=width, height=height).open(os.path.join(MAPS, f"{name}.html"))
    assert page.evaluate(UNCOVERED, TIME_CONTROLS) == []
    assert page.evaluate("document.documentElement.scrollHeight") <= height  # nothing below the frame's edge
    map_height = page.locator(".folium-map").bounding_box()["height"]
    assert map_height >= height / 2, map_height
    if page.is_visible("#atlas-panel-toggle"):
        # the events panel opens over the map, scrolled to the day's events, and hides no time control
        page.click("#atlas-panel-toggle")
        assert page.evaluate(UNCOVERED, TIME_CONTROLS + ["#atlas-tabbtn-sources"]) == []
        page.wait_for_timeout(100)  # the list scrolls in the next frame
        assert page.evaluate("""() => { const p = document.getElementById('atlas-panel').getBoundingClientRect();
            return [...document.querySelectorAll('.atlas-event[aria-current]')].some(e => {
                const b = e.getBoundingClientRect(); return b.top >= p.top && b.bottom <= p.bottom; }); }""")


LEAFLET_MAP = "Object.values(window).find(v => v instanceof L.Map)"


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _tick_dates(label):
    """ISO dates of the days a tick names ("6 August 1945: Atomic bombing of Hiroshima; 8 August 1945: ...")."""
    found = re.findall(r"(?:^|; )(\d{1,2}) (%s) (\d{4}): " % "|".join(MONTHS), label)
    return list(dict.fromkeys(f"{y}-{MONTHS.index(m) + 1:02d}-{int(d):02d}" for d, m, y in found))


@pytest.mark.parametrize("name", ["august-storm", "road-to-war", "lake-khasan-1938", "khalkhin-gol-1939"])
@pytest.mark.parametrize("size", [(1280, 800), (1024, 500), (390, 844)])
def test_ticks_of_close_dates_become_one_that_goes_to_each(open_page, name, size):
    width, height = size
    page = open_page(width=width, height=height).open(os.path.join(MAPS, f"{name}.html"))
    ticks = page.evaluate("""(s) => [...document.querySelectorAll(s)].map(e => {
        const b = e.getBoundingClientRect();
        return {label: e.getAttribute('aria-label'), left: b.left, right: b.right, top: b.top, bottom: b.bottom};
    })""", TICKS)
    for one, other in zip(ticks, ticks[1:]):
        assert one["right"] <= other["left"] + 0.5, (one, other)  # side by side, none over another
    assert page.evaluate(UNCOVERED, [TICKS]) == []
    # every key event of the map is named by exactly one tick, in date order
    own = page.evaluate("() => [...document.querySelectorAll('.atlas-tick')].map(e => e.dataset.name)")
    assert "; ".join(t["label"] for t in ticks) == "; ".join(own)
    # a tick goes to its date; one standing for several goes to the first, then to each other, then to the first
    if name == "road-to-war":  # Hiroshima and the declaration of war, two days apart at the end of forty years
        assert any(len(_tick_dates(t["label"])) > 1 for t in ticks)
    for k, tick in enumerate(ticks):
        wanted = _tick_dates(tick["label"])
        visited = []
        for _ in range(len(wanted) + 1):
            page.locator(TICKS).nth(k).click()  # where it is now: on a phone the bar moves as the phase name wraps
            visited.append(page.evaluate("atlas.getDate()"))
        assert visited == wanted + wanted[:1], (tick["label"], visited)


@pytest.mark.parametrize("size", [(390, 844), (1280, 800), (900, 600), (800, 450)])  # the README's LMS frame; a slide
def test_popups_open_whole_inside_the_map_then_the_map_returns_within_its_limits(open_page, size):
    # Chita sits at the north-west edge of the area the map may be panned to, Harbin is under the zoom buttons on
    # a phone, and the 39th Army's axis has a long note and many sources: taller than a phone's map.
    width, height = size
    page = open_page(width=width, height=height).open(os.path.join(MAPS, "august-storm.html"), "#date=1945-08-20")
    for feature in ("chita", "harbin", "axis-39th-army"):
        page.focus(f"[data-atlas-id={feature}]")
        page.keyboard.press("Enter")
        page.wait_for_selector(".atlas-popup")
        page.wait_for_timeout(600)  # autoPan glides
        box = page.evaluate("""() => {
            const map = document.querySelector('.leaflet-container').getBoundingClientRect();
            const popup = document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
            const content = document.querySelector('.atlas-popup');
            const covered = [...document.querySelectorAll('.leaflet-control-zoom, .leaflet-control-layers')]
                .map(b => b.getBoundingClientRect())
                .some(b => b.left < popup.right && popup.left < b.right && b.top < popup.bottom && popup.top < b.bottom);
            return {map: [map.left, map.top, map.right, map.bottom], popup: [popup.left, popup.top, popup.right,
                    popup.bottom], covered, name: content.querySelector('h2').textContent,
                    scrolls: content.scrollHeight > content.clientHeight, room: content.clientHeight};
        }""")
        (map_left, map_top, map_right, map_bottom), (left, top, right, bottom) = box["map"], box["popup"]
        assert map_left <= left and right <= map_right and map_top <= top and bottom <= map_bottom, (feature, box)
        assert not box["covered"], (feature, box)  # the map's buttons (drawn above popups) hide none of it
        assert box["room"] >= 150, (feature, box)  # room for the name, dates and a few lines even in a short frame
        if feature == "axis-39th-army":
            assert box["name"] == "Axis of the 39th Army" and box["scrolls"]
        page.click(".leaflet-popup-close-button")
        page.wait_for_timeout(600)
        inside = page.evaluate(f"""() => {{ const m = {LEAFLET_MAP};
            return !!m.options.maxBounds && m.options.maxBounds.contains(m.getCenter()); }}""")
        assert inside, feature


@pytest.mark.parametrize("size", [(1280, 800), (800, 450), (390, 844)])
def test_the_opening_view_is_fitted_to_the_map_as_finally_laid_out(open_page, size):
    # The time bar and the panel are filled in by script; measured before that, Leaflet fitted the opening view
    # to a map taller than the one shown, and learnt the real size only a frame or two later.
    width, height = size
    tab = open_page(width=width, height=height)
    tab.page.add_init_script(f"""new MutationObserver((changes, observer) => {{
        if (!document.documentElement.classList.contains('atlas-ready')) return;
        observer.disconnect();
        const m = {LEAFLET_MAP};
        window.sizesWhenReady = [m.getContainer().clientHeight, m.getSize().y];
    }}).observe(document, {{attributes: true, attributeFilter: ['class'], subtree: true}});""")
    page = tab.open(os.path.join(MAPS, "august-storm.html"))
    real, known = page.evaluate("window.sizesWhenReady")
    assert real == known


@pytest.mark.parametrize("name", ["khalkhin-gol-1939", "lake-khasan-1938"])
@pytest.mark.parametrize("size", [(390, 844), (800, 450), (1280, 800)])
def test_a_battle_map_opens_on_its_battlefield_on_a_phone_as_on_a_laptop(open_page, name, size):
    # A battle map's bounds reach out to a distant railhead or air battle (Tamsag-Bulag, Buir Nur, Posyet); fitted to
    # those, a phone showed the battlefield 100 px wide. It opens on its `view`, filling the map's width or height,
    # and can still be panned out to everything in its bounds.
    with open(os.path.join(ROOT, "geodata", "maps.json"), encoding="utf-8") as handle:
        spec = next(m for m in json.load(handle)["maps"] if m["id"] == name)
    (south, west), (north, east) = spec["view"]
    width, height = size
    page = open_page(width=width, height=height).open(os.path.join(MAPS, f"{name}.html"))
    seen = page.evaluate(f"""([south, west, north, east, bounds]) => {{
        const m = {LEAFLET_MAP}, v = m.getBounds(), size = m.getSize();
        const a = m.latLngToContainerPoint([north, west]), b = m.latLngToContainerPoint([south, east]);
        return {{inside: v.contains([[south, west], [north, east]]), share: Math.max((b.x - a.x) / size.x,
                 (b.y - a.y) / size.y), reach: m.options.maxBounds.contains(bounds)}}; }}""",
                         [south, west, north, east, spec["bounds"]])
    assert seen["inside"], seen
    assert seen["share"] > 0.75, seen  # fitted (a zoom step is 0.25, so at least 2 ** -0.25 = 0.84 of one side)
    assert seen["reach"], seen


@pytest.mark.parametrize("name", ["august-storm", "road-to-war"])
def test_map_keeps_one_height_on_every_date_and_leaflet_knows_it(open_page, name):
    # The sentence under the slider changes length from day to day; the map must not jump, and Leaflet's idea of
    # its size (used to fit the opening view and to pan popups into view) must be the real one.
    page = open_page().open(os.path.join(MAPS, f"{name}.html"))
    sizes = page.evaluate(f"""() => {{ const m = {LEAFLET_MAP}, c = m.getContainer(), out = new Set();
        for (const d of atlas.dates()) {{ atlas.setDate(d); out.add(c.clientHeight + '/' + m.getSize().y); }}
        return [...out]; }}""")
    assert len(sizes) == 1, sizes
    real, known = sizes[0].split("/")
    assert real == known


@pytest.mark.parametrize("name", ["august-storm", "road-to-war", "lake-khasan-1938", "khalkhin-gol-1939"])
@pytest.mark.parametrize("size", [(390, 844), (800, 450), (1280, 800)])
def test_the_slider_and_its_ticks_stay_in_place_from_date_to_date(open_page, name, size):
    # A finger or a mouse dragging the slider must find it where it was: on a phone a short date ("8 August 1945")
    # used to share the buttons' line and a long one ("18 September 1931") to drop below it, moving the slider.
    width, height = size
    page = open_page(width=width, height=height).open(os.path.join(MAPS, f"{name}.html"))
    places = page.evaluate("""() => { const out = new Set();
        for (const d of atlas.dates()) {
            atlas.setDate(d);
            out.add(['atlas-slider', 'atlas-ticks'].map(id => {
                const b = document.getElementById(id).getBoundingClientRect();
                return [b.left, b.top, b.width, b.height].join(',');
            }).join(' '));
        }
        return [...out]; }""")
    assert len(places) == 1, places


@pytest.mark.parametrize("name", ["august-storm", "road-to-war", "lake-khasan-1938"])
@pytest.mark.parametrize("size", [(390, 844), (1280, 800), (1920, 1080)])
def test_zoomed_out_as_far_as_it_goes_the_view_stays_within_the_pan_limits(open_page, name, size):
    # Past the limits' west and east edges no territory is drawn, and a territory's cut edge looks like a border.
    width, height = size
    page = open_page(width=width, height=height).open(os.path.join(MAPS, f"{name}.html"))
    views = page.evaluate(f"""() => {{ const m = {LEAFLET_MAP}, out = [];
        for (const at of ['open', 'out']) {{
            if (at === 'out') m.setZoom(0, {{animate: false}});
            const v = m.getBounds(), l = m.options.maxBounds;
            out.push([at, m.getZoom(), v.getWest() - l.getWest(), l.getEast() - v.getEast()]);
        }}
        return out; }}""")
    for at, zoom, west_margin, east_margin in views:
        assert west_margin >= -1e-6 and east_margin >= -1e-6, (at, zoom, west_margin, east_margin)


@pytest.mark.parametrize("name, day, current", [
    ("khalkhin-gol-1939", "1939-07-08", "nomonhan-bridgehead-battles-jul-1939"),  # began the day before
    ("august-storm", "1945-08-21", "maoka-landing"),  # 20-22 August
    ("august-storm", "1945-08-09", "soviet-attack-9-august"),  # begins that day
])
def test_event_list_shows_what_is_going_on_that_day(open_page, name, day, current):
    page = open_page().open(os.path.join(MAPS, f"{name}.html"), f"#date={day}")
    page.wait_for_timeout(300)  # the list scrolls in the next frame
    seen = page.evaluate("""(id) => {
        const panel = document.getElementById('atlas-panel').getBoundingClientRect();
        const item = document.querySelector(`.atlas-event[data-id="${id}"]`);
        const box = item.getBoundingClientRect();
        return {current: item.getAttribute('aria-current'), inside: box.top >= panel.top && box.bottom <= panel.bottom};
    }""", current)
    assert seen == {"current": "date", "inside": True}


VIEW = f"""() => {{ const m = {LEAFLET_MAP}, c = m.getContainer(), b = m.getBounds();
    return {{size: [c.clientWidth, c.clientHeight], leaflet: [m.getSize().x, m.getSize().y], zoom: m.getZoom(),
             center: [m.getCenter().lat, m.getCenter().lng], pixel: [m.getPixelOrigin().x, m.getPixelOrigin().y],
             bounds: [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]}};
}}"""


@pytest.mark.parametrize("name, day", [("august-storm", "1945-08-15"), ("road-to-war", "1932-03-01"),
                                       ("khalkhin-gol-1939", "1939-08-20")])
def test_print_puts_date_whole_map_and_legend_on_one_page_then_gives_the_view_back(open_page, name, day):
    page = open_page().open(os.path.join(MAPS, f"{name}.html"), f"#date={day}")
    screen = page.evaluate(VIEW)
    page.emulate_media(media="print")
    assert page.is_visible("#atlas-date") and page.inner_text("#atlas-date") == dates.readable(day)
    assert page.is_visible(".atlas-legend")
    assert page.is_visible(".folium-map")
    for control in ("#atlas-slider", "#atlas-play", "#atlas-speed", "#atlas-share-open", ".leaflet-control-zoom",
                    ".atlas-tick", ".atlas-phase"):
        assert not page.is_visible(control), control
    # the media query's change event, which tells the page, is dispatched in a later task than the emulation
    page.wait_for_function(f"() => {{ const m = {LEAFLET_MAP}; "
                           "return m.getSize().x === m.getContainer().clientWidth; }", timeout=3000)
    printed = page.evaluate(VIEW)
    # Leaflet knows the printed size (213 x 130 mm), and the paper shows at least what the screen showed
    assert printed["leaflet"] == printed["size"] and abs(printed["size"][0] - 805) <= 1, printed
    south, west, north, east = screen["bounds"]
    p_south, p_west, p_north, p_east = printed["bounds"]
    assert p_west <= west + 0.2 and p_east >= east - 0.2 and p_south <= south + 0.2 and p_north >= north - 0.2, \
        (screen, printed)
    # map and legend side by side, and the whole of it on one A4 landscape page
    map_box, legend_box = page.locator(".folium-map").bounding_box(), page.locator(".atlas-legend").bounding_box()
    assert legend_box["x"] >= map_box["x"] + map_box["width"] - 1
    pdf = page.pdf(landscape=True, format="A4")
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    # back on screen, the view the reader had comes back
    page.emulate_media(media="screen")
    page.wait_for_timeout(300)  # past Leaflet's put-off moveend (200 ms): nothing may move the map after
    after = page.evaluate(VIEW)
    assert after["zoom"] == screen["zoom"] and after["size"] == screen["size"]
    # the same view to the pixel: the same pixel origin at the same zoom and size. (The centre Leaflet reports is the
    # one set until anything calls invalidateSize, its own window-resize handler too, which may run after the view
    # came back; from then on it is computed from the pixel origin, within half a pixel of the one set.)
    assert after["pixel"] == screen["pixel"], (screen, after)
    shift = page.evaluate(f"""([a, b, z]) => {{ const m = {LEAFLET_MAP}, p = m.project(a, z), q = m.project(b, z);
        return Math.max(Math.abs(p.x - q.x), Math.abs(p.y - q.y)); }}""", [screen["center"], after["center"], after["zoom"]])
    assert shift <= 0.5 + 1e-6, (screen, after, shift)


def test_keyboard_alone_reaches_every_control(open_page):
    page = open_page().open(os.path.join(MAPS, "august-storm.html"))
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.className.baseVal || "
                                  "document.activeElement.className"))
    for control in ("atlas-labels", "atlas-share-open", "atlas-prev", "atlas-play", "atlas-next", "atlas-speed",
                    "atlas-slider", "atlas-tabbtn-events"):
        assert control in reached, control
    assert any("atlas-phase" in str(r) for r in reached)
    assert any("atlas-tick" in str(r) for r in reached)


def test_labels_switch_to_modern_names(open_page):
    page = open_page().open(os.path.join(MAPS, "august-storm.html"))
    assert "Hsinking" in page.locator(".atlas-label").all_inner_texts()
    page.select_option("#atlas-labels", "modern")
    labels = page.locator(".atlas-label").all_inner_texts()
    assert "Changchun" in labels and "Hsinking" not in labels


def test_without_javascript_the_file_still_teaches(open_page):
    page = open_page(java_script_enabled=False).page
    page.goto("file://" + os.path.join(MAPS, "august-storm.html"))
    assert page.is_visible(".atlas-noscript")
    assert not page.is_visible("#atlas-app")
    # styled by the page's one sheet written out as text (noscript.css): a readable column on the atlas's paper
    looks = page.evaluate("""() => [getComputedStyle(document.querySelector('.atlas-noscript')).maxWidth,
                                     getComputedStyle(document.body).backgroundColor]""")
    assert looks == ["960px", "rgb(251, 248, 241)"]
    image = page.locator(".atlas-noscript img")
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    assert "9 August 1945" in image.get_attribute("alt")
    events = page.locator(".atlas-noscript li").all_inner_texts()
    attack = next(e for e in events if "Soviet attack on all three fronts" in e)  # rank 1: described
    assert len(attack) > 120, attack
    transfer = next(e for e in events if "transferred east along the Trans-Siberian" in e)  # rank 2: first sentence
    assert "from Europe to the Trans-Baikal" in transfer and transfer.endswith("."), transfer
    assert len(transfer) < 420, transfer
    minor = next(e for e in events if "Landing at Rashin" in e)  # rank 3: date, name and place only
    assert minor.endswith("Landing at Rashin / Rajin (Rason)"), minor  # as the events panel has it


@pytest.mark.parametrize("name", ["august-storm", "road-to-war", "lake-khasan-1938", "khalkhin-gol-1939"])
def test_no_serious_accessibility_violations(open_page, name):
    page = open_page().open(os.path.join(MAPS, f"{name}.html"))
    page.add_script_tag(path=AXE)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                       target: v.nodes[0].target.join(' ')}));
    }""")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1)
