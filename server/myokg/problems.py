"""What is wrong with the data, said so a curator can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass

VIOLATION = "Violation"
WARNING = "Warning"


@dataclass(frozen=True)
class Problem:
    """One problem: how serious, where (file, focus node, path, value) and what to do."""

    severity: str
    message: str
    file: str | None = None
    focus: str | None = None
    path: str | None = None
    value: str | None = None

    @property
    def is_violation(self) -> bool:
        return self.severity == VIOLATION

    def render(self) -> str:
        lines = [f"{self.file or '(no file)'}: {self.severity}: {self.message}"]
        for label, field in (("focus", self.focus), ("path", self.path), ("value", self.value)):
            if field:
                lines.append(f"    {label}: {field}")
        return "\n".join(lines)
