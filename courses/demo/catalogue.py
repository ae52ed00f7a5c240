"""The demo catalogue: taxonomy, courses in the six featured industries, libraries, two training packages.

Specialty codes follow the shape of the national vocational catalogue; treat them as illustrative.
"""

# (code, name, kind)
INDUSTRIES = [
    ("cattle", "牛", "featured"), ("sheep", "羊", "featured"), ("vegetables", "菜", "featured"),
    ("fruit", "果", "featured"), ("potato", "薯", "featured"), ("herbs", "药", "featured"),
    ("energy-saving", "节能环保", "green"), ("clean-production", "清洁生产", "green"),
    ("clean-energy", "清洁能源", "green"), ("advanced-manufacturing", "先进制造", "green"),
    ("culture-tourism", "文化旅游", "green"), ("corridor-logistics", "通道物流", "green"),
    ("circular-agriculture", "循环农业", "green"), ("tcm", "中医中药", "green"),
    ("data-information", "数据信息", "green"), ("civil-military", "军民融合", "green"),
]

# (code, name, description)
PROGRAMS = [
    ("longyuan-qiaoshou", "陇原巧手", "面向农村妇女的刺绣、香包、剪纸等手工技能培训，助力居家就业增收。"),
    ("longyuan-yuesao", "陇原月嫂", "面向城乡劳动者的母婴护理技能培训与劳务品牌建设。"),
    ("agri-manager", "农业职业经理人", "培养懂经营、善管理的新型农业经营主体带头人。"),
    ("new-farmer", "高素质农民", "面向种养大户、合作社骨干的产业技能与经营管理培训。"),
    ("rural-craftsman", "乡村工匠", "培育乡村建筑、手工艺等领域的能工巧匠。"),
    ("yulu", "雨露计划", "面向脱贫家庭劳动力的职业技能补贴培训。"),
    ("chinese-plus", "中文+职业技能", "面向海外学习中心学员的中文与职业技能融合课程。"),
]

# (code, skill field, level, issuer)
CERTIFICATES = [
    ("maternal-care-junior", "母婴护理", "junior", "济南阳光大姐服务有限责任公司"),
    ("maternal-care-intermediate", "母婴护理", "intermediate", "济南阳光大姐服务有限责任公司"),
    ("elderly-care-junior", "老年照护", "junior", "北京中福长者文化科技有限公司"),
    ("agri-ecommerce-junior", "农产品电商运营", "junior", ""),
    ("animal-epidemic-junior", "动物疫病防治", "junior", ""),
    ("facility-vegetable-intermediate", "设施蔬菜生产", "intermediate", ""),
]

# (code, name)
SPECIALTIES = [
    ("410303", "畜牧兽医"), ("410304", "动物医学"), ("410104", "园艺技术"), ("410105", "中草药栽培与加工技术"),
    ("410101", "现代农业技术"), ("550116", "刺绣设计与工艺"), ("520802", "母婴照护"), ("530701", "电子商务"),
]

# Each course: code, title, institution, level, credits, hours, specialty, industries, programs,
# certificates, quality year (or None), last major/minor revision, summary, units [(title, [lessons])].
COURSES = [
    dict(code="GS-CATTLE-01", title="肉牛标准化养殖技术", institution="GSAHVC", level="higher", credits="3",
         hours=48, specialty="410303", industries=["cattle", "circular-agriculture"], programs=["new-farmer"],
         certificates=["animal-epidemic-junior"], quality=2023, major="2023-09-01", minor="2024-09-01",
         summary="围绕河西走廊肉牛产业，讲授牛场规划、饲养管理、繁殖改良与疫病防控。",
         units=[("牛场规划与牛舍建设", ["牛场选址与布局", "牛舍通风与保温"]),
                ("饲养管理", ["犊牛培育", "育肥牛日粮配制"])]),
    dict(code="GS-CATTLE-02", title="牛常见疫病防治", institution="WWVC", level="secondary", credits="2",
         hours=32, specialty="410304", industries=["cattle"], programs=["new-farmer", "yulu"],
         certificates=["animal-epidemic-junior"], quality=None, major="2022-03-01", minor="2023-03-01",
         summary="讲授牛口蹄疫、布鲁氏菌病等常见疫病的识别、免疫与处置。",
         units=[("疫病识别", ["临床检查方法", "常见传染病症状"]), ("免疫与消毒", ["免疫程序", "圈舍消毒"])]),
    dict(code="GS-SHEEP-01", title="肉羊高效养殖", institution="GSAHVC", level="higher", credits="2.5",
         hours=40, specialty="410303", industries=["sheep"], programs=["new-farmer"], certificates=[],
         quality=2024, major="2024-03-01", minor="2025-03-01",
         summary="以湖羊、滩羊为例，讲授舍饲肉羊的繁育、饲喂与羔羊培育。",
         units=[("品种与繁育", ["肉羊主要品种", "同期发情与人工授精"]), ("舍饲管理", ["羔羊早期断奶", "全混合日粮"])]),
    dict(code="GS-SHEEP-02", title="羊毛与羊绒初加工", institution="LXMVC", level="social", credits="1",
         hours=16, specialty="410303", industries=["sheep", "clean-production"], programs=["rural-craftsman"],
         certificates=[], quality=None, major="2024-06-01", minor=None,
         summary="面向牧区群众的剪毛、分级与初加工实用技术。",
         units=[("剪毛与分级", ["机械剪毛操作", "羊毛分级标准"])]),
    dict(code="GS-VEG-01", title="高原夏菜设施栽培", institution="GSAVTC", level="higher", credits="3",
         hours=48, specialty="410104", industries=["vegetables"], programs=["new-farmer", "agri-manager"],
         certificates=["facility-vegetable-intermediate"], quality=2022, major="2022-09-01", minor="2024-09-01",
         summary="依托兰州高原夏菜产业，讲授日光温室建造、茬口安排与水肥一体化。",
         units=[("设施建造", ["日光温室结构", "棚膜与保温材料"]), ("栽培管理", ["茬口安排", "水肥一体化"])]),
    dict(code="GS-VEG-02", title="蔬菜病虫害绿色防控", institution="ZYVEC", level="secondary", credits="2",
         hours=32, specialty="410104", industries=["vegetables", "circular-agriculture"], programs=["new-farmer"],
         certificates=[], quality=None, major="2025-02-01", minor=None,
         summary="讲授张掖制种与蔬菜基地常见病虫害的识别与绿色防控技术。",
         units=[("病害识别", ["真菌性病害", "病毒病"]), ("绿色防控", ["物理防控", "生物农药使用"])]),
    dict(code="GS-FRUIT-01", title="苹果矮化密植栽培", institution="TSVTC", level="higher", credits="3",
         hours=48, specialty="410104", industries=["fruit"], programs=["new-farmer", "agri-manager"],
         certificates=[], quality=2024, major="2024-09-01", minor="2025-09-01",
         summary="以天水花牛苹果、静宁苹果为例，讲授矮砧密植建园、整形修剪与花果管理。",
         units=[("建园", ["矮砧苗木选择", "宽行密植建园"]), ("树体管理", ["整形修剪", "疏花疏果"])]),
    dict(code="GS-FRUIT-02", title="农产品电商运营", institution="TSVTC", level="social", credits="1.5",
         hours=24, specialty="530701", industries=["fruit", "data-information"], programs=["agri-manager"],
         certificates=["agri-ecommerce-junior"], quality=None, major="2025-01-01", minor=None,
         summary="帮助果农开设网店、直播带货，把花牛苹果卖向全国。",
         units=[("网店开设", ["平台选择与开店", "商品拍摄与详情页"]), ("直播销售", ["直播脚本", "售后与物流"])]),
    dict(code="GS-POTATO-01", title="马铃薯脱毒种薯繁育", institution="LZREVU", level="bachelor", credits="3",
         hours=48, specialty="410101", industries=["potato"], programs=["new-farmer"], certificates=[],
         quality=2023, major="2023-03-01", minor="2024-03-01",
         summary="依托定西“中国薯都”，讲授脱毒苗组培、原原种生产与种薯质量控制。",
         units=[("组培脱毒", ["茎尖剥离", "组培苗快繁"]), ("种薯生产", ["原原种雾培", "种薯分级与贮藏"])]),
    dict(code="GS-POTATO-02", title="马铃薯机械化种植", institution="PLVTC", level="secondary", credits="2",
         hours=32, specialty="410101", industries=["potato", "advanced-manufacturing"], programs=["yulu"],
         certificates=[], quality=None, major="2021-09-01", minor="2022-09-01",
         summary="讲授马铃薯播种机、收获机的操作、调整与保养。",
         units=[("播种", ["播种机结构", "播深与株距调整"]), ("收获", ["收获机操作", "农机安全"])]),
    dict(code="GS-HERBS-01", title="中药材规范化种植", institution="GSAVTC", level="higher", credits="3",
         hours=48, specialty="410105", industries=["herbs", "tcm"], programs=["new-farmer"], certificates=[],
         quality=2024, major="2024-09-01", minor="2025-09-01",
         summary="以陇西当归、岷县黄芪、渭源党参为例，讲授中药材GAP种植与采收加工。",
         units=[("种植", ["当归育苗移栽", "黄芪田间管理"]), ("采收加工", ["适期采收", "产地初加工"])]),
    dict(code="GS-HERBS-02", title="中药材质量鉴别", institution="LNVEC", level="secondary", credits="2",
         hours=32, specialty="410105", industries=["herbs"], programs=["yulu"], certificates=[],
         quality=None, major="2023-06-01", minor=None,
         summary="讲授常见道地药材的性状鉴别与简易理化鉴别方法。",
         units=[("性状鉴别", ["根及根茎类药材", "果实种子类药材"])]),
    dict(code="GS-QS-01", title="庆阳香包制作", institution="QYVTC", level="social", credits="1.5",
         hours=24, specialty="550116", industries=["culture-tourism"], programs=["longyuan-qiaoshou"],
         certificates=[], quality=2023, major="2023-09-01", minor="2024-09-01",
         summary="传承国家级非物质文化遗产庆阳香包绣制，讲授图样、针法与成品制作。",
         units=[("图样与材料", ["香包图样寓意", "布料与香料选配"]), ("绣制", ["平针与锁针", "成品缝合"])]),
    dict(code="GS-YS-01", title="母婴护理基础", institution="GSOU", level="social", credits="2",
         hours=32, specialty="520802", industries=[], programs=["longyuan-yuesao"],
         certificates=["maternal-care-junior"], quality=2024, major="2024-03-01", minor="2025-03-01",
         summary="讲授产妇生活照护、新生儿日常护理与母乳喂养指导。",
         units=[("产妇照护", ["产褥期生理特点", "产后饮食与休息"]), ("新生儿护理", ["新生儿沐浴与抚触", "脐部护理"])]),
    dict(code="GS-YS-02", title="新生儿常见问题识别", institution="GSOU", level="social", credits="1",
         hours=16, specialty="520802", industries=[], programs=["longyuan-yuesao"],
         certificates=["maternal-care-intermediate"], quality=None, major="2024-09-01", minor=None,
         summary="识别新生儿黄疸、吐奶、湿疹等常见问题，掌握及时就医的判断要点。",
         units=[("常见问题", ["新生儿黄疸", "吐奶与呛奶"])]),
    dict(code="GS-CN-01", title="中文+电子商务", institution="GSOU", level="social", credits="2",
         hours=32, specialty="530701", industries=["data-information"], programs=["chinese-plus"],
         certificates=[], quality=None, major="2025-03-01", minor=None,
         summary="面向海外学习中心学员，在电商岗位情境中学习中文与跨境电商技能。",
         units=[("岗位中文", ["商品描述用语", "客服沟通用语"])]),
]

# Libraries: slug, title, lead institution, specialty, partners, summary, resources.
# Each resource: code, title, type, industry, author, link or ("pdf", lines) for a generated document.
LIBRARIES = [
    dict(slug="animal-husbandry", title="畜牧兽医专业教学资源库", institution="GSAHVC", specialty="410303",
         partners=["WWVC", "JQVTC", "GSAVTC"],
         summary="省级专业教学资源库：肉牛、肉羊养殖与动物疫病防治的课件、视频、图片与仿真资源。",
         resources=[
             ("AH-001", "牛舍建设技术规范", "document", "cattle", "张明", ("pdf", [
                 "一、牛舍应建在地势高燥、背风向阳处。", "二、每头育肥牛占地不少于6平方米。",
                 "三、舍内保持通风，冬季温度不低于5℃。"])),
             ("AH-002", "犊牛饲养管理要点", "document", "cattle", "张明", ("pdf", [
                 "一、犊牛出生后1小时内吃足初乳。", "二、7日龄开始训练采食开食料。", "三、保持犊牛栏干燥清洁。"])),
             ("AH-003", "肉牛体况评分图解", "link", "cattle", "甘肃畜牧工程职业技术学院",
              "https://www.smartedu.cn/"),
             ("AH-004", "口蹄疫免疫操作示范", "link", "cattle", "武威职业学院", "https://www.smartedu.cn/"),
             ("AH-005", "羔羊早期断奶技术", "link", "sheep", "甘肃畜牧工程职业技术学院", "https://www.smartedu.cn/"),
             ("AH-006", "肉羊全混合日粮配制仿真", "simulation", "sheep", "酒泉职业技术学院",
              "https://www.smartedu.cn/"),
         ]),
    dict(slug="handicrafts", title="陇原巧手手工技艺资源库", institution="QYVTC", specialty="550116",
         partners=["TSVTC", "PLVTC"],
         summary="庆阳香包、陇绣、剪纸等传统手工技艺的图样、视频与教学资源。",
         resources=[
             ("QS-001", "香包传统图样集", "document", "culture-tourism", "刘秀兰", ("pdf", [
                 "一、五毒香包：端午节传统样式。", "二、十二生肖香包：寓意平安吉祥。",
                 "三、石榴香包：寓意多子多福。"])),
             ("QS-002", "陇绣基本针法示范", "link", "culture-tourism", "庆阳职业技术学院", "https://www.smartedu.cn/"),
             ("QS-003", "香包成品缝合步骤", "link", "culture-tourism", "刘秀兰", "https://www.smartedu.cn/"),
         ]),
]

# Packages: code, title, institution, program, target group, hours, quota, regions, certificate,
# skill certificate, items [course codes or resource codes], summary, skill standard, assessment.
PACKAGES = [
    dict(code="PKG-QS-01", title="陇原巧手·庆阳香包刺绣培训包", institution="QYVTC", program="longyuan-qiaoshou",
         target_group="农村妇女、脱贫家庭劳动力", hours=60, quota=200, regions=["621000", "620800"],
         certificate="陇原巧手培训结业证书", skill_certificate="",
         items=["GS-QS-01", "QS-001", "QS-002"],
         summary="以庆阳香包为载体，让农村妇女在家门口学会一门手艺、就近就业。",
         skill_standard="<p>能识读传统香包图样，熟练运用平针、锁针等5种针法，独立完成3件合格成品。</p>",
         assessment="<p>理论测验占30%，实操作品评定占70%，总分60分及以上结业。</p>"),
    dict(code="PKG-YS-01", title="陇原月嫂·母婴护理培训包", institution="GSOU", program="longyuan-yuesao",
         target_group="城乡富余劳动力、有意从事家政服务的妇女", hours=80, quota=300,
         regions=["620100", "621100", "622900"], certificate="陇原月嫂培训合格证书",
         skill_certificate="maternal-care-junior", items=["GS-YS-01", "GS-YS-02"],
         summary="打造“陇原月嫂”劳务品牌：系统学习产妇与新生儿照护，考取母婴护理职业技能等级证书。",
         skill_standard="<p>掌握产妇生活照护、新生儿日常护理与喂养指导，达到1+X母婴护理（初级）要求。</p>",
         assessment="<p>理论考试与实操考核均合格，并完成不少于20学时的实训。</p>"),
]
