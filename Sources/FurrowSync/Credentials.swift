import Foundation

/// A device token from `furrow login`, kept beside the store in a file only its owner can read
/// (mode 0600): `<store>.token`. The server keeps only its hash; `furrow-branch devices revoke`
/// ends it.
public struct Credentials: Codable, Sendable, Hashable {
    public var server: String
    public var user: String
    public var token: String
    public var expiresAt: String
    /// The PEM file of the CA the branch server's certificate comes from, when the system does
    /// not trust it (`furrow login --ca-cert`).
    public var caCert: String?
    /// The user signed in with `--insecure`: plain HTTP to a server off this machine.
    public var insecure: Bool?

    public init(server: String, user: String, token: String, expiresAt: String, caCert: String? = nil, insecure: Bool = false) {
        self.server = server; self.user = user; self.token = token; self.expiresAt = expiresAt; self.caCert = caCert
        self.insecure = insecure ? true : nil
    }

    /// A client for these credentials' server (trusting their CA, if any).
    /// Plain HTTP off this machine is refused unless the user said `--insecure` at sign-in.
    public func client() throws(SyncError) -> SyncClient {
        if PlainHTTP.isExposed(server), insecure != true { throw .store(PlainHTTP.refusal(server)) }
        return SyncClient(server: server, token: token, http: try TrustedHTTPClient.client(trusting: caCert))
    }

    public static func path(forStore store: String) -> String { store + ".token" }

    public static func load(forStore store: String) throws(SyncError) -> Credentials? {
        let path = path(forStore: store)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
            throw .store("\(path) can be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); run `chmod 600 \(path)` or sign in again")
        }
        guard let data = FileManager.default.contents(atPath: path),
              let c = try? JSONDecoder().decode(Credentials.self, from: data) else {
            throw .store("\(path) is not a Furrow token file; remove it and run `furrow login` again")
        }
        return c
    }

    /// Writes the file with mode 0600 from the start (never briefly readable by others).
    public func save(forStore store: String) throws(SyncError) {
        let path = Self.path(forStore: store)
        guard let data = try? JSONEncoder().encode(self) else { throw .store("the token could not be encoded") }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw .store("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else { throw .store("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    public static func remove(forStore store: String) {
        try? FileManager.default.removeItem(atPath: path(forStore: store))
    }
}

/// Plain HTTP to another machine sends passwords and customers' data in clear: refused unless
/// the user says `--insecure` (`furrow login`, `furrow-branch serve`).
public enum PlainHTTP {
    /// Whether `url` is plain HTTP to a host that is not this machine (127.0.0.0/8, localhost, ::1).
    public static func isExposed(_ url: String) -> Bool {
        guard url.lowercased().hasPrefix("http://") else { return false }
        guard let host = URL(string: url)?.host?.lowercased() else { return true }
        return !isLoopback(host)
    }

    public static func isLoopback(_ host: String) -> Bool {
        let h = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h == "::1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    public static func refusal(_ url: String) -> String {
        "\(url) is plain HTTP to another machine: your password and customers' data would cross the network in clear; "
            + "ask for the branch's https:// address, or sign in with --insecure to do it anyway"
    }
}

/// A device the branch says was reported lost: after the engine has erased the store's rows
/// (`AppDatabase.eraseEverything`), its files and its token go too.
public enum RemoteWipe {
    public static func removeFiles(forStore store: String) {
        Credentials.remove(forStore: store)
        // The key file too (a store sealed without a PIN keeps it beside the store).
        for suffix in ["", "-wal", "-shm", ".key"] { try? FileManager.default.removeItem(atPath: store + suffix) }
    }
}
