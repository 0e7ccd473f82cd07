"""Problems found in the data: one line each, naming the file, the feature and the field."""
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as we can."""

    path: str
    feature: str = ""  # where in the file: "feature <id>", "source <key>", "map <id>"
    field: str = ""
    message: str = ""
    warning: bool = False

    def __str__(self):
        parts = [self.path]
        if self.feature:
            parts.append(self.feature)
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts) + ": " + self.message
        return ("warning: " + text) if self.warning else text


class Problems(list):
    """A list of Problem with helpers to add to it from one place in the data."""

    def add(self, path, feature="", field="", message="", warning=False):
        self.append(Problem(path, feature, field, message, warning))

    @property
    def errors(self):
        return [p for p in self if not p.warning]

    @property
    def warnings(self):
        return [p for p in self if p.warning]
