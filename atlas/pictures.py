"""Names and descriptions of a map's pictures (rendered by static.py), without importing matplotlib: the page
build uses them for the <noscript> picture and the gallery."""
from . import dates, story


def shown_on(feature, day):
    return feature.first_day <= day <= feature.last_day


def image_name(spec, day, ext="png"):
    """The file of a map's picture on a day, relative to the output folder."""
    return f"{spec['id']}/{spec['id']}-{day}.{ext}"


def key_image(data, spec):
    """(relative file name, alt text) of the picture of the map on its open date, for the page's <noscript> block."""
    day = spec["open_date"]
    features = [f for f in story.select(data, spec) if shown_on(f, day) and story.feature_geometry(f, data) is not None]
    kinds = {}
    for f in features:
        kinds.setdefault(f.props["kind"], []).append(f)
    parts = []
    sides = sorted({f.props.get("side") for f in kinds.get("territory", [])} - {None})
    if sides:
        names = [story.side_label(s, day) for s in sides]
        parts.append("territories of " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]))
    for kind, one, many in (("axis", "arrow of advance", "arrows of advance"), ("place", "place", "places"),
                            ("unit", "formation", "formations")):
        count = len(kinds.get(kind, []))
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    happening = sorted(f.props["name"] for k in ("event", "battle") for f in kinds.get(k, []))
    if happening:
        parts.append("events: " + "; ".join(happening[:story.MAX_NAMES]) +
                     (f"; and {len(happening) - story.MAX_NAMES} more" if len(happening) > story.MAX_NAMES else ""))
    phase = story.phase_on(data, spec, day)
    alt = f"Map: {spec['title']}, on {dates.readable(day)}" + (f" ({phase})" if phase else "")
    alt += (": " + "; ".join(parts) + ".") if parts else "."
    return image_name(spec, day), alt

