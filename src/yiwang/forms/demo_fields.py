"""The demo's form building blocks: the field library, the applicant's identity fields, each
demo item's fields and pre-check rules, and where the platform finds materials itself.

The trade-specific parts live in demo_fields_business and demo_fields_people; this module
holds what many items share (identity, premises, property, payments) and puts it together.
`design_rate` computes a scenario's fill-free rate from these tables alone, the same way the
form builder counts a built form, so the two can be checked against each other.
"""

from __future__ import annotations

from yiwang.catalog.demo_trees import Sc, build
from yiwang.forms import demo_fields_business as business
from yiwang.forms import demo_fields_people as people
from yiwang.forms.definition import FREE_FILLS
from yiwang.forms.spec import CHOICE_WIDGETS, F, MaterialSource, R

# fmt: off
COMMON: tuple[F, ...] = (
    # ---- identity: filled from the session and the population or legal-person record ------
    F("person.name", "姓名", "Name", "text", "auto", "applicant", "population.name",
      applicant="person"),
    # No element holds the number itself (shared data keeps only its keyed hash): the
    # builder fills it from the signed-in account.
    F("person.id_number", "公民身份号码", "ID number", "id_number", "auto", "applicant",
      applicant="person"),
    F("person.gender", "性别", "Gender", "choice", "auto", "applicant", "population.gender",
      applicant="person"),
    F("person.ethnicity", "民族", "Ethnic group", "choice", "auto", "applicant",
      "population.ethnicity", applicant="person"),
    F("person.birth_date", "出生日期", "Date of birth", "date", "auto", "applicant",
      "population.birth_date", applicant="person"),
    F("person.household_address", "户籍地址", "Household registration address", "address",
      "auto", "applicant", "population.household_address", applicant="person"),
    F("person.mobile", "手机号码", "Mobile number", "mobile", "auto", "applicant",
      "population.mobile", applicant="person"),
    F("ent.name", "单位名称", "Name of the enterprise", "text", "auto", "enterprise",
      "legal_person.name", applicant="enterprise"),
    F("ent.credit_code", "统一社会信用代码", "Unified social credit code", "credit_code",
      "auto", "enterprise", "legal_person.credit_code", applicant="enterprise"),
    F("ent.entity_type", "市场主体类型", "Type of entity", "choice", "auto", "enterprise",
      "legal_person.entity_type", applicant="enterprise"),
    F("ent.legal_rep", "法定代表人（负责人、经营者）", "Legal representative", "text", "auto",
      "enterprise", "legal_person.legal_rep_name", applicant="enterprise"),
    F("ent.address", "住所（经营场所）", "Registered address", "address", "auto", "enterprise",
      "legal_person.address", applicant="enterprise"),
    F("ent.registered_capital", "注册资本（万元）", "Registered capital (10,000 yuan)",
      "number", "auto", "enterprise", "legal_person.registered_capital",
      applicant="enterprise"),
    F("ent.established", "成立日期", "Established on", "date", "auto", "enterprise",
      "legal_person.established", applicant="enterprise"),
    F("ent.business_scope", "经营范围", "Business scope", "textarea", "auto", "enterprise",
      "legal_person.business_scope", applicant="enterprise"),
    F("ent.phone", "单位联系电话", "Phone", "mobile", "auto", "enterprise", "legal_person.phone",
      applicant="enterprise"),
    # The person handling it for an enterprise is whoever is signed in.
    F("agent.name", "经办人姓名", "Name of the person handling it", "text", "auto", "agent",
      applicant="enterprise"),
    F("agent.id_number", "经办人身份证号", "ID number of the person handling it", "id_number",
      "auto", "agent", applicant="enterprise"),
    F("agent.mobile", "经办人手机号码", "Mobile of the person handling it", "mobile", "auto",
      "agent", applicant="enterprise"),
    F("other.entrusted", "是否委托代理人办理", "Is an agent handling it for you?", "yesno",
      "choice", "agent", hint="委托代理人办理的，需上传委托书",
      hint_en="If so, upload the power of attorney"),
    F("agent.powers", "委托权限", "What the agent may do", "multichoice", "choice", "agent",
      options=(
          ("copies", "同意核对登记材料中的复印件并签署核对意见", "Check and sign copies"),
          ("corrections", "同意修改有关表格的填写错误", "Correct mistakes in the forms"),
          ("collect", "同意领取证照和有关文书", "Collect the licence and documents"))),
    # ---- the applicant's household and home ------------------------------------------------
    F("person.residence", "现居住地址", "Current address", "address", "choose", "applicant",
      "population.residence_address", history=("real_estate.location",
                                                "residence_permit.address")),
    F("person.marital", "婚姻状况", "Marital status", "choice", "system", "family",
      "population.marital_status"),
    F("household.no", "户号", "Household number", "text", "system", "family",
      "household.household_no"),
    F("household.members", "户内人数", "Members of the household", "number", "system",
      "family", "household.members"),
    # ---- premises and property -------------------------------------------------------------
    F("premises.address", "经营场所（住所）", "Premises", "address", "choose", "premises",
      history=("real_estate.location", "legal_person.address")),
    F("premises.region", "经营场所所在区（市）", "District of the premises", "region",
      "choice", "premises"),
    F("premises.tenure", "场所使用方式", "Use of the premises", "choice", "choice", "premises",
      options=(("own", "自有房屋", "Owned"), ("lease", "租赁", "Leased"),
               ("free", "无偿使用", "Used free of charge"))),
    F("premises.area", "经营场所使用面积（平方米）", "Area used (m²)", "number", "input",
      "premises", minimum=1, maximum=100_000),
    F("premises.lease_start", "租赁起始日期", "Lease starts on", "date", "input", "premises"),
    F("premises.lease_end", "租赁截止日期", "Lease ends on", "date", "input", "premises"),
    F("property.cert_no", "不动产权证书号", "Title certificate number", "text", "choose",
      "premises", "real_estate.certificate_no",
      hint="如：鲁（2023）青岛市市南区不动产权第0001234号",
      hint_en="As printed on the title certificate"),
    F("property.location", "房屋坐落", "Location of the property", "address", "choose",
      "premises", "real_estate.location"),
    F("property.unit_no", "不动产单元号", "Real estate unit number", "text", "system",
      "premises", "real_estate.unit_no"),
    F("property.floor_area", "房屋建筑面积（平方米）", "Floor area (m²)", "number", "system",
      "premises", "real_estate.floor_area"),
    F("property.usage", "房屋用途", "Use of the property", "choice", "system", "premises",
      "real_estate.usage"),
    F("property.ownership", "共有方式", "How it is owned", "choice", "choice", "premises",
      "real_estate.ownership"),
    # ---- payments and delivery -------------------------------------------------------------
    F("payment.ent_bank", "开户银行", "Bank", "text", "choose", "payment", "bank_account.bank"),
    F("payment.ent_account", "银行账号", "Account number", "text", "choose", "payment",
      "bank_account.account_no"),
    F("payment.method", "待遇发放方式", "Paid to", "choice", "choice", "payment",
      options=people.PAY_METHODS),
    F("payment.bank_name", "开户银行", "Bank", "text", "input", "payment"),
    F("payment.account_no", "银行账号", "Account number", "text", "input", "payment"),
    F("other.delivery", "证照领取方式", "How you receive the result", "choice", "choice",
      "other", options=(("post", "免费邮寄", "Posted free"), ("window", "窗口领取", "At the hall"),
                        ("electronic", "仅需电子证照", "Electronic only"))),
    F("other.delivery_address", "邮寄地址", "Postal address", "address", "choose", "other",
      history=("population.residence_address", "legal_person.address")),
)
# fmt: on

LIBRARY: tuple[F, ...] = (*COMMON, *business.FIELDS, *people.FIELDS)

APPLICANT: dict[str, tuple[str, ...]] = {
    "person": (
        "person.name",
        "person.id_number",
        "person.gender",
        "person.ethnicity?",
        "person.birth_date",
        "person.household_address",
        "person.mobile",
    ),
    # Individual businesses have no registered capital, and new records may lack the rest.
    "enterprise": (
        "ent.name",
        "ent.credit_code",
        "ent.entity_type",
        "ent.legal_rep",
        "ent.address",
        "ent.registered_capital?",
        "ent.established?",
        "ent.business_scope?",
        "ent.phone?",
        "agent.name",
        "agent.id_number",
        "agent.mobile",
    ),
}

ITEM_FIELDS: dict[str, tuple[str, ...]] = {**business.ITEMS, **people.ITEMS}
ITEM_RULES: dict[str, tuple[R, ...]] = {**business.RULES, **people.RULES}

_LICENCE = "e_licence"
# Catalogue materials marked licence or shared that the platform can find among the
# applicant's records. Left out, and so uploaded: materials about other people (shareholders,
# the financial officer, proposed officers, drivers), documents no database here holds
# (personnel files, drawing reviews, referral letters …) and results of other items in the
# same bundle (清税证明, 完税凭证, 存量房买卖合同), which are not on record when applying.
MATERIAL_SOURCES: dict[str, MaterialSource] = {
    "营业执照": MaterialSource(_LICENCE, (("licence_type", "business_licence"),)),
    "食品经营许可证": MaterialSource(_LICENCE, (("licence_type", "food_business"),)),
    "小餐饮登记证": MaterialSource(_LICENCE, (("licence_type", "small_catering"),)),
    "药品经营许可证": MaterialSource(_LICENCE, (("licence_type", "drug_retail"),)),
    "道路运输经营许可证": MaterialSource(_LICENCE, (("licence_type", "road_transport"),)),
    "排水许可证": MaterialSource(_LICENCE, (("licence_type", "drainage"),)),
    "机动车行驶证": MaterialSource(_LICENCE, (("licence_type", "vehicle_licence"),)),
    "机动车安全技术检验报告": MaterialSource("vehicle"),
    "不动产权证书": MaterialSource("real_estate"),
    "居民身份证": MaterialSource("population"),
    "申请人身份证明": MaterialSource("population"),
    "父母双方身份证明": MaterialSource("population"),
    "监护人身份证明": MaterialSource("population"),
    "办税人员身份证明": MaterialSource("population"),
    "近期免冠照片": MaterialSource("population"),
    "法定代表人身份证明": MaterialSource("legal_person"),
    "居民户口簿": MaterialSource("household"),
    "亲属关系证明": MaterialSource("household"),
    "结婚证": MaterialSource("marriage", (("status", "married"),)),
    "婚姻状况证明": MaterialSource("marriage"),
    "居住证": MaterialSource("residence_permit", (("status", "valid"),)),
    "社会保障卡": MaterialSource("ss_card", (("status", "normal"),)),
    "残疾人证": MaterialSource("disability"),
    "出生医学证明": MaterialSource("birth_medical"),
    "预防接种证": MaterialSource("vaccination"),
    "从业人员健康证明": MaterialSource("health_certificate", (("result", "fit"),)),
    "死亡证明": MaterialSource("death"),
    "火化证明": MaterialSource("death"),
    "参保缴费凭证": MaterialSource("social_insurance"),
    "养老保险待遇核定信息": MaterialSource("pension_benefit"),
    "困难群众身份证明": MaterialSource("minimum_living"),
    "学籍信息": MaterialSource("student_status", (("status", "enrolled"),)),
    "银行账户信息": MaterialSource("bank_account"),
    "项目立项文件": MaterialSource("construction_project"),
    "建设工程规划许可证": MaterialSource("construction_project"),
    "消防验收意见书": MaterialSource("fire_safety", (("kind", "acceptance"), ("result", "pass"))),
    "社会团体法人登记证书": MaterialSource("social_org", (("status", "active"),)),
    "民办非企业单位登记证书": MaterialSource("private_non_enterprise", (("status", "active"),)),
}

APPLICANT_KINDS = (("p", "person"), ("e", "enterprise"))
BY_CODE: dict[str, F] = {f.code: f for f in LIBRARY}


def parse_ref(ref: str) -> tuple[str, bool, tuple[str, ...]]:
    """ "code?@new@change" → (code, required, kinds), as forms.build reads it."""
    head, *kinds = ref.split("@")
    return head.rstrip("?"), not head.endswith("?"), tuple(kinds)


def reachable_items(scenario: Sc) -> list[tuple[str, str]]:
    """(item key, handling kind) of every item some path of the scenario's tree reaches."""
    tree = build(scenario, lambda ref: ref)
    refs = dict.fromkeys(ref for o in tree["outcomes"].values() for ref in o["items"])
    out = []
    for ref in refs:
        key, _, kind = ref.partition(":")
        out.append((key, kind or "new"))
    return out


def scenario_fields(scenario: Sc) -> list[F]:
    """The fields a scenario's one form asks on any path: the applicant's identity for each
    kind of applicant, then every reachable item's fields for its kind, each element once."""
    merged: dict[str, F] = {}

    def add(ref: str, kind: str | None) -> None:
        code, _, kinds = parse_ref(ref)
        if kind is not None and kinds and kind not in kinds:
            return
        f = BY_CODE[code]
        merged.setdefault(f.element or f.code, f)

    for letter, applicant in APPLICANT_KINDS:
        if letter in scenario.who:
            for ref in APPLICANT[applicant]:
                add(ref, None)
    for key, kind in reachable_items(scenario):
        for ref in ITEM_FIELDS[key]:
            add(ref, kind)
    return list(merged.values())


def is_free(f: F) -> bool:
    """Needs no typing by design: filled by the platform, or answered by picking."""
    return f.fill in FREE_FILLS or f.widget in CHOICE_WIDGETS


def design_rate(scenario: Sc) -> tuple[int, int]:
    """(fields needing no typing by design, fields) over every path of the scenario's form."""
    fields = scenario_fields(scenario)
    return sum(1 for f in fields if is_free(f)), len(fields)
