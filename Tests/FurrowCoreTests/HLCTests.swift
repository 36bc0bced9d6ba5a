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
}
