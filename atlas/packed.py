"""What a page carries packed: its text (names, descriptions, notes, citations, the bibliography: two JSON
documents given to atlas.configure, the second read only when a popup or the Sources tab first needs it), the data of each GeoJSON layer (geometry, the base map) and its scripts
(Leaflet's script and style sheet and the atlas runtime, given to atlas.run), each compressed with LZMA and written
in base 85.

Text, coordinates and scripts are most of a page and compress from 4 to 1 (Leaflet) to 5 to 1 (the text) and 13 to 1
(the territories' shared vertices). unpack.js decodes them synchronously
while the page loads (its own decoder, so no browser API is needed and the page works from a file, offline, in any
browser Leaflet supports); the length of the text is sent beside each, so the page can tell a truncated or damaged
copy.

LZMA rather than DEFLATE: on road-to-war's text (1.44 MB of JSON) LZMA at its strongest setting writes 289 KB where
zopfli, the best DEFLATE encoder, wrote 366 KB, and it does so in 0.45 s instead of 1.1 s; over a whole page, text,
geometry and scripts, the file is some 100 KB (17%) smaller. LZMA sees 2 MB back or more where DEFLATE sees 32 KB,
and codes every bit with an adaptive probability instead of a Huffman code fixed per block. The text of the atlas
grows with each audit and the largest page must stay within the 600 KB budget. The price is decoding time: LZMA
decodes a bit at a time, and in Chromium here road-to-war's 1.9 MB of packed text (scripts, text, geometry) take
about 130 ms to decode where inflating took about 40 ms. So the text that only a popup or the Sources tab shows
(notes, citations, the bibliography: page.READING) is decoded when first read, not while the page opens, which
brings the decoding at load back to about 90 ms (BENCHMARKS.md measures the time to a usable map).

The stream: one properties byte, (pb * 5 + lp) * 9 + lc, as in the .lzma header, then raw LZMA1 (Python's lzma
module, liblzma, FORMAT_RAW), which liblzma ends with the end marker. No dictionary size is sent: the page decodes
each text into one buffer of the announced length, so a match may reach back to its start. lc=3, lp=0, pb=0 suit
JSON and scripts (bytes, not 4-byte words); other settings gained 0.3% at best on the atlas's text (lc=4).

Base 85 rather than base64: four bytes in five characters where base64 needs five and a third, 6% fewer. The alphabet is the 94
printable ASCII characters less the nine that would need escaping somewhere on the way into the page: " and \\ (a
JavaScript string), ' < > & (Jinja's tojson escapes them, and < could start </script>), ` (a template literal),
and { } (branca parses every rendered piece as a Jinja template once more: brace_safe in page.py). The order keeps
the digits and letters first, as RFC 1924 does, so Python's base64.b85encode output maps onto it one to one.

liblzma gives the same output for the same input and settings (Debian's xz-utils, which Python's lzma module links
here), so a build stays byte-identical; another liblzma release may write other (equally valid) bytes, which the
committed-maps test would report.
"""
import base64
import json
import lzma

import numpy

LC, LP, PB = 3, 0, 0
PROPERTIES = (PB * 5 + LP) * 9 + LC


def _filters(size, lc=LC, lp=LP, pb=PB):
    dict_size = 4096  # liblzma's least; a power of two that holds the whole text, so every repeat can be found
    while dict_size < size:
        dict_size *= 2
    return [{"id": lzma.FILTER_LZMA1, "preset": 9 | lzma.PRESET_EXTREME, "dict_size": dict_size,
             "lc": lc, "lp": lp, "pb": pb, "nice_len": 273}]


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


def compress(raw):
    """bytes -> the properties byte and a raw LZMA1 stream of them (what unpack.js's atlas.unlzma reads)."""
    return bytes([PROPERTIES]) + lzma.compress(raw, format=lzma.FORMAT_RAW, filters=_filters(len(raw)))


def decompress(data, size=None):
    """The inverse of compress. `size` (the text's length, which the page sends beside it) sets the dictionary;
    without it, one of 128 MB (allocated as it is used) covers any text the atlas writes."""
    if not data or data[0] >= 225:
        raise ValueError("not a packed text: no properties byte")
    lc, lp, pb = data[0] % 9, data[0] // 9 % 5, data[0] // 45
    filters = _filters(1 << 27 if size is None else size, lc, lp, pb)
    return lzma.decompress(data[1:], format=lzma.FORMAT_RAW, filters=filters)


def pack_text(text):
    """text -> (base 85 text of its compressed UTF-8, length of the UTF-8 in bytes)."""
    raw = text.encode("utf-8")
    return encode85(compress(raw)), len(raw)


def pack(obj):
    """obj -> (base 85 text of its compressed JSON, length of the JSON in bytes)."""
    return pack_text(json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def unpack_text(text, size=None):
    """The inverse of pack_text, as atlas.run does it (used by the tests and the benchmarks)."""
    return decompress(decode85(text), size).decode("utf-8")


def unpack(text, size=None):
    """The inverse of pack, as atlas.unpack does it (used by the tests and the benchmarks)."""
    return json.loads(unpack_text(text, size))


class Packed:
    """A value that a page template writes as `atlas.unpack("<text>", <size>)` instead of as JSON (page._dumps):
    a GeoJSON layer's data, so that folium's own GeoJson template embeds it packed."""

    def __init__(self, value):
        self.text, self.size = pack(value)

    def javascript(self):
        return f'atlas.unpack("{self.text}", {self.size})'
