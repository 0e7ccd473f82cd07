"""maps/index.html: the gallery of maps, one card each with its picture, dates and a link."""
from . import dates, pictures
from .page import ENV


def render(data, static_dir):
    """HTML of the gallery page (self-contained; pictures are the static key images beside it)."""
    cards = []
    for spec in data.maps:
        name, alt = pictures.key_image(data, spec)
        cards.append({"id": spec["id"], "title": spec["title"], "subtitle": spec.get("subtitle", ""),
                      "dates": dates.readable_range(spec["start_date"], spec["end_date"]),
                      "step": "day by day" if spec["step"] == "day" else "each date something changes",
                      "image": f"{static_dir}/{name}", "alt": alt,
                      "handout": f"{static_dir}/{spec['id']}/{spec['id']}-handout.pdf"})
    return ENV.get_template("gallery.html").render(cards=cards)
