"""What a page shows where a platform strips JavaScript: the map's story as text (and its picture, when made)."""
from .page import ENV


STATIC_DIR = "static"  # where `build.py --static` puts the pictures, relative to the maps


def render(content, image=None):
    """HTML for the page's <noscript> block: title, the map's picture on its opening date (a file in static/ beside
    the map: `build.py --static` makes it), and the dated events, described down to rank 2. The text is not
    compressed as the rest of the page is, so the minor (rank 3) events give only date, name and place: 9 KB less on
    road-to-war."""
    return ENV.get_template("noscript.html").render(spec=content.spec, events=content.events, image=image)
