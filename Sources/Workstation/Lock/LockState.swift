import Foundation
import FurrowCore
import TerminalUI

/// The privacy key and the idle lock: the screen is blanked at once and comes back only with
/// the user's PIN. Without a PIN set, the lock still blanks the screen and Enter returns
/// (the lock screen says how to set one).
public struct LockState {
    public private(set) var isLocked = false
    public var pin: PINHash?
    /// Lock after this long without a key; nil never.
    public var idleAfter: TimeInterval?
    var lastActivity = Date.distantPast
    private var entry = LineEditor("", maxLength: 32)
    /// Wrong PINs in a row and when the last was; after `PINBackoff.freeFailures` each makes
    /// the next try wait longer. Kept in the store through `failures` when there is one.
    private var failed = 0
    private var lastFailure: Date?
    private let failures: PINFailureLog?

    static func wait(afterFailure n: Int) -> TimeInterval? { PINBackoff.wait(afterFailure: n) }

    /// Seconds until a PIN may be tried again, if it is waiting.
    func secondsToWait(now: Date) -> Int? {
        PINBackoff.secondsToWait(failures: failed, last: lastFailure, now: now)
    }

    /// `failures`: where wrong PINs are remembered across restarts (the store), shared with the
    /// store's own PIN prompt; without it they are counted in memory.
    public init(pin: PINHash? = nil, idleAfter: TimeInterval? = nil, failures: PINFailureLog? = nil) {
        self.pin = pin
        self.idleAfter = idleAfter
        self.failures = failures
        if let f = failures?.load() { (failed, lastFailure) = f }
    }

    mutating func engage() {
        isLocked = true
        entry = LineEditor("", maxLength: 32)
        // Another prompt (a restart's) may have counted wrong PINs meanwhile.
        if let f = failures?.load() { (failed, lastFailure) = f }
    }

    mutating func shouldLockForIdle(now: Date) -> Bool {
        guard !isLocked, let idleAfter else { return false }
        // The clock was set back (by hand, or by a time sync after days offline): count idle
        // time from now, or the lock would wait as long as the clock went back.
        if now < lastActivity { lastActivity = now }
        return now.timeIntervalSince(lastActivity) >= idleAfter
    }

    mutating func handle(_ key: Key, now: Date) {
        switch key {
        case .enter:
            // A clock set back does not shorten the wait, nor stretch it: it counts from now again.
            if let last = lastFailure, last > now {
                lastFailure = now
                failures?.save(failed, now)
            }
            if secondsToWait(now: now) != nil {
                // Not now: the PIN is not even checked.
            } else if pin?.verify(entry.text) ?? true {
                isLocked = false
                if failed > 0 { failures?.save(0, nil) }
                failed = 0
                lastFailure = nil
                lastActivity = now
            } else {
                failed += 1
                lastFailure = now
                failures?.save(failed, now)
            }
            entry = LineEditor("", maxLength: 32)
        case .escape: entry = LineEditor("", maxLength: 32)
        default: _ = entry.handle(key)
        }
    }

    func draw(into b: inout ScreenBuffer, user: UserIdentity, now: Date) {
        b.clear(role: "lock")
        let y = b.height / 2 - 2
        b.put("Furrow 已锁定 locked", x: 4, y: y, role: "lock")
        b.put(user.label, x: 4, y: y + 1, role: "lock")
        if pin != nil {
            b.put("PIN: " + String(repeating: "•", count: entry.characters.count), x: 4, y: y + 3, role: "lock")
            if let seconds = secondsToWait(now: now) {
                b.put("PIN 不对 wrong PIN (\(failed)) · 请等 \(seconds) 秒 wait \(seconds) s", x: 4, y: y + 4, role: "status.error")
            } else if failed > 0 {
                b.put("PIN 不对 wrong PIN (\(failed))", x: 4, y: y + 4, role: "status.error")
            }
        } else {
            b.put("Enter 返回 return · 设置 PIN: furrow pin set", x: 4, y: y + 3, role: "lock")
        }
    }
}

/// Where a device remembers wrong PINs in a row (the store's `pinFailures`), so a restart does
/// not start the count again.
public struct PINFailureLog: Sendable {
    public var load: @Sendable () -> (count: Int, last: Date?)?
    public var save: @Sendable (Int, Date?) -> Void
    public init(load: @escaping @Sendable () -> (count: Int, last: Date?)?, save: @escaping @Sendable (Int, Date?) -> Void) {
        self.load = load
        self.save = save
    }
}
