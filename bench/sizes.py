"""Where the bytes of a map file go: libraries, base map and data, found by parsing the HTML (not by guessing).

* libraries: for an atlas map, the first <style> inside <head> (noscript.css, inside <noscript>), the first <script>
  (unpack.js, the bootstrap) and the <script> of atlas.run calls (Leaflet's CSS and JS, atlas.css and atlas.js,
  packed), which page.py
  inlines there; for a folium(-offline) page, every <style> and <script> in <head> (folium puts each
  inlined CDN asset there).
* base map: the first folium `geo_json_XXXX_add(...)` call, i.e. the GeoJson of the Natural Earth land polygon
  (LZMA-compressed and in base 85 in an atlas map: `atlas.unpack("...", n)`; JSON in a folium(-offline) page).
* data: everything else, split into the atlas.configure() config (packed JSON in base 85: the text of the map and
  every feature's properties), the feature layers (the other geo_json adds and the shared-vertex territories
  layer's `atlas.decodeShared(...)`: geometry, and an index into the config for each feature; packed too), the
  <noscript> text and the rest (page markup, the map set-up code).

Gzip sizes use level 6 (what web servers and `gzip` use by default); each part is compressed on its own, so the
parts' gzip sizes add up to a little more than the whole file's.
"""
import gzip
import json
import os
import re
from functools import lru_cache
from html.parser import HTMLParser

RUN_CALL = re.compile(r'atlas\.run\("([^"]+)", "[^"]*", \d+\);')
ADD_CALL = re.compile(r"\b(geo_json_[0-9a-f]+)_add\(|\batlas\.decodeShared\(")
PACKED = re.compile(r'atlas\.unpack\("([^"]*)", (\d+)\)')
READING = re.compile(r'atlas\.configure\(atlas\.unpack\("[^"]*", \d+\), "([^"]*)", (\d+)\)')


def _argument_end(text, start):
    """End of the argument starting at text[start]: a packed value (atlas.unpack(...)) or a JSON literal."""
    packed = PACKED.match(text, start)
    if packed:
        return packed.end()
    return json.JSONDecoder().raw_decode(text, start)[1]


def gz(text):
    if not text:
        return 0
    return len(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0))


def raw(text):
    return len(text.encode("utf-8"))


class _Elements(HTMLParser):
    """Records the character span [start, end) of every <script> and <style> element and of <head>."""

    def __init__(self, text):
        super().__init__(convert_charrefs=False)
        self._line_starts = [0]
        for match in re.finditer("\n", text):
            self._line_starts.append(match.end())
        self.elements = []  # (tag, start of start tag, end of end tag, start of content, end of content, in_head)
        self.head = None
        self._open = {}
        self._in_head = False
        self._head_start = None

    def _offset(self):
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        text = self.get_starttag_text() or ""
        if tag == "head":
            self._in_head, self._head_start = True, start
        if tag in ("script", "style"):
            self._open[tag] = (start, start + len(text), self._in_head)

    def handle_endtag(self, tag):
        start = self._offset()
        if tag == "head" and self._head_start is not None:
            self.head = (self._head_start, start + len("</head>"))
            self._in_head = False
        if tag in ("script", "style") and tag in self._open:
            tag_start, content_start, in_head = self._open.pop(tag)
            self.elements.append((tag, tag_start, start + len(f"</{tag}>"), content_start, start, in_head))


def _spans_of_libraries(text, elements, rule):
    head = [e for e in elements if e[5]]
    if rule == "first":
        chosen = []
        for tag in ("style", "script"):
            first = next((e for e in head if e[0] == tag), None)
            if first is not None:
                chosen.append(first)
        chosen += [e for e in head if e[0] == "script" and text.startswith("atlas.run(", e[3])]
        return chosen
    return head


def _basemap_span(text):
    """Span of the first `geo_json_XXXX_add(<GeoJSON>)` call (the land polygon), found by decoding its JSON."""
    match = ADD_CALL.search(text)
    if match is None:
        return None
    start = match.end()
    while text[start] in " \n\t":
        start += 1
    end = _argument_end(text, start)
    close = text.index(")", end) + 1
    if close < len(text) and text[close] == ";":
        close += 1
    return match.start(), close


def split(text, library_rule="first"):
    """{part: text} for one page: libraries (with a finer split), basemap, data (with a finer split)."""
    parser = _Elements(text)
    parser.feed(text)
    parser.close()
    libs = sorted(_spans_of_libraries(text, parser.elements, library_rule), key=lambda e: e[1])
    parts = {"libraries": "".join(text[e[1]:e[2]] for e in libs)}
    # finer split of the libraries of an atlas map: Leaflet (its CSS, the exact node_modules file as assets.py
    # inlines it, and its atlas.run call) and our own runtime (the rest of the <style>, the bootstrap and the
    # atlas.js call)
    if library_rule == "first":
        css = next((text[e[3]:e[4]] for e in libs if e[0] == "style"), "")
        scripts = [text[e[3]:e[4]] for e in libs if e[0] == "script"]
        runs = {m.group(1): m.group(0) for body in scripts for m in RUN_CALL.finditer(body)}
        leaflet_css = _leaflet_files()[0]
        css_cut = len(leaflet_css) if css.startswith(leaflet_css) else 0
        parts["libraries.leaflet"] = css[:css_cut] + runs.get("leaflet.css", "") + runs.get("leaflet.js", "")
        parts["libraries.atlas"] = (css[css_cut:] + (scripts[0] if scripts else "") + runs.get("atlas.css", "")
                                    + runs.get("atlas.js", ""))
        parts["libraries.tags"] = "".join(text[e[1]:e[3]] + text[e[4]:e[2]] for e in libs)
    base = _basemap_span(text)
    parts["basemap"] = text[base[0]:base[1]] if base else ""
    taken = sorted([(e[1], e[2]) for e in libs] + ([base] if base else []))
    rest, pos = [], 0
    for start, end in taken:
        rest.append(text[pos:start])
        pos = end
    rest.append(text[pos:])
    data = "".join(rest)
    parts["data"] = data
    # finer split of the data: the config passed to atlas.configure(), the feature layers, everything else
    config = re.search(r"<script>atlas\.configure\(.*?\);</script>", data, re.S)
    parts["data.config"] = config.group(0) if config else ""
    features = []
    for match in ADD_CALL.finditer(data):
        end = _argument_end(data, match.end())
        features.append(data[match.start():end + 1])
    parts["data.features"] = "".join(features)
    # not parts of the file: the config's and the layers' JSON as they are before packing (atlas/packed.py)
    from atlas import packed as packing
    for part in ("data.config", "data.features"):
        packed = [packing.unpack(m.group(1), int(m.group(2))) for m in PACKED.finditer(parts[part])]
        # the config's second text, what only popups and the Sources tab read (page.READING), is unpacked later
        packed += [packing.unpack(m.group(1), int(m.group(2))) for m in READING.finditer(parts[part])]
        if packed:
            parts[part + "_json"] = "".join(json.dumps(value, ensure_ascii=False, sort_keys=True,
                                                       separators=(",", ":")) for value in packed)
    parts["data.noscript"] = "".join(re.findall(r"<noscript>.*?</noscript>", data, re.S))
    parts["data.other"] = data
    for piece in (parts["data.config"], *features, *re.findall(r"<noscript>.*?</noscript>", data, re.S)):
        parts["data.other"] = parts["data.other"].replace(piece, "", 1)
    parts["total"] = text
    return parts


@lru_cache(maxsize=None)
def _leaflet_files():
    """Leaflet's CSS (with its images inlined, as atlas/assets.py does) and JS, from node_modules."""
    from atlas import assets
    with open(os.path.join(assets.LEAFLET, "leaflet.css"), encoding="utf-8") as handle:
        css = assets._inline_images(handle.read(), assets.LEAFLET)
    with open(os.path.join(assets.LEAFLET, "leaflet.js"), encoding="utf-8") as handle:
        js = handle.read()
    return css, js


def measure(path, library_rule="first"):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    parts = split(text, library_rule)
    return {name: {"raw": raw(part), "gz": gz(part)} for name, part in parts.items()}


def script_regions(text):
    """(label, first line, last line), 0-based, of the scripts of an atlas page: for attributing profiler samples."""
    parser = _Elements(text)
    parser.feed(text)
    parser.close()
    scripts = [e for e in parser.elements if e[0] == "script"]
    regions = []

    def lines(start, end):
        return text.count("\n", 0, start), text.count("\n", 0, end)

    # Leaflet and atlas.js run from atlas.run, named by their sourceURL (browser.py buckets their samples by it);
    # what is left in the page is the bootstrap (unpack.js) and the atlas.run calls that unpack them.
    for e in scripts[:1]:
        regions.append(("unpack.js (bootstrap)", *lines(e[3], e[4])))
    for e in scripts[1:]:
        body = text[e[3]:e[4]]
        label = "config (atlas.configure)" if body.startswith("atlas.configure(") else \
            "unpack.js (bootstrap)" if body.startswith("atlas.run(") else \
            "page script (folium map, layers, atlas.init)"
        regions.append((label, *lines(e[3], e[4])))
    return regions
