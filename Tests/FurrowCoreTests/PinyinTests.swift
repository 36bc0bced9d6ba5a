import FurrowCore
import Testing

@Suite("Pinyin search keys")
struct PinyinTests {
    @Test func aPlainNameGivesFullPinyinAndInitials() {
        #expect(Pinyin.keys(forName: "张三丰") == NameKeys(fullPinyin: ["zhangsanfeng"], initials: ["zsf"]))
    }

    @Test func polyphonicSurnamesAreIndexedUnderEveryReadingSurnameReadingFirst() {
        let shan = Pinyin.keys(forName: "单雄信")
        #expect(shan.fullPinyin == ["shanxiongxin", "danxiongxin"])
        #expect(shan.initials == ["sxx", "dxx"])
        let zeng = Pinyin.keys(forName: "曾国藩")
        #expect(zeng.fullPinyin == ["zengguofan", "cengguofan"])
        #expect(zeng.initials == ["zgf", "cgf"])
        #expect(Pinyin.keys(forName: "解缙").fullPinyin.first == "xiejin")
        #expect(Pinyin.keys(forName: "区").fullPinyin == ["ou", "qu"])
    }

    @Test func compoundSurnamesAreRecognisedAtTheStart() {
        #expect(Pinyin.keys(forName: "欧阳修") == NameKeys(fullPinyin: ["ouyangxiu"], initials: ["oyx"]))
        #expect(Pinyin.keys(forName: "万俟卨").fullPinyin.first == "moqixie")
        #expect(Pinyin.keys(forName: "长孙无忌").fullPinyin == ["zhangsunwuji", "changsunwuji"])
        #expect(Pinyin.keys(forName: "尉迟恭").initials == ["ycg", "wcg"])
    }

    @Test func uUmlautIsWrittenV() {
        #expect(Pinyin.keys(forName: "吕") == NameKeys(fullPinyin: ["lv"], initials: ["l"]))
        #expect(Pinyin.defaultReading(of: "女") == "nv")
        #expect(Pinyin.keys(forName: "张绿").fullPinyin == ["zhanglv"])
    }

    @Test func aCharacterICUCannotReadContributesNothingAndDoesNotCrash() {
        #expect(Pinyin.keys(forName: "𠮷").fullPinyin.allSatisfy { $0.allSatisfy(\.isASCII) })
        let k = Pinyin.keys(forName: "𠮷祥")
        #expect(k.fullPinyin.first?.hasSuffix("xiang") == true)
    }

    @Test func enterpriseNamesAndAsciiWork() {
        let k = Pinyin.keys(forName: "临安青山茶业有限公司", firstCharacterIsSurname: false)
        #expect(k == NameKeys(fullPinyin: ["linanqingshanchayeyouxiangongsi"], initials: ["laqscyyxgs"]))
        #expect(Pinyin.keys(forName: "ABC农场(2号)") == NameKeys(fullPinyin: ["abcnongchang2hao"], initials: ["abcnc2h"]))
        #expect(Pinyin.keys(forName: "阿依古丽·买买提").fullPinyin.first == "ayigulimaimaiti")
    }

    @Test func organisationsSkipSurnameReadings() {
        #expect(Pinyin.keys(forName: "长安", firstCharacterIsSurname: false).fullPinyin.count == 1)
        #expect(Pinyin.keys(forName: "长安").fullPinyin == ["changan", "zhangan"])
    }

    @Test func emptyNameGivesEmptyKeys() {
        #expect(Pinyin.keys(forName: "") == NameKeys(fullPinyin: [""], initials: [""]))
    }

    @Test func concurrentUseGivesTheSameAnswers() async {
        let names = ["张三丰", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑十一", "冯十二"]
        let expected = names.map { Pinyin.keys(forName: $0) }
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { names.map { Pinyin.keys(forName: $0) } == expected }
            }
            for await same in group { #expect(same) }
        }
    }
}
