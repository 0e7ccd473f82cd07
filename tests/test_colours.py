"""Colours a legend tells apart stay apart for colour-blind readers: protan, deutan and tritan vision simulated
(Machado, Oliveira and Fernandes 2009, severity 1.0), difference measured as CIE76 Delta E in CIELAB."""
import itertools

import pytest

from atlas import dataset, story
from conftest import ROOT

# Machado et al. 2009, full severity, applied to linear RGB.
SIMULATIONS = {
    "protan": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deutan": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritan": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "normal": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
}


def _linear(c):
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(rgb_linear):
    r, g, b = (min(1.0, max(0.0, v)) for v in rgb_linear)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(hex_color, vision):
    rgb = [_linear(int(hex_color[i:i + 2], 16)) for i in (1, 3, 5)]
    m = SIMULATIONS[vision]
    return _lab([sum(m[row][k] * rgb[k] for k in range(3)) for row in range(3)])


def delta_e(a, b):
    return sum((x - y) ** 2 for x, y in zip(a, b)) ** 0.5


def _pairs(colors):
    return [(a, b) for (a, b) in itertools.combinations(sorted(set(colors.items())), 2)]


@pytest.mark.parametrize("vision", ["normal", "protan", "deutan", "tritan"])
def test_territory_fills_are_distinguishable(vision):
    data, _ = dataset.load(f"{ROOT}/geodata")
    used = {f.props["side"] for f in data.by_id.values() if f.props["kind"] == "territory" and "side" in f.props}
    colors = {side: color for side, color in story.SIDE_COLORS.items() if side in used}
    for (side_a, a), (side_b, b) in _pairs(colors):
        assert delta_e(seen(a, vision), seen(b, vision)) >= 14, (vision, side_a, side_b)


SEA, LAND = "#c6dbe6", "#f3efe4"  # atlas.css --sea, and the land under the territories (static.py SEA, LAND)
TERRITORY_FILL_OPACITY = 0.55  # atlas.js style() for a territory
LANDLOCKED = {"mongolian"}  # never meets the sea on the maps, so it may be a blue


def _over_land(hex_color, opacity=TERRITORY_FILL_OPACITY):
    mix = [round(opacity * int(hex_color[i:i + 2], 16) + (1 - opacity) * int(LAND[i:i + 2], 16)) for i in (1, 3, 5)]
    return "#" + "".join(f"{v:02x}" for v in mix)


@pytest.mark.parametrize("vision", ["normal", "protan", "deutan", "tritan"])
def test_no_territory_reads_as_sea(vision):
    """A territory's fill, as drawn (part-transparent over the land), must not look like the sea around it: Korea's
    pale blue of 1904-1910 did (Delta E 2-5), so the peninsula read as water."""
    data, _ = dataset.load(f"{ROOT}/geodata")
    used = {f.props["side"] for f in data.by_id.values() if f.props["kind"] == "territory" and "side" in f.props}
    for side, color in story.SIDE_COLORS.items():
        if side in used and side not in LANDLOCKED:
            assert delta_e(seen(_over_land(color), vision), seen(SEA, vision)) >= 10, (vision, side)


@pytest.mark.parametrize("vision", ["normal", "protan", "deutan", "tritan"])
def test_fronts_that_share_a_map_are_distinguishable(vision):
    data, _ = dataset.load(f"{ROOT}/geodata")
    colors = story.palette(data)["fronts"]
    for spec in data.maps:
        # arrows and formation markers take their front's colour: a Japanese army must not look like a Soviet one
        fronts = {f.props["front"] for f in story.select(data, spec)
                  if f.props["kind"] in ("axis", "unit") and "front" in f.props}
        for a, b in itertools.combinations(sorted(fronts), 2):
            if colors[a] == colors[b]:
                continue
            assert delta_e(seen(colors[a], vision), seen(colors[b], vision)) >= 10, (vision, spec["id"], a, b)
