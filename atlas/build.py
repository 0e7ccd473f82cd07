"""Build every map of a valid Dataset into pages, then write them all at once, atomically."""
import os
import tempfile

from . import basemap, gallery, noscript, page, pictures, story
from .assets import ROOT


def build_all(data, specs=None):
    """{file name: (html, feature count)} for every map in maps.json (or those given). Pure apart from the cached
    base map."""
    pages = {}
    for spec in data.maps if specs is None else specs:
        content = story.map_content(data, spec)
        land = basemap.land(spec["bounds"], surround=True)
        name, alt = pictures.key_image(data, spec)
        image = {"src": f"{noscript.STATIC_DIR}/{name}", "alt": alt, "width": 800, "height": 500}
        html = page.render(content, land, noscript.render(content, image))
        count = sum(len(fc["features"]) for *_rest, fc in content.layers)
        pages[f"{spec['id']}.html"] = (html, count)
    if specs is None:
        pages["index.html"] = (gallery.render(data, noscript.STATIC_DIR), len(data.maps))
    return pages


def _staging_dir(out):
    """Where pages are written before the rename: .cache/ beside the repo when it is on the same file system as
    out (so a killed build leaves nothing at all in out), else out itself (temporary names start with a dot)."""
    cache = os.path.join(ROOT, ".cache", "pages")
    try:
        os.makedirs(cache, exist_ok=True)
        if os.stat(cache).st_dev == os.stat(out).st_dev:
            return cache
    except OSError:
        pass
    return out


def _is_map(name):
    return name.endswith(".html")


def write_all(pages, out, remove_stale=True):
    """Write each page to a temporary file, then rename them into place; remove maps whose entry is gone.

    Every page is rendered before this is called, so a failing build writes nothing. A build killed while
    writing leaves each map either old or new, never half-written (rename is atomic on one file system).
    """
    os.makedirs(out, exist_ok=True)
    staging = _staging_dir(out)
    written = []
    temps = []
    try:
        for name, (html, count) in sorted(pages.items()):
            handle, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=staging)
            temps.append((tmp, name, count))
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(html)
        for tmp, name, count in temps:
            os.chmod(tmp, 0o644)
            os.replace(tmp, os.path.join(out, name))
            written.append((name, count, os.path.getsize(os.path.join(out, name))))
    finally:
        for tmp, *_ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
    removed = []
    for name in sorted(os.listdir(out)) if remove_stale else []:
        if _is_map(name) and name not in pages:
            os.unlink(os.path.join(out, name))
            removed.append(name)
    return written, removed
