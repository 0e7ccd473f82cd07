"""Static pictures of every map, for slides, handouts and pages without JavaScript.

For each map of maps.json and each of its key dates (the start of every phase, and the date the map opens on) this
writes a PNG (150 dpi, 1600 x 1000 px) and an SVG, and for each map one A4 landscape PDF handout of six small
multiples with a shared legend. The pictures follow the look of the HTML maps (atlas/assets/atlas.js, `atlas.style`):
the same sea and land, side colours, front colours, dashes and symbols, and the same rule for how far an arrow of
advance has grown on a date.

Everything is a function of the data: the same data gives the same bytes (no dates, software versions or random ids
in the files). Only matplotlib's Agg, SVG and PDF backends and its bundled DejaVu Sans font are used.

    render_all(data, out_dir)  -> {map id: [written paths]}
    (atlas.pictures.key_image names the picture of the opening date, used by the page's <noscript> block)
"""
import math
import os
import re
import tempfile
import textwrap
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib import patches as mpatches  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.legend_handler import HandlerPatch  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.markers import MarkerStyle  # noqa: E402
from matplotlib.path import Path  # noqa: E402
from matplotlib.textpath import TextToPath  # noqa: E402
from matplotlib.transforms import Affine2D  # noqa: E402
from shapely.geometry import shape as to_shape  # noqa: E402

from . import basemap, dates, story  # noqa: E402
from .pictures import image_name, shown_on  # noqa: E402
from .story import phase_on  # noqa: E402

SEA, LAND = "#c6dbe6", "#f3efe4"
DPI = 150
WIDTH, HEIGHT = 1600, 1000  # pixels of a PNG at DPI
A4_LANDSCAPE = (297 / 25.4, 210 / 25.4)  # inches
HANDOUT_PANELS = 6
SOURCE_LINE = "Sources: see the interactive map; base map Natural Earth"
EVENT_RED = "#b2182b"
OTHER = story.OTHER_SIDE_COLOR  # a side or front without a colour (atlas.js sideColor)
KM_PER_DEGREE = 111.32

# rcParams for every picture: the bundled font, and nothing in the files that changes from run to run.
RC = {
    "font.family": "DejaVu Sans",
    "svg.hashsalt": "atlas",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "lines.scale_dashes": False,
    "path.simplify": True,
    "axes.linewidth": 0.8,
}
PNG_META = {"Software": None}
SVG_META = {"Date": None, "Creator": None}
PDF_META = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}

# Drawing order, bottom to top, as the Leaflet panes of story.GROUPS.
Z = {"territory": 3.0, "area": 3.4, "river": 3.8, "railway": 3.8, "border": 3.8, "claim": 3.8, "front-line": 3.8,
     "axis": 4.2, "unit": 4.5, "place": 4.5, "event": 4.5, "battle": 4.5}
Z_LABEL, Z_FURNITURE = 5.0, 6.0
Z_TERRITORY_LABEL = 3.1  # over the fills, under the areas and lines, as on the page (story.TERRITORY_LABEL_PANE)
POINT_ORDER = ("unit", "place", "event")  # the layer groups of the points pane, in the order Leaflet adds them

# Size of one CSS pixel of the HTML map, in points, on the full-size picture (its map is about 1.25 times as wide as
# the HTML map's view on a laptop screen, so lines and dots keep the same proportion to the map).
PX = 0.6
MIN_FONT = 4.5  # points: the smallest text on a handout that still prints legibly


def _font(css_px, px):
    """A font size in points for a size in CSS pixels of the HTML map, never below MIN_FONT."""
    return max(MIN_FONT, css_px * px)


_TEXT_PATH = TextToPath()  # measures labels, so that they can be kept from overlapping


# ---- what a map shows, and when: small pure functions ----

def key_dates(data, spec):
    """The dates a map gets a picture of: the start of each phase and the open date, sorted and unique."""
    days = {data.by_id[p["event"]].first_day for p in spec.get("phases", [])}
    days.add(spec["open_date"])
    return sorted(days)


def handout_dates(stop_days, open_date, end_date, count=HANDOUT_PANELS):
    """`count` days spread evenly (by position) over the slider stops from open_date to end_date, open_date first.

    With fewer stops than that, all of them. Example: stops 9-20 August give 9, 11, 13, 15, 17 and 20 August.
    """
    chosen = [d for d in stop_days if open_date <= d <= end_date]
    if not chosen or chosen[0] != open_date:
        chosen = [open_date] + [d for d in chosen if d != open_date]
    if len(chosen) <= count:
        return chosen
    last = len(chosen) - 1
    return [chosen[i * last // (count - 1)] for i in range(count)]


def axis_points(coords, point_dates, day):
    """The vertices of an axis of advance shown on `day` (atlas.js axisLatLngs): the vertices reached by then, or,
    when only the jump-off point is reached, a stub of the first fifth of the first segment showing the direction."""
    n = 0
    while n < len(point_dates) and point_dates[n] <= day:
        n += 1
    if n >= 2:
        return [tuple(c[:2]) for c in coords[:n]]
    (x0, y0), (x1, y1) = coords[0][:2], coords[1][:2]
    return [(x0, y0), (x0 + (x1 - x0) * 0.2, y0 + (y1 - y0) * 0.2)]


def lonlat_to_pixel(spec, lon, lat):
    """Where a longitude/latitude falls in a map's PNG, in pixels from the top left (for tests and image maps)."""
    left, bottom, width, height = _MAIN_AXES
    x0, x1, y0, y1 = _extent(story.opening_view(spec), width * WIDTH, height * HEIGHT)
    x = (left + width * (lon - x0) / (x1 - x0)) * WIDTH
    y = (bottom + height * (lat - y0) / (y1 - y0)) * HEIGHT
    return x, HEIGHT - y


# ---- geometry ----

def _aspect(bounds):
    (south, _), (north, _) = bounds
    return 1 / math.cos(math.radians((south + north) / 2))


def _extent(bounds, box_w, box_h):
    """(west, east, south, north) showing all of bounds in a box of box_w x box_h, filling it (like fitBounds)."""
    (south, west), (north, east) = bounds
    aspect = _aspect(bounds)
    wide, tall = east - west, (north - south) * aspect  # in display units
    target = box_h / box_w
    if tall / wide < target:
        grow = (wide * target / aspect - (north - south)) / 2
        south, north = south - grow, north + grow
    else:
        grow = (tall / target - wide) / 2
        west, east = west - grow, east + grow
    return west, east, south, north


def _rings_path(geom):
    """One matplotlib Path of all rings of a (Multi)Polygon, wound so that holes stay empty (non-zero rule)."""
    verts, codes = [], []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        poly = shapely.orient_polygons(poly)
        for ring in (poly.exterior, *poly.interiors):
            c = np.asarray(ring.coords)[:, :2]
            if len(c) < 4:
                continue
            verts.append(c)
            codes.append([Path.MOVETO] + [Path.LINETO] * (len(c) - 2) + [Path.CLOSEPOLY])
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))


def _lines_path(geom):
    verts, codes = [], []
    for part in getattr(geom, "geoms", [geom]):
        if part.geom_type == "LineString" and not part.is_empty:
            c = np.asarray(part.coords)[:, :2]
            verts.append(c)
            codes.append([Path.MOVETO] + [Path.LINETO] * (len(c) - 1))
        elif part.geom_type in ("Polygon", "MultiPolygon"):
            ring_path = _rings_path(part)
            if ring_path is not None:
                verts.append(ring_path.vertices)
                codes.append(ring_path.codes)
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))


def _polygon_parts(geom):
    """The polygons of a clipped geometry (clipping may give a collection)."""
    out = []
    for part in getattr(geom, "geoms", [geom]):
        if part.geom_type == "Polygon" and not part.is_empty:
            out.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            out.extend(_polygon_parts(part))
    return shapely.MultiPolygon(out) if out else None


# ---- styles, as atlas.js atlas.style and atlas.pointToLayer ----

def _rgba(color, alpha=1.0):
    color = color.lstrip("#")
    return tuple(int(color[i:i + 2], 16) / 255 for i in (0, 2, 4)) + (alpha,)


def _dash(props):
    return (6, 5) if props.get("precision", "exact") != "exact" else None


def _line_style(props, color):
    """(edge colour, width in px, dash in px or None, face colour or None) of a shape, as atlas.style."""
    kind = props["kind"]
    if kind == "territory":
        side = story.SIDE_COLORS.get(props.get("side"), OTHER)
        return _rgba("#5b5b5b", 0.9), 1, _dash(props), _rgba(side, 0.55)
    if kind == "area":  # as atlas.style: an area of no front is edged in its side's darker colour
        edge = None if props.get("front") else story.AREA_EDGES.get(props.get("side"))
        if edge:
            return _rgba(edge), 2, _dash(props) or (3, 3), _rgba(color, 0.3)
        return _rgba(color), 1.5, _dash(props) or (3, 3), _rgba(color, 0.18)
    if kind == "axis":
        return _rgba(color, 0.95), 4, None if props.get("precision") == "schematic" else _dash(props), None
    if kind == "front-line":
        return _rgba(color), 3, _dash(props), None
    if kind == "border":
        return _rgba("#222222"), 2, _dash(props), None
    if kind == "claim":
        return _rgba(color), 2.5, (8, 6), None
    if kind == "railway":
        return _rgba("#3b3b3b", 0.8), 2, (6, 3) if _dash(props) else (10, 3), None
    if kind == "river":
        return _rgba("#4a90c8", 0.9), 2, None, None
    if kind == "battle":
        return _rgba(EVENT_RED), 2, _dash(props), _rgba(EVENT_RED, 0.2)
    return _rgba(color), 2, None, None


class _Map:
    """One map's features, prepared once and drawn on any number of dates and axes."""

    def __init__(self, data, spec):
        self.data, self.spec = data, spec
        self.features = story.select(data, spec)
        self.palette = story.palette(data)
        self.stops = story.stops(spec, self.features)
        self.aspect = _aspect(story.opening_view(spec))
        self.shapes = {}  # feature id -> shapely geometry
        for f in self.features:
            geometry = story.feature_geometry(f, data)
            if geometry is not None:
                self.shapes[f.id] = to_shape(geometry)
        self._paths = {}  # (feature id, clip box) -> Path or None
        self.legend = [e for e in story.legend(self.features, self.palette, data, spec)
                       if "popup" not in e["label"] and "<text" not in e["swatch"]]
        self.territory_names = story.territory_labels(self.features, spec)  # feature id -> (text, places)

    def color(self, props):
        """atlas.js featureColor: the front's colour, else the side's."""
        fronts = self.palette["fronts"]
        if props.get("front") in fronts:
            return fronts[props["front"]]
        return self.palette["sides"].get(props.get("side"), OTHER)

    def land(self, extents):
        """The base map (shapely), with a margin wide enough for every extent it will be drawn in."""
        (south, west), (north, east) = self.spec["bounds"]
        need = max(max(west - x0, x1 - east, south - y0, y1 - north) for x0, x1, y0, y1 in extents)
        margin = 2.0 if need <= 1.9 else float(math.ceil(need + 0.5))  # 2.0: the HTML build's cached base map
        return to_shape(basemap.land(self.spec["bounds"], margin=margin)["geometry"])

    def path(self, feature, clip):
        key = (feature.id, clip)
        if key not in self._paths:
            geom = shapely.clip_by_rect(self.shapes[feature.id], *clip)
            if geom.is_empty:
                result = None
            elif geom.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection") and \
                    feature.props["kind"] in ("territory", "area", "battle"):
                polys = _polygon_parts(geom)
                result = _rings_path(polys) if polys is not None else None
            else:
                result = _lines_path(geom)
            self._paths[key] = result
        return self._paths[key]

    def held(self, props, day):
        current = None
        for c in props.get("control", []):
            if dates.parse(c["start_date"]).isoformat() <= day:
                current = c
        return current

    def draw(self, ax, day, extent, px):
        """Draw what the map shows on `day` into ax; returns the artists, so a figure can be reused for another day."""
        x0, x1, y0, y1 = extent
        padx, pady = (x1 - x0) * 0.1, (y1 - y0) * 0.1
        clip = (round(x0 - padx, 6), round(y0 - pady, 6), round(x1 + padx, 6), round(y1 + pady, 6))
        artists, axis_labels_wanted, line_labels = [], [], []
        arrows = []  # the arrows drawn, as lists of (x, y): an arrow's label would rather stand by its own than others
        points = {kind: [] for kind in POINT_ORDER}
        for f in self.features:
            if not shown_on(f, day) or f.id not in self.shapes:
                continue
            p = f.props
            kind = p["kind"]
            geom = self.shapes[f.id]
            if geom.geom_type == "Point":
                points["event" if kind in ("event", "battle") else kind if kind in points else "unit"].append(f)
                continue
            edge, width, dash, face = _line_style(p, self.color(p))
            if kind == "axis":
                artists.extend(self._draw_axis(ax, f, day, edge, width, dash, px, axis_labels_wanted, arrows))
                continue
            path = self.path(f, clip)
            if path is None:
                continue
            patch = mpatches.PathPatch(path, facecolor=face if face else "none", edgecolor=edge,
                                       linewidth=width * px, zorder=Z.get(kind, 3.8), joinstyle="round",
                                       capstyle="round", fill=face is not None)
            if dash:
                patch.set_linestyle((0, tuple(d * px for d in dash)))
            ax.add_artist(patch)  # not add_patch: the limits are fixed, and updating them is slow
            artists.append(patch)
            if kind in story.LABELLED_LINES and "label" in p:
                line_labels.append(((-1 if p.get("rank", 2) == 1 else 3, p.get("rank", 2)), p["label"],
                                    story.line_label_anchors(story.feature_geometry(f, self.data)),
                                    4 * px, _font(11, px), "italic", None, None))
        wanted = []  # labels: ((kind's priority, rank), ...): rank 1 places, formations, arrows of advance, lines
        dots = []  # every point drawn, as (x, y, radius in points), which labels keep off
        for kind in POINT_ORDER:
            artists.extend(self._draw_points(ax, points[kind], day, px, wanted, dots))
        wanted.extend(axis_labels_wanted)
        wanted.extend(line_labels)
        # as atlas.js: by kind (a rank 1 line first), then rank (a front's armies before their corps), then the labels
        # with the fewest places to go first, then (the sort is stable) in the features' order
        wanted.sort(key=lambda w: (w[0], len(w[2])))
        placed = _furniture_boxes(ax, self, extent, px)
        artists.extend(self._place_labels(ax, [w[1:] for w in wanted], extent, placed, dots, arrows))
        artists.extend(self._place_territory_labels(ax, day, px, placed))
        return artists

    def _draw_axis(self, ax, f, day, edge, width, dash, px, wanted, arrows):
        coords = list(self.shapes[f.id].coords)
        pts = axis_points(coords, [dates.parse(d).isoformat() for d in dates.vertex_days(f.props["point_dates"])], day)
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        line = Line2D(xs, ys, color=edge, linewidth=width * px, solid_capstyle="round", solid_joinstyle="round",
                      dash_capstyle="butt", zorder=Z["axis"])
        if dash:
            line.set_dashes(tuple(d * px for d in dash))
        ax.add_artist(line)
        out = [line]
        # The arrowhead: atlas.js's SVG marker, 4 x 4 stroke widths, centred on the last point, along the last
        # segment of non-zero length as it appears on the map.
        angle = 0.0
        for i in range(len(pts) - 1, 0, -1):
            dx, dy = pts[i][0] - pts[i - 1][0], (pts[i][1] - pts[i - 1][1]) * self.aspect
            if dx or dy:
                angle = math.atan2(dy, dx)
                break
        head = MarkerStyle(Path([(-1, -1), (1, 0), (-1, 1), (-1, -1)], [Path.MOVETO, Path.LINETO, Path.LINETO,
                                                                          Path.CLOSEPOLY]),
                           transform=Affine2D().rotate(angle))
        tip = Line2D([xs[-1]], [ys[-1]], linestyle="none", marker=head, markersize=4 * width * px,
                     markerfacecolor=edge, markeredgewidth=0, zorder=Z["axis"] + 0.01)
        ax.add_artist(tip)
        out.append(tip)
        # its label may stand beside any point the arrow has reached, the tip first (atlas.js anchors)
        arrows.append(pts)
        wanted.append(((2, f.props.get("rank", 2)), f.props.get("label", f.props["name"]), pts[::-1], 8 * px,
                       _font(11, px), "bold", None, len(arrows) - 1))
        return out

    def _draw_points(self, ax, features, day, px, wanted, dots):
        if not features:
            return []
        xs, ys, sizes, faces, edges, widths = [], [], [], [], [], []
        mark = self.spec["step"] == "day"
        for f in features:
            p = f.props
            x, y = self.shapes[f.id].coords[0][:2]
            kind = p["kind"]
            radius = (6 if p.get("rank", 2) == 1 else 4.5) if kind == "place" else 6 if kind == "unit" else 7
            face = EVENT_RED if kind in ("event", "battle") else self.color(p)
            edge, weight = "#ffffff", 2
            held = self.held(p, day)
            if held:
                start = dates.parse(held["start_date"]).isoformat()
                captured = mark and start >= self.spec["start_date"] and start > f.first_day
                face = self.palette["sides"].get(held["side"], OTHER)
                edge, weight = ("#111111", 3) if captured else ("#ffffff", 2)
            xs.append(x)
            ys.append(y)
            sizes.append((2 * radius * px) ** 2)
            faces.append(face)
            edges.append(edge)
            widths.append(weight * px)
            dots.append((x, y, radius * px))
            if kind in ("place", "unit") and p.get("rank", 2) == 1:
                wanted.append(((0 if kind == "place" else 1, 1), story.name_on(p, day), [(x, y)], (radius + 6) * px,
                               _font(12, px), "normal", len(dots) - 1, None))
        z = Z[features[0].props["kind"]] if features[0].props["kind"] in Z else Z["unit"]
        dots = ax.scatter(xs, ys, s=sizes, c=faces, edgecolors=edges, linewidths=widths, zorder=z)
        return [dots]

    def _place_labels(self, ax, wanted, extent, placed, dots, arrows):
        """Labels as in the HTML map (white box), never on top of each other, by atlas.js's rule (declutter): to the
        right of the point, or else left of it, above or below it, the same distance away each way, at one of its
        anchors (an arrow's: each point reached, from the tip back; a line's: its places along it). A place must lie
        inside the frame and clear of the labels already placed (and of the scale bar and north arrow, which placed
        starts with) and of the dots of labelled points; a point whose dot a label covers is not labelled. The first
        place that covers no dot and lies nearer the label's own point than any other dot (an arrow's label: nearer
        its own line than any other arrow) is taken, or else the first that covers no dot of a point that wants a name,
        or else the first place; or the label is left out. `own` indexes the label's point in dots, `arrow` its line
        in arrows. Adds the boxes it takes (display pixels) to placed."""
        x0, x1, y0, y1 = extent
        to_px = ax.transData.transform
        dpi = ax.figure.dpi
        left, bottom, right, top = ax.bbox.extents

        def meets(a, b):
            return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

        centres = [tuple(to_px((x, y))) for x, y, _ in dots]
        dot_boxes = [(cx - r * dpi / 72, cy - r * dpi / 72, cx + r * dpi / 72, cy + r * dpi / 72)
                     for (cx, cy), (_, _, r) in zip(centres, dots)]
        lines = [[tuple(to_px(p)) for p in pts] for pts in arrows]
        labelled, out = [], []
        owners = {w[5] for w in wanted if w[5] is not None}  # the dots that want a name
        for text, anchors, offset, size, style, own, arrow in wanted:
            if own is not None and any(meets(dot_boxes[own], b) for b in placed):
                continue
            width, height = _text_size(text, size, style)
            width, height, gap = width * dpi / 72, height * dpi / 72, offset * dpi / 72
            pad = 0.15 * size * dpi / 72
            spots = []  # (box, anchor, offset of the text in points, ha, va), best first
            for x, y in anchors:
                if not (x0 <= x <= x1 and y0 <= y <= y1):
                    continue
                cx, cy = to_px((x, y))
                # box corners in display pixels, y upwards; a line's name is written on it first (style "italic")
                on_line = (((cx - width / 2 - pad, cy - height / 2 - pad), (0, 0), "center", "center"),)
                for (a, b), xytext, ha, va in (on_line if style == "italic" else ()) + (
                        ((cx + gap - pad, cy - height / 2 - pad), (offset, 0), "left", "center"),
                        ((cx - gap - width - pad, cy - height / 2 - pad), (-offset, 0), "right", "center"),
                        ((cx - width / 2 - pad, cy + gap - pad), (0, offset), "center", "bottom"),
                        ((cx - width / 2 - pad, cy - gap - height - pad), (0, -offset), "center", "top")):
                    box = (a, b, a + width + 2 * pad, b + height + 2 * pad)
                    if (box[0] >= left and box[2] <= right and box[1] >= bottom and box[3] <= top and
                            not any(meets(box, o) for o in placed) and not any(meets(box, o) for o in labelled)):
                        spots.append((box, (x, y), xytext, ha, va))

            def clear(spot):
                near = _box_distance(centres[own], spot[0]) if own is not None else 0  # no dot: covering one counts
                if any(i != own and (meets(spot[0], dot_boxes[i]) or _box_distance(centres[i], spot[0]) < near)
                       for i in range(len(dots))):
                    return False
                if arrow is None:
                    return True
                mine = _line_distance(lines[arrow], spot[0])
                return not any(i != arrow and _line_distance(line, spot[0]) < mine for i, line in enumerate(lines))

            def spares(spot):  # covers no other dot that wants a name
                return not any(i != own and meets(spot[0], dot_boxes[i]) for i in owners)
            spot = next((s for s in spots if clear(s)), None) or next((s for s in spots if spares(s)), None) or \
                (spots[0] if spots else None)
            if spot is None:
                continue
            box, xy, xytext, ha, va = spot
            placed.append(box)
            if own is not None:
                labelled.append(dot_boxes[own])
            out.append(self._label(ax, text, xy, xytext, size, style, ha, va))
        return out

    def _place_territory_labels(self, ax, day, px, placed):
        """States' names as on the page (atlas.js placeTerritoryLabel): pale spaced capitals at the first of their
        places (story.territory_label_anchors) where the name covers no label placed, keeps clear of the other names
        (story.TERRITORY_LABEL_GAP_PX) and stays in the frame."""
        to_px = ax.transData.transform
        dpi = ax.figure.dpi
        left, bottom, right, top = ax.bbox.extents
        size = _font(13, px)
        out, names = [], []
        features = {f.id: f for f in self.features}
        for fid, (text, places) in self.territory_names.items():  # in the order they are placed
            if not shown_on(features[fid], day):
                continue
            # CSS letter-spacing .14em, which matplotlib lacks: a thin space (.2em in DejaVu Sans) between letters
            lines = ["\u200a".join(line.upper()) for line in text.split("\n")]
            width = max(_text_size(line, size, "bold")[0] for line in lines) * dpi / 72
            height = len(lines) * size * 1.23 * dpi / 72
            gap_x, gap_y = (g * px * dpi / 72 for g in story.TERRITORY_LABEL_GAP_PX)
            inset = story.LABEL_MARGIN_PX * px * dpi / 72
            for lng, lat, zoom_in in places:
                if zoom_in:  # a picture is drawn at about the opening zoom
                    continue
                cx, cy = to_px((lng, lat))
                box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
                if box[0] < left + inset or box[2] > right - inset or box[1] < bottom + inset or \
                        box[3] > top - inset or \
                        any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed) or \
                        any(box[0] - gap_x < b[2] and b[0] < box[2] + gap_x and box[1] - gap_y < b[3] and
                            b[1] < box[3] + gap_y for b in names):
                    continue
                placed.append(box)
                names.append(box)
                out.append(ax.text(lng, lat, "\n".join(lines), ha="center", va="center", multialignment="center",
                                   fontsize=size, fontweight="semibold", color="#222222", alpha=0.62,
                                   linespacing=1.1, zorder=Z_TERRITORY_LABEL, clip_on=True, path_effects=[
                                       patheffects.withStroke(linewidth=2.5 * px, foreground="white", alpha=0.9)]))
                break
        return out

    def _label(self, ax, text, xy, xytext, size, style="normal", ha="left", va="center"):
        """style: "normal" (places, formations), "bold" (arrows of advance) or "italic" (borders and lines); xytext,
        ha and va put it beside its point (_place_labels)."""
        return ax.annotate(text, xy, xytext=xytext, textcoords="offset points", fontsize=size,
                           fontweight="bold" if style == "bold" else "normal",
                           fontstyle="italic" if style == "italic" else "normal", color="#111111", va=va, ha=ha,
                           zorder=Z_LABEL, annotation_clip=True, clip_on=True,
                           bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "alpha": 0.82,
                                 "edgecolor": "none"})


def _box_distance(point, box):
    """How far a point lies from a box (x0, y0, x1, y1), 0 inside it."""
    return math.hypot(max(box[0] - point[0], 0, point[0] - box[2]), max(box[1] - point[1], 0, point[1] - box[3]))


def _line_distance(pts, box):
    """How far a box (x0, y0, x1, y1) lies from a line through pts, 0 where the line crosses it (atlas.js's
    lineDistance, which places the page's labels)."""
    def to_segment(p, a, b):
        dx, dy = b[0] - a[0], b[1] - a[1]
        square = dx * dx + dy * dy
        t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / square)) if square else 0.0
        return math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1])

    def crosses(a, b):  # Liang-Barsky clipping
        t0, t1 = 0.0, 1.0
        dx, dy = b[0] - a[0], b[1] - a[1]
        for p, q in ((-dx, a[0] - box[0]), (dx, box[2] - a[0]), (-dy, a[1] - box[1]), (dy, box[3] - a[1])):
            if p == 0:
                if q < 0:
                    return False
            else:
                t = q / p
                t0, t1 = (max(t0, t), t1) if p < 0 else (t0, min(t1, t))
                if t0 > t1:
                    return False
        return True

    corners = ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3]))
    best = _box_distance(pts[0], box) if pts else math.inf
    for a, b in zip(pts, pts[1:]):
        if crosses(a, b):
            return 0.0
        best = min([best, _box_distance(b, box)] + [to_segment(c, a, b) for c in corners])
    return best


_TEXT_SIZES = {}


def _text_size(text, size, style):
    """Width and height in points of one line of text in DejaVu Sans, in a style of _label's."""
    key = (text, size, style)
    if key not in _TEXT_SIZES:
        prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if style == "bold" else "normal",
                              style="italic" if style == "italic" else "normal")
        width, _height, _descent = _TEXT_PATH.get_text_width_height_descent(text, prop, ismath=False)
        _TEXT_SIZES[key] = (width, size * 1.17)
    return _TEXT_SIZES[key]


# ---- the furniture: base map, scale bar, north arrow, legend ----

def _base_axes(fig, rect, m, extent, land, px):
    ax = fig.add_axes(rect)
    x0, x1, y0, y1 = extent
    ax.set_facecolor(SEA)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(m.aspect, adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#8a8a8a")
    pad_x, pad_y = (x1 - x0) * 0.05, (y1 - y0) * 0.05
    clipped = _polygon_parts(shapely.clip_by_rect(land, x0 - pad_x, y0 - pad_y, x1 + pad_x, y1 + pad_y))
    path = _rings_path(clipped) if clipped is not None else None
    if path is not None:
        ax.add_artist(mpatches.PathPatch(path, facecolor=LAND, edgecolor="#b9b2a0", linewidth=0.5 * px, zorder=1))
    _scale_bar(ax, m, extent, px)
    _north_arrow(ax, px)
    return ax


def _nice_km(target):
    """The largest 1, 2, 3 or 5 times a power of ten not above target (as Leaflet's scale control)."""
    power = 10 ** math.floor(math.log10(target))
    for step in (5, 3, 2, 1):
        if step * power <= target:
            return step * power
    return power


def _scale_bar_layout(m, extent):
    """Where the scale bar goes, in map units: (x, y, length, km, tick, backing), backing being the (x0, y0, x1, y1)
    of the white box behind it. Bottom right, not bottom left as on the page: a picture has no attribution there, and
    the bar, wider than the page's, took the place of names the page shows in that corner (Japanese-occupied China)."""
    x0, x1, y0, y1 = extent
    mid = math.radians(sum(b[0] for b in story.opening_view(m.spec)) / 2)
    km_per_deg = KM_PER_DEGREE * math.cos(mid)  # true at the map's middle latitude, like its aspect
    km = _nice_km((x1 - x0) * km_per_deg / 5)
    length = km / km_per_deg
    sx, sy = x1 - (x1 - x0) * 0.025 - length, y0 + (y1 - y0) * 0.035
    bx, by = sx - (x1 - x0) * 0.01, sy - (y1 - y0) * 0.015
    backing = (bx, by, bx + length + (x1 - x0) * 0.02, by + (y1 - y0) * 0.075)
    return sx, sy, length, km, (y1 - y0) * 0.012, backing


def _scale_bar(ax, m, extent, px):
    sx, sy, length, km, tick, (bx0, by0, bx1, by1) = _scale_bar_layout(m, extent)
    ax.add_patch(mpatches.Rectangle((bx0, by0), bx1 - bx0, by1 - by0, facecolor="white", alpha=0.75,
                                    edgecolor="none", zorder=Z_FURNITURE))
    ax.add_line(Line2D([sx, sx, sx + length, sx + length], [sy + tick, sy, sy, sy + tick], color="#222222",
                       linewidth=2 * px, solid_joinstyle="miter", zorder=Z_FURNITURE + 0.1))
    label = f"{km:g} km" if km >= 1 else f"{km * 1000:g} m"
    ax.text(sx + length / 2, sy + tick * 1.3, label, ha="center", va="bottom", fontsize=_font(11, px), color="#222222",
            zorder=Z_FURNITURE + 0.1)


NORTH_X, NORTH_TIP, NORTH_TAIL = 0.965, 0.955, 0.875  # the north arrow, in fractions of the map's frame
NORTH_LETTER = NORTH_TAIL - 0.01  # top of the N under it


def _north_arrow(ax, px):
    ax.annotate("", xy=(NORTH_X, NORTH_TIP), xytext=(NORTH_X, NORTH_TAIL), xycoords="axes fraction",
                arrowprops={"arrowstyle": "-|>,head_length=0.6,head_width=0.3", "color": "#222222",
                            "linewidth": 2 * px, "shrinkA": 0, "shrinkB": 0}, zorder=Z_FURNITURE)
    ax.text(NORTH_X, NORTH_LETTER, "N", transform=ax.transAxes, ha="center", va="top", fontsize=_font(13, px),
            fontweight="bold", color="#222222", zorder=Z_FURNITURE,
            bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white", "alpha": 0.75, "edgecolor": "none"})


def _furniture_boxes(ax, m, extent, px):
    """The scale bar's and the north arrow's boxes in display pixels, which labels keep off, as the page's labels keep
    off Leaflet's controls. The N in its circle is taken as a square 1.6 times its font size across, a little
    more than it takes."""
    to_px = ax.transData.transform
    bx0, by0, bx1, by1 = _scale_bar_layout(m, extent)[5]
    (sx0, sy0), (sx1, sy1) = to_px((bx0, by0)), to_px((bx1, by1))
    (nx, tip_y), (_, letter_y) = ax.transAxes.transform([(NORTH_X, NORTH_TIP), (NORTH_X, NORTH_LETTER)])
    half = 0.8 * _font(13, px) * ax.figure.dpi / 72
    return [(sx0, sy0, sx1, sy1), (nx - half, letter_y - 2 * half, nx + half, tip_y)]


def _arrow_patch(legend, orig_handle, xdescent, ydescent, width, height, fontsize):
    return mpatches.FancyArrow(-xdescent, -ydescent + height / 2, width, 0, width=height * 0.28,
                               head_width=height * 0.85, head_length=height * 0.65, length_includes_head=True)


def _legend_handles(entries, px):
    """matplotlib handles for story.legend's entries, from the kind and colours of each entry's swatch."""
    handles, labels = [], []
    for entry in entries:
        svg, label = entry["swatch"], entry["label"]
        fills = re.findall(r'\bfill="(#[0-9a-fA-F]{3,8})"', svg)
        strokes = re.findall(r'\bstroke="(#[0-9a-fA-F]{3,8})"', svg)
        dashed = "stroke-dasharray" in svg
        if "<rect" in svg:
            handle = mpatches.Patch(facecolor=_rgba(fills[0] if fills else OTHER, 0.8),
                                    edgecolor=strokes[0] if strokes else "#5b5b5b", linewidth=1 * px * 1.5,
                                    linestyle=(0, (4, 3)) if dashed else "-")
        elif "<circle" in svg:
            handle = Line2D([], [], linestyle="none", marker="o", markersize=12 * px,
                            markerfacecolor=fills[0] if fills else OTHER,
                            markeredgecolor=strokes[0] if strokes else "#ffffff",
                            markeredgewidth=(3 if dashed else 1.5) * px)
        elif svg.count("<path") >= 2 and fills:
            handle = mpatches.FancyArrow(0, 0, 1, 0, color=fills[0])
        else:
            color = strokes[0] if strokes else OTHER
            dash = (10, 3) if label.startswith("Railway") else (6, 5) if dashed else None
            handle = Line2D([], [], color=color, linewidth=3 * px)
            if dash:
                handle.set_dashes(tuple(d * px for d in dash))
        handles.append(handle)
        labels.append(label)
    return handles, labels


def _add_legend(fig, entries, anchor, fontsize, px, wrap):
    handles, labels = _legend_handles(entries, px)
    labels = [textwrap.fill(label, wrap) for label in labels]
    return fig.legend(handles, labels, loc="upper left", bbox_to_anchor=anchor, frameon=False, fontsize=fontsize,
                      handlelength=2.2, handleheight=1.0, labelspacing=0.55, borderaxespad=0, borderpad=0,
                      title="Legend", title_fontsize=fontsize + 1, alignment="left",
                      handler_map={mpatches.FancyArrow: HandlerPatch(patch_func=_arrow_patch)})


# ---- the pictures ----

# The full-size picture, in figure fractions: [left, bottom, width, height] of the map; the legend to its right.
_MAIN_AXES = (20 / WIDTH, 45 / HEIGHT, 1160 / WIDTH, 855 / HEIGHT)


def _save(fig, path, fmt, **kwargs):
    """Write a figure atomically (a temporary file in the same folder, then a rename)."""
    folder = os.path.dirname(path)
    handle, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            fig.savefig(stream, format=fmt, **kwargs)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def legend_on(entries, days):
    """The legend entries needed on any of these days (story.legend dates an entry "s" to "e" when its features are
    on the map for less than the whole map), as the page shows them: a side named as it was called on those days."""
    return [dict(e, label=story.side_labels_between(e["side"], min(days), max(days))) if "side" in e else e
            for e in entries if "s" not in e or any(e["s"] <= day <= e["e"] for day in days)]


def _main_figure(m, land):
    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor="white")
    left, bottom, width, height = _MAIN_AXES
    extent = _extent(story.opening_view(m.spec), width * WIDTH, height * HEIGHT)
    ax = _base_axes(fig, _MAIN_AXES, m, extent, land, PX)
    fig.text(20 / WIDTH, 1 - 16 / HEIGHT, m.spec["title"], ha="left", va="top", fontsize=16, fontweight="bold",
             color="#111111")
    if m.spec.get("subtitle"):
        fig.text(20 / WIDTH, 1 - 58 / HEIGHT, m.spec["subtitle"], ha="left", va="top", fontsize=9.5,
                 color="#444444")
    date_text = fig.text(1 - 20 / WIDTH, 1 - 16 / HEIGHT, "", ha="right", va="top", fontsize=16,
                         fontweight="bold", color="#7a1020")
    phase_text = fig.text(1 - 20 / WIDTH, 1 - 58 / HEIGHT, "", ha="right", va="top", fontsize=9.5,
                          color="#444444")
    fig.text(20 / WIDTH, 14 / HEIGHT, SOURCE_LINE, ha="left", va="bottom", fontsize=8, color="#444444")
    return fig, ax, extent, date_text, phase_text


def _handout_layout(m):
    """(columns, rows, [panel rects in inches], extent): 3 x 2 or 2 x 3 panels, whichever shows the map larger."""
    page_w, page_h = A4_LANDSCAPE
    left, right, bottom, top = 0.35, page_w - 2.85, 0.45, page_h - 0.95
    gap_x, gap_y = 0.18, 0.42  # gap_y leaves room for each panel's date
    best = None
    for cols, rows in ((3, 2), (2, 3)):
        w = (right - left - gap_x * (cols - 1)) / cols
        h = (top - bottom - gap_y * (rows - 1)) / rows
        extent = _extent(story.opening_view(m.spec), w, h)
        scale = w / (extent[1] - extent[0])
        if best is None or scale > best[0] * 1.0001:
            rects = [(left + c * (w + gap_x), top - h - r * (h + gap_y), w, h)
                     for r in range(rows) for c in range(cols)]
            best = (scale, cols, rows, rects, extent)
    return best[1:]


def _handout(m, land, days, path):
    page_w, page_h = A4_LANDSCAPE
    fig = Figure(figsize=A4_LANDSCAPE, dpi=DPI, facecolor="white")
    _cols, _rows, rects, extent = _handout_layout(m)
    px = PX * max(0.5, min(1.0, rects[0][2] / (_MAIN_AXES[2] * WIDTH / DPI)))
    fig.text(0.35 / page_w, 1 - 0.3 / page_h, m.spec["title"], ha="left", va="top", fontsize=15,
             fontweight="bold", color="#111111")
    when = f"{dates.readable(days[0])} to {dates.readable(days[-1])}" if len(days) > 1 else dates.readable(days[0])
    sub = (m.spec.get("subtitle", "") + " - " if m.spec.get("subtitle") else "") + when
    fig.text(0.35 / page_w, 1 - 0.62 / page_h, sub, ha="left", va="top", fontsize=9, color="#444444")
    for (x, y, w, h), day in zip(rects, days):
        ax = _base_axes(fig, (x / page_w, y / page_h, w / page_w, h / page_h), m, extent, land, px)
        m.draw(ax, day, extent, px)  # arrows named too: the labels find room along them, as on the page
        ax.set_title(dates.readable(day), loc="left", fontsize=9, fontweight="bold", color="#7a1020", pad=3)
        phase = phase_on(m.data, m.spec, day)
        if phase:
            # in what the date leaves of the panel's width ("1 February 1936" once ran into the phase's name)
            room = w * 72 - _text_size(dates.readable(day), 9, "bold")[0] - 8
            width = 40
            while width > 10 and _text_size(textwrap.shorten(phase, width, placeholder="..."), 7, "normal")[0] > room:
                width -= 1
            ax.set_title(textwrap.shorten(phase, width, placeholder="..."), loc="right", fontsize=7, color="#444444",
                         pad=3)
    entries = legend_on(m.legend, days)
    if entries:
        _add_legend(fig, entries, ((page_w - 2.6) / page_w, 1 - 0.95 / page_h), 6.5, px * 1.4, 34)
    fig.text(0.35 / page_w, 0.12 / page_h, handout_sources(m.data, m.features), ha="left", va="bottom",
             fontsize=5.5, color="#444444", linespacing=1.3)
    return _save(fig, path, "pdf", metadata=PDF_META)


def handout_sources(data, features, most=6, width=215):
    """The sources line of a handout: the map's most-cited works, then where the full list is."""
    counts = {}
    for f in features:
        for cite in f.props["sources"]:
            counts[cite["ref"]] = counts.get(cite["ref"], 0) + 1
    ranked = sorted(counts, key=lambda key: (-counts[key], key))
    names = []
    for key in ranked:
        src = data.sources[key]
        name = ((src["author"] + ", " if "author" in src else "") + src["title"] +
                (f" ({src['year']})" if "year" in src else ""))
        if all(ord(ch) < 0x2E80 for ch in name):  # the bundled font has no CJK glyphs; such titles are in the map
            names.append(name)
        if len(names) == most:
            break
    text = (f"Main sources: {'; '.join(names)}. All {len(counts)} sources, each tied to the shapes and dates it "
            "supports, are listed in the interactive map (Sources tab and popups). Base map: Natural Earth.")
    return "\n".join(textwrap.wrap(text, width)[:3])


def render_map(data, spec, out_dir):
    """PNG and SVG of one map on each key date, and its PDF handout. Returns the written paths."""
    m = _Map(data, spec)
    folder = os.path.join(out_dir, spec["id"])
    os.makedirs(folder, exist_ok=True)
    days = handout_dates(m.stops, spec["open_date"], spec["end_date"])
    written = []
    with matplotlib.rc_context(RC):
        main_extent = _extent(story.opening_view(spec), _MAIN_AXES[2] * WIDTH, _MAIN_AXES[3] * HEIGHT)
        land = m.land([main_extent, _handout_layout(m)[3]])
        fig, ax, extent, date_text, phase_text = _main_figure(m, land)
        for day in key_dates(data, spec):
            date_text.set_text(dates.readable(day))
            phase_text.set_text(phase_on(data, spec, day) or "")
            artists = m.draw(ax, day, extent, PX)
            entries = legend_on(m.legend, [day])
            if entries:
                artists.append(_add_legend(fig, entries, (1202 / WIDTH, 1 - 100 / HEIGHT), 8, PX, 34))
            written.append(_save(fig, os.path.join(out_dir, image_name(spec, day, "png")), "png", dpi=DPI,
                                 metadata=PNG_META))
            written.append(_save(fig, os.path.join(out_dir, image_name(spec, day, "svg")), "svg",
                                 metadata=SVG_META))
            for artist in artists:
                artist.remove()
        written.append(_handout(m, land, days, os.path.join(folder, f"{spec['id']}-handout.pdf")))
    return written


def render_all(data, out_dir, progress=print):
    """Render every map of data.maps into out_dir/<map id>/. Returns {map id: [written paths]}."""
    out = {}
    for spec in data.maps:
        started = time.perf_counter()
        out[spec["id"]] = render_map(data, spec, out_dir)
        images = sum(1 for p in out[spec["id"]] if p.endswith(".png"))
        if progress:
            progress(f"{os.path.join(out_dir, spec['id'])}: {images} images, handout, "
                     f"{time.perf_counter() - started:.1f} s")
    return out
