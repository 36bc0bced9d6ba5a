import Foundation
import FurrowCore

/// The clock every store in this target runs on: it starts at 2026-09-21 10:00 in Shanghai and moves
/// on as time passes, so no test depends on today's date (`.ci/run` runs the suite years ahead
/// and behind to prove it).
let testClock = SteadyClock.starting(at: Date(timeIntervalSince1970: 1_789_956_000))
