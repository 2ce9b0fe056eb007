"""Errors raised by the knowledge package."""
from __future__ import annotations

from dataclasses import dataclass


class KnowledgeError(Exception):
    """Base error of the knowledge package."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, precise enough to fix without guessing."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} 第{self.row}行"
        what = f" 字段「{self.field}」" if self.field else ""
        return f"{where}{what}: {self.message}"


class CatalogValidationError(KnowledgeError):
    """The input has errors; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  … 另有 {len(problems) - 50} 处错误" if len(problems) > 50 else ""
        super().__init__(f"导入失败，共 {len(problems)} 处错误，未写入任何数据:\n{lines}{more}")


class ItemNotFoundError(KnowledgeError):
    """No item with that code."""


class BundleNotFoundError(KnowledgeError):
    """No bundle (联办事项) with that code."""
