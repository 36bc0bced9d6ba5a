import Foundation
import Testing
@testable import FurrowImport

/// Reads everything from a string.
private func read(_ text: String) -> [CSVReadResult] {
    var r = CSVReader(utf8: Array(text.utf8))
    return r.readAll()
}

private func rows(_ text: String) -> [CSVRow] {
    read(text).compactMap { if case .row(let r) = $0 { r } else { nil } }
}

private func row(_ line: Int, _ fields: String...) -> CSVReadResult { .row(CSVRow(line: line, fields: fields)) }
private func fail(_ line: Int, _ message: String) -> CSVReadResult { .failure(CSVError(line: line, message: message)) }

/// RFC 4180 writer used to round-trip generated data.
private func csvLine(_ fields: [String]) -> String {
    fields.map { f in
        f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
    }.joined(separator: ",")
}

@Suite("CSVReader")
struct CSVReaderTests {
    @Test func plainRecordsAndEmptyFields() {
        #expect(read("a,b,c\n1,,3\n,,\n") == [row(1, "a", "b", "c"), row(2, "1", "", "3"), row(3, "", "", "")])
    }

    @Test func quotedFieldsWithCommasAndEscapedQuotes() {
        #expect(read("\"a,b\",\"say \"\"hi\"\"\",\"\"\n") == [row(1, "a,b", "say \"hi\"", "")])
        #expect(read("\"\"\"\"\n") == [row(1, "\"")])
        #expect(read("x,\"浏阳市\"\"金穗\"\"米业\"\n") == [row(1, "x", "浏阳市\"金穗\"米业")])
    }

    @Test func embeddedNewlinesKeepPhysicalLineNumbers() {
        let text = "h1,h2\n1,\"two\nlines\"\n2,\"three\r\nmore\nlines\"\n3,x\n"
        #expect(read(text) == [
            row(1, "h1", "h2"),
            row(2, "1", "two\nlines"),
            row(4, "2", "three\r\nmore\nlines"),
            row(7, "3", "x"),
        ])
    }

    @Test func crlfRecordEnds() {
        #expect(read("a,b\r\n1,2\r\n\"q\"\r\n") == [row(1, "a", "b"), row(2, "1", "2"), row(3, "q")])
    }

    @Test func finalRecordWithoutNewline() {
        #expect(read("a,b\n1,2") == [row(1, "a", "b"), row(2, "1", "2")])
        #expect(read("a,\"b\"") == [row(1, "a", "b")])
        #expect(read("a,b\r\n1,") == [row(1, "a", "b"), row(2, "1", "")])
        #expect(read("a\r") == [row(1, "a")])
    }

    @Test func blankLinesAreSkipped() {
        #expect(read("\n\na\n\n\r\n  \nb\n\n") == [row(3, "a"), row(7, "b")])
        #expect(read("").isEmpty)
        #expect(read("\n\r\n").isEmpty)
    }

    @Test func quoteInUnquotedField() {
        #expect(read("h\nab\"c,d\n") == [row(1, "h"), fail(2, "unexpected quote in unquoted field, column 1")])
        #expect(read("x,李\"秀\"英,z\n") == [fail(1, "unexpected quote in unquoted field, column 2")])
    }

    @Test func textAfterClosingQuote() {
        #expect(read("a,\"欧阳\"明,c\nok\n") == [
            fail(1, "unexpected text after closing quote, column 2"), row(2, "ok"),
        ])
        // A space after the closing quote is text too.
        #expect(read("\"a\" ,b\n") == [fail(1, "unexpected text after closing quote, column 1")])
    }

    @Test func unterminatedQuoteReportsStartLineAndEndsReading() {
        let text = "h1,h2\n1,2\n3,\"open\nstill open\n4,5\n"
        #expect(read(text) == [
            row(1, "h1", "h2"), row(2, "1", "2"),
            fail(3, "unterminated quoted field, column 2 (opened on line 3); the rest of the file is lost"),
        ])
        var r = CSVReader(utf8: Array(text.utf8))
        while r.next() != nil {}
        #expect(r.next() == nil)
    }

    @Test func resynchronisesAfterErrorsAndReportsMany() {
        let text = "id,name\n1,a\"b\n2,ok\n3,\"x\"y\n4,\"multi\nline\"\n5,c\"\n6,end"
        let got = read(text)
        #expect(got == [
            row(1, "id", "name"),
            fail(2, "unexpected quote in unquoted field, column 2"),
            row(3, "2", "ok"),
            fail(4, "unexpected text after closing quote, column 2"),
            row(5, "4", "multi\nline"),
            fail(7, "unexpected quote in unquoted field, column 2"),
            row(8, "6", "end"),
        ])
        let errors = got.compactMap { if case .failure(let e) = $0 { e } else { nil } }
        #expect(errors.map(\.line) == [2, 4, 7])
    }

    @Test func errorAfterMultilineFieldResyncsAtNextPhysicalLine() {
        // The error is on the record's last physical line; the line count stays right.
        let text = "\"a\nb\"x,1\nnext,2\n"
        #expect(read(text) == [fail(2, "unexpected text after closing quote, column 1"), row(3, "next", "2")])
    }

    @Test func fieldOutsideTheBMP() {
        let rs = rows("C0011,李𠮷祥,\"𠮷,𠮷\"\n")
        #expect(rs.count == 1)
        #expect(rs[0].fields == ["C0011", "李𠮷祥", "𠮷,𠮷"])
        #expect(rs[0].fields[1].unicodeScalars.map(\.value).contains(0x20BB7))
    }

    @Test func generatedFileReadsBackExactly() {
        let pieces = ["", "a", "浏阳", "𠮷", ",", "\"", "\n", "\r\n", " ", "x\"y", "12.50", "欧阳建国", "a,b", "-88"]
        var expected: [[String]] = []
        var text = ""
        var seed: UInt64 = 0x5EED
        func nextInt(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        for i in 0..<10_000 {
            var fields = ["R\(i)"]
            for _ in 0..<(1 + nextInt(6)) {
                var f = ""
                for _ in 0..<nextInt(4) { f += pieces[nextInt(pieces.count)] }
                fields.append(f)
            }
            expected.append(fields)
            text += csvLine(fields) + (i % 3 == 0 ? "\r\n" : "\n")
        }
        var reader = CSVReader(utf8: Array(text.utf8))
        var got: [[String]] = []
        var lines: [Int] = []
        while let r = reader.next() {
            guard case .row(let row) = r else {
                Issue.record("unexpected \(r)")
                return
            }
            got.append(row.fields)
            lines.append(row.line)
        }
        #expect(got.count == expected.count)
        #expect(got == expected)
        // Line numbers: each record starts one line after the previous one's newlines.
        var line = 1
        var expectedLines: [Int] = []
        for f in expected {
            expectedLines.append(line)
            line += f.reduce(0) { $0 + $1.utf8.filter { $0 == 0x0A }.count } + 1
        }
        #expect(lines == expectedLines)
    }

    @Test func branchFixtureParsesCleanly() throws {
        for name in FixtureFiles.extractFiles {
            let bytes = try ExtractEncoding.decodeToUTF8(try FixtureFiles.bytes("branch", name), as: .utf8)
            var reader = CSVReader(utf8: bytes)
            let all = reader.readAll()
            var width: Int?
            for r in all {
                guard case .row(let row) = r else {
                    Issue.record("\(name): \(r)")
                    continue
                }
                if width == nil { width = row.fields.count }
                #expect(row.fields.count == width, "\(name):\(row.line)")
            }
        }
        var reader = CSVReader(utf8: try FixtureFiles.bytes("branch", "customers.csv"))
        let customers = reader.readAll().compactMap { if case .row(let r) = $0 { r } else { nil } }
        #expect(customers.count == 51)
        let header = CSVHeader(fields: customers[0].fields)
        let addr = try #require(header.index(of: "address"))
        let name = try #require(header.index(of: "name"))
        let c0005 = try #require(customers.first { $0.fields[0] == "C0005" })
        #expect(c0005.line == 6)
        #expect(c0005.fields[addr].contains("\n"))
        #expect(customers.first { $0.fields[0] == "C0006" }?.line == 8)
        #expect(customers.first { $0.fields[0] == "C0013" }?.fields[addr].contains(",") == true)
        #expect(customers.first { $0.fields[0] == "C0046" }?.fields[name] == "浏阳市\"金穗\"米业有限公司")
        #expect(customers.first { $0.fields[0] == "C0011" }?.fields[name] == "李𠮷祥")
    }

    @Test func badFixturesGiveTheDocumentedSyntaxErrors() throws {
        var r1 = CSVReader(utf8: try FixtureFiles.bytes("bad", "quote-in-unquoted-field", "customers.csv"))
        let e1 = r1.readAll().compactMap { if case .failure(let e) = $0 { e } else { nil } }
        #expect(e1.map(\.line) == [3, 5])
        var r2 = CSVReader(utf8: try FixtureFiles.bytes("bad", "broken-quote", "customers.csv"))
        let all2 = r2.readAll()
        #expect(all2.count == 4)
        #expect(all2.last == fail(4, "unterminated quoted field, column 2 (opened on line 4); the rest of the file is lost"))
    }
}

@Suite("CSVHeader")
struct CSVHeaderTests {
    @Test func trimsWhitespaceAndBOM() {
        let h = CSVHeader(fields: ["\u{FEFF}customer_id", " name ", "kind\t", "name"])
        #expect(h.names == ["customer_id", "name", "kind", "name"])
        #expect(h.index(of: "customer_id") == 0)
        #expect(h.index(of: "name") == 1)
        #expect(h.index(of: " kind") == 2)
        #expect(h.index(of: "mobile") == nil)
        #expect(h.duplicates == ["name"])
        #expect(CSVHeader(fields: ["a", "b", "a", "b", "a"]).duplicates == ["a", "b"])
        #expect(CSVHeader(fields: ["a", "b"]).duplicates.isEmpty)
    }

    @Test func bomFromAFileSurvivesIntoTheHeaderOnlyIfNotStripped() throws {
        // products.csv in branch/ starts with a BOM; read raw, the header still resolves.
        var reader = CSVReader(utf8: try FixtureFiles.bytes("branch", "products.csv"))
        guard case .row(let first)? = reader.next() else {
            Issue.record("no header")
            return
        }
        #expect(first.fields[0].hasPrefix("\u{FEFF}"))
        #expect(CSVHeader(fields: first.fields).index(of: "product_code") == 0)
    }
}
