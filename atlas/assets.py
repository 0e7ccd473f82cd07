"""The front-end files a page inlines: Leaflet from node_modules (pinned by package-lock.json) and our own runtime.

Nothing third-party lives in this repository; `npm ci` fetches it. The build stops with a clear message when the
files are missing rather than writing a page that would need the network.

Our runtime and the style sheets are inlined minified: comments and white space dropped (rcssmin for the CSS), and
in the scripts also the local names shortened (calmjs.parse, which parses them as ES5; global and property names,
which other code or the tests may read, are kept): some 30 KB less in every page, for readers who carry the file
rather than a server that would gzip it. The readable sources are atlas/assets/; leaflet.js comes minified from its
package. Parsing takes about a second, so a minified script is cached in .cache/ by the hash of its text.
Leaflet (its script and style sheet) and atlas.js are then compressed (LZMA: packed.py) and put in place by the
page's bootstrap, unpack.js: 200 KB of script and style in 69 KB of page, the largest saving left once the data
itself was packed.
"""
import base64
import hashlib
import os
import re
from functools import lru_cache

import rcssmin
from calmjs.parse import es5
from calmjs.parse.unparsers.es5 import minify_print

from . import packed as packing

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, ".cache")  # derived files, each named by the hash of what it is derived from
NODE_MODULES = os.path.join(ROOT, "node_modules")
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets")
LEAFLET = os.path.join(NODE_MODULES, "leaflet", "dist")


class MissingAssets(RuntimeError):
    """node_modules has not been installed."""


def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise MissingAssets(f"{os.path.relpath(path, ROOT)} is missing; run `npm ci --ignore-scripts` first "
                            "(the README's setup command does this)") from None


# Leaflet's default marker icon: the atlas draws places and formations as circle markers and SVG, never a default
# L.Marker, so its image (1.7 KB) is left out of the pages.
UNUSED_IMAGES = {"marker-icon.png"}


def _inline_images(css, folder):
    """Leaflet's CSS points at images/*.png; inline them so the page never asks the disk or network for them."""
    def data_uri(match):
        name = match.group(1)
        if name in UNUSED_IMAGES:
            return "none"
        with open(os.path.join(folder, "images", name), "rb") as handle:
            encoded = base64.b64encode(handle.read()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"
    return re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css)


def _minified(path):
    """One of our scripts, minified (see the module's docstring), from .cache/ when it was minified before."""
    text = _read(path)
    cached = os.path.join(CACHE, "js-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20] + ".js")
    if os.path.exists(cached):
        with open(cached, encoding="utf-8") as handle:
            return handle.read()
    result = minify_print(es5(text), obfuscate=True, obfuscate_globals=False)
    os.makedirs(CACHE, exist_ok=True)
    with open(cached + ".tmp", "w", encoding="utf-8") as handle:
        handle.write(result)
    os.replace(cached + ".tmp", cached)
    return result


def _script_safe(text, name):
    if re.search(r"</script", text, re.IGNORECASE):
        raise ValueError(f"{name} contains '</script' and cannot be inlined")
    return text


@lru_cache(maxsize=None)
def page_assets():
    """(noscript_css, bootstrap, packed) to inline into every page.

    noscript_css: noscript.css, as text, for the page read without JavaScript (the page puts it inside <noscript>).
    bootstrap: unpack.js, as text: the LZMA and base 85 decoder that everything else needs. packed:
    [(name, base 85 text, size)] for atlas.run, in the order they must run: the style sheets (Leaflet's, then
    ours, which overrides it where they meet), Leaflet, then the atlas runtime, packed (a reader who carries the
    file has no server to gzip it). Both style sheets travel packed since only the interactive page, which needs
    JavaScript, uses them; they are in place before the body is parsed, so nothing shows unstyled: atlas.css's
    9.2 KB take 3.2 KB of page, Leaflet's 13.7 KB take 5.8 KB."""
    noscript_css = rcssmin.cssmin(_read(os.path.join(HERE, "noscript.css")))
    bootstrap = _script_safe(_minified(os.path.join(HERE, "unpack.js")), "unpack.js")
    packed = [(name, *packing.pack_text(text)) for name, text in (
        ("leaflet.css", rcssmin.cssmin(_inline_images(_read(os.path.join(LEAFLET, "leaflet.css")), LEAFLET))),
        ("atlas.css", rcssmin.cssmin(_read(os.path.join(HERE, "atlas.css")))),
        ("leaflet.js", _read(os.path.join(LEAFLET, "leaflet.js"))),
        ("atlas.js", _minified(os.path.join(HERE, "atlas.js"))))]
    return noscript_css, bootstrap, packed


def world_atlas(name):
    """Path of a world-atlas TopoJSON file (Natural Earth 4.1.0)."""
    path = os.path.join(NODE_MODULES, "world-atlas", name)
    if not os.path.exists(path):
        raise MissingAssets(f"node_modules/world-atlas/{name} is missing; run `npm ci --ignore-scripts` first")
    return path
