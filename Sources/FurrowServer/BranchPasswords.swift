import Foundation
import FurrowStore
import HummingbirdBcrypt

/// The one place a branch user's password is checked and set: every path (`users add`,
/// `reset-password`, the demo) goes through here, so the rules hold whatever the caller.
public enum BranchPasswords {
    public static let minimumLength = 10
    /// bcrypt reads only the first 72 bytes: a longer password is refused rather than cut.
    public static let maximumBytes = 72

    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Why `password` cannot be a branch password, or nil when it can.
    public static func problem(_ password: String) -> String? {
        if password.count < minimumLength { return "a password needs at least \(minimumLength) characters" }
        if password.utf8.count > maximumBytes {
            return "a password is at most \(maximumBytes) bytes (a Chinese character takes 3): this one has \(password.utf8.count)"
        }
        return nil
    }

    /// Checks, hashes (bcrypt) and stores the password; the user's signed-in devices must sign in
    /// again.
    public static func set(_ password: String, staffID: String, store: some BranchAccounts, by actor: String) throws {
        if let problem = problem(password) { throw Refusal(description: problem) }
        try store.setBranchUser(staffID: staffID, passwordHash: hash(password), by: actor)
    }

    static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: 10) }

    /// Whether `password` is the one `hash` was made from; a password no branch user could
    /// have (over 72 bytes) never is, whatever its first 72 bytes.
    static func verify(_ password: String, hash: String) -> Bool {
        let matches = Bcrypt.verify(password, hash: hash)
        return matches && password.utf8.count <= maximumBytes
    }
}
