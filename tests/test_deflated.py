"""The page's text travels deflated: the build's packing gives back exactly what it packed, and atlas.js's own
inflater, in Chromium, reads every kind of DEFLATE block the same way zlib does and refuses a damaged copy."""
import base64
import json
import random
import re
import zlib

import pytest

from atlas import dataset, deflated, story
from conftest import ROOT

CONFIGURE = re.compile(r'atlas\.configure\(atlas\.unpack\("([A-Za-z0-9+/=]*)", (\d+)\)\);')


def page_config(path):
    text = open(path, encoding="utf-8").read()
    packed, size = CONFIGURE.search(text).groups()
    config = deflated.unpack(packed)
    assert len(json.dumps(config, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()) == int(size)
    return config, text


def test_a_committed_page_carries_every_features_text_once_and_only_packed():
    data, _ = dataset.load(f"{ROOT}/geodata")
    spec = next(m for m in data.maps if m["id"] == "august-storm")
    content = story.map_content(data, spec)
    config, text = page_config(f"{ROOT}/maps/august-storm.html")
    expected = [f["properties"] for _label, _pane, _z, fc in content.layers for f in fc["features"]]
    assert config["props"] == expected
    assert {k: v for k, v in config.items() if k != "props"} == json.loads(json.dumps(content.config))
    # The features in the page keep only their index into config.props; no description is sent twice.
    assert text.count('"properties":{"i":') == len(expected)
    hsinking = next(p for p in expected if p["id"] == "hsinking")
    assert hsinking["description"] not in text


def deflate(raw, level):
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return base64.b64encode(compressor.compress(raw) + compressor.flush()).decode("ascii")


def samples():
    rng = random.Random(1945)
    prose = " ".join(rng.choice(["Hsinking", "Mukden", "新京", "奉天", "Харбин", "청진", "the", "army", "took", "on",
                                 "9 August", "1945", "\u2028"]) for _ in range(20000))
    noise = "".join(chr(rng.randrange(32, 0x3000)) for _ in range(5000))
    far = noise + "x" * 100 + noise  # a repeat 5,100 characters back: long distance codes
    return {
        "stored blocks (level 0)": (prose, 0),
        "fixed Huffman codes (a short text)": ("Hsinking / Changchun", 9),
        "dynamic Huffman codes, several blocks": (prose, 9),
        "long distances and lengths": (far, 9),
        "empty text": ("", 9),
    }


@pytest.mark.parametrize("name", list(samples()))
def test_the_page_inflates_what_zlib_deflates(open_page, name):
    text, level = samples()[name]
    value = {"text": text}
    raw = json.dumps(value, ensure_ascii=False).encode("utf-8")
    page = open_page().open(f"{ROOT}/maps/lake-khasan-1938.html")
    assert page.evaluate("([b, n]) => atlas.unpack(b, n)", [deflate(raw, level), len(raw)]) == value


def test_a_damaged_copy_is_refused_not_misread(open_page):
    raw = json.dumps({"text": "Port Arthur / Lushun " * 200}).encode("utf-8")
    packed = base64.b64decode(deflate(raw, 9))
    truncated = base64.b64encode(packed[: len(packed) // 2]).decode("ascii")
    reserved = base64.b64encode(bytes([packed[0] | 0x06]) + packed[1:]).decode("ascii")  # block type 3: reserved
    page = open_page().open(f"{ROOT}/maps/lake-khasan-1938.html")
    for damaged, size in ((truncated, len(raw)), (reserved, len(raw)), (deflate(raw, 9), len(raw) + 1)):
        error = page.evaluate("([b, n]) => { try { atlas.unpack(b, n); return null; } catch (e) { return e.message; } }",
                              [damaged, size])
        assert error and "damaged" in error
