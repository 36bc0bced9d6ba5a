import Foundation
import FurrowCore
import PropertyBased
import Testing

@Suite("An op's fields as JSON")
struct OpFieldsJSONTests {
    /// Characters that JSON treats specially, and text from outside the BMP.
    static let pool: [Character] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{8}", "\u{C}", "\u{1F}",
                                    "\u{7F}", "\u{2028}", "张", "丰", "单", "𠀋", "😀", "é", "{", "}", ":", ","]
    static let text = Gen.int(in: 0..<pool.count).array(of: 0...12).map { String($0.map { pool[$0] }) }
    static let fields = Gen.int(in: 0..<pool.count).array(of: 0...12).map { String($0.map { pool[$0] }) }
        .array(of: 0...12).map { parts in
            Dictionary(stride(from: 0, to: parts.count - 1, by: 2).map { (parts[$0], parts[$0 + 1]) }) { a, _ in a }
        }

    @Test("what it writes, Foundation reads back; what Foundation writes, it reads back; and its own round trip")
    func agreesWithFoundation() async {
        await propertyCheck(count: 1000, input: Self.fields) { f in
            let mine = OpFieldsJSON.encode(f)
            #expect(try JSONDecoder().decode([String: String].self, from: Data(mine.utf8)) == f, "\(mine)")
            let enc = JSONEncoder()
            enc.outputFormatting = .sortedKeys
            let theirs = String(decoding: try enc.encode(f), as: UTF8.self)
            #expect(OpFieldsJSON.decode(theirs) == f, "\(theirs)")
            #expect(OpFieldsJSON.decode(mine) == f)
        }
    }

    @Test("keys are sorted, so the same fields are the same text on every device")
    func sortedKeys() {
        #expect(OpFieldsJSON.encode(["b": "2", "a": "1", "ä": "3"]) == #"{"a":"1","b":"2","ä":"3"}"#)
        #expect(OpFieldsJSON.encode([:]) == "{}")
        #expect(OpFieldsJSON.encode(["t": "a\"b\\c\n\u{1}"]) == #"{"t":"a\"b\\c\n\u0001"}"#)
    }

    @Test("anything but a flat object of strings is refused", arguments: [
        "", "[]", "{", "{\"a\"}", "{\"a\":1}", "{\"a\":\"b\"", "{\"a\":\"b\",}", "{\"a\":\"b\"} x", "{\"a\":\"\\u12\"}",
        "{\"a\":\"\\ud800\"}", "{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\\q\"}", "{\"a\":\"\u{1}\"}", "{\"a\":\"\\u+123\"}", "{\"a\":null}",
    ])
    func refused(_ text: String) {
        #expect(OpFieldsJSON.decode(text) == nil, "\(text)")
    }

    @Test("spaces between tokens and escaped slashes (as Foundation writes them) are read")
    func lenientWhereJSONIs() {
        #expect(OpFieldsJSON.decode(" { \"a\" : \"x\\/y\" , \"b\":\"\\ud83d\\ude00\" } ") == ["a": "x/y", "b": "😀"])
    }
}
