import Foundation
import Testing
@testable import FurrowImport

@Suite("ExtractEncoding")
struct EncodingTests {
    @Test func names() {
        #expect(ExtractEncoding(name: "utf-8") == .utf8)
        #expect(ExtractEncoding(name: "UTF8") == .utf8)
        #expect(ExtractEncoding(name: "gb18030") == .gb18030)
        #expect(ExtractEncoding(name: "GBK") == .gb18030)
        #expect(ExtractEncoding(name: "latin1") == nil)
        #expect(ExtractEncoding.allCases.map(\.rawValue) == ["utf-8", "gb18030"])
    }

    @Test func bomIsDetectedAndStripped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a,b\n".utf8)
        #expect(ExtractEncoding.detect(bytes) == .utf8)
        #expect(try ExtractEncoding.decodeToUTF8(bytes, as: .utf8) == Array("a,b\n".utf8))
        let products = try FixtureFiles.bytes("branch", "products.csv")
        #expect(ExtractEncoding.detect(products) == .utf8)
        #expect(try ExtractEncoding.decodeToUTF8(products, as: .utf8) == Array(products.dropFirst(3)))
    }

    @Test func detection() throws {
        #expect(ExtractEncoding.detect([]) == .utf8)
        #expect(ExtractEncoding.detect(Array("plain ascii".utf8)) == .utf8)
        #expect(ExtractEncoding.detect(Array("欧阳建国 𠮷".utf8)) == .utf8)
        #expect(ExtractEncoding.detect([0xC0, 0x80]) == .gb18030)        // overlong
        #expect(ExtractEncoding.detect([0xED, 0xA0, 0x80]) == .gb18030)  // surrogate
        #expect(ExtractEncoding.detect([0xF4, 0x90, 0x80, 0x80]) == .gb18030)  // > U+10FFFF
        #expect(ExtractEncoding.detect([0xE6, 0x9D]) == .gb18030)        // truncated
        var nonASCII = 0
        for name in FixtureFiles.extractFiles {
            let utf = try FixtureFiles.bytes("branch", name)
            let gb = try FixtureFiles.bytes("branch-gb18030", name)
            #expect(ExtractEncoding.detect(utf) == .utf8, "\(name)")
            if utf.contains(where: { $0 >= 0x80 }) {
                nonASCII += 1
                #expect(ExtractEncoding.detect(gb) == .gb18030, "\(name)")
            } else {
                // Pure ASCII: the same bytes in both encodings, valid UTF-8 either way.
                #expect(gb == utf, "\(name)")
                #expect(ExtractEncoding.detect(gb) == .utf8, "\(name)")
            }
        }
        #expect(nonASCII == 7)
    }

    @Test func gb18030FixtureDecodesToTheUTF8Fixture() throws {
        for name in FixtureFiles.extractFiles {
            let gb = try FixtureFiles.bytes("branch-gb18030", name)
            let utf = try FixtureFiles.bytes("branch", name)
            let want = try ExtractEncoding.decodeToUTF8(utf, as: .utf8)
            let decoded = try ExtractEncoding.decodeToUTF8(gb, as: .gb18030)
            #expect(decoded.count == want.count, "\(name)")
            #expect(decoded == want ? true : false, "\(name): GB18030 decoding differs from the UTF-8 fixture")
            let (enc, auto) = try ExtractEncoding.decodeToUTF8(gb, override: nil)
            #expect(auto == want ? true : false, "\(name)")
            if utf.contains(where: { $0 >= 0x80 }) {
                #expect(gb != utf ? true : false, "\(name): should be byte-different")
                #expect(enc == .gb18030, "\(name)")
            }
        }
    }

    @Test func supplementaryCharacterSurvivesGB18030() throws {
        // 𠮷 (U+20BB7) is the 4-byte GB18030 sequence 95 34 B2 35.
        let gb: [UInt8] = [0xC0, 0xEE, 0x95, 0x34, 0xB2, 0x35, 0xCF, 0xE9]  // 李𠮷祥
        let utf = try ExtractEncoding.decodeToUTF8(gb, as: .gb18030)
        #expect(String(decoding: utf, as: UTF8.self) == "李𠮷祥")
        // And in the fixture.
        let customers = try ExtractEncoding.decodeToUTF8(
            try FixtureFiles.bytes("branch-gb18030", "customers.csv"), as: .gb18030)
        #expect(String(decoding: customers, as: UTF8.self).contains("C0011,李𠮷祥,"))
    }

    @Test func gb18030BOMIsDropped() throws {
        let gb: [UInt8] = [0x84, 0x31, 0x95, 0x33] + Array("a\n".utf8)
        #expect(try ExtractEncoding.decodeToUTF8(gb, as: .gb18030) == Array("a\n".utf8))
    }

    @Test func forcedUTF8OnGB18030BytesNamesLineAndColumn() throws {
        let gb = try FixtureFiles.bytes("branch-gb18030", "customers.csv")
        do {
            _ = try ExtractEncoding.decodeToUTF8(gb, as: .utf8)
            Issue.record("decoding GB18030 as UTF-8 should fail")
        } catch {
            #expect(error.line == 2)   // the header is ASCII; line 2 holds 查文斌
            #expect(error.column == 7) // "C0001," then the first Chinese byte
            #expect(error.encoding == .utf8)
            #expect(error.description.hasPrefix("line 2, byte 7: invalid UTF-8 byte 0x"))
        }
    }

    @Test func loneFFByteFixture() throws {
        let bytes = try FixtureFiles.bytes("bad", "invalid-utf8-forced", "customers.csv")
        #expect(ExtractEncoding.detect(bytes) == .gb18030)
        #expect(throws: ExtractEncodingError.self) { try ExtractEncoding.decodeToUTF8(bytes, as: .utf8) }
        do {
            _ = try ExtractEncoding.decodeToUTF8(bytes, as: .utf8)
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 10)
            #expect(error.message.hasPrefix("invalid UTF-8 byte 0xFF"))
        }
        do {
            _ = try ExtractEncoding.decodeToUTF8(bytes, override: nil)
            Issue.record("0xFF is not GB18030 either")
        } catch {
            #expect(error.encoding == .gb18030)
            #expect(error.line == 3)
        }
    }

    @Test func truncatedGB18030AtEndOfFile() {
        do {
            _ = try ExtractEncoding.decodeToUTF8(Array("a\nb".utf8) + [0xC0], as: .gb18030)
            Issue.record("should fail")
        } catch {
            #expect(error.line == 2)
            #expect(error.message.contains("incomplete"))
        }
    }
}
