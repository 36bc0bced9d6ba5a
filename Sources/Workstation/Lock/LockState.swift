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
            if pin?.verify(entry.text) ?? true {
                isLocked = false
                failed = 0
                lastActivity = now
            } else {
                failed += 1
            }
            entry = LineEditor("", maxLength: 32)
        case .escape: entry = LineEditor("", maxLength: 32)
        default: _ = entry.handle(key)
        }
    }

    func draw(into b: inout ScreenBuffer, user: UserIdentity) {
        b.clear(role: "lock")
        let y = b.height / 2 - 2
        b.put("Furrow 已锁定 locked", x: 4, y: y, role: "lock")
        b.put(user.label, x: 4, y: y + 1, role: "lock")
        if pin != nil {
            b.put("PIN: " + String(repeating: "•", count: entry.characters.count), x: 4, y: y + 3, role: "lock")
            if failed > 0 { b.put("PIN 不对 wrong PIN (\(failed))", x: 4, y: y + 4, role: "status.error") }
        } else {
            b.put("Enter 返回 return · 设置 PIN: furrow pin set", x: 4, y: y + 3, role: "lock")
        }
    }
}
