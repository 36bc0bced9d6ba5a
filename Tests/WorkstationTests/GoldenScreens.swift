import Foundation
import Testing
import TerminalUI
@testable import Workstation

/// Golden screens: every screen at 100×30 as text, compared with the file in Golden/.
/// `FURROW_RECORD_GOLDEN=1 swift test --filter GoldenScreens` re-records them; review the diff.
@Suite("Golden screens")
struct GoldenScreens {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func check(_ name: String, _ a: WorkstationApp, width: Int = 100, height: Int = 30) throws {
        let text = a.render(width: width, height: height).textDump()
        let url = Self.directory.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["FURROW_RECORD_GOLDEN"] != nil {
            try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text + "\n" == expected, "screen \(name) differs from Golden/\(name).txt; re-record with FURROW_RECORD_GOLDEN=1 if the change is intended")
    }

    func app() throws -> WorkstationApp { try WorkstationFixture.app() }

    @Test("today") func today() throws { try check("today", try app()) }

    @Test("portfolio") func portfolio() throws {
        let a = try app()
        _ = a.handle(.character("2"))
        try check("portfolio", a)
        try check("portfolio-wide", a, width: 160)
    }

    @Test("search results") func search() throws {
        let a = try app()
        _ = a.handle(.character("2"))
        a.type("/zhang")
        try check("search", a)
    }

    @Test("customer tabs") func customer() throws {
        let a = try app()
        a.openCustomer("C1")
        for name in ["overview", "holdings", "transactions", "timeline", "household", "tasks", "complaints", "notes"] {
            try check("customer-" + name, a)
            _ = a.handle(.right)
        }
    }

    @Test("log a contact, with an inline error") func contactForm() throws {
        let a = try app()
        a.openCustomer("C1")
        _ = a.handle(.character("v"))
        _ = a.handle(.control("s"))
        try check("form-contact", a)
    }

    @Test("complaint intake") func complaintForm() throws {
        let a = try app()
        a.openCustomer("C2")
        _ = a.handle(.character("!"))
        try check("form-complaint", a)
    }

    @Test("complaints, reports, sync") func otherTabs() throws {
        // The month reports read the nightly run's figures.
        let db = try WorkstationFixture.store()
        _ = try db.runNightly(asOf: WorkstationFixture.today, by: "t")
        // The fixture's own writes carry real clock stamps: acknowledged, they leave the Sync
        // screen the same on every run (WorkstationAppTests checks the pending list).
        try db.markOps(try db.pendingOps().map(\.opID), status: .applied)
        let a = try WorkstationFixture.app(db)
        for (key, name) in [("3", "complaints"), ("4", "reports"), ("5", "sync")] {
            _ = a.handle(.character(Character(key)))
            try check(name, a)
        }
        _ = a.handle(.character("4"))
        _ = a.handle(.down)
        try check("reports-migration", a)
    }

    @Test("help, command line, lock, too small") func overlays() throws {
        let a = try app()
        _ = a.handle(.character("?"))
        try check("help", a)
        _ = a.handle(.escape)
        _ = a.handle(.character(":"))
        a.type("log")
        try check("command-line", a)
        _ = a.handle(.escape)
        _ = a.handle(.control("l"))
        try check("lock", a)
        _ = a.handle(.enter)
        try check("too-small", a, width: 70, height: 20)
    }

    @Test("a draft offered back") func draftOffer() throws {
        let db = try WorkstationFixture.store()
        let a = try WorkstationFixture.app(db)
        a.openCustomer("C4")
        _ = a.handle(.character("v"))
        a.type("看望老人")
        try check("draft-offer", try WorkstationFixture.app(db))
    }
}
