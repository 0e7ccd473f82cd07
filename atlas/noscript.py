"""What a page shows where a platform strips JavaScript: the map's story as text (and its picture, when made)."""
import re

from .page import ENV


STATIC_DIR = "static"  # where `build.py --static` puts the pictures, relative to the maps
# A full stop after one of these (or after an initial, "A. G. Kravchenko") does not end a sentence.
ABBREVIATIONS = {"Gen", "Lt", "Col", "Maj", "Capt", "Adm", "Cdr", "Sgt", "No", "Nos", "St", "Mt", "Dr", "Mr", "vs",
                 "c", "ca", "approx", "e.g", "i.e", "cf", "p", "pp", "vol"}
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z0-9(\"'])")


def first_sentence(text):
    """The first sentence of a description: what a minor event needs in the JavaScript-off list."""
    for end in SENTENCE_END.finditer(text):
        word = re.search(r"([\w.]+)$", text[:end.start()])
        word = word.group(1) if word else ""
        if word in ABBREVIATIONS or (len(word) == 1 and word.isupper()) or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", word):
            continue
        return text[:end.end()]
    return text


def render(content, image=None):
    """HTML for the page's <noscript> block: title, the map's picture on its opening date (a file in static/ beside
    the map: `build.py --static` makes it), and the dated events. The text is not compressed as the rest of the page
    is, so only the key events (rank 1, the slider's ticks) are described in full, the others of rank 2 by their
    first sentence and those of rank 3 not at all (date, name and place): 16 KB less on road-to-war than describing
    ranks 1-3 in full."""
    events = [dict(e, description=first_sentence(e["description"]) if e["rank"] == 2 else e["description"])
              if e.get("description") else e for e in content.events]
    return ENV.get_template("noscript.html").render(spec=content.spec, events=events, image=image)
