import Foundation
import FurrowCore
import FurrowStore
import FurrowTestSupport
import Testing

/// `furrow bench workstation` end to end on a small demo branch: the figures it prints say what
/// they measured (the reminder run inside the start-up, the date, commit and machine, "max of N"
/// below 100 samples), and the store it measured is left as it was (the starts ran on copies).
@Suite("furrow bench workstation", .ownThreads)
struct BenchCommandTests {
    @Test("start-up includes the reminder run on copies of the store; every table says when, from what and where; few samples are 'max of N'",
          .timeLimit(.minutes(10)))
    func workstationBench() throws {
        let cli = CLIRunner()
        let dir = try CLIRunner.tempDir()
        let store = dir.appendingPathComponent("bench.sqlite").path
        // A demo a week old: today's reminder run at start has work to do.
        let asOf = CalendarDate.today().adding(days: -7)
        let demo = try cli.run(["demo", "--customers", "400", "--seed", "5", "--as-of", asOf.iso, "--store", store])
        #expect(demo.status == 0, "\(demo.stderr)")
        let before = try AppDatabase.open(path: store).rowCounts()

        let r = try cli.run(["bench", "workstation", "--store", store, "--samples", "5", "--launches", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let out = r.stdout
        #expect(out.contains(/Measured \d{4}-\d{2}-\d{2}, commit [0-9a-f]{7,}/), "\(out)")
        #expect(out.contains("SQLite 3."), "\(out)")
        #expect(out.contains("the reminder run included"), "\(out)")
        #expect(out.contains("| the day's first start | in process"), "\(out)")
        #expect(out.contains("| a later start | in process"), "\(out)")
        #expect(out.contains("whole process in a pseudo-terminal"), "\(out)")
        // 5 first starts and 15 later ones in process, 2 launches each: none is a p99.
        #expect(out.contains("max of 5 "), "\(out)")
        #expect(out.contains("max of 15 "), "\(out)")
        #expect(out.contains("max of 2 "), "\(out)")
        #expect(out.contains("the diff and ncurses writing it to the terminal"), "\(out)")
        #expect(out.contains("the reminder run "), "the start's parts name the reminder run: \(out)")
        // The starts (and their reminders) happened on copies.
        #expect(try AppDatabase.open(path: store).rowCounts() == before)
        // The reminders it says the first start made are those today's run makes on a copy.
        let printed = try #require(out.firstMatch(of: /creates (\d+) reminders for (S\w+)/))
        let copy = dir.appendingPathComponent("copy.sqlite").path
        for suffix in ["", "-wal", ".key"] where FileManager.default.fileExists(atPath: store + suffix) {
            try FileManager.default.copyItem(atPath: store + suffix, toPath: copy + suffix)
        }
        let run = try AppDatabase.open(path: copy).runReminders(scope: .rm(String(printed.2)), by: String(printed.2))
        #expect(Int(printed.1) == run.created, "\(out)")
    }
}
