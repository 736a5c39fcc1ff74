"""Tests of yiwang.kit.identifiers.

The check characters are recomputed here from the standards' weight tables, independently of
the module's own (recursive) implementations, so a shared mistake cannot hide.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.kit import identifiers
from yiwang.kit.identifiers import (
    REASONS,
    IdCheck,
    check_mobile,
    check_region_code,
    check_resident_id,
    check_uscc,
    gb32100_check,
    identify,
    iso7064_mod11_2,
    iso7064_mod37_36,
    mask_id,
    region_name,
)

# No example database: it would write .hypothesis/ into the work tree.
PROPERTY = settings(database=None, deadline=None, max_examples=150)

DIGITS = "0123456789"
ALNUM36 = DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
RESIDENT_ALPHABET = DIGITS + "X"

RESIDENT_EXAMPLE = "11010519491231002X"
USCC_EXAMPLE = "91350100M000100Y43"

# GB 32100-2015 registration authorities and the organisation types each may assign.
USCC_PAIRS = {
    "1": "1239",
    "2": "19",
    "3": "123459",
    "4": "19",
    "5": "1239",
    "6": "129",
    "7": "129",
    "8": "19",
    "9": "123",
    "A": "19",
    "N": "1239",
    "Y": "1",
}

QINGDAO = {
    "370200": "山东省青岛市",
    "370202": "山东省青岛市市南区",
    "370203": "山东省青岛市市北区",
    "370211": "山东省青岛市黄岛区",
    "370212": "山东省青岛市崂山区",
    "370213": "山东省青岛市李沧区",
    "370214": "山东省青岛市城阳区",
    "370215": "山东省青岛市即墨区",
    "370281": "山东省青岛市胶州市",
    "370283": "山东省青岛市平度市",
    "370285": "山东省青岛市莱西市",
}

PROVINCES = {
    "110000": "北京市",
    "120000": "天津市",
    "130000": "河北省",
    "140000": "山西省",
    "150000": "内蒙古自治区",
    "210000": "辽宁省",
    "220000": "吉林省",
    "230000": "黑龙江省",
    "310000": "上海市",
    "320000": "江苏省",
    "330000": "浙江省",
    "340000": "安徽省",
    "350000": "福建省",
    "360000": "江西省",
    "370000": "山东省",
    "410000": "河南省",
    "420000": "湖北省",
    "430000": "湖南省",
    "440000": "广东省",
    "450000": "广西壮族自治区",
    "460000": "海南省",
    "500000": "重庆市",
    "510000": "四川省",
    "520000": "贵州省",
    "530000": "云南省",
    "540000": "西藏自治区",
    "610000": "陕西省",
    "620000": "甘肃省",
    "630000": "青海省",
    "640000": "宁夏回族自治区",
    "650000": "新疆维吾尔自治区",
    "710000": "台湾省",
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
}


def _table_lines() -> list[str]:
    path = resources.files("yiwang.data").joinpath("gb2260.tsv")
    return path.read_text(encoding="utf-8").splitlines()


REGION_CODES = sorted(line.split("\t")[0] for line in _table_lines())
PROVINCE_PREFIXES = sorted({code[:2] for code in REGION_CODES if code.endswith("0000")})


# Reference check characters, straight from the standards' weight tables.
def ref_resident_check(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights, strict=True)) % 11]


def refgb11714_check(body8: str) -> str:
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(ALNUM36.index(c) * w for c, w in zip(body8, weights, strict=True))
    return {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))


def ref_uscc_check(body17: str) -> str:
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, weights, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def make_resident(body17: str) -> str:
    return body17 + ref_resident_check(body17)


def make_uscc(first16: str) -> str:
    body17 = first16 + refgb11714_check(first16[8:])
    return body17 + ref_uscc_check(body17)


def mod37_36_verifies(text: str) -> bool:
    product = 36
    remainder = 0
    for char in text:
        remainder = (product + ALNUM36.index(char)) % 36 or 36
        product = remainder * 2 % 37
    return remainder == 1


def single_changes(value: str, alphabet: str) -> Iterator[tuple[int, str]]:
    for index, char in enumerate(value):
        for other in alphabet:
            if other != char:
                yield index + 1, value[:index] + other + value[index + 1 :]


def assert_invalid(result: IdCheck) -> None:
    assert not result.valid, result
    assert result.reason in REASONS, result


# Strategies ---------------------------------------------------------------------------------


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(REGION_CODES))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
    sequence = draw(st.integers(min_value=0, max_value=999))
    return make_resident(f"{region}{born:%Y%m%d}{sequence:03d}")


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    authority = draw(st.sampled_from(sorted(USCC_PAIRS)))
    kind = draw(st.sampled_from(USCC_PAIRS[authority]))
    region = draw(
        st.one_of(
            st.sampled_from(REGION_CODES),
            st.builds(
                "".join,
                st.tuples(
                    st.sampled_from(PROVINCE_PREFIXES),
                    st.text(alphabet=DIGITS, min_size=4, max_size=4),
                ),
            ),
        )
    )
    body = draw(st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8))
    return make_uscc(authority + kind + region + body)


# Published examples ---------------------------------------------------------------------------


def test_reasons_are_the_catalogue_keys() -> None:
    assert REASONS == (
        "empty",
        "bad_length",
        "bad_characters",
        "bad_check_character",
        "unknown_region",
        "impossible_birth_date",
        "future_birth_date",
        "bad_registration_authority",
        "bad_organisation_type",
        "bad_mobile_prefix",
        "unrecognised",
    )


def test_resident_example_is_valid() -> None:
    result = check_resident_id(RESIDENT_EXAMPLE)
    assert result == IdCheck("resident_id", True, RESIDENT_EXAMPLE, region_name="北京市朝阳区")


def test_resident_lower_case_x_and_full_width_input_are_normalised() -> None:
    assert check_resident_id(" 11010519491231002x ").value == RESIDENT_EXAMPLE
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in RESIDENT_EXAMPLE.lower())
    assert check_resident_id(full_width).value == RESIDENT_EXAMPLE


@pytest.mark.parametrize("code", [USCC_EXAMPLE, "91110000600037341L"])
def test_credit_code_examples_are_valid(code: str) -> None:
    # 91110000600037341L: the example of python-stdnum's stdnum/cn/uscc.py.
    result = check_uscc(code.lower())
    assert result.valid, result
    assert result.value == code


def test_credit_code_example_region() -> None:
    assert check_uscc(USCC_EXAMPLE).region_name == "福建省福州市"
    assert check_uscc("91110000600037341L").region_name == "北京市"


@pytest.mark.parametrize("position", range(1, 19))
def test_every_change_to_the_resident_example_is_caught(position: int) -> None:
    changed = [v for p, v in single_changes(RESIDENT_EXAMPLE, RESIDENT_ALPHABET) if p == position]
    assert len(changed) == 10
    for value in changed:
        assert_invalid(check_resident_id(value))


@pytest.mark.parametrize("position", range(1, 19))
def test_every_change_to_the_credit_code_example_is_caught(position: int) -> None:
    changed = [v for p, v in single_changes(USCC_EXAMPLE, USCC_ALPHABET) if p == position]
    assert len(changed) == 30
    for value in changed:
        assert_invalid(check_uscc(value))


def test_iso7064_mod11_2_published_examples() -> None:
    # ISO/IEC 7064 MOD 11-2 examples "079" -> X and "0794" -> 0, as given in the docs of
    # the Rust crates iso-7064 (docs.rs/iso-7064) and iso_iec_7064 (docs.rs/iso_iec_7064).
    assert iso7064_mod11_2("079") == "X"
    assert iso7064_mod11_2("0794") == "0"
    assert iso7064_mod11_2(RESIDENT_EXAMPLE[:17]) == "X"


@pytest.mark.parametrize(
    ("body", "check"),
    [
        # GRid A1-2425G-ABC1234002-M (GRid handbook example), as in python-stdnum
        # stdnum/grid.py; GRid check characters are ISO 7064 MOD 37,36.
        ("A12425GABC1234002", "M"),
        # ISAN 0000-0000-D07A-0090-Q-0000-0000-X and 1881-66C7-3420-6541-Y-9F3A-0245-O,
        # as in python-stdnum stdnum/isan.py: the first check covers root + episode, the
        # second root + episode + version.
        ("00000000D07A0090", "Q"),
        ("00000000D07A009000000000", "X"),
        ("188166C734206541", "Y"),
        ("188166C7342065419F3A0245", "O"),
        ("000000018CFA0000", "I"),
    ],
)
def test_iso7064_mod37_36_published_examples(body: str, check: str) -> None:
    assert iso7064_mod37_36(body) == check
    assert iso7064_mod37_36(body.lower()) == check


def test_gb32100_check_of_the_examples() -> None:
    assert gb32100_check(USCC_EXAMPLE[:17]) == "3"
    assert gb32100_check("91110000600037341") == "L"


@pytest.mark.parametrize(
    ("function", "body"),
    [
        (iso7064_mod11_2, "1101051949123100A"),
        (iso7064_mod37_36, "A1-2425G"),
        (gb32100_check, "91350100M000100Y"),
        (gb32100_check, "91350100I000100Y4"),
    ],
)
def test_check_functions_reject_bad_input(function: object, body: str) -> None:
    assert callable(function)
    with pytest.raises(ValueError, match=r"."):
        function(body)


# Reasons of the resident id check ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason", "params"),
    [
        ("", "empty", {}),
        ("   ", "empty", {}),
        ("1101051949123100", "bad_length", {"expected": "18", "got": "16"}),
        ("11010519491231002X1", "bad_length", {"expected": "18", "got": "19"}),
        ("11010519491231002A", "bad_characters", {"position": "18"}),
        ("1101051949123100XX", "bad_characters", {"position": "17"}),
        ("11O10519491231002X", "bad_characters", {"position": "3"}),
        (make_resident("99010519491231002"), "unknown_region", {"code": "990105"}),
        (make_resident("11010519490230002"), "impossible_birth_date", {"date": "19490230"}),
        (make_resident("11010519491301002"), "impossible_birth_date", {"date": "19491301"}),
        (make_resident("11010518991231002"), "impossible_birth_date", {"date": "18991231"}),
        (
            "110105194912310021",
            "bad_check_character",
            {"expected": "X", "got": "1", "position": "18"},
        ),
    ],
)
def test_resident_reasons(value: str, reason: str, params: dict[str, str]) -> None:
    result = check_resident_id(value)
    assert (result.valid, result.reason, result.params) == (False, reason, params)


def test_resident_birth_dates_at_the_limits() -> None:
    tomorrow = date.today() + timedelta(days=1)
    future = check_resident_id(make_resident(f"370202{tomorrow:%Y%m%d}123"))
    assert (future.reason, future.params) == ("future_birth_date", {"date": f"{tomorrow:%Y%m%d}"})
    assert check_resident_id(make_resident(f"370202{date.today():%Y%m%d}123")).valid
    assert check_resident_id(make_resident("37020219000101123")).valid
    assert check_resident_id(make_resident("37020220000229123")).valid


def test_resident_ids_keep_retired_region_codes() -> None:
    # 四方区 was merged into 市北区 in 2012, but IDs issued there stay valid.
    result = check_resident_id(make_resident("37020519800101123"))
    assert result.valid
    assert result.region_name == "山东省青岛市四方区"


# Reasons of the credit code check -------------------------------------------------------------


def test_credit_code_reasons() -> None:
    def outcome(value: str) -> tuple[str | None, dict[str, str]]:
        result = check_uscc(value)
        assert not result.valid
        return result.reason, result.params

    assert outcome("") == ("empty", {})
    assert outcome(USCC_EXAMPLE[:17]) == ("bad_length", {"expected": "18", "got": "17"})
    assert outcome("91350100I000100Y43") == ("bad_characters", {"position": "9"})
    assert outcome(make_uscc("9135A100M000100Y")) == ("bad_characters", {"position": "5"})
    assert outcome(make_uscc("B1350100M000100Y")) == ("bad_registration_authority", {"code": "B"})
    assert outcome(make_uscc("94350100M000100Y")) == (
        "bad_organisation_type",
        {"authority": "9", "code": "4"},
    )
    assert outcome(make_uscc("Y2350100M000100Y")) == (
        "bad_organisation_type",
        {"authority": "Y", "code": "2"},
    )
    assert outcome(make_uscc("91990100M000100Y")) == ("unknown_region", {"code": "990100"})
    wrong_org = "91350100M000100Y5"
    assert outcome(wrong_org + ref_uscc_check(wrong_org)) == (
        "bad_check_character",
        {"expected": "4", "got": "5", "position": "17"},
    )
    assert outcome("91350100M000100Y44") == (
        "bad_check_character",
        {"expected": "3", "got": "4", "position": "18"},
    )


def test_credit_code_region_is_checked_only_by_province() -> None:
    unknown_county = check_uscc(make_uscc("91379999M000100Y"))
    assert unknown_county.valid
    assert unknown_county.region_name is None
    qingdao = check_uscc(make_uscc("92370202MA3C0000"))
    assert qingdao.valid
    assert qingdao.region_name == "山东省青岛市市南区"


def test_credit_code_of_a_nationally_registered_organisation() -> None:
    result = check_uscc(make_uscc("5110000050000123"))
    assert result.valid
    assert result.region_name is None


def test_authority_table_matches_the_standard() -> None:
    assert identifiers.USCC_TYPES == USCC_PAIRS


# Properties -----------------------------------------------------------------------------------


@PROPERTY
@given(resident_ids())
def test_generated_resident_ids_pass_and_every_change_fails(value: str) -> None:
    result = check_resident_id(value)
    assert result.valid, result
    assert result.region_name == region_name(value[:6])
    assert iso7064_mod11_2(value[:17]) == value[17]
    for _, changed in single_changes(value, RESIDENT_ALPHABET):
        assert_invalid(check_resident_id(changed))


@PROPERTY
@given(credit_codes())
def test_generated_credit_codes_pass_and_every_change_fails(value: str) -> None:
    result = check_uscc(value)
    assert result.valid, result
    assert gb32100_check(value[:17]) == value[17]
    for _, changed in single_changes(value, USCC_ALPHABET):
        assert_invalid(check_uscc(changed))


@PROPERTY
@given(st.text(alphabet=ALNUM36, min_size=1, max_size=40), st.data())
def test_mod37_36_check_verifies_and_catches_substitutions(body: str, data: st.DataObject) -> None:
    full = body + iso7064_mod37_36(body)
    assert mod37_36_verifies(full)
    index = data.draw(st.integers(min_value=0, max_value=len(full) - 1))
    other = data.draw(st.sampled_from(ALNUM36).filter(lambda c: c != full[index]))
    assert not mod37_36_verifies(full[:index] + other + full[index + 1 :])


def test_mod37_36_catches_nearly_all_adjacent_transpositions() -> None:
    # A hybrid system misses a transposition only where the two running sums are 18 and 19
    # (ISO 7064 promises all substitutions, not all transpositions): here 72 of 45,360 cases.
    missed = total = 0
    for first in ALNUM36:
        for a in ALNUM36:
            for b in ALNUM36:
                if a == b:
                    continue
                total += 1
                pair, swapped = first + a + b, first + b + a
                check = iso7064_mod37_36(pair)
                missed += mod37_36_verifies(swapped + check)
    assert total == 45_360
    assert missed == 72


@PROPERTY
@given(st.text(alphabet=DIGITS, min_size=17, max_size=17))
def test_mod11_2_matches_the_gb11643_weight_table(body: str) -> None:
    assert iso7064_mod11_2(body) == ref_resident_check(body)


@PROPERTY
@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_gb32100_check_matches_the_weight_table(body: str) -> None:
    assert gb32100_check(body) == ref_uscc_check(body)


# Mobile -------------------------------------------------------------------------------------


@PROPERTY
@given(
    st.sampled_from(["", "+86", "0086", "+86 ", "0086-"]),
    st.sampled_from("3456789"),
    st.text(alphabet=DIGITS, min_size=9, max_size=9),
)
def test_mobile_numbers_pass_with_or_without_country_prefix(
    prefix: str, second: str, rest: str
) -> None:
    number = "1" + second + rest
    result = check_mobile(prefix + number)
    assert result == IdCheck("mobile", True, number)
    assert identify(prefix + number) == result


@pytest.mark.parametrize(
    ("value", "reason", "params"),
    [
        ("", "empty", {}),
        ("+86", "empty", {}),
        ("1380013800", "bad_length", {"expected": "11", "got": "10"}),
        ("+86138001380001", "bad_length", {"expected": "11", "got": "12"}),
        ("1380013800A", "bad_characters", {"position": "11"}),
        ("12800138000", "bad_mobile_prefix", {"prefix": "12"}),
        ("23800138000", "bad_mobile_prefix", {"prefix": "23"}),
    ],
)
def test_mobile_reasons(value: str, reason: str, params: dict[str, str]) -> None:
    result = check_mobile(value)
    assert (result.valid, result.reason, result.params) == (False, reason, params)


def test_mobile_separators_are_dropped() -> None:
    assert check_mobile(" 138-0013 8000 ").value == "13800138000"


# identify() ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "valid"),
    [
        (RESIDENT_EXAMPLE, "resident_id", True),
        ("11010519491231002x", "resident_id", True),
        ("110105194912310021", "resident_id", False),
        (USCC_EXAMPLE, "uscc", True),
        ("91350100M000100Y44", "uscc", False),
        ("11010519491231002-", "resident_id", False),
        ("370202", "region", True),
        ("999999", "region", False),
        ("13800138000", "mobile", True),
        ("+8613800138000", "mobile", True),
        ("12800138000", "mobile", False),
        ("hello", "unknown", False),
        ("1234567", "unknown", False),
        ("05328888888", "unknown", False),
    ],
)
def test_identify_routes_by_shape(value: str, kind: str, valid: bool) -> None:
    result = identify(value)
    assert (result.kind, result.valid) == (kind, valid)
    assert result == {
        "resident_id": check_resident_id,
        "uscc": check_uscc,
        "region": check_region_code,
        "mobile": check_mobile,
    }.get(kind, identify)(value)


def test_identify_reasons_for_nothing_and_unknown_shapes() -> None:
    assert (identify(" ").kind, identify(" ").reason) == ("unknown", "empty")
    assert (identify("abc").kind, identify("abc").reason) == ("unknown", "unrecognised")


def test_identify_finds_an_all_digit_credit_code() -> None:
    code = next(
        c
        for n in range(10_000)
        if (c := make_uscc(f"12370200{n:08d}"))[-1] in DIGITS and not check_resident_id(c).valid
    )
    assert identify(code) == check_uscc(code)
    assert identify(code).valid


@PROPERTY
@given(st.one_of(resident_ids(), credit_codes()))
def test_identify_accepts_generated_values(value: str) -> None:
    result = identify(value)
    assert result.valid
    assert result.kind in ("resident_id", "uscc")


# Regions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "name"), sorted(QINGDAO.items()))
def test_qingdao_codes(code: str, name: str) -> None:
    assert region_name(code) == name
    assert check_region_code(code) == IdCheck("region", True, code, region_name=name)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("110105", "北京市朝阳区"),
        ("110100", "北京市市辖区"),
        ("370000", "山东省"),
        ("370205", "山东省青岛市四方区"),
        ("370282", "山东省青岛市即墨市"),
        ("419001", "河南省济源市"),
        ("500229", "重庆市城口县"),
        ("999999", None),
        ("3702", None),
        ("", None),
    ],
)
def test_region_names(code: str, name: str | None) -> None:
    assert region_name(code) == name


def test_all_province_level_codes_are_present() -> None:
    for code, name in PROVINCES.items():
        assert region_name(code) == name


def test_region_code_reasons() -> None:
    assert check_region_code("").reason == "empty"
    assert check_region_code("37020").params == {"expected": "6", "got": "5"}
    assert check_region_code("37O202").params == {"position": "3"}
    assert check_region_code("370299").params == {"code": "370299"}


def test_region_table_is_sorted_unique_and_well_formed() -> None:
    lines = _table_lines()
    codes = [line.split("\t")[0] for line in lines]
    assert codes == sorted(set(codes))
    assert len(codes) > 3000
    for line in lines:
        code, name = line.split("\t")
        assert len(code) == 6
        assert code.isascii()
        assert code.isdigit()
        assert name
        assert name == name.strip()
    assert all(code[:4] + "00" in codes for code in QINGDAO)


# Masking ------------------------------------------------------------------------------------


def test_mask_id_examples() -> None:
    assert mask_id("370102199001011234") == "3701**********1234"
    assert mask_id("12345678") == "********"
    assert mask_id("123456789") == "1234*6789"
    assert mask_id("") == ""


@PROPERTY
@given(st.text())
def test_mask_id_keeps_length_and_only_the_ends(value: str) -> None:
    masked = mask_id(value)
    assert len(masked) == len(value)
    if len(value) <= 8:
        assert set(masked) <= {"*"}
    else:
        assert masked[:4] == value[:4]
        assert masked[-4:] == value[-4:]
        assert set(masked[4:-4]) == {"*"}
