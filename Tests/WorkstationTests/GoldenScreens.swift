import Foundation
import Testing
@testable import Workstation

/// Golden screens: each screen at 100×30 as text, compared with the file in Golden/.
/// `FURROW_RECORD_GOLDEN=1 swift test --filter GoldenScreens` re-records them; review the diff.
@Suite("Golden screens")
struct GoldenScreens {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func check(_ name: String, _ text: String) throws {
        let url = Self.directory.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["FURROW_RECORD_GOLDEN"] != nil {
            try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text + "\n" == expected, "screen \(name) differs from Golden/\(name).txt; re-record with FURROW_RECORD_GOLDEN=1 if the change is intended")
    }

    func app() throws -> WorkstationApp {
        WorkstationApp(store: try WorkstationAppTests.store(), user: "S1", scope: .rm("S1"))
    }

    @Test("portfolio") func portfolio() throws {
        try check("portfolio", try app().render(width: 100, height: 30).textDump())
    }

    @Test("search results") func search() throws {
        let a = try app()
        for c in "/zhang" { _ = a.handle(.character(c)) }
        try check("search", a.render(width: 100, height: 30).textDump())
    }

    @Test("customer overview") func customer() throws {
        let a = try app()
        _ = a.handle(.enter)
        try check("customer", a.render(width: 100, height: 30).textDump())
    }

    @Test("help") func help() throws {
        let a = try app()
        _ = a.handle(.character("?"))
        try check("help", a.render(width: 100, height: 30).textDump())
    }
}
