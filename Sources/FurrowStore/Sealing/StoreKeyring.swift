import Crypto
import Foundation
import Synchronization

/// The store's data key while the store is unlocked: held in memory only, shared by every
/// connection of one `AppDatabase` (the SQL functions of `SealingFunctions` read it).
public final class StoreKeyring: Sendable {
    private let state = Mutex<FieldSealer?>(nil)

    public init() {}

    var sealer: FieldSealer? { state.withLock { $0 } }
    var isUnlocked: Bool { sealer != nil }

    func set(_ sealer: FieldSealer?) { state.withLock { $0 = sealer } }

    /// The sealer, or the error that says why personal data cannot be sealed or opened now.
    func required() throws -> FieldSealer {
        guard let s = sealer else { throw StoreKeyring.Locked() }
        return s
    }

    struct Locked: Error, CustomStringConvertible {
        var description: String {
            "the store is locked: its ID numbers, mobiles and addresses open only with its key (the PIN, or the key file)"
        }
    }
}

/// Where the key that wraps a store's data key comes from.
public enum StoreKeySource: Sendable {
    /// A key file (32 random bytes, base64), created owner-only with a new store: a workstation
    /// without a PIN keeps it beside its store; the branch names it (`--key-file`).
    case file(String)
    /// The wrapping key itself, e.g. from `FURROW_KEY` (base64 of 32 bytes).
    case secret([UInt8])
    /// The user's PIN: the wrapping key is derived from it (PBKDF2-SHA256).
    case pin(String)

    /// How the store records this source: `key` (a file or a secret; the same bytes either way) or `pin`.
    var wrap: String {
        switch self {
        case .file, .secret: "key"
        case .pin: "pin"
        }
    }

    /// `FURROW_KEY`'s value: base64 of 32 bytes.
    public static func secret(base64: String) -> StoreKeySource? {
        guard let d = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), d.count == 32 else { return nil }
        return .secret(Array(d))
    }

    /// The key file beside a store: `store.sqlite` → `store.sqlite.key`.
    public static func besideStore(_ path: String) -> StoreKeySource { .file(path + ".key") }
}

/// Key files: one line of base64, created 0600 and never overwritten.
enum KeyFile {
    static let header = "furrow-store-key v1"

    static func read(_ path: String) throws(StoreError) -> SymmetricKey? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard lines.count == 2, lines[0] == header, let raw = Data(base64Encoded: String(lines[1])), raw.count == 32 else {
            throw StoreError.invalid(field: "key file", reason: "\(path): not a key file furrow wrote")
        }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
            throw StoreError.invalid(field: "key file", reason: "\(path): others may read it (mode \(String(mode.intValue & 0o777, radix: 8))); run `chmod 600 \(path)`")
        }
        return SymmetricKey(data: raw)
    }

    /// Creates a new key file (refusing to replace one) and returns its key.
    static func create(_ path: String) throws(StoreError) -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        let text = header + "\n" + key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw StoreError.cannotOpen(path: path, reason: "cannot create the store's key file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard Glibc.write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw StoreError.cannotOpen(path: path, reason: "cannot write the store's key file")
        }
        return key
    }

    /// Overwrites and removes a key file that no longer wraps the store's key.
    static func destroy(_ path: String) {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           let h = FileHandle(forWritingAtPath: path) {
            h.write(Data(repeating: 0, count: size.intValue))
            try? h.synchronize()
            try? h.close()
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}
