/// Places of the demo branch: the towns and villages of 临安 (Lin'an, Hangzhou), where a rural
/// commercial bank's branch would serve farmers of tea, hickory nuts (山核桃) and bamboo shoots.
enum DemoPlaces {
    static let addressPrefix: [UInt8] = "浙江省杭州市临安区".u8

    struct Place {
        let township: [UInt8]
        /// Village (村) or, in town, neighbourhood (社区); the `village` column is township + this.
        let village: [UInt8]
        let urban: Bool
        let weight: Int
        let townshipIndex: Int
    }

    /// (township, urban?, village stems)
    private static let townships: [(String, Bool, [String])] = [
        ("锦城街道", true, ["苕溪社区", "衣锦社区", "西墅社区", "石镜社区", "万马社区", "吴越社区"]),
        ("锦北街道", true, ["青柯社区", "城北社区", "塘里社区", "吴越社区", "西林社区"]),
        ("锦南街道", true, ["上畔社区", "南苑社区", "横街社区", "柯家社区", "方圆社区"]),
        ("玲珑街道", true, ["玲珑社区", "高源社区", "化龙社区", "锦溪社区"]),
        ("青山湖街道", true, ["青山社区", "科技城社区", "大园社区", "研口社区", "洞霄社区"]),
        ("於潜镇", false, ["光明村", "堰口村", "祈祥村", "观山村", "逸逸村", "七坑村", "泗洲村", "绍鲁村", "方元村", "百罗村"]),
        ("太湖源镇", false, ["白沙村", "指南村", "东坑村", "临目村", "太平村", "横渡村", "上白村", "里畈村"]),
        ("高虹镇", false, ["石门村", "龙上村", "高虹村", "虹桥村", "木公山村", "大山村", "双石村"]),
        ("昌化镇", false, ["朱穴村", "白牛村", "紫溪村", "后营村", "石铺村", "武隆村", "金星村", "双联村", "九思村"]),
        ("龙岗镇", false, ["龙岗村", "峡口村", "新溪村", "大峡谷村", "龙井桥村", "东坑村", "上溪村"]),
        ("河桥镇", false, ["河桥村", "秀溪村", "柳溪村", "上洋村", "聚秀村", "徐家村"]),
        ("湍口镇", false, ["湍口村", "迎丰村", "童家村", "塘秀村", "洪岭村"]),
        ("清凉峰镇", false, ["杨溪村", "马啸村", "双庙村", "玉屏村", "新峰村", "浪广村", "颊口村"]),
        ("天目山镇", false, ["月亮桥村", "西天目村", "一都村", "朱陀岭村", "九里村", "告岭村", "白鹤村"]),
        ("板桥镇", false, ["板桥村", "上田村", "三口村", "桃源村", "花戏村", "灵溪村"]),
        ("岛石镇", false, ["岛石村", "杨岭村", "仁里村", "呼日村", "银坑村", "新桥村"]),
        ("太阳镇", false, ["太阳村", "横路村", "双庙村", "武山村", "上庄村", "卦畈村"]),
        ("潜川镇", false, ["乐平村", "麻车村", "潜东村", "伍村村", "青云村", "光明村"]),
        ("横畈乡", false, ["横畈村", "里洪村", "金竹村", "塘湾村"]),
        ("马啸乡", false, ["马啸村", "浪口村", "坎坪村", "西坑村"]),
    ]

    static let townshipNames: [[UInt8]] = townships.map { $0.0.u8 }

    static let places: [Place] = {
        var out: [Place] = []
        for (t, (name, urban, stems)) in townships.enumerated() {
            for (k, stem) in stems.enumerated() {
                // Town neighbourhoods are denser; the first villages of a township are larger.
                let w = (urban ? 9 : 4) + (k < 2 ? 4 : 0) + (k * 7 + t * 3) % 5
                out.append(Place(township: name.u8, village: stem.u8, urban: urban, weight: w, townshipIndex: t))
            }
        }
        return out
    }()
    static let placeCumulative: [Int] = cumulativeWeights(places.map(\.weight))

    static let roads: [[UInt8]] = ["钱王街", "衣锦街", "万马路", "石镜街", "苕溪北街", "农林大路", "锦城路",
                                   "城中街", "大园路", "吴越街", "武肃街", "科技大道", "江桥路", "天目路"].map(\.u8)

    /// GB/T 2260 codes of the place of first registration (the first 6 digits of an ID) and
    /// their weights: mostly 临安 itself, neighbouring counties, then migrants from inland provinces.
    static let regionList: [(String, Int)] = [
        ("330185", 700), ("330112", 40), ("330127", 60), ("330122", 50), ("330182", 40), ("330110", 30),
        ("341024", 20), ("361128", 15), ("522422", 15), ("510722", 15), ("412725", 15),
    ]
    static let regionCumulative: [Int] = cumulativeWeights(regionList.map(\.1))

    // Company names: 杭州临安 + 字号 + trade + form.
    static let companyPrefix: [[UInt8]] = ["杭州临安", "临安", "杭州", "浙江天目"].map(\.u8)
    static let tradeNames: [[UInt8]] = ["青山", "天目", "锦城", "昌化", "玲珑", "太湖源", "钱王", "吴越", "苕溪", "大明山",
                                        "恒盛", "宏达", "鑫源", "永丰", "华鑫", "金诚", "瑞丰", "兴旺", "绿源", "竹海",
                                        "山里人", "东升", "丰收", "合力", "信诚", "佳禾", "百川", "云栖", "雅竹", "石门"].map(\.u8)
    static let trades: [[UInt8]] = ["茶业", "山核桃食品", "竹制品", "电子科技", "建材", "农业开发", "电缆", "五金制品",
                                    "旅游开发", "服饰", "机械", "电子商务", "物流", "生态农业", "笋业", "包装"].map(\.u8)
    static let companyForms: [[UInt8]] = ["有限公司", "有限公司", "有限公司", "有限责任公司", "科技有限公司"].map(\.u8)

    // Individual businesses (个体工商户): 字号 + shop.
    static let shops: [[UInt8]] = ["小吃店", "五金店", "农家乐", "便利超市", "山核桃炒货店", "美发店", "汽车修理店",
                                   "茶叶店", "建材店", "水果店", "农资店", "快递代办点", "民宿", "服装店"].map(\.u8)

    static let otherBanks: [[UInt8]] = ["中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "招商银行",
                                        "中国邮政储蓄银行", "浙江泰隆商业银行", "杭州银行", "浙江网商银行"].map(\.u8)

    static let employers: [[UInt8]] = ["临安区第一人民医院", "浙江农林大学", "临安区城市管理局", "杭州临安恒盛电缆有限公司",
                                       "浙江天目山旅游开发有限公司", "临安区市场监督管理局", "杭州临安鑫源建材有限公司",
                                       "杭州青山湖科技城管委会", "临安区供电公司", "临安区中医院"].map(\.u8)

    static let cooperatives: [[UInt8]] = ["临安区山核桃专业合作社", "太湖源茶叶专业合作社", "昌化山核桃收购站",
                                          "天目笋干专业合作社", "杭州临安山里人农产品有限公司"].map(\.u8)

    static let merchants: [[UInt8]] = ["临安华联超市", "联华超市锦城店", "中国石化临安加油站", "临安区人民医院",
                                       "国网浙江省电力有限公司", "中国移动浙江分公司", "京东商城", "拼多多"].map(\.u8)
}
