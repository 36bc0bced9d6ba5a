import FurrowCore
import Testing

@Suite("Masking personal data")
struct MaskingTests {
    @Test func residentIDKeepsFirstFourAndLastFour() {
        #expect(Masking.residentID("330106199001011234") == "3301**********1234")
        #expect(Masking.residentID("33010619900101123X") == "3301**********123X")
        #expect(Masking.residentID("330106900101123") == "3301*******1123")
    }

    @Test func mobileKeepsFirstThreeAndLastFour() {
        #expect(Masking.mobile("13812345678") == "138****5678")
        #expect(Masking.mobile("+86 138-1234-5678") == "138****5678")
    }

    @Test func idNumberMasksByDocumentType() {
        #expect(Masking.idNumber("91350100M000100Y43", type: .uscc) == "9135**********0Y43")
        #expect(Masking.idNumber("E12345678", type: .passport) == "******678")
        #expect(Masking.idNumber("11010519491231002X", type: .residentID) == "1101**********002X")
        #expect(Masking.idNumber("11010519491231002X", type: nil) == "1101**********002X")
        #expect(Masking.idNumber("ABC12345", type: .other) == "********")
    }

    @Test func namesKeepFirstAndLastCharacters() {
        #expect(Masking.name("张三丰") == "张*丰")
        #expect(Masking.name("王五") == "王*")
        #expect(Masking.name("欧阳娜娜") == "欧**娜")
        #expect(Masking.name("李") == "李")
    }

    @Test func addressKeepsSixCharactersThenStars() {
        #expect(Masking.address("浙江省杭州市西湖区文三路90号") == "浙江省杭州市****")
        #expect(Masking.address("杭州市西湖区") == "****")
    }

    @Test func emptyInputStaysEmpty() {
        #expect(Masking.residentID("") == "")
        #expect(Masking.mobile("") == "")
        #expect(Masking.name("") == "")
        #expect(Masking.address("") == "")
        #expect(Masking.idNumber("", type: .passport) == "")
    }

    @Test func shortOrUnknownInputIsMaskedCompletely() {
        #expect(Masking.residentID("1234567") == "*******")
        #expect(Masking.mobile("12345") == "*****")
        #expect(Masking.idNumber("E123", type: .passport) == "****")
        #expect(Masking.idNumber("91350100", type: .uscc) == "********")
        #expect(Masking.residentID("张三的身份证") == "******")
    }
}
