import Foundation
import FurrowCore
import PropertyBased
import Testing

@Suite("Hybrid logical clock")
struct HLCTests {
    @Test("a local tick moves forward even when the wall clock goes back; receiving never goes behind")
    func ticks() {
        let a = HLC(wallMs: 1000, node: "a")
        #expect(a.tick(now: 2000) == HLC(wallMs: 2000, counter: 0, node: "a"))
        #expect(a.tick(now: 500) == HLC(wallMs: 1000, counter: 1, node: "a"), "the clock stepped back: count instead")
        let remote = HLC(wallMs: 5000, counter: 7, node: "b")
        let r = a.receive(remote, now: 1200)
        #expect(r > remote && r.node == "a" && r.wallMs == 5000 && r.counter == 8)
        #expect(HLC(encoded: r.description) == r)
        #expect(HLC(encoded: "nonsense") == nil)
    }

    @Test("the encoded form sorts as the stamps do", .timeLimit(.minutes(20)))
    func encodedOrder() async {
        let wall = Gen.int64(in: 0...4_000_000_000_000), count = Gen.int(in: 0...9999)
        await propertyCheck(count: 300, input: wall, count, wall, count) { w1, c1, w2, c2 in
            let a = HLC(wallMs: w1, counter: c1, node: "n"), b = HLC(wallMs: w2, counter: c2, node: "n")
            #expect((a < b) == (a.description < b.description))
        }
    }

    @Test("several nodes with skewed and jumping clocks, tens of thousands of events in a millisecond: stamps only go forward, and the encoded text sorts as they do",
          .timeLimit(.minutes(20)))
    func nodesUnderSkew() async {
        // Per case: 3 nodes, each with a skew (±12 hours) and a list of events. An event is a local
        // write (wall clock jumps by -2 s … +2 s, or stays put for a burst of 10,200
        // writes) or the receipt of another node's latest stamp.
        let steps = Gen.int(in: 0...9).array(of: 20...40)
        await propertyCheck(count: 25, input: steps, Gen.int64(in: -43_200_000...43_200_000), Gen.int64(in: -43_200_000...43_200_000)) { steps, skewB, skewC in
            var nodes = [HLC(wallMs: 0, node: "a"), HLC(wallMs: 0, node: "b"), HLC(wallMs: 0, node: "c")]
            let skews: [Int64] = [0, skewB, skewC]
            var wall: Int64 = 1_795_140_000_000
            var all: [HLC] = []
            for (i, step) in steps.enumerated() {
                let n = i % 3
                let now = wall + skews[n]
                let before = nodes[n]
                switch step {
                case 0:
                    // A burst within one millisecond of a clock that runs ahead: past 10,000.
                    for _ in 0..<10_200 { nodes[n] = nodes[n].tick(now: now); all.append(nodes[n]) }
                case 2...5:
                    wall += Int64(step - 4) * 1_000   // -2 s … +1 s: the clock jumps, also back
                    nodes[n] = nodes[n].tick(now: now); all.append(nodes[n])
                default:
                    nodes[n] = nodes[n].receive(nodes[(n + 1) % 3], now: now)
                    #expect(nodes[n] > nodes[(n + 1) % 3], "never behind what it heard of")
                    all.append(nodes[n])
                }
                #expect(nodes[n] > before, "a node's stamps only go forward")
                #expect(nodes[n].isWithinBounds)
            }
            let byStamp = all.sorted(), byText = all.sorted { $0.description < $1.description }
            #expect(byStamp == byText)
            #expect(all.allSatisfy { HLC(encoded: $0.description) == $0 })
        }
    }

    @Test("a received stamp out of bounds is refused when read; one made in memory cannot overflow a clock")
    func bounds() {
        for bad in ["999999999999999999-0000-n",              // a year past 9999
                    "000001795140000000-99999-n", "000001795140000000-12a4-n", "000001795140000000-+123-n",
                    "-00001795140000000-0000-n", "000001795140000000-0000-", "000001795140000000-0000-a\u{1B}[2J",
                    "000001795140000000-0000-" + String(repeating: "x", count: 65)] {
            #expect(HLC(encoded: bad) == nil, "\(bad.prefix(40))")
            #expect(throws: DecodingError.self) { try JSONDecoder().decode([HLC].self, from: Data("[\"\(bad)\"]".utf8)) }
        }
        #expect(HLC(encoded: "000253402300799999-9999-n") != nil, "the last millisecond of 9999")
        let poisoned = HLC(wallMs: Int64.max, counter: Int.max, node: "evil")
        let mine = HLC(wallMs: 1_795_140_000_000, node: "a")
        let after = mine.receive(poisoned, now: 1_795_140_000_000)
        #expect(after.isWithinBounds && after == mine.tick(now: 1_795_140_000_000), "a stamp far ahead is not adopted")
        let atTheEnd = mine.receive(HLC(wallMs: HLC.maxWallMs, counter: HLC.maxCounter, node: "b"), now: HLC.maxWallMs)
        #expect(atTheEnd.isWithinBounds && atTheEnd.wallMs == HLC.maxWallMs)
        #expect(atTheEnd.tick(now: Int64.max).isWithinBounds, "even at the end of time the clock does not overflow")
        #expect(mine.receive(HLC(wallMs: 1_795_140_000_000 + HLC.acceptedLeadMs, node: "b"), now: 1_795_140_000_000).wallMs
                == 1_795_140_000_000 + HLC.acceptedLeadMs, "a clock two days off is still learned from")
        #expect(HLC(wallMs: 5, counter: HLC.maxCounter, node: "a").tick(now: 5) == HLC(wallMs: 6, counter: 0, node: "a"),
                "a spent counter moves the stamp one millisecond on")
    }

    @Test("a day is found for any instant, however far off")
    func farDays() {
        #expect(CalendarDate.today(now: Date(timeIntervalSince1970: 1e15)).iso == "9999-12-31")
        #expect(CalendarDate.today(now: Date(timeIntervalSince1970: -1e15)).iso == "0001-01-01")
        #expect(CalendarDate.today(now: Date(timeIntervalSince1970: 1_795_140_000)).iso == "2026-11-20")
    }
}
