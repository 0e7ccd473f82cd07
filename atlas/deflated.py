"""What a page carries deflated: its text (names, descriptions, notes, citations, the bibliography: one JSON
document given to atlas.configure), the data of each GeoJSON layer (geometry, the base map) and its scripts
(Leaflet's script and style sheet and the atlas runtime, given to atlas.run), each compressed with raw DEFLATE (RFC 1951) and written in
base 85.

Text, coordinates and scripts are most of a page and compress 3 to 4.5 to 1. inflate.js decodes and inflates them
synchronously while the page loads (its own inflater, so no browser API is needed and the page works from a
file, offline, in any browser Leaflet supports); the length of the text is sent beside each, so the page can tell a
truncated or damaged copy.

Base 85 rather than base64: four bytes in five characters where base64 needs five and a third, 6% fewer. The alphabet is the 94
printable ASCII characters less the nine that would need escaping somewhere on the way into the page: " and \\ (a
JavaScript string), ' < > & (Jinja's tojson escapes them, and < could start </script>), ` (a template literal),
and { } (branca parses every rendered piece as a Jinja template once more: brace_safe in page.py). The order keeps
the digits and letters first, as RFC 1924 does, so Python's base64.b85encode output maps onto it one to one.

The page's text (the config) is deflated with zopfli, whose DEFLATE streams any inflater reads but are some 3.5%
smaller than zlib's at level 9 (347 KB against 359 KB for road-to-war's text; about 1.9 s of build time for all four):
that text is most of every page and grows with each audit, and the largest page must stay within the 600 KB
budget. The scripts (Leaflet and atlas.js, the same on every page) are deflated with zopfli too, once per build
(assets.page_assets is cached: about 0.15 s for 2.2 KB less on each page). Geometry keeps zlib, which is fast: zopfli
would save about 1.8 KB of road-to-war's territories for 1.25 s more of build.

zlib and zopfli give the same output for the same input and settings across their releases (zopfli is pinned in
pyproject.toml), so a build stays byte-identical; a Python linked against zlib-ng instead would write other (equally
valid) bytes, which the committed-maps test would report.
"""
import base64
import json
import zlib

import numpy
import zopfli.zopfli

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%()*+,-./:;=?@[]^_|~"
UNSAFE = "\"&'<>\\`{}"
assert len(set(ALPHABET)) == 85 and all("!" <= ch <= "~" and ch not in UNSAFE for ch in ALPHABET)
_ALPHABET_BYTES = numpy.frombuffer(ALPHABET.encode("ascii"), dtype=numpy.uint8)
RFC1924 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"  # base64.b85encode's
_FROM_OURS = str.maketrans(ALPHABET, RFC1924)


def encode85(data):
    """bytes -> text, four bytes to five characters, big-endian, most significant digit first. A final group of
    n < 4 bytes is zero-padded and written as its first n + 1 characters (as base64.b85encode does)."""
    pad = -len(data) % 4
    words = numpy.frombuffer(data + b"\0" * pad, dtype=">u4").astype(numpy.uint64)
    digits = numpy.empty((len(words), 5), dtype=numpy.uint8)
    for k in range(4, -1, -1):  # numpy: the same arithmetic as a loop over the words, some 50x faster
        digits[:, k] = words % 85
        words //= 85
    text = _ALPHABET_BYTES[digits].tobytes().decode("ascii")
    return text[:len(text) - pad]


def decode85(text):
    """The inverse of encode85 (atlas.unpack does the same in the page)."""
    return base64.b85decode(text.translate(_FROM_OURS))


def deflate(raw, thorough=False):
    """bytes -> a raw DEFLATE stream (RFC 1951: no zlib header or checksum): zlib at level 9, or with `thorough`
    zopfli at one iteration (some 3.5% smaller on the atlas text, some 18 times slower)."""
    if thorough:
        # one iteration and at most 5 blocks: 99.9% of the gain of zopfli's defaults (15 blocks) in 60% of the time
        stream = zopfli.zopfli.compress(raw, numiterations=1, blocksplittingmax=5, gzip_mode=0)  # a zlib container
        return stream[2:-4]  # less its 2-byte header and its Adler-32 trailer
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # negative window bits: raw DEFLATE, no zlib header
    return compressor.compress(raw) + compressor.flush()


def pack_text(text, thorough=False):
    """text -> (base 85 text of its deflated UTF-8, length of the UTF-8 in bytes)."""
    raw = text.encode("utf-8")
    return encode85(deflate(raw, thorough)), len(raw)


def pack(obj, thorough=False):
    """obj -> (base 85 text of its deflated JSON, length of the JSON in bytes)."""
    return pack_text(json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")), thorough)


def unpack_text(text):
    """The inverse of pack_text, as atlas.run does it (used by the tests and the benchmarks)."""
    return zlib.decompress(decode85(text), -15).decode("utf-8")


def unpack(text):
    """The inverse of pack, as atlas.unpack does it (used by the tests and the benchmarks)."""
    return json.loads(unpack_text(text))


class Packed:
    """A value that a page template writes as `atlas.unpack("<text>", <size>)` instead of as JSON (page._dumps):
    a GeoJSON layer's data, so that folium's own GeoJson template embeds it deflated."""

    def __init__(self, value):
        self.text, self.size = pack(value)

    def javascript(self):
        return f'atlas.unpack("{self.text}", {self.size})'
