import Foundation
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
    private var failed = 0
    /// After `freeFailures` wrong PINs, each further one makes the next try wait longer.
    private var waitUntil: Date?
    static let freeFailures = 3

    /// The wait after the `n`-th wrong PIN: none for the first three, then 5 s, 10 s, 20 s … 15 min.
    static func wait(afterFailure n: Int) -> TimeInterval? {
        guard n > freeFailures else { return nil }
        return min(900, 5 * pow(2, Double(min(n - freeFailures - 1, 20))))
    }

    /// Seconds until a PIN may be tried again, if it is waiting.
    func secondsToWait(now: Date) -> Int? {
        guard let waitUntil, now < waitUntil else { return nil }
        return Int(waitUntil.timeIntervalSince(now).rounded(.up))
    }

    public init(pin: PINHash? = nil, idleAfter: TimeInterval? = nil) {
        self.pin = pin
        self.idleAfter = idleAfter
    }

    mutating func engage() {
        isLocked = true
        entry = LineEditor("", maxLength: 32)
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
            // A clock set back does not shorten the wait: it counts from now again.
            if let until = waitUntil, let after = Self.wait(afterFailure: failed), until.timeIntervalSince(now) > after {
                waitUntil = now.addingTimeInterval(after)
            }
            if secondsToWait(now: now) != nil {
                // Not now: the PIN is not even checked.
            } else if pin?.verify(entry.text) ?? true {
                isLocked = false
                failed = 0
                waitUntil = nil
                lastActivity = now
            } else {
                failed += 1
                waitUntil = Self.wait(afterFailure: failed).map { now.addingTimeInterval($0) }
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
