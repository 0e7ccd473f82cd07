"""The page's text, deflated: what a map says (names, descriptions, notes, citations, the bibliography) as one
JSON document, compressed with raw DEFLATE (RFC 1951) and sent as base64.

Text is most of a page's data and compresses about 3.7 to 1, so even with base64's third on top the August Storm
page is some 170 KB smaller. atlas.unpack in atlas.js inflates it synchronously while the page loads (its own
inflater, so no browser API is needed and the page works from a file, offline, in any browser Leaflet supports);
the length of the JSON is sent beside it so the page can tell a truncated or damaged copy.

zlib gives the same output for the same input and level across its releases, so a build stays byte-identical;
a Python linked against zlib-ng instead would write other (equally valid) bytes, which the committed-maps test
would report.
"""
import base64
import json
import zlib


def pack(obj):
    """obj -> (base64 text of its deflated JSON, length of the JSON in bytes)."""
    raw = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # negative window bits: raw DEFLATE, no zlib header
    data = compressor.compress(raw) + compressor.flush()
    return base64.b64encode(data).decode("ascii"), len(raw)


def unpack(text):
    """The inverse of pack, as atlas.unpack does it (used by the tests and the benchmarks)."""
    return json.loads(zlib.decompress(base64.b64decode(text), -15).decode("utf-8"))
