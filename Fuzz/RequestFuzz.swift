import Foundation

/// libFuzzer target over the branch's request readers (`Requests`) and the clock stamp and
/// op-fields decoders they rest on. Built with FurrowCore's sources by `scripts/fuzz`; each input's
/// first byte picks the reader, the rest is the request body (or query text split at `&`).
/// A crash, a hang or a sanitizer report is a finding; a refused request is the expected answer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = data[0]
    let body = Data(bytes: data + 1, count: size - 1)
    let text = String(decoding: body, as: UTF8.self)
    switch selector % 6 {
    case 0:
        if let ops = try? Requests.push(body) {
            // What the branch does next with an accepted op: its stamp's text, order and day.
            for op in ops {
                precondition(HLC(encoded: op.hlc.description) == op.hlc, "an accepted stamp reads back the same")
                _ = op.hlc.tick(now: Int64(size)).receive(op.hlc, now: 0)
                _ = CalendarDate.today(now: op.hlc.date)
                _ = OpFieldsJSON.encode(op.fields)
            }
        }
    case 1:
        if let login = try? Requests.login(body) {
            precondition(login.user.utf8.count <= LoginRequest.maxUserBytes && DeviceName.clean(login.device) != nil)
        }
    case 2:
        let parts = text.split(separator: "&", maxSplits: 1).map(String.init)
        _ = try? Requests.pull(cursor: parts.first, limit: parts.count > 1 ? parts[1] : nil)
    case 3:
        let parts = text.split(separator: "&", maxSplits: 2).map(String.init)
        _ = try? Requests.snapshot(phase: parts.first, after: parts.count > 1 ? parts[1] : nil, limit: parts.count > 2 ? parts[2] : nil)
    case 4:
        if let stamp = HLC(encoded: text) {
            precondition(stamp.isWithinBounds && stamp.description == text, "a stamp read is one the encoding writes")
            _ = stamp.receive(HLC(wallMs: HLC.maxWallMs, counter: HLC.maxCounter, node: "z"), now: stamp.wallMs)
        }
    default:
        if let fields = OpFieldsJSON.decode(text) {
            precondition(OpFieldsJSON.decode(OpFieldsJSON.encode(fields)) == fields, "fields read back the same")
        }
    }
    return 0
}
