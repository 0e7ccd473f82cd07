"""What a page shows where a platform strips JavaScript: the map's story as text (and its picture, when made)."""
from .page import ENV


def render(content, image=None):
    """HTML for the page's <noscript> block: title, what the map shows, and the dated events."""
    return ENV.get_template("noscript.html").render(spec=content.spec, events=content.events, image=image,
                                                    changes=content.config["changes"])
