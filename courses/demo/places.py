"""Gansu's regions (GB/T 2260 codes), vocational institutions across the three clusters, demo people.

Which city belongs to which cluster is configurable data (policy §11); this is the demo's choice.
"""

PROVINCE = ("620000", "甘肃省")

# (code, name, cluster)
CITIES = [
    ("620100", "兰州市", "longzhong"),
    ("620200", "嘉峪关市", "hexi"),
    ("620300", "金昌市", "hexi"),
    ("620400", "白银市", "longzhong"),
    ("620500", "天水市", "longdongnan"),
    ("620600", "武威市", "hexi"),
    ("620700", "张掖市", "hexi"),
    ("620800", "平凉市", "longdongnan"),
    ("620900", "酒泉市", "hexi"),
    ("621000", "庆阳市", "longdongnan"),
    ("621100", "定西市", "longzhong"),
    ("621200", "陇南市", "longdongnan"),
    ("622900", "临夏回族自治州", "longzhong"),
    ("623000", "甘南藏族自治州", "longzhong"),
]

# (code, name, city code). 620171 is the statistical code of 兰州新区, home of the vocational-education park.
COUNTIES = [
    ("620102", "城关区", "620100"),
    ("620103", "七里河区", "620100"),
    ("620104", "西固区", "620100"),
    ("620171", "兰州新区", "620100"),
    ("620502", "秦州区", "620500"),
    ("620602", "凉州区", "620600"),
    ("620702", "甘州区", "620700"),
    ("620802", "崆峒区", "620800"),
    ("620902", "肃州区", "620900"),
    ("621002", "西峰区", "621000"),
    ("621102", "安定区", "621100"),
    ("621202", "武都区", "621200"),
    ("622901", "临夏市", "622900"),
    ("623001", "合作市", "623000"),
]

# (code, name, short name, slug, kind, region code)
INSTITUTIONS = [
    ("LZPCU", "兰州石化职业技术大学", "兰州石化职大", "lzpcu", "bachelor", "620104"),
    ("LZREVU", "兰州资源环境职业技术大学", "兰州资环职大", "lzrevu", "bachelor", "620171"),
    ("GSAVTC", "甘肃农业职业技术学院", "甘肃农职院", "gsavtc", "higher", "620103"),
    ("GSOU", "甘肃开放大学", "甘肃开大", "gsou", "open", "620102"),
    ("LXMVC", "临夏现代职业学院", "临夏职院", "lxmvc", "higher", "622901"),
    ("GSAHVC", "甘肃畜牧工程职业技术学院", "甘肃畜牧职院", "gsahvc", "higher", "620602"),
    ("WWVC", "武威职业学院", "武威职院", "wwvc", "higher", "620602"),
    ("JQVTC", "酒泉职业技术学院", "酒泉职院", "jqvtc", "higher", "620902"),
    ("ZYVEC", "张掖市职业技术教育中心", "张掖职教中心", "zyvec", "secondary", "620702"),
    ("TSVTC", "天水职业技术学院", "天水职院", "tsvtc", "higher", "620502"),
    ("QYVTC", "庆阳职业技术学院", "庆阳职院", "qyvtc", "higher", "621002"),
    ("PLVTC", "平凉职业技术学院", "平凉职院", "plvtc", "higher", "620802"),
    ("LNVEC", "陇南市武都区职业中等专业学校", "武都职专", "lnvec", "secondary", "621202"),
]

# (username, real name, role, institution code or "", region code, learner type)
PEOPLE = [
    ("admin", "系统管理员", "province_official", "", "620000", ""),
    ("reviewer", "王审核", "reviewer", "", "620000", ""),
    ("province", "陈处长", "province_official", "", "620000", ""),
    ("wuwei_gov", "孙科长", "city_official", "", "620600", ""),
    ("gsahvc_admin", "周老师", "institution_admin", "GSAHVC", "620602", ""),
    ("teacher", "张明", "teacher", "GSAHVC", "620602", ""),
    ("teacher_qy", "刘秀兰", "teacher", "QYVTC", "621002", ""),
    ("learner", "李春花", "learner", "", "620602", "farmer"),
    ("student", "马晓东", "learner", "GSAHVC", "620602", "student"),
    ("worker", "赵建国", "learner", "", "620104", "worker"),
    ("learner_qy", "杨桂英", "learner", "", "621002", "social"),
]
