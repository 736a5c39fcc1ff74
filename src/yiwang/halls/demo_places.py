"""Qingdao's streets and towns (real names) and the word lists demo community and village names
are made from.

The three-digit street and community codes are illustrative, NOT the official statistical
division codes: streets are numbered 001… and towns 101… in list order, communities 001… and
villages 201…, the way the statistical codes are laid out.
"""

from __future__ import annotations

# fmt: off
TRAFFIC = ("licence_renew", "licence_replace", "vehicle_reg", "vehicle_transfer", "inspection")
# (n, name, English, district, address, departments, demo item keys): the city's own halls, and
# a branch of the city's vehicle administration office in each outer district, as Qingdao has.
Depts = tuple[str, ...]
CITY_HALLS: tuple[tuple[str, str, str, str, str, Depts, tuple[str, ...]], ...] = (
    ("01", "青岛市政务服务中心", "Qingdao Government Service Centre", "370202", "闽江路7号",
     (), ()),
    ("02", "青岛市不动产登记中心服务大厅", "Qingdao Real Estate Registration Hall", "370203",
     "敦化路328号", ("zrzy", "zjj", "swj", "cgj"), ()),
    ("03", "青岛市社会保险服务中心", "Qingdao Social Insurance Service Hall", "370203",
     "连云港路27号", ("rsj", "ybj"), ()),
    ("04", "青岛市公安局出入境服务大厅", "Qingdao Exit-Entry Service Hall", "370212", "深圳路173号",
     ("gaj",), ("passport", "hk_macao")),
    ("05", "青岛市车辆管理所黄岛分所", "Qingdao Vehicle Administration Office, Huangdao Branch",
     "370211", "江山南路118号", ("gaj",), TRAFFIC),
    ("06", "青岛市车辆管理所李沧分所", "Qingdao Vehicle Administration Office, Licang Branch",
     "370213", "九水东路276号", ("gaj",), TRAFFIC),
    ("07", "青岛市车辆管理所城阳分所", "Qingdao Vehicle Administration Office, Chengyang Branch",
     "370214", "长城路181号", ("gaj",), TRAFFIC),
    ("08", "青岛市车辆管理所即墨分所", "Qingdao Vehicle Administration Office, Jimo Branch",
     "370215", "烟青路309号", ("gaj",), TRAFFIC),
    ("09", "青岛市车辆管理所胶州分所", "Qingdao Vehicle Administration Office, Jiaozhou Branch",
     "370281", "兰州东路217号", ("gaj",), TRAFFIC),
    ("10", "青岛市车辆管理所平度分所", "Qingdao Vehicle Administration Office, Pingdu Branch",
     "370283", "青岛路86号", ("gaj",), TRAFFIC),
    ("11", "青岛市车辆管理所莱西分所", "Qingdao Vehicle Administration Office, Laixi Branch",
     "370285", "烟台路52号", ("gaj",), TRAFFIC),
)
# (n, name after the district's, English, departments, 24-hour self-service): district halls.
DISTRICT_HALLS: tuple[tuple[str, str, str, Depts, bool], ...] = (
    ("01", "政务服务中心", "Government Service Centre", (), False),
    ("02", "不动产登记中心", "Real Estate Registration Centre", ("zrzy", "zjj", "swj", "cgj"),
     False),
    ("03", "社保医保服务大厅", "Social and Medical Insurance Hall", ("rsj", "ybj"), False),
    ("04", "24小时政务服务自助区", "24-hour Self-service Area", (), True),
)

# district → (streets (街道), towns (镇), roads for addresses); each place is (name, English).
Place = tuple[str, str]
PLACES: dict[str, tuple[tuple[Place, ...], tuple[Place, ...], tuple[str, ...]]] = {
    "370202": (
        (("八大峡", "Badaxia"), ("云南路", "Yunnan Road"), ("中山路", "Zhongshan Road"),
         ("江苏路", "Jiangsu Road"), ("湛山", "Zhanshan"), ("香港中路", "Hong Kong Middle Road"),
         ("八大湖", "Badahu"), ("金门路", "Jinmen Road"), ("珠海路", "Zhuhai Road"),
         ("八大关", "Badaguan"), ("金湖路", "Jinhu Road")),
        (),
        ("香港中路", "南京路", "闽江路", "山东路", "福州南路", "东海西路", "湛山路", "中山路",
         "江西路", "燕儿岛路", "延安三路", "太平路", "宁夏路", "漳州路", "彰化路"),
    ),
    "370203": (
        (("辽宁路", "Liaoning Road"), ("延安路", "Yan'an Road"), ("登州路", "Dengzhou Road"),
         ("宁夏路", "Ningxia Road"), ("敦化路", "Dunhua Road"), ("辽源路", "Liaoyuan Road"),
         ("合肥路", "Hefei Road"), ("大港", "Dagang"), ("即墨路", "Jimo Road"),
         ("台东", "Taidong"), ("镇江路", "Zhenjiang Road"), ("浮山新区", "Fushan New Area"),
         ("阜新路", "Fuxin Road"), ("海伦路", "Hailun Road"), ("四方", "Sifang"),
         ("兴隆路", "Xinglong Road"), ("水清沟", "Shuiqinggou"), ("洛阳路", "Luoyang Road"),
         ("河西", "Hexi"), ("双山", "Shuangshan"), ("湖岛", "Hudao"), ("开平路", "Kaiping Road")),
        (),
        ("延吉路", "敦化路", "辽阳西路", "台东一路", "重庆南路", "威海路", "洛阳路", "四流南路",
         "鞍山路", "哈尔滨路", "连云港路", "同安路", "南京路", "黑龙江南路"),
    ),
    "370211": (
        (("黄岛", "Huangdao"), ("辛安", "Xin'an"), ("薛家岛", "Xuejiadao"),
         ("灵珠山", "Lingzhushan"), ("长江路", "Changjiang Road"), ("红石崖", "Hongshiya"),
         ("灵山卫", "Lingshanwei"), ("珠海", "Zhuhai"), ("隐珠", "Yinzhu"), ("铁山", "Tieshan"),
         ("滨海", "Binhai"), ("张家楼", "Zhangjialou"), ("王台", "Wangtai")),
        (("泊里", "Boli"), ("大场", "Dachang"), ("大村", "Dacun"), ("六汪", "Liuwang"),
         ("宝山", "Baoshan"), ("海青", "Haiqing"), ("琅琊", "Langya"), ("藏南", "Cangnan")),
        ("长江中路", "井冈山路", "江山南路", "黄河东路", "海南岛路", "珠江路", "滨海大道",
         "峨眉山路", "紫金山路", "武夷山路", "香江路", "嘉陵江路"),
    ),
    "370212": (
        (("中韩", "Zhonghan"), ("沙子口", "Shazikou"), ("王哥庄", "Wanggezhuang"),
         ("北宅", "Beizhai"), ("金家岭", "Jinjialing")),
        (),
        ("海尔路", "深圳路", "株洲路", "松岭路", "青大一路", "香港东路", "海口路", "仙霞岭路",
         "秦岭路", "王沙路"),
    ),
    "370213": (
        (("振华路", "Zhenhua Road"), ("沧口", "Cangkou"), ("兴华路", "Xinghua Road"),
         ("兴城路", "Xingcheng Road"), ("李村", "Licun"), ("虎山路", "Hushan Road"),
         ("浮山路", "Fushan Road"), ("湘潭路", "Xiangtan Road"), ("楼山", "Loushan"),
         ("九水", "Jiushui"), ("世园", "Shiyuan")),
        (),
        ("京口路", "九水东路", "金水路", "黑龙江中路", "书院路", "重庆中路", "振华路", "永清路",
         "宾川路", "青山路", "广水路", "兴城路"),
    ),
    "370214": (
        (("城阳", "Chengyang"), ("夏庄", "Xiazhuang"), ("流亭", "Liuting"),
         ("棘洪滩", "Jihongtan"), ("上马", "Shangma"), ("河套", "Hetao"), ("惜福镇", "Xifuzhen"),
         ("红岛", "Hongdao")),
        (),
        ("正阳路", "长城路", "春阳路", "文阳路", "崇阳路", "青威路", "重庆北路", "兴阳路",
         "仙山东路", "华城路", "锦宏东路"),
    ),
    "370215": (
        (("环秀", "Huanxiu"), ("潮海", "Chaohai"), ("通济", "Tongji"), ("北安", "Bei'an"),
         ("龙山", "Longshan"), ("龙泉", "Longquan"), ("鳌山卫", "Aoshanwei"), ("温泉", "Wenquan"),
         ("大信", "Daxin")),
        (("蓝村", "Lancun"), ("灵山", "Lingshan"), ("段泊岚", "Duanbolan"),
         ("移风店", "Yifengdian"), ("田横", "Tianheng"), ("金口", "Jinkou")),
        ("蓝鳌路", "鹤山路", "振华街", "烟青路", "文化路", "天山三路", "嵩山二路", "龙泉路",
         "华山二路", "通济路", "黄河二路"),
    ),
    "370281": (
        (("阜安", "Fu'an"), ("中云", "Zhongyun"), ("三里河", "Sanlihe"), ("九龙", "Jiulong"),
         ("胶东", "Jiaodong"), ("胶北", "Jiaobei"), ("胶西", "Jiaoxi"), ("胶莱", "Jiaolai")),
        (("李哥庄", "Ligezhuang"), ("铺集", "Puji"), ("里岔", "Licha"), ("洋河", "Yanghe")),
        ("扬州路", "澳门路", "常州路", "兰州东路", "福州支路", "广州北路", "杭州路", "郑州东路",
         "北京东路", "香港路"),
    ),
    "370283": (
        (("东阁", "Dongge"), ("李园", "Liyuan"), ("同和", "Tonghe"), ("凤台", "Fengtai"),
         ("白沙河", "Baishahe")),
        (("南村", "Nancun"), ("蓼兰", "Liaolan"), ("崔家集", "Cuijiaji"), ("明村", "Mingcun"),
         ("田庄", "Tianzhuang"), ("新河", "Xinhe"), ("店子", "Dianzi"), ("大泽山", "Dazeshan"),
         ("旧店", "Jiudian"), ("云山", "Yunshan"), ("古岘", "Guxian"), ("仁兆", "Renzhao")),
        ("红旗路", "胜利路", "扬州路", "杭州路", "常州路", "人民路", "长江路", "青岛路", "北京路",
         "苏州路", "南京路"),
    ),
    "370285": (
        (("水集", "Shuiji"), ("望城", "Wangcheng"), ("沽河", "Guhe")),
        (("姜山", "Jiangshan"), ("夏格庄", "Xiagezhuang"), ("院上", "Yuanshang"),
         ("日庄", "Rizhuang"), ("南墅", "Nanshu"), ("河头店", "Hetoudian"), ("店埠", "Dianbu"),
         ("马连庄", "Malianzhuang")),
        ("烟台路", "上海路", "威海西路", "石岛路", "长岛路", "青岛路", "北京西路", "重庆路",
         "文化路", "深圳路"),
    ),
}

# Communities that exist elsewhere in the demo (accounts' 八大关街道 / 太平角社区) keep their place.
FIRST_COMMUNITIES: dict[str, tuple[Place, ...]] = {
    "370202010": (("太平角", "Taipingjiao"), ("汇泉", "Huiquan")),
}

# Urban community names: one of HEAD and one of TAIL (海港社区, 翠岭社区 …).
HEAD = (("海", "Hai"), ("山", "Shan"), ("兴", "Xing"), ("华", "Hua"), ("安", "An"),
        ("宁", "Ning"), ("福", "Fu"), ("康", "Kang"), ("和", "He"), ("平", "Ping"),
        ("东", "Dong"), ("西", "Xi"), ("新", "Xin"), ("文", "Wen"), ("明", "Ming"), ("翠", "Cui"),
        ("松", "Song"), ("云", "Yun"), ("金", "Jin"), ("春", "Chun"), ("长", "Chang"),
        ("永", "Yong"), ("嘉", "Jia"), ("瑞", "Rui"), ("丰", "Feng"), ("泰", "Tai"),
        ("鸿", "Hong"), ("清", "Qing"), ("德", "De"), ("惠", "Hui"))
TAIL = (("港", "gang"), ("园", "yuan"), ("苑", "yuan"), ("城", "cheng"), ("湾", "wan"),
        ("泉", "quan"), ("阳", "yang"), ("景", "jing"), ("庭", "ting"), ("岭", "ling"),
        ("湖", "hu"), ("林", "lin"), ("源", "yuan"), ("盛", "sheng"), ("悦", "yue"),
        ("桥", "qiao"), ("河", "he"), ("乐", "le"), ("馨", "xin"), ("华", "hua"))
# Village names in the Jiaodong pattern: [方位][姓]家[庄/疃/埠…]村 (东王家庄村, 后姜家疃村 …).
SIDES = (("", ""), ("东", "Dong"), ("西", "Xi"), ("南", "Nan"), ("北", "Bei"), ("前", "Qian"),
         ("后", "Hou"), ("大", "Da"), ("小", "Xiao"))
SURNAMES = (("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
            ("杨", "yang"), ("赵", "zhao"), ("孙", "sun"), ("周", "zhou"), ("徐", "xu"),
            ("马", "ma"), ("郭", "guo"), ("于", "yu"), ("姜", "jiang"), ("宋", "song"),
            ("高", "gao"), ("崔", "cui"), ("董", "dong"), ("韩", "han"), ("曲", "qu"),
            ("修", "xiu"), ("隋", "sui"), ("綦", "qi"), ("匡", "kuang"), ("栾", "luan"),
            ("臧", "zang"))
PLACE_ENDS = (("庄", "zhuang"), ("疃", "tuan"), ("埠", "bu"), ("沟", "gou"), ("洼", "wa"),
              ("泊", "po"), ("岭", "ling"), ("屯", "tun"), ("夼", "kuang"))
# fmt: on
