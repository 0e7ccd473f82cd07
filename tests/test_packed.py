"""The page's text, its layers' data and its scripts travel LZMA-compressed in base 85: the build's packing gives
back exactly what it packed, and the page's own decoder (unpack.js), in Chromium, reads every kind of LZMA packet,
every setting of the properties byte and every length of base 85 the same way Python's liblzma does, and refuses a
damaged copy."""
import json
import lzma
import random
import re
import zlib

import pytest

from atlas import dataset, packed, story
from conftest import ROOT

PACKED = re.compile(r'atlas\.unpack\("([^"]*)", (\d+)\)')
CONFIGURE = re.compile(r'atlas\.configure\(atlas\.unpack\("([^"]*)", (\d+)\), "([^"]*)", (\d+)\);')


def unpacked(text, size):
    value = packed.unpack(text, int(size))
    assert len(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()) == int(size)
    return value


def page_config(path):
    """(config, reading, page text): the page's two packed texts, what it needs to open and what only a popup or the
    Sources tab shows (page.READING)."""
    text = open(path, encoding="utf-8").read()
    packed_config, config_size, packed_reading, reading_size = CONFIGURE.search(text).groups()
    return unpacked(packed_config, config_size), unpacked(packed_reading, reading_size), text


def test_a_committed_page_carries_every_features_text_once_and_only_packed():
    data, _ = dataset.load(f"{ROOT}/geodata")
    spec = next(m for m in data.maps if m["id"] == "august-storm")
    content = story.map_content(data, spec)
    config, reading, text = page_config(f"{ROOT}/maps/august-storm.html")
    expected = [f["properties"] for _label, _pane, _z, fc in content.layers for f in fc["features"]]
    # a feature's note and citations travel in the reading text, by the feature's index, and so do the notes of a
    # place's changes of hands (by index, then entry); the rest in the config
    def without_notes(p):
        kept = {k: v for k, v in p.items() if k not in ("note", "sources")}
        if "control" in p:
            kept["control"] = [{k: v for k, v in c.items() if k != "note"} for c in p["control"]]
        return kept
    assert [without_notes(p) for p in expected] == config["props"]
    assert [p.get("note", "") for p in expected] == reading["notes"]
    assert [p["sources"] for p in expected] == reading["cites"]
    assert any(reading["notes"]) and all(reading["cites"])
    held = {str(i): [c.get("note", "") for c in p["control"]] for i, p in enumerate(expected)
            if any("note" in c for c in p.get("control", []))}
    assert held and reading["held"] == held
    assert all("note" not in c for p in config["props"] for c in p.get("control", []))
    whole = json.loads(json.dumps(content.config))
    assert {k: v for k, v in config.items() if k != "props"} == {k: v for k, v in whole.items() if k != "sources"}
    assert reading["sources"] == whole["sources"]
    # The features in the page keep only their index into config.props; no description is sent twice.
    layers = [unpacked(*m.groups()) for m in PACKED.finditer(text)][1:]  # the first is the config
    layer_text = json.dumps(layers, ensure_ascii=False)
    assert layer_text.count('"properties": {"i": ') == len(expected)
    hsinking = next(p for p in expected if p["id"] == "hsinking")
    assert hsinking["description"] not in text and hsinking["description"] not in layer_text


def test_every_layers_data_travels_packed():
    """The base map, the territories and every feature layer: no GeoJSON is written out in the page."""
    text = open(f"{ROOT}/maps/road-to-war.html", encoding="utf-8").read()
    adds = re.findall(r"\bgeo_json_\d+_add\((.{14})", text)
    assert len(adds) >= 5 and all(arg == "atlas.unpack(\"" for arg in adds), adds
    assert "atlas.decodeShared(atlas.unpack(\"" in text
    assert '"coordinates"' not in text


def test_the_packed_text_is_plain_lzma_and_much_smaller_than_deflate():
    """After its properties byte, a packed text is a raw LZMA1 stream that liblzma reads back with those
    properties; on the atlas's own text it is far smaller than DEFLATE at zlib's best (83% of it on August Storm's
    300 KB; 91% on Lake Khasan's 36 KB, where DEFLATE's 32 KB window already sees most repeats)."""
    data, _ = dataset.load(f"{ROOT}/geodata")
    spec = next(m for m in data.maps if m["id"] == "august-storm")
    text = json.dumps(story.map_content(data, spec).config, ensure_ascii=False, sort_keys=True)
    for sample in ("", "a", text):
        raw = sample.encode()
        stream = packed.compress(raw)
        assert stream[0] == 3  # lc=3, lp=0, pb=0
        filters = [{"id": lzma.FILTER_LZMA1, "dict_size": 1 << 20, "lc": 3, "lp": 0, "pb": 0}]
        assert lzma.decompress(stream[1:], format=lzma.FORMAT_RAW, filters=filters) == raw
        assert packed.unpack_text(packed.pack_text(sample)[0]) == sample
    deflated = zlib.compressobj(9, zlib.DEFLATED, -15)
    assert len(packed.compress(text.encode())) < 0.85 * len(deflated.compress(text.encode()) + deflated.flush())


def test_base_85_round_trips_every_length_and_uses_only_characters_safe_in_a_page():
    rng = random.Random(85)
    for length in [*range(0, 13), 4096, 4097, 4098, 4099]:
        raw = bytes(rng.randrange(256) for _ in range(length))
        text = packed.encode85(raw)
        assert len(text) == length // 4 * 5 + (length % 4 + 1 if length % 4 else 0)
        assert packed.decode85(text) == raw
    assert packed.encode85(b"\xff" * 4) == "_NsC0" and packed.encode85(b"\0" * 4) == "00000"
    assert not set(packed.ALPHABET) & set(packed.UNSAFE)


def lzma_pack(raw, lc=3, lp=0, pb=0, preset=9 | lzma.PRESET_EXTREME):
    """raw LZMA1 with any properties, as packed.compress writes it with its own (which the pages use)."""
    filters = [{"id": lzma.FILTER_LZMA1, "preset": preset, "dict_size": 1 << 20, "lc": lc, "lp": lp, "pb": pb}]
    return packed.encode85(bytes([(pb * 5 + lp) * 9 + lc]) + lzma.compress(raw, format=lzma.FORMAT_RAW,
                                                                           filters=filters))


def samples():
    rng = random.Random(1945)
    prose = " ".join(rng.choice(["Hsinking", "Mukden", "新京", "奉天", "Харбин", "청진", "the", "army", "took", "on",
                                 "9 August", "1945", "\u2028"]) for _ in range(20000))
    noise = "".join(chr(rng.randrange(32, 0x3000)) for _ in range(5000))
    far = noise + "x" * 100 + noise  # a repeat some 14,000 bytes back: distances past the 4 aligned bits
    runs = "".join(rng.choice("ab") * rng.randrange(1, 400) for _ in range(500))  # lengths up to the longest, 273
    return {
        "literals only (text that does not repeat)": (noise, {}),
        "matches, repeats and short repeats (prose)": (prose, {}),
        "long distances": (far, {}),
        "long runs": (runs, {}),
        "empty text": ("", {}),
        "one character": ("Х", {}),
        "position bits (pb=2, lp=1, lc=2)": (prose, {"pb": 2, "lp": 1, "lc": 2}),
        "no context bits (lc=0)": (prose, {"lc": 0}),
        "four context bits (lc=4)": (prose, {"lc": 4}),
        "liblzma's fastest preset": (prose, {"preset": 0}),
    }


@pytest.mark.parametrize("name", list(samples()))
def test_the_page_decodes_what_liblzma_encodes(open_page, name):
    text, settings = samples()[name]
    value = {"text": text}
    raw = json.dumps(value, ensure_ascii=False).encode("utf-8")
    page = open_page().open(f"{ROOT}/maps/lake-khasan-1938.html")
    assert page.evaluate("([b, n]) => atlas.unpack(b, n)", [lzma_pack(raw, **settings), len(raw)]) == value


def test_a_damaged_copy_is_refused_not_misread(open_page):
    raw = json.dumps({"text": "Port Arthur / Lushun " * 200, "more": list(range(300))}).encode("utf-8")
    good = lzma_pack(raw)
    stream = packed.decode85(good)
    middle = len(stream) // 2

    def changed(data):
        return packed.encode85(bytes(data))
    cases = {
        "truncated": (changed(stream[:middle]), len(raw)),
        "the last byte missing": (changed(stream[:-1]), len(raw)),
        "a byte after the end": (changed(stream + b"\0"), len(raw)),
        "a properties byte out of range": (changed(bytes([225]) + stream[1:]), len(raw)),
        "a first byte of the range coder that is not 0": (changed(stream[:1] + b"\1" + stream[2:]), len(raw)),
        "a byte changed in the middle": (changed(stream[:middle] + bytes([stream[middle] ^ 0x55]) + stream[middle + 1:]),
                                         len(raw)),
        "a length too long": (good, len(raw) + 1),
        "a length too short": (good, len(raw) - 1),
        "a character outside the alphabet": (good[:10] + "<" + good[11:], len(raw)),
        "a character outside ASCII": (good[:10] + "é" + good[11:], len(raw)),
        "a group over 32 bits": ("~~~~~" + good[5:], len(raw)),
        "one character too many": (good + "0" if len(good) % 5 == 0 else good[:-(len(good) % 5) + 1], len(raw)),
    }
    page = open_page().open(f"{ROOT}/maps/lake-khasan-1938.html")
    for name, (damaged, size) in cases.items():
        error = page.evaluate("([b, n]) => { try { atlas.unpack(b, n); return null; } catch (e) { return e.message; } }",
                              [damaged, size])
        assert error and "damaged" in error, name


RUN = re.compile(r'atlas\.run\("([^"]+)", "([^"]*)", (\d+)\);')


def test_leaflet_and_the_runtime_travel_packed_and_unpack_to_exactly_the_files_they_are():
    """Leaflet (its script and style sheet) and ours (atlas.css, atlas.js), 200 KB in all, are sent packed and put
    in place by the bootstrap: the page carries them once, packed, and what they unpack to is byte for byte
    node_modules' leaflet.js, its leaflet.css minified with the images inlined, and our minified atlas.css and
    atlas.js. Only the sheet for a reader without JavaScript is written out, inside <noscript>."""
    import rcssmin
    from atlas import assets
    noscript_css, bootstrap, packed_assets = assets.page_assets()
    leaflet = open(f"{assets.LEAFLET}/leaflet.js", encoding="utf-8").read()
    leaflet_css = rcssmin.cssmin(assets._inline_images(open(f"{assets.LEAFLET}/leaflet.css", encoding="utf-8").read(),
                                                       assets.LEAFLET))
    atlas_css = rcssmin.cssmin(open(f"{assets.HERE}/atlas.css", encoding="utf-8").read())
    for name in ("august-storm", "road-to-war"):
        text = open(f"{ROOT}/maps/{name}.html", encoding="utf-8").read()
        runs = RUN.findall(text)
        assert [run[0] for run in runs] == ["leaflet.css", "atlas.css", "leaflet.js", "atlas.js"]
        for run_name, packed_text, size in runs:
            unpacked = packed.unpack_text(packed_text, int(size))
            assert len(unpacked.encode("utf-8")) == int(size)
            if run_name == "leaflet.js":
                assert unpacked == leaflet
            if run_name == "atlas.css":
                assert unpacked == atlas_css and "#atlas-app" in unpacked
            if run_name == "leaflet.css":
                assert unpacked == leaflet_css
                # its images are inside it; nothing points at a file or the network (url(#...) is in-document)
                assert "data:image/png;base64," in unpacked and not re.search(r"url\((?!data:|#)", unpacked)
        assert leaflet[:2000] not in text and "L.Map" not in text.split("atlas.run(")[0]
        before_runs = text.split("atlas.run(")[0]
        assert ".leaflet-pane" not in before_runs and "grid-template" not in before_runs  # neither sheet written out
        assert re.search(r"<noscript><style>[^<]*\.atlas-noscript[^<]*</style></noscript>", before_runs)
        assert text.index(noscript_css) < text.index(bootstrap) < text.index("atlas.run(") < text.index("atlas.configure(")
    assert [p[0] for p in packed_assets] == ["leaflet.css", "atlas.css", "leaflet.js", "atlas.js"]
