import FurrowCore

/// The demo branch's product shelf (products.csv) and the texts the generator writes.
enum DemoCatalog {
    struct ProductDef {
        let code: [UInt8]
        let name: [UInt8]
        let type: ProductType
        let risk: Int       // 1…5, 0 = none (loans, cards)
        let termDays: Int   // 0 = open-ended
        let rate: [UInt8]   // annual %, as text; empty = none
        let rateBasisPoints: Int
    }

    private static func p(_ code: String, _ name: String, _ type: ProductType, _ risk: Int, _ term: Int,
                          _ rate: String = "") -> ProductDef {
        var bp = 0
        if !rate.isEmpty {
            let parts = rate.split(separator: ".")
            bp = Int(parts[0])! * 100 + (parts.count > 1 ? Int(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0))! : 0)
        }
        return ProductDef(code: code.u8, name: name.u8, type: type, risk: risk, termDays: term, rate: rate.u8, rateBasisPoints: bp)
    }

    static let products: [ProductDef] = [
        p("D001", "丰收活期储蓄", .demand, 1, 0, "0.05"),
        p("D002", "丰收卡(社保卡)活期", .demand, 1, 0, "0.05"),
        p("D003", "单位活期结算账户", .demand, 1, 0, "0.05"),
        p("T090", "整存整取三个月", .timeDeposit, 1, 90, "0.85"),
        p("T180", "整存整取六个月", .timeDeposit, 1, 180, "1.05"),
        p("T365", "整存整取一年", .timeDeposit, 1, 365, "1.25"),
        p("T730", "整存整取二年", .timeDeposit, 1, 730, "1.35"),
        p("T1095", "整存整取三年", .timeDeposit, 1, 1095, "1.65"),
        p("T1825", "整存整取五年", .timeDeposit, 1, 1825, "1.70"),
        p("TL365", "零存整取一年", .timeDeposit, 1, 365, "1.05"),
        p("TD365", "大额存单一年期(20万起存)", .timeDeposit, 1, 365, "1.45"),
        p("TD1095", "大额存单三年期(20万起存)", .timeDeposit, 1, 1095, "1.90"),
        p("W001", "丰收理财·天天盈现金管理", .wealth, 1, 0, "1.80"),
        p("W091", "丰收理财·稳享91天", .wealth, 2, 91, "2.20"),
        p("W182", "丰收理财·稳享182天", .wealth, 2, 182, "2.45"),
        p("W365", "丰收理财·悦享一年", .wealth, 2, 365, "2.70"),
        p("W730", "丰收理财·增利两年", .wealth, 3, 730, "3.10"),
        p("WS091", "挂钩黄金结构性存款91天", .wealth, 2, 91, "2.30"),
        p("B1095", "2026年第一期储蓄国债(电子式)三年期", .bond, 1, 1095, "1.63"),
        p("B1825", "2026年第二期储蓄国债(电子式)五年期", .bond, 1, 1825, "1.70"),
        p("B730", "浙江省政府一般债券(柜台)两年期", .bond, 2, 730, "1.85"),
        p("F001", "天目货币市场基金A", .fund, 1, 0),
        p("F002", "钱江纯债债券A", .fund, 2, 0),
        p("F003", "富春稳健配置混合", .fund, 3, 0),
        p("F004", "沪深300指数增强A", .fund, 4, 0),
        p("F005", "西湖成长精选股票", .fund, 4, 0),
        p("F006", "新能源产业主题股票", .fund, 5, 0),
        p("I001", "金福年年年金保险", .insurance, 2, 3650),
        p("I002", "鑫享增额终身寿险", .insurance, 2, 0),
        p("I003", "安康两全保险(分红型)", .insurance, 2, 7300),
        p("I004", "乡村安心意外伤害保险", .insurance, 1, 365),
        p("L001", "农户小额信用贷款", .loan, 0, 365, "4.35"),
        p("L002", "丰收创业贷", .loan, 0, 1095, "4.75"),
        p("L003", "个体工商户经营贷款", .loan, 0, 1095, "4.60"),
        p("L004", "小微企业流动资金贷款", .loan, 0, 365, "4.20"),
        p("L005", "个人住房按揭贷款", .loan, 0, 7300, "3.55"),
        p("L006", "丰收e贷(个人消费)", .loan, 0, 365, "5.60"),
        p("K001", "丰收信用卡普卡", .creditCard, 0, 0),
        p("K002", "丰收信用卡金卡", .creditCard, 0, 0),
        p("K003", "丰收信用卡白金卡", .creditCard, 0, 0),
    ]

    static func index(_ code: String) -> Int { products.firstIndex { $0.code == code.u8 }! }

    static let demand = index("D001"), demandSocial = index("D002"), demandCorporate = index("D003")
    static let timeDeposits = ["T090", "T180", "T365", "T730", "T1095", "T1825", "TL365"].map(index)
    static let largeDeposits = ["TD365", "TD1095"].map(index)
    static let wealth = ["W001", "W091", "W182", "W365", "W730", "WS091"].map(index)
    static let bonds = ["B1095", "B1825", "B730"].map(index)
    static let funds = ["F001", "F002", "F003", "F004", "F005", "F006"].map(index)
    static let insurance = ["I001", "I002", "I003", "I004"].map(index)
    static let farmerLoan = index("L001"), startupLoan = index("L002"), businessLoan = index("L003")
    static let enterpriseLoan = index("L004"), mortgage = index("L005"), consumerLoan = index("L006")
    static let cards = ["K001", "K002", "K003"].map(index)

    static let typeNames: [[UInt8]] = ProductType.allCases.map { $0.rawValue.u8 }
    static func typeName(_ t: ProductType) -> [UInt8] { t.rawValue.u8 }

    // MARK: customer texts

    static let occupationsTown: [[UInt8]] = ["教师", "医生", "护士", "公务员", "工人", "司机", "厨师", "会计", "销售",
                                             "电商从业者", "自由职业", "退休", "务工人员", "企业职员", "保安"].map(\.u8)
    static let occupationsFarm: [[UInt8]] = ["茶农", "山核桃种植户", "竹笋种植户", "养殖户", "农户", "果农"].map(\.u8)
    static let occupationBusiness: [UInt8] = "个体经营".u8
    static let occupationOwner: [UInt8] = "企业主".u8
    static let occupationRetired: [UInt8] = "退休".u8

    // MARK: transaction texts (memo)

    enum Memo: Int {
        case payroll, payrollBonus, transfer, atm, cash, deposit, pos, interest, loanRepay, loanDisburse,
             demolition, hickory, tea, bambooShoot, buyProduct, redeem, smsFee, online
    }
    static let memos: [[UInt8]] = ["代发工资", "代发工资及年终奖", "转账", "ATM取款", "柜面取现", "现金存入", "POS消费",
                                   "结息", "贷款还款", "贷款发放", "拆迁补偿款", "山核桃收购款", "茶叶收购款", "笋干销售款",
                                   "购买理财", "理财到期赎回", "短信服务费", "网购"].map(\.u8)

    // MARK: interactions

    static let purposes: [[UInt8]] = ["产品到期提醒", "节日问候", "资产配置建议", "生日问候", "风险测评到期提醒",
                                      "大额资金入账跟进", "满意度回访", "贵宾活动邀约", "家庭走访"].map(\.u8)
    static let notes: [[UInt8]] = [
        "客户对定期到期转存有意向，希望利率再高一点",
        "客户在外地务工，电话沟通，春节回来再面谈",
        "介绍了稳享91天理财，客户说\"再考虑考虑\"",
        "客户家中山核桃今年收成好,有资金打算存定期",
        "客户女儿明年上大学，关注教育金规划",
        "客户反映手机银行登录麻烦，已现场指导",
        "上门送节日礼品，客户满意",
        "客户拆迁款已到账，建议分散配置：大额存单、国债、稳健理财",
        "客户身体不太好，住院中，家属代为沟通",
        "客户比较了他行利率，他行三年期高0.1个百分点",
        "邀请参加理财讲座，客户答应带配偶一起来",
        "客户风险测评已过期，约定下周到网点重新测评",
    ].map(\.u8)
    static let outcomes: [[UInt8]] = ["已转存", "客户考虑中", "已购买理财", "暂无意向", "约定下次走访", "已完成测评",
                                      "资金可能转走，需跟进"].map(\.u8)

    // MARK: complaints

    static let complaintCategories: [[UInt8]] = ["服务态度", "排队时间长", "理财收益不及预期", "手续费", "手机银行故障",
                                                 "销售误导", "账户冻结", "贷款审批慢"].map(\.u8)
    static let complaintTexts: [[UInt8]] = [
        "周一上午在网点排队一个多小时，只开了两个窗口",
        "柜员态度冷淡，问了两遍不耐烦",
        "购买的理财到期收益比宣传的低",
        "手机银行转账失败但钱被扣了，第二天才退回",
        "说是保本的产品，结果是保险，退保有损失",
        "账户因长期不动户被冻结，激活手续繁琐",
        "贷款材料交了三次，审批还没结果",
        "短信服务费没有事先告知,要求退还",
    ].map(\.u8)

    // MARK: staff

    static let teams: [[UInt8]] = ["营销一组", "营销二组"].map(\.u8)
}
