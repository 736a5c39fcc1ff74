"""The demo's shared data: 42 thematic databases and the 290 data elements they hold.

Names follow the data-sharing catalogues cities publish (人口基础信息, 法人基础信息 …). An element's
code is "<database>.<key>"; a record's data maps each key to a value of the element's type.
Values of type `id_number` are never plain: records hold {"masked": …, "hash": …} (the keyed hash
of accounts.service.hash_id), so shared data cannot leak an ID number either.
"""

from __future__ import annotations

from dataclasses import dataclass

# value types an element may have (forms choose widgets and checks by them)
VALUE_TYPES = (
    "string",
    "text",
    "date",
    "number",
    "money",
    "boolean",
    "code",
    "region",
    "address",
    "id_number",
    "credit_code",
    "mobile",
)
SENSITIVITY = ("public", "internal", "sensitive")
FREQUENCY = ("realtime", "daily", "monthly", "yearly", "on_change")
SUBJECTS = ("person", "enterprise", "any")


@dataclass(frozen=True)
class E:
    key: str
    name: str
    name_en: str
    type: str = "string"
    sensitivity: str = "internal"
    # (value, 中文, English) for elements of type "code"
    options: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Db:
    code: str
    name: str
    name_en: str
    owner: str  # department code in accounts.reference
    subject: str  # person | enterprise | any
    frequency: str
    elements: tuple[E, ...]


GENDER = (("1", "男", "Male"), ("2", "女", "Female"))
STATUS_VALID = (
    ("valid", "有效", "Valid"),
    ("suspended", "暂扣", "Suspended"),
    ("revoked", "撤销", "Revoked"),
    ("expired", "过期", "Expired"),
)
ENTITY_TYPES = (
    ("llc", "有限责任公司", "Limited liability company"),
    ("corp", "股份有限公司", "Joint stock company"),
    ("sole", "个人独资企业", "Sole proprietorship"),
    ("partnership", "合伙企业", "Partnership"),
    ("individual", "个体工商户", "Individual business"),
    ("coop", "农民专业合作社", "Farmers' cooperative"),
)
USAGE = (
    ("residential", "住宅", "Residential"),
    ("commercial", "商业", "Commercial"),
    ("office", "办公", "Office"),
    ("industrial", "工业", "Industrial"),
)
INSURED = (
    ("active", "正常参保", "Insured"),
    ("suspended", "暂停缴费", "Contributions paused"),
    ("ended", "终止参保", "Ended"),
)

# fmt: off
DATABASES: tuple[Db, ...] = (
    # ---- people -------------------------------------------------------------------------
    Db("population", "人口基础信息", "Population basic information", "gaj", "person", "daily", (
        E("name", "姓名", "Name"),
        E("former_name", "曾用名", "Former name"),
        E("gender", "性别", "Gender", "code", options=GENDER),
        E("ethnicity", "民族", "Ethnic group", "code", options=(
            ("01", "汉族", "Han"), ("03", "回族", "Hui"), ("05", "满族", "Manchu"),
            ("08", "朝鲜族", "Korean"), ("99", "其他", "Other"))),
        E("birth_date", "出生日期", "Date of birth", "date"),
        E("birth_region", "出生地", "Place of birth", "region"),
        E("nationality", "国籍", "Nationality", "code", "public", (("CHN", "中国", "China"),)),
        E("household_region", "户籍地行政区划", "Household registration region", "region"),
        E("household_address", "户籍地址", "Household registration address", "address",
          "sensitive"),
        E("residence_address", "居住地址", "Residential address", "address", "sensitive"),
        E("id_valid_until", "身份证有效期至", "ID card valid until", "date"),
        E("marital_status", "婚姻状况", "Marital status", "code", options=(
            ("10", "未婚", "Single"), ("20", "已婚", "Married"), ("30", "丧偶", "Widowed"),
            ("40", "离婚", "Divorced"))),
        E("education_level", "文化程度", "Education", "code", options=(
            ("20", "大学本科", "Bachelor's degree"), ("30", "大学专科", "College"),
            ("40", "高中", "Senior secondary"), ("70", "初中", "Junior secondary"),
            ("10", "研究生", "Postgraduate"))),
        E("mobile", "联系电话", "Mobile number", "mobile", "sensitive"),
        E("photo_taken_on", "证件照片采集日期", "ID photo taken on", "date"),
    )),
    Db("household", "户籍登记信息", "Household registration", "gaj", "person", "daily", (
        E("household_no", "户号", "Household number"),
        E("head_name", "户主姓名", "Head of household"),
        E("relation_to_head", "与户主关系", "Relation to the head", "code", options=(
            ("02", "户主", "Head"), ("10", "配偶", "Spouse"), ("20", "子女", "Child"),
            ("50", "父母", "Parent"), ("99", "其他", "Other"))),
        E("household_type", "户口性质", "Household type", "code", options=(
            ("urban", "城镇", "Urban"), ("rural", "农村", "Rural"))),
        E("moved_in_date", "迁入日期", "Moved in on", "date"),
        E("police_station", "户籍派出所", "Registering police station"),
        E("members", "户内人数", "Members in the household", "number"),
    )),
    Db("residence_permit", "居住证信息", "Residence permits", "gaj", "person", "daily", (
        E("permit_no", "居住证号码", "Permit number"),
        E("address", "居住地址", "Address of residence", "address", "sensitive"),
        E("reason", "申领事由", "Reason", "code", options=(
            ("work", "就业", "Employment"), ("study", "就读", "Study"),
            ("live", "居住", "Residence"))),
        E("issue_date", "签发日期", "Issued on", "date"),
        E("valid_until", "有效期至", "Valid until", "date"),
        E("status", "证件状态", "Status", "code", options=STATUS_VALID),
    )),
    Db("marriage", "婚姻登记信息", "Marriage registration", "mzj", "person", "on_change", (
        E("status", "婚姻登记状态", "Registered status", "code", options=(
            ("married", "结婚登记", "Married"), ("divorced", "离婚登记", "Divorced"))),
        E("spouse_name", "配偶姓名", "Spouse's name"),
        E("spouse_id", "配偶身份证号", "Spouse's ID number", "id_number", "sensitive"),
        E("registration_date", "登记日期", "Registered on", "date"),
        E("certificate_no", "结婚证字号", "Certificate number"),
        E("registry_office", "登记机关", "Registry office"),
    )),
    Db("birth_medical", "出生医学证明信息", "Birth medical certificates", "wsjk", "person",
       "daily", (
        E("certificate_no", "出生医学证明编号", "Certificate number"),
        E("child_name", "新生儿姓名", "Baby's name"),
        E("child_gender", "新生儿性别", "Baby's gender", "code", options=GENDER),
        E("birth_date", "出生日期", "Date of birth", "date"),
        E("hospital", "接生机构", "Hospital"),
        E("birth_weight", "出生体重（克）", "Birth weight (g)", "number"),
        E("gestational_weeks", "出生孕周", "Gestational weeks", "number"),
        E("mother_name", "母亲姓名", "Mother's name"),
        E("mother_id", "母亲身份证号", "Mother's ID number", "id_number", "sensitive"),
        E("father_name", "父亲姓名", "Father's name"),
        E("father_id", "父亲身份证号", "Father's ID number", "id_number", "sensitive"),
    )),
    Db("social_insurance", "社会保险参保信息", "Social insurance", "rsj", "person", "daily", (
        E("pension_status", "养老保险参保状态", "Pension insurance status", "code",
          options=INSURED),
        E("pension_type", "养老保险类型", "Pension scheme", "code", options=(
            ("employee", "企业职工基本养老保险", "Employee pension"),
            ("public", "机关事业单位养老保险", "Public sector pension"),
            ("resident", "城乡居民基本养老保险", "Resident pension"))),
        E("first_insured", "首次参保日期", "First insured on", "date"),
        E("contribution_months", "累计缴费月数", "Months of contributions", "number"),
        E("employer_name", "参保单位", "Insured through"),
        E("employer_credit_code", "参保单位统一社会信用代码", "Employer's credit code",
          "credit_code", "public"),
        E("insured_region", "参保地", "Insured in", "region"),
        E("injury_status", "工伤保险参保状态", "Work injury insurance", "code", options=INSURED),
        E("unemployment_status", "失业保险参保状态", "Unemployment insurance", "code",
          options=INSURED),
        E("maternity_status", "生育保险参保状态", "Maternity insurance", "code",
          options=INSURED),
    )),
    Db("medical_insurance", "医疗保险参保信息", "Medical insurance", "ybj", "person", "daily", (
        E("scheme", "参保险种", "Scheme", "code", options=(
            ("employee", "职工基本医疗保险", "Employee medical insurance"),
            ("resident", "城乡居民基本医疗保险", "Resident medical insurance"))),
        E("status", "参保状态", "Status", "code", options=INSURED),
        E("start_date", "参保日期", "Insured since", "date"),
        E("insured_region", "参保地", "Insured in", "region"),
        E("designated_hospital", "定点医疗机构", "Designated hospital"),
        E("chronic_conditions", "已认定门诊慢特病", "Recognised chronic conditions", "text",
          "sensitive"),
        E("retiree", "退休人员标识", "Retiree", "boolean"),
        E("remote_filing", "异地就医备案地", "Filed for care in", "region"),
    )),
    Db("ss_card", "社会保障卡信息", "Social security cards", "rsj", "person", "daily", (
        E("card_no", "社会保障卡卡号", "Card number", "string", "sensitive"),
        E("bank", "服务银行", "Bank", "code", options=(
            ("icbc", "中国工商银行", "ICBC"), ("ccb", "中国建设银行", "CCB"),
            ("boc", "中国银行", "Bank of China"), ("abc", "中国农业银行", "ABC"),
            ("qdb", "青岛银行", "Bank of Qingdao"))),
        E("status", "卡状态", "Card status", "code", options=(
            ("normal", "正常", "Active"), ("lost", "挂失", "Reported lost"),
            ("pending", "制卡中", "Being made"))),
        E("issue_date", "发卡日期", "Issued on", "date"),
        E("valid_until", "有效期至", "Valid until", "date"),
        E("electronic", "已领取电子社保卡", "Has the electronic card", "boolean"),
    )),
    Db("education", "学历学位信息", "Academic records", "jyj", "person", "yearly", (
        E("level", "最高学历", "Highest education", "code", options=(
            ("doctor", "博士研究生", "Doctorate"), ("master", "硕士研究生", "Master's"),
            ("bachelor", "大学本科", "Bachelor's"), ("college", "大学专科", "College"),
            ("secondary", "高中及以下", "Secondary or below"))),
        E("school", "毕业院校", "School"),
        E("major", "专业", "Subject"),
        E("graduation_date", "毕业日期", "Graduated on", "date"),
        E("certificate_no", "学历证书编号", "Certificate number"),
        E("degree", "学位", "Degree"),
    )),
    Db("student_status", "学籍信息", "Student records", "jyj", "person", "monthly", (
        E("student_no", "全国学籍号", "National student number", "string", "sensitive"),
        E("school", "就读学校", "School"),
        E("grade", "年级", "Year"),
        E("enrol_date", "入学日期", "Enrolled on", "date"),
        E("status", "学籍状态", "Status", "code", options=(
            ("enrolled", "在籍", "Enrolled"), ("graduated", "毕业", "Graduated"))),
        E("hardship", "家庭经济困难认定", "Recognised financial hardship", "boolean",
          "sensitive"),
    )),
    Db("real_estate", "不动产登记信息", "Real estate register", "zrzy", "any", "realtime", (
        E("certificate_no", "不动产权证书号", "Title certificate number"),
        E("unit_no", "不动产单元号", "Real estate unit number"),
        E("location", "坐落", "Location", "address"),
        E("region", "所在区（市）", "District", "region"),
        E("usage", "用途", "Use", "code", options=USAGE),
        E("floor_area", "建筑面积（平方米）", "Floor area (m²)", "number"),
        E("land_right_type", "土地权利性质", "Land right", "code", options=(
            ("granted", "出让", "Granted"), ("allocated", "划拨", "Allocated"))),
        E("ownership", "共有情况", "Ownership", "code", options=(
            ("sole", "单独所有", "Sole owner"), ("joint", "共同共有", "Joint owners"),
            ("shared", "按份共有", "Owners in shares"))),
        E("registration_date", "登记日期", "Registered on", "date"),
        E("mortgaged", "抵押状态", "Mortgaged", "boolean"),
        E("seized", "查封状态", "Seized", "boolean"),
        E("land_area", "宗地面积（平方米）", "Land area (m²)", "number"),
        E("structure", "房屋结构", "Structure", "code", options=(
            ("steel_concrete", "钢筋混凝土结构", "Reinforced concrete"),
            ("mixed", "混合结构", "Mixed"), ("steel", "钢结构", "Steel"))),
        E("completed_year", "竣工年份", "Year completed", "number"),
    )),
    Db("vehicle", "机动车登记信息", "Vehicle register", "gaj", "any", "realtime", (
        E("plate_no", "号牌号码", "Number plate"),
        E("vehicle_type", "车辆类型", "Vehicle type", "code", options=(
            ("K33", "小型轿车", "Car"), ("K31", "小型普通客车", "Minibus"),
            ("H11", "重型普通货车", "Heavy goods vehicle"), ("H31", "轻型普通货车", "Van"))),
        E("brand_model", "品牌型号", "Make and model"),
        E("vin", "车辆识别代号", "Vehicle identification number", "string", "sensitive"),
        E("registration_date", "注册登记日期", "Registered on", "date"),
        E("inspection_until", "检验有效期至", "Inspection valid until", "date"),
        E("status", "机动车状态", "Status", "code", options=(
            ("A", "正常", "Normal"), ("G", "违法未处理", "Unsettled violations"))),
    )),
    Db("driver_licence", "机动车驾驶证信息", "Driving licences", "gaj", "person", "realtime", (
        E("licence_class", "准驾车型", "Licence class", "code", options=(
            ("C1", "C1", "C1"), ("C2", "C2", "C2"), ("B2", "B2", "B2"), ("A2", "A2", "A2"))),
        E("first_issue", "初次领证日期", "First issued on", "date"),
        E("valid_until", "有效期至", "Valid until", "date"),
        E("points", "累积记分", "Penalty points", "number"),
        E("status", "驾驶证状态", "Status", "code", options=STATUS_VALID),
        E("file_no", "档案编号", "File number"),
    )),
    Db("health_certificate", "从业人员健康证明信息", "Health certificates of food workers",
       "wsjk", "person", "daily", (
        E("certificate_no", "健康证明编号", "Certificate number"),
        E("issue_date", "体检日期", "Examined on", "date"),
        E("valid_until", "有效期至", "Valid until", "date"),
        E("institution", "体检机构", "Examining institution"),
        E("result", "体检结论", "Result", "code", options=(
            ("fit", "合格", "Fit"), ("unfit", "不合格", "Unfit"))),
    )),
    Db("disability", "残疾人证信息", "Disability certificates", "mzj", "person", "monthly", (
        E("certificate_no", "残疾人证号", "Certificate number", "string", "sensitive"),
        E("category", "残疾类别", "Category", "code", "sensitive", (
            ("1", "视力残疾", "Visual"), ("2", "听力残疾", "Hearing"),
            ("4", "肢体残疾", "Physical"), ("5", "智力残疾", "Intellectual"),
            ("6", "精神残疾", "Psychosocial"))),
        E("grade", "残疾等级", "Grade", "code", "sensitive", (
            ("1", "一级", "Grade 1"), ("2", "二级", "Grade 2"), ("3", "三级", "Grade 3"),
            ("4", "四级", "Grade 4"))),
        E("issue_date", "发证日期", "Issued on", "date"),
        E("valid_until", "有效期至", "Valid until", "date"),
    )),
    Db("minimum_living", "社会救助信息", "Social assistance", "mzj", "person", "monthly", (
        E("status", "救助类型", "Assistance", "code", "sensitive", (
            ("dibao", "最低生活保障", "Minimum living allowance"),
            ("tekun", "特困人员供养", "Extreme poverty support"),
            ("low_edge", "低保边缘家庭", "Low-income household"))),
        E("household_size", "保障人口", "People covered", "number"),
        E("monthly_amount", "月保障金额（元）", "Monthly amount (yuan)", "money", "sensitive"),
        E("start_date", "保障起始日期", "Since", "date"),
        E("region", "保障地", "Region", "region"),
    )),
    Db("provident_fund", "住房公积金信息", "Housing provident fund", "zjj", "person", "monthly", (
        E("account_no", "个人公积金账号", "Account number", "string", "sensitive"),
        E("status", "账户状态", "Account status", "code", options=(
            ("normal", "正常缴存", "Paying in"), ("sealed", "封存", "Dormant"))),
        E("employer_name", "缴存单位", "Employer"),
        E("monthly_deposit", "月缴存额（元）", "Monthly deposit (yuan)", "money", "sensitive"),
        E("opened_on", "开户日期", "Opened on", "date"),
    )),
    Db("qualification", "职业资格信息", "Professional qualifications", "rsj", "person",
       "monthly", (
        E("certificate_name", "证书名称", "Certificate"),
        E("certificate_no", "证书编号", "Certificate number"),
        E("level", "等级", "Level"),
        E("issue_date", "发证日期", "Issued on", "date"),
        E("issuer", "发证机关", "Issued by"),
    )),
    Db("death", "死亡登记信息", "Death registration", "wsjk", "person", "daily", (
        E("deceased_name", "逝者姓名", "Name of the deceased"),
        E("deceased_id", "逝者身份证号", "ID number of the deceased", "id_number", "sensitive"),
        E("death_date", "死亡日期", "Date of death", "date"),
        E("certificate_no", "死亡医学证明编号", "Death certificate number"),
        E("cremation_no", "火化证明编号", "Cremation certificate number"),
        E("relation", "与逝者关系", "Relation to the deceased", "code", options=(
            ("spouse", "配偶", "Spouse"), ("child", "子女", "Child"),
            ("parent", "父母", "Parent"))),
    )),
    Db("employment", "就业失业登记信息", "Employment and unemployment registration", "rsj",
       "person", "daily", (
        E("status", "就业状态", "Status", "code", options=(
            ("employed", "就业", "Employed"), ("unemployed", "失业", "Unemployed"),
            ("self", "灵活就业", "Self-employed"))),
        E("employer_name", "就业单位", "Employer"),
        E("registered_on", "登记日期", "Registered on", "date"),
        E("unemployment_card", "就业创业证号", "Employment card number"),
        E("benefit_months", "可领失业保险金月数", "Months of unemployment benefit", "number"),
    )),
    Db("pension_benefit", "养老保险待遇信息", "Pension benefits", "rsj", "person", "monthly", (
        E("status", "待遇状态", "Status", "code", options=(
            ("none", "未领取", "Not drawing"), ("drawing", "正常领取", "Drawing"),
            ("stopped", "暂停领取", "Suspended"))),
        E("monthly_amount", "月养老金（元）", "Monthly pension (yuan)", "money", "sensitive"),
        E("approved_on", "核定日期", "Approved on", "date"),
        E("retirement_type", "退休类型", "Type of retirement", "code", options=(
            ("normal", "正常退休", "Normal"), ("early", "提前退休", "Early"))),
        E("retirement_date", "退休日期", "Retired on", "date"),
    )),
    Db("vaccination", "预防接种信息", "Vaccination records", "wsjk", "person", "daily", (
        E("record_no", "预防接种证编号", "Vaccination record number"),
        E("doses", "已接种剂次", "Doses given", "number"),
        E("last_dose", "最近接种日期", "Last dose on", "date"),
        E("clinic", "接种门诊", "Clinic"),
        E("complete", "免疫规划疫苗全程接种", "Immunisation schedule complete", "boolean"),
    )),
    Db("elderly", "老年人服务信息", "Services for older people", "mzj", "person", "monthly", (
        E("allowance", "高龄津贴", "Old-age allowance", "code", options=(
            ("none", "未享受", "None"), ("80", "80周岁以上", "80 and over"),
            ("90", "90周岁以上", "90 and over"))),
        E("care_level", "失能等级", "Dependency level", "code", "sensitive", (
            ("0", "能力完好", "Independent"), ("1", "轻度失能", "Mild"),
            ("2", "中度失能", "Moderate"), ("3", "重度失能", "Severe"))),
        E("care_provider", "居家养老服务机构", "Home care provider"),
        E("long_care", "长期护理保险待遇", "Long-term care benefit", "boolean"),
    )),
    # ---- enterprises --------------------------------------------------------------------
    Db("legal_person", "法人基础信息", "Legal person basic information", "scjg", "enterprise",
       "realtime", (
        E("name", "名称", "Name", "string", "public"),
        E("credit_code", "统一社会信用代码", "Unified social credit code", "credit_code",
          "public"),
        E("entity_type", "市场主体类型", "Type of entity", "code", "public", ENTITY_TYPES),
        E("legal_rep_name", "法定代表人（负责人、经营者）", "Legal representative", "string",
          "public"),
        E("legal_rep_id", "法定代表人身份证号", "Legal representative's ID number",
          "id_number", "sensitive"),
        E("registered_capital", "注册资本（万元）", "Registered capital (10,000 yuan)", "money",
          "public"),
        E("established", "成立日期", "Established on", "date", "public"),
        E("term_until", "营业期限至", "Term until", "date", "public"),
        E("address", "住所（经营场所）", "Registered address", "address", "public"),
        E("region", "登记所在区（市）", "District", "region", "public"),
        E("business_scope", "经营范围", "Business scope", "text", "public"),
        E("status", "登记状态", "Status", "code", "public", (
            ("active", "存续", "Active"), ("cancelled", "注销", "Deregistered"),
            ("revoked", "吊销", "Licence revoked"))),
        E("authority", "登记机关", "Registration authority", "string", "public"),
        E("industry", "国民经济行业", "Industry (GB/T 4754)", "code", "public", (
            ("I65", "软件和信息技术服务业", "Software and IT services"),
            ("H62", "餐饮业", "Food and beverage service"),
            ("F52", "零售业", "Retail"), ("G54", "道路运输业", "Road transport"),
            ("E47", "房屋建筑业", "Building construction"),
            ("M74", "专业技术服务业", "Professional services"))),
        E("phone", "联系电话", "Phone", "mobile", "internal"),
        E("contact_name", "联系人", "Contact person"),
    )),
    Db("annual_report", "企业年度报告信息", "Annual reports", "scjg", "enterprise", "yearly", (
        E("year", "报告年度", "Report year", "number", "public"),
        E("employees", "从业人数", "Employees", "number"),
        E("insured_employees", "参加城镇职工基本养老保险人数", "Employees with pension insurance",
          "number"),
        E("revenue_band", "营业总收入区间", "Revenue band", "code", options=(
            ("s", "100万元以下", "Under 1 million yuan"),
            ("m", "100万至1000万元", "1–10 million yuan"),
            ("l", "1000万元以上", "Over 10 million yuan"))),
        E("reported_on", "报送日期", "Filed on", "date", "public"),
        E("website", "网站网址", "Website", "string", "public"),
        E("email", "电子邮箱", "Email", "string", "public"),
    )),
    Db("shareholders", "股东及出资信息", "Shareholders and capital", "scjg", "enterprise",
       "realtime", (
        E("shareholder_name", "股东名称", "Shareholder", "string", "public"),
        E("shareholder_type", "股东类型", "Shareholder type", "code", "public", (
            ("person", "自然人股东", "Natural person"),
            ("enterprise", "企业法人", "Enterprise"))),
        E("subscribed", "认缴出资额（万元）", "Subscribed (10,000 yuan)", "money", "public"),
        E("paid", "实缴出资额（万元）", "Paid in (10,000 yuan)", "money", "public"),
        E("due_date", "认缴出资期限", "Due by", "date", "public"),
        E("ratio", "出资比例（%）", "Share (%)", "number", "public"),
    )),
    Db("tax_registration", "税务登记信息", "Tax registration", "swj", "enterprise", "daily", (
        E("taxpayer_type", "纳税人资格", "Taxpayer type", "code", options=(
            ("general", "增值税一般纳税人", "General VAT taxpayer"),
            ("small", "小规模纳税人", "Small-scale taxpayer"))),
        E("tax_authority", "主管税务机关", "Tax office"),
        E("registered_on", "税务登记日期", "Registered on", "date"),
        E("credit_rating", "纳税信用等级", "Tax credit rating", "code", options=(
            ("A", "A级", "A"), ("B", "B级", "B"), ("M", "M级", "M"), ("C", "C级", "C"),
            ("D", "D级", "D"))),
        E("invoice_types", "已核定发票种类", "Approved invoice types"),
        E("cleared", "清税状态", "Tax cleared", "boolean"),
        E("tax_handler", "办税人员", "Tax handler"),
        E("finance_officer", "财务负责人", "Financial officer"),
    )),
    Db("unit_insurance", "单位社会保险登记信息", "Employer social insurance", "rsj",
       "enterprise", "daily", (
        E("unit_no", "单位社保编号", "Employer number"),
        E("registered_on", "参保登记日期", "Registered on", "date"),
        E("insured_count", "在职参保人数", "Insured employees", "number"),
        E("status", "参保状态", "Status", "code", options=INSURED),
        E("arrears", "欠缴情况", "Arrears", "boolean"),
        E("medical_registered", "已办理职工医保登记", "Registered for employee medical insurance",
          "boolean"),
    )),
    Db("bank_account", "单位银行结算账户信息", "Enterprise bank accounts", "swj", "enterprise",
       "on_change", (
        E("bank", "开户银行", "Bank"),
        E("account_no", "银行账号", "Account number", "string", "sensitive"),
        E("account_name", "账户名称", "Account name"),
        E("agreement", "已签订三方协议", "Tax payment agreement signed", "boolean"),
    )),
    Db("food_licence", "食品经营许可信息", "Food business licences", "scjg", "enterprise",
       "daily", (
        E("licence_no", "许可证编号", "Licence number", "string", "public"),
        E("main_business", "经营主体业态", "Type of food business", "code", "public", (
            ("catering", "餐饮服务经营者", "Catering"),
            ("retail", "食品销售经营者", "Food retail"),
            ("canteen", "单位食堂", "Canteen"))),
        E("items", "经营项目", "Business items", "text", "public"),
        E("premises", "经营场所", "Premises", "address", "public"),
        E("valid_until", "有效期至", "Valid until", "date", "public"),
        E("safety_manager", "食品安全管理员", "Food safety manager"),
        E("issued_on", "发证日期", "Issued on", "date", "public"),
        E("status", "许可状态", "Status", "code", "public", STATUS_VALID),
    )),
    Db("drug_licence", "药品经营许可信息", "Drug business licences", "scjg", "enterprise",
       "daily", (
        E("licence_no", "许可证编号", "Licence number", "string", "public"),
        E("mode", "经营方式", "Mode", "code", "public", (
            ("retail", "零售", "Retail"), ("chain", "零售连锁", "Retail chain"))),
        E("scope", "经营范围", "Scope", "text", "public"),
        E("valid_until", "有效期至", "Valid until", "date", "public"),
        E("quality_manager", "质量负责人", "Quality manager"),
        E("pharmacist", "执业药师", "Licensed pharmacist"),
        E("status", "许可状态", "Status", "code", "public", STATUS_VALID),
    )),
    Db("construction_qualification", "建筑业企业资质信息", "Construction enterprise qualifications",
       "zjj", "enterprise", "daily", (
        E("certificate_no", "资质证书编号", "Certificate number", "string", "public"),
        E("category", "资质类别及等级", "Category and grade", "string", "public"),
        E("valid_until", "有效期至", "Valid until", "date", "public"),
        E("issuer", "发证机关", "Issued by", "string", "public"),
        E("safety_licence", "安全生产许可证编号", "Work safety licence number", "string",
          "public"),
    )),
    Db("construction_permit", "建筑工程施工许可信息", "Construction permits", "zjj", "enterprise",
       "daily", (
        E("permit_no", "施工许可证编号", "Permit number", "string", "public"),
        E("project_name", "工程名称", "Project", "string", "public"),
        E("location", "建设地址", "Site", "address", "public"),
        E("contract_amount", "合同价格（万元）", "Contract price (10,000 yuan)", "money"),
        E("floor_area", "建设规模（平方米）", "Floor area (m²)", "number", "public"),
        E("contractor", "施工单位", "Contractor", "string", "public"),
        E("issued_on", "发证日期", "Issued on", "date", "public"),
    )),
    Db("construction_project", "工程建设项目信息", "Construction projects", "xzsp", "enterprise",
       "daily", (
        E("project_code", "项目代码", "Project code", "string", "public"),
        E("name", "项目名称", "Project name", "string", "public"),
        E("location", "建设地点", "Location", "address", "public"),
        E("land_area", "用地面积（平方米）", "Land area (m²)", "number", "public"),
        E("building_area", "建筑面积（平方米）", "Building area (m²)", "number", "public"),
        E("investment", "总投资（万元）", "Investment (10,000 yuan)", "money"),
        E("planning_permit", "建设工程规划许可证号", "Planning permit number", "string",
          "public"),
        E("risk_level", "风险等级", "Risk level", "code", "public", (
            ("low", "社会投资简易低风险", "Simple low-risk"), ("general", "一般", "General"))),
    )),
    Db("social_org", "社会团体登记信息", "Social groups", "mzj", "enterprise", "daily", (
        E("registration_no", "登记证号", "Registration number", "string", "public"),
        E("name", "社会团体名称", "Name", "string", "public"),
        E("supervisor", "业务主管单位", "Supervising unit", "string", "public"),
        E("legal_rep_name", "法定代表人", "Legal representative", "string", "public"),
        E("funds", "活动资金（万元）", "Funds (10,000 yuan)", "money", "public"),
        E("address", "住所", "Address", "address", "public"),
        E("members", "会员数量", "Members", "number", "public"),
        E("established", "成立登记日期", "Registered on", "date", "public"),
        E("status", "登记状态", "Status", "code", "public", (
            ("active", "正常", "Active"), ("cancelled", "注销", "Deregistered"))),
    )),
    Db("private_non_enterprise", "民办非企业单位登记信息", "Private non-enterprise units", "mzj",
       "enterprise", "daily", (
        E("registration_no", "登记证号", "Registration number", "string", "public"),
        E("name", "单位名称", "Name", "string", "public"),
        E("scope", "业务范围", "Scope of activities", "text", "public"),
        E("funds", "开办资金（万元）", "Start-up funds (10,000 yuan)", "money", "public"),
        E("sponsor", "举办者", "Founder", "string", "public"),
        E("status", "登记状态", "Status", "code", "public", (
            ("active", "正常", "Active"), ("cancelled", "注销", "Deregistered"))),
    )),
    Db("road_transport", "道路运输经营许可信息", "Road transport licences", "jtys", "enterprise",
       "daily", (
        E("licence_no", "道路运输经营许可证号", "Licence number", "string", "public"),
        E("scope", "经营范围", "Scope", "code", "public", (
            ("freight", "道路普通货物运输", "General freight"),
            ("dangerous", "危险货物运输", "Dangerous goods"),
            ("passenger", "道路旅客运输", "Passengers"))),
        E("vehicles", "营运车辆数", "Vehicles", "number", "public"),
        E("issued_on", "发证日期", "Issued on", "date", "public"),
        E("valid_until", "有效期至", "Valid until", "date", "public"),
        E("status", "许可状态", "Status", "code", "public", STATUS_VALID),
    )),
    Db("pollution_permit", "排污许可信息", "Pollutant discharge permits", "sthj", "enterprise",
       "daily", (
        E("permit_no", "排污许可证编号", "Permit number", "string", "public"),
        E("management", "管理类别", "Management category", "code", "public", (
            ("key", "重点管理", "Key"), ("simple", "简化管理", "Simplified"),
            ("register", "登记管理", "Registration"))),
        E("pollutants", "主要污染物种类", "Main pollutants", "string", "public"),
        E("industry", "行业类别", "Industry", "string", "public"),
        E("valid_until", "有效期至", "Valid until", "date", "public"),
        E("status", "许可状态", "Status", "code", "public", STATUS_VALID),
    )),
    Db("drainage_permit", "城镇污水排入排水管网许可信息", "Sewer discharge permits", "cgj",
       "enterprise", "daily", (
        E("permit_no", "排水许可证编号", "Permit number", "string", "public"),
        E("discharge_type", "排水类别", "Discharge type", "code", "public", (
            ("catering", "餐饮污水", "Catering waste water"),
            ("industrial", "工业废水", "Industrial waste water"),
            ("domestic", "生活污水", "Domestic waste water"))),
        E("daily_volume", "日排水量（立方米）", "Daily volume (m³)", "number", "public"),
        E("pretreatment", "设有隔油池等预处理设施", "Has pre-treatment", "boolean", "public"),
        E("valid_until", "有效期至", "Valid until", "date", "public"),
    )),
    Db("fire_safety", "消防安全检查信息", "Fire safety approvals", "zjj", "enterprise",
       "daily", (
        E("approval_no", "文书编号", "Document number", "string", "public"),
        E("premises", "场所地址", "Premises", "address", "public"),
        E("kind", "类别", "Kind", "code", "public", (
            ("acceptance", "消防验收", "Acceptance"), ("filing", "竣工验收消防备案", "Filing"),
            ("opening", "公众聚集场所投入使用前消防安全检查", "Pre-opening inspection"))),
        E("approved_on", "出具日期", "Issued on", "date", "public"),
        E("result", "结论", "Result", "code", "public", (
            ("pass", "合格", "Passed"), ("fail", "不合格", "Failed"))),
    )),
    Db("public_credit", "公共信用信息", "Public credit information", "dsj", "enterprise",
       "daily", (
        E("credit_level", "公共信用综合评价等级", "Public credit rating", "code", "public", (
            ("A", "A级（诚信）", "A (trustworthy)"), ("B", "B级（基本诚信）", "B"),
            ("C", "C级（失信）", "C"), ("D", "D级（严重失信）", "D"))),
        E("dishonest", "列入严重失信主体名单", "On the serious dishonesty list", "boolean",
          "public"),
        E("abnormal", "列入经营异常名录", "On the abnormal operations list", "boolean", "public"),
        E("penalties", "行政处罚次数（近三年）", "Administrative penalties (3 years)", "number",
          "public"),
    )),
    Db("e_licence", "电子证照信息", "Electronic licences", "dsj", "any", "realtime", (
        E("licence_type", "证照类型", "Licence type", "code", "public", (
            ("business_licence", "营业执照", "Business licence"),
            ("food_business", "食品经营许可证", "Food business licence"),
            ("small_catering", "小餐饮登记证", "Small catering registration"),
            ("drug_retail", "药品经营许可证", "Drug business licence"),
            ("road_transport", "道路运输经营许可证", "Road transport licence"),
            ("drainage", "排水许可证", "Sewer discharge permit"),
            ("id_card", "居民身份证", "Resident identity card"),
            ("household_booklet", "居民户口簿", "Household register booklet"),
            ("marriage", "结婚证", "Marriage certificate"),
            ("ss_card", "社会保障卡", "Social security card"),
            ("driving", "机动车驾驶证", "Driving licence"),
            ("real_estate", "不动产权证书", "Real estate title"),
            ("disability", "残疾人证", "Disability certificate"),
            ("residence_permit", "居住证", "Residence permit"),
            ("vehicle_licence", "机动车行驶证", "Vehicle licence"),
            ("qualification", "从业资格证", "Professional qualification"))),
        E("licence_name", "证照名称", "Licence name", "string", "public"),
        E("licence_no", "证照编号", "Licence number"),
        E("holder_name", "持证主体", "Holder"),
        E("holder_code", "持证主体代码", "Holder's code", "string", "sensitive"),
        E("issuer", "发证机关", "Issued by", "string", "public"),
        E("issued_on", "发证日期", "Issued on", "date"),
        E("valid_until", "有效期至", "Valid until", "date"),
        E("status", "证照状态", "Status", "code", options=STATUS_VALID),
    )),
)
# fmt: on
