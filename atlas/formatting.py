"""`python build.py --format [--check]`: rewrite geodata/ in canonical form, or report what is not canonical."""
import os
import sys

from . import canonical, dataset
from .problems import Problems


def run(folder, check=False):
    """Format (or with check=True only inspect) every data file. Returns the exit code."""
    problems = Problems()
    changed = []
    names = sorted(n for n in os.listdir(folder) if n.endswith(".geojson") or n in ("maps.json", "sources.json"))
    for name in names:
        path = os.path.join(folder, name)
        display = os.path.join(folder, name)
        doc = dataset.read_json(path, display, problems)
        if doc is None or not isinstance(doc, dict):
            if doc is not None:
                problems.add(display, message="is not a JSON object; nothing to format")
            continue
        with open(path, encoding="utf-8") as handle:
            current = handle.read()
        wanted = canonical.text_for(name, doc)
        if wanted == current:
            continue
        changed.append(display)
        if not check:
            tmp = path + ".format-tmp"
            with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(wanted)
            os.replace(tmp, path)
    for problem in problems:
        print(problem, file=sys.stderr)
    if check:
        for display in changed:
            print(f"{display}: not in canonical form; `python build.py --format` rewrites it", file=sys.stderr)
        if not changed and not problems:
            print(f"{folder}/: all {len(names)} files are in canonical form")
        return 1 if changed or problems else 0
    for display in changed:
        print(f"{display}: formatted")
    print(f"{len(changed)} of {len(names)} files rewritten")
    return 1 if problems else 0
