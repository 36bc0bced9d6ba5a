/// Chinese personal names for the demo branch.
///
/// Surname weights are per 100,000 people, after the 2020 household-registration statistics of
/// the Ministry of Public Security (王 7.1 %, 李 7.0 %, 张 6.4 %, …), with a few names common in
/// Zhejiang (章 俞 楼 应), the polyphonic surnames whose reading differs from the character's
/// usual one (单 Shàn, 曾 Zēng, 解 Xiè, 区 Ōu, 仇 Qiú, 朴 Piáo, 查 Zhā) and the compound surnames.
enum DemoNames {
    static let surnameList: [(String, Int)] = [
        ("王", 7120), ("李", 7000), ("张", 6400), ("刘", 5400), ("陈", 4600), ("杨", 3100),
        ("黄", 2400), ("赵", 2300), ("吴", 2000), ("周", 1900), ("徐", 1500), ("孙", 1500),
        ("马", 1300), ("朱", 1300), ("胡", 1100), ("郭", 1100), ("何", 1000), ("林", 1000),
        ("高", 970), ("罗", 870), ("郑", 830), ("梁", 800), ("谢", 650), ("宋", 600),
        ("唐", 600), ("许", 590), ("韩", 580), ("冯", 550), ("邓", 550), ("曹", 500),
        ("彭", 500), ("曾", 500), ("肖", 480), ("田", 470), ("董", 450), ("袁", 440),
        ("潘", 420), ("于", 420), ("蒋", 420), ("蔡", 410), ("余", 400), ("杜", 390),
        ("叶", 390), ("程", 380), ("苏", 370), ("魏", 360), ("吕", 350), ("丁", 340),
        ("任", 330), ("沈", 320), ("姚", 310), ("卢", 300), ("姜", 290), ("崔", 280),
        ("钟", 280), ("谭", 270), ("陆", 260), ("汪", 250), ("范", 240), ("金", 240),
        ("石", 230), ("廖", 220), ("贾", 220), ("夏", 210), ("韦", 210), ("付", 210),
        ("方", 200), ("白", 200), ("邹", 190), ("孟", 190), ("熊", 190), ("秦", 180),
        ("邱", 180), ("江", 180), ("尹", 170), ("薛", 160), ("闫", 160), ("段", 160),
        ("雷", 150), ("侯", 150), ("龙", 150), ("史", 140), ("陶", 140), ("黎", 140),
        ("贺", 130), ("顾", 130), ("毛", 130), ("郝", 120), ("龚", 120), ("邵", 120),
        ("万", 110), ("钱", 110), ("严", 110), ("章", 100), ("俞", 90), ("楼", 60),
        ("应", 60), ("单", 25), ("解", 20), ("仇", 12), ("查", 12), ("区", 10), ("朴", 8),
        ("欧阳", 30), ("司马", 6), ("诸葛", 5), ("上官", 5),
    ]
    static let surnames: [[UInt8]] = surnameList.map { $0.0.u8 }
    static let surnameCumulative: [Int] = cumulativeWeights(surnameList.map(\.1))
    /// Surnames read differently from the character's everyday reading.
    static let polyphonic: Set<String> = ["单", "曾", "解", "区", "仇", "朴", "查"]
    static let isPolyphonic: [Bool] = surnameList.map { polyphonic.contains($0.0) }
    /// The rarer polyphonic ones (曾 is common enough not to be remarkable).
    static let isRarePolyphonic: [Bool] = surnameList.map { polyphonic.contains($0.0) && $0.0 != "曾" }

    private static func chars(_ s: String) -> [[UInt8]] { s.map { String($0).u8 } }

    // Given-name characters by generation: 建国 and 秀英 for the old, 浩宇 and 欣怡 for the young.
    static let maleOld = chars("建国华德明根宝水金财福生志忠荣发贵林海春永庆富茂祥松")
    static let maleMid = chars("伟强磊军勇杰涛明超辉斌峰鹏飞浩俊波东剑平刚军亮晓锋健鑫")
    static let maleYoung = chars("浩宇轩子睿博文泽俊杰航晨阳诺梓豪然铭逸辰宸皓")
    static let femaleOld = chars("秀英兰桂芳凤珍玉梅花琴娟翠莲春菊美云月仙素")
    static let femaleMid = chars("丽娟敏静艳霞红燕萍玲琳华芳慧雪洁琴颖莉娜")
    static let femaleYoung = chars("欣怡梓涵雨萱诗琪思语佳可馨悦婷瑶雅若彤沫")

    /// 𠮷 (U+20BB7, outside the BMP): the classic test of a name field that must not mangle it.
    static let rare: [UInt8] = "𠮷".u8

    /// Vietnamese-born spouses registered with a passport, a reality of rural Zhejiang.
    static let foreignNames: [[UInt8]] = ["阮氏红", "黎氏梅", "陈氏兰", "范氏秋", "阮氏香", "武氏花"].map(\.u8)

    /// Given-name characters for someone born in `birthYear`.
    static func pool(male: Bool, birthYear: Int) -> [[UInt8]] {
        switch (male, birthYear) {
        case (true, ..<1970): maleOld
        case (true, ..<1992): maleMid
        case (true, _): maleYoung
        case (false, ..<1970): femaleOld
        case (false, ..<1992): femaleMid
        case (false, _): femaleYoung
        }
    }
}
