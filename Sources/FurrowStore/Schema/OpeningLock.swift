import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Processes opening stores in one directory take turns while a store is created and migrated.
///
/// GRDB's migrator reads which migrations are applied outside the migrations' own
/// transactions, so two processes opening a new store at once (the workstation and `furrow
/// sync`, say) would both run the first migration and the slower one fails with "table
/// already exists" — and the two creating its WAL at once can answer "locked". An advisory
/// lock (flock) on the store's directory, held only while opening, serialises that. It is not
/// on the store file itself: closing any descriptor of that file would drop SQLite's own
/// POSIX locks on it.
enum OpeningLock {
    static func around<T>(storeAt path: String, _ body: () throws -> T) rethrows -> T {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        // Without the lock (a directory we cannot open) the open goes on as before.
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }
}
