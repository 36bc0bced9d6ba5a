import Foundation
import FurrowRulesFile
import TerminalUI

/// libFuzzer target over the TOML readers: the theme files (`ThemeLoader.parse`) and the rules
/// file (`RulesFile.parse`), TOMLKit (toml++) underneath. Built by `scripts/fuzz toml`. The
/// first byte picks the reader; the rest is the file's text. A refusal (a `ThemeError`, the
/// rules' problems with their lines) is the expected answer; a crash, hang or sanitizer
/// report is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    if data[0] & 1 == 0 {
        _ = try? ThemeLoader.parse(text, file: "fuzz.toml")
    } else {
        do { _ = try RulesFile.parse(text, file: "rules.toml") } catch {
            for p in error.problems { precondition(!p.description.isEmpty, "a problem says what is wrong") }
        }
    }
    return 0
}
