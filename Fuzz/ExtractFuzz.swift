import Foundation

/// libFuzzer target over the extract readers: encoding detection and the GB18030 decoder, the
/// CSV reader, and every file's field validators and row mapping (`FieldReader`, `RowMapping`),
/// as `ExtractImporter` runs them. Built by `scripts/fuzz extracts` from FurrowCore's sources and
/// those readers. The first byte picks the file (and, with its top bit, forces GB18030); the rest
/// is the file's bytes. A refused row is the expected answer; a crash, hang or sanitizer report
/// is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let files = ExtractFile.allCases
    let file = files[Int(data[0] & 0x7F) % files.count]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    guard let decoded = try? ExtractEncoding.decodeToUTF8(bytes, override: data[0] & 0x80 != 0 ? .gb18030 : nil) else { return 0 }
    var reader = CSVReader(utf8: decoded.utf8)
    var header: [String]?
    let refs = ExtractReferences(customers: ["C1", "C2"], accounts: ["A1"], products: ["P1"], staff: ["S1"], payrollUnits: ["U1"])
    let today = CalendarDate(year: 2026, month: 12, day: 5)!
    while let next = reader.next() {
        guard case .row(let row) = next else { continue }
        guard let names = header else { header = row.fields; continue }
        var columns: [String: Int] = [:]
        for (i, n) in names.enumerated() where columns[n] == nil { columns[n] = i }
        var r = FieldReader(file: file.rawValue, line: row.line, fields: row.fields, columns: columns)
        r.rejectControlCharacters(header: names)
        switch file {
        case .staff: _ = RowMapping.staff(&r)
        case .products: _ = RowMapping.product(&r)
        case .payrollUnits: _ = RowMapping.payrollUnit(&r)
        case .customers: _ = RowMapping.customer(&r, today: today)
        case .relations: _ = RowMapping.relation(&r, refs: refs)
        case .accounts: _ = RowMapping.account(&r, refs: refs)
        case .monthlyBalances: _ = RowMapping.monthlyBalance(&r, refs: refs)
        case .transactions: _ = RowMapping.transaction(&r, refs: refs)
        case .loanSchedule: _ = RowMapping.loanInstalment(&r, refs: refs)
        case .assignments: _ = RowMapping.assignment(&r, refs: refs)
        case .surveys: _ = RowMapping.survey(&r, refs: refs)
        case .complaints: _ = RowMapping.complaint(&r, refs: refs)
        case .interactions: _ = RowMapping.interaction(&r, refs: refs)
        }
        for issue in r.issues { precondition(issue.line == row.line, "an issue names the record's own line") }
    }
    return 0
}
