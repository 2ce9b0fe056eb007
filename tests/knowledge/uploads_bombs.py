"""Small hostile catalog files (issue #16, finding 4), built at test time, never stored."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path


def _workbook_bytes() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "事项"
    sheet.append(["基本编码", "事项名称"])
    sheet.append(["500A9900010000", "测试事项"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode("utf-8")).encode("utf-8")
            out.writestr(entry.filename, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return target.getvalue()


def lying_dimension_xlsx(path: Path) -> Path:
    """Two real rows, a declared dimension of the whole sheet (A1:XFD1048576)."""
    path.write_bytes(_rewrite_sheet(_workbook_bytes(), lambda xml: re.sub(
        r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)))
    return path


def far_cell_xlsx(path: Path) -> Path:
    """The declared dimension plus one cell at XFD1048576: every row in between is 'missing'."""
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    path.write_bytes(_rewrite_sheet(_workbook_bytes(), lambda xml: re.sub(
        r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml).replace("</sheetData>", far)))
    return path


def wide_row_xlsx(path: Path) -> Path:
    """A real row with a value in column XFD (16 384 columns)."""
    wide = '<row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    path.write_bytes(_rewrite_sheet(_workbook_bytes(), lambda xml: xml.replace("</sheetData>", wide)))
    return path


def zip_bomb_xlsx(path: Path, megabytes: int = 120) -> Path:
    """A sheet part padded with whitespace: a few hundred KB that expand past the size limit."""
    padding = " " * (megabytes * 1024 * 1024)
    path.write_bytes(_rewrite_sheet(_workbook_bytes(), lambda xml: xml.replace("<sheetData>", padding + "<sheetData>", 1)))
    return path


def ratio_bomb_xlsx(path: Path) -> Path:
    """Below the total size limit, but one part compresses a thousandfold."""
    return zip_bomb_xlsx(path, megabytes=8)


def laughs_yaml(path: Path) -> Path:
    """Nested aliases in a text field: under 600 bytes, 9^9 strings once turned into text."""
    levels = ['    - &a ["哈哈", "哈哈", "哈哈", "哈哈", "哈哈", "哈哈", "哈哈", "哈哈", "哈哈"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"    - &{name} [{', '.join('*' + previous for _ in range(9))}]")
    text = "items:\n  - code: 500A9900010000\n    name: 测试事项\n    summary:\n" + "\n".join(
        "  " + line for line in levels) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def one_alias_yaml(path: Path) -> Path:
    path.write_text("items:\n  - code: 500A9900010000\n    name: &n 测试事项\n    summary: *n\n", encoding="utf-8")
    return path
