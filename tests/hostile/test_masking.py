"""ID-card and mobile numbers are recognised however they are written, and only they: the
GB 11643 check character tells an ID number from any other 18 digits."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance_core.files import mask_personal_data
from governance_core.files._masking import is_id_card_number

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check(first17: str) -> str:
    return (
        first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]
    )


ID = with_check("37040219800101123")  # a made-up number with the right check character
ID_X = next(
    n for n in (with_check(f"37040219800101{k:03d}") for k in range(1000)) if n.endswith("X")
)
FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

SHOWN: dict[str, str] = {
    f"身份证号：{ID}": f"身份证号：370402********{ID[-4:]}",
    f"ID:{ID}": f"ID:370402********{ID[-4:]}",
    ID_X: f"370402********{ID_X[-4:]}",
    ID_X.lower(): f"370402********{ID_X[-4:].lower()}",
    ID.translate(FULL): "３７０４０２" + "*" * 8 + ID[-4:].translate(FULL),
    f"（{ID}）": f"（370402********{ID[-4:]}）",
    "370402800101123": "370402******123",  # 15 digits, born 1980-01-01
    "13812345678": "138****5678",
    "138-1234-5678": "138****5678",  # grouping is not kept
    "138 1234 5678": "138****5678",
    "+86 138 1234 5678": "+86 138****5678",
    "+8613812345678": "+86138****5678",
    "008613812345678": "0086138****5678",
    "86-13812345678": "86-138****5678",
    "１３８１２３４５６７８": "１３８****５６７８",
    "手机13812345678，": "手机138****5678，",
    "电话：19912345678": "电话：199****5678",
    # the issue [security] found these shown: grouped, glued, hidden characters, dots
    "370402 19800101 1233": "370402********1233",
    "370402-19800101-1233": "370402********1233",
    "ID370402198001011233": "ID370402********1233",
    "sfz370402198001011233": "sfz370402********1233",
    "370\u200b402198001011233": "370402********1233",
    "138\u200b1234\u200d5678": "138****5678",
    "138.1234.5678": "138****5678",
}
KEPT = [
    "123456789012345678",  # 18 digits, wrong check character
    "62220212345678901234",  # a bank card number
    "370402801301123",  # 15 digits, no 13th month
    "12812345678",  # not a mobile prefix
    "1381234567",  # 10 digits
    "2024-06-30",
    "订单号 98765432109876543",
]


@pytest.mark.parametrize("text", sorted(SHOWN))
def test_every_spelling_is_masked(text: str) -> None:
    assert mask_personal_data(text) == SHOWN[text]


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask_personal_data(text) == text


def test_the_check_character_is_gb_11643() -> None:
    assert is_id_card_number("11010519491231002X")  # the standard's own example
    assert not is_id_card_number("110105194912310021")


@pytest.mark.parametrize("text", list(SHOWN))
def test_a_column_holding_a_number_is_one_masking_changes(text: str) -> None:
    """A table decides masking per column from its texts joined: any text masking changes
    makes the column masked, and no run of digits spans two texts."""
    from governance_core.files._masking import none_masked

    assert not none_masked(["张三", text, "备注"])
    assert none_masked(["13812", "345678"])  # two cells: neither a number
    assert none_masked([])


def test_a_table_masks_the_column_that_holds_a_number_and_only_its_texts(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from governance_core.files.spreadsheets import writing_book

    path = tmp_path / "t.xlsx"
    rows = [["张三", f"身份证号：{ID}", "13812"], ["李四", "无", "345678"]]
    with writing_book(path) as book:
        book.table("名单", ["姓名", "备注", "编号"], rows)
    cells = [[c.value for c in r] for r in load_workbook(path).worksheets[0].iter_rows()]
    assert cells[1] == ["张三", f"身份证号：370402********{ID[-4:]}", "13812"]
    assert cells[2] == ["李四", "无", "345678"]
