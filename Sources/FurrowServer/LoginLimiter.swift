import Foundation
import FurrowStore

/// How sign-ins are held back, per name, per client address and per known device; the counts
/// live in the branch's store (`AppDatabase.admitSignIn`). Each key has some free failures,
/// then waits 1 s, 2 s, 4 s … up to `maxWait` after each further one: guessing takes forever,
/// and no one can lock a user out for longer than `maxWait`. A device that holds one of the
/// user's tokens (`deviceToken` in the request) is limited on its own key instead of the name
/// and address, so the right password from a known device still gets in during an attack.
public struct LoginLimiter: Sendable {
    public var freePerName: Int
    public var freePerAddress: Int
    public var maxWait: TimeInterval

    public init(freePerName: Int = 5, freePerAddress: Int = 20, maxWait: TimeInterval = 15 * 60) {
        self.freePerName = freePerName
        self.freePerAddress = freePerAddress
        self.maxWait = maxWait
    }

    func limits(name: String, address: String?, knownDevice: String?) -> [AppDatabase.SignInLimit] {
        if let knownDevice { return [.init(key: "device:" + knownDevice, freeFailures: freePerName, maxWait: maxWait)] }
        return [.init(key: "name:" + name, freeFailures: freePerName, maxWait: maxWait),
                .init(key: "addr:" + (address ?? "unknown"), freeFailures: freePerAddress, maxWait: maxWait)]
    }
}
