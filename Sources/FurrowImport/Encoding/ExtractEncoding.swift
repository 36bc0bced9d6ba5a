#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an extract file could not be turned into UTF-8. `line` is 1-based; `column` is the
/// 1-based byte offset in that line (after a UTF-8 BOM), when known.
public struct ExtractEncodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var encoding: ExtractEncoding
    public var line: Int
    public var column: Int?
    public var message: String

    public init(encoding: ExtractEncoding, line: Int, column: Int?, message: String) {
        self.encoding = encoding
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line 3, byte 7: invalid UTF-8 byte 0xFF` (no file name: the caller prefixes it).
    public var description: String {
        if let column { return "line \(line), byte \(column): \(message)" }
        return "line \(line): \(message)"
    }
}

/// The two encodings an extract may come in (docs: extract-format.md, "Encoding").
public enum ExtractEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case gb18030 = "gb18030"

    /// `ExtractEncoding.EncodingError` — named so to avoid clashing with `Swift.EncodingError`.
    public typealias EncodingError = ExtractEncodingError

    /// Names accepted by `--encoding` (case-insensitive): utf-8, utf8, gb18030, gbk.
    /// GBK is a subset of GB18030, so it is read as GB18030.
    public init?(name: String) {
        var n = name
        while let f = n.first, f.isWhitespace { n.removeFirst() }
        while let l = n.last, l.isWhitespace { n.removeLast() }
        switch n.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk": self = .gb18030
        default: return nil
        }
    }

    // MARK: Detection

    /// UTF-8 BOM → utf8; valid UTF-8 → utf8; anything else → gb18030.
    public static func detect(_ bytes: [UInt8]) -> ExtractEncoding {
        if hasUTF8BOM(bytes) { return .utf8 }
        return firstInvalidUTF8(bytes) == nil ? .utf8 : .gb18030
    }

    /// Detects (unless `override` is given) and decodes in one go.
    public static func decodeToUTF8(
        _ bytes: [UInt8], override: ExtractEncoding?
    ) throws(ExtractEncodingError) -> (encoding: ExtractEncoding, utf8: [UInt8]) {
        let encoding = override ?? detect(bytes)
        return (encoding, try decodeToUTF8(bytes, as: encoding))
    }

    // MARK: Decoding

    /// Returns the text as UTF-8 bytes without a BOM.
    /// - utf8: the input is validated; an invalid byte gives the 1-based line and byte column.
    /// - gb18030: decoded with iconv (4-byte sequences included); an undecodable byte gives its line.
    public static func decodeToUTF8(
        _ bytes: [UInt8], as encoding: ExtractEncoding
    ) throws(ExtractEncodingError) -> [UInt8] {
        switch encoding {
        case .utf8:
            let body = hasUTF8BOM(bytes) ? Array(bytes[3...]) : bytes
            if let bad = firstInvalidUTF8(body) {
                let (line, column) = position(of: bad, in: body)
                throw ExtractEncodingError(
                    encoding: .utf8, line: line, column: column,
                    message: "invalid UTF-8 byte 0x\(hex(body[bad])) (is the file GB18030? try --encoding gb18030)")
            }
            return body
        case .gb18030:
            var out = try gb18030ToUTF8(bytes)
            if hasUTF8BOM(out) { out.removeFirst(3) }  // a GB18030 BOM (84 31 95 33) decodes to U+FEFF
            return out
        }
    }

    // MARK: Helpers

    static func hasUTF8BOM(_ b: [UInt8]) -> Bool {
        b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF
    }

    static func hex(_ b: UInt8) -> String {
        let d = Array("0123456789ABCDEF".utf8)
        return String(decoding: [d[Int(b >> 4)], d[Int(b & 15)]], as: UTF8.self)
    }

    /// 1-based line and byte column of `offset`.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        bytes.withUnsafeBufferPointer { p in
            var line = 1
            var lineStart = 0
            var i = 0
            while i < offset {
                if p[i] == 0x0A { line += 1; lineStart = i + 1 }
                i += 1
            }
            return (line, offset - lineStart + 1)
        }
    }

    /// Offset of the first byte of the first ill-formed UTF-8 sequence, or nil if the whole
    /// buffer is well-formed (no overlongs, no surrogates, nothing above U+10FFFF).
    /// A tight loop with an 8-bytes-at-a-time ASCII fast path.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buf -> Int? in
            guard let p = buf.baseAddress else { return nil }
            let n = buf.count
            let raw = UnsafeRawPointer(p)
            var i = 0
            while i < n {
                while i &+ 8 <= n {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    if w & 0x8080_8080_8080_8080 != 0 { break }
                    i &+= 8
                }
                if i >= n { break }
                let b0 = p[i]
                if b0 < 0x80 {
                    i &+= 1
                } else if b0 < 0xC2 {
                    return i
                } else if b0 < 0xE0 {
                    guard i &+ 1 < n, p[i &+ 1] & 0xC0 == 0x80 else { return i }
                    i &+= 2
                } else if b0 < 0xF0 {
                    guard i &+ 2 < n else { return i }
                    let b1 = p[i &+ 1], b2 = p[i &+ 2]
                    if b1 & 0xC0 != 0x80 || b2 & 0xC0 != 0x80 { return i }
                    if b0 == 0xE0 && b1 < 0xA0 { return i }   // overlong
                    if b0 == 0xED && b1 >= 0xA0 { return i }  // UTF-16 surrogate
                    i &+= 3
                } else if b0 < 0xF5 {
                    guard i &+ 3 < n else { return i }
                    let b1 = p[i &+ 1], b2 = p[i &+ 2], b3 = p[i &+ 3]
                    if b1 & 0xC0 != 0x80 || b2 & 0xC0 != 0x80 || b3 & 0xC0 != 0x80 { return i }
                    if b0 == 0xF0 && b1 < 0x90 { return i }   // overlong
                    if b0 == 0xF4 && b1 >= 0x90 { return i }  // above U+10FFFF
                    i &+= 4
                } else {
                    return i
                }
            }
            return nil
        }
    }

    /// GB18030 → UTF-8 through iconv. GB18030 never uses 0x0A as a trail byte, so counting
    /// LFs in the input names the line of an undecodable byte.
    static func gb18030ToUTF8(_ input: [UInt8]) throws(ExtractEncodingError) -> [UInt8] {
        if input.isEmpty { return [] }
        guard let cd = iconv_open("UTF-8", "GB18030"), Int(bitPattern: cd) != -1 else {
            throw ExtractEncodingError(encoding: .gb18030, line: 1, column: nil,
                                       message: "this system's iconv cannot convert GB18030")
        }
        defer { iconv_close(cd) }
        // GB18030 → UTF-8 grows at most 1.5× (2 bytes → 3, 4 bytes → ≤ 4).
        let capacity = input.count + input.count / 2 + 16
        var failure: (offset: Int, err: Int32)?
        let out = [UInt8](unsafeUninitializedCapacity: capacity) { outBuf, initialized in
            input.withUnsafeBufferPointer { inBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(
                    mutating: UnsafeRawPointer(inBuf.baseAddress!)).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if r == -1 { failure = (inBuf.count - inLeft, errno) }
                initialized = outBuf.count - outLeft
            }
        }
        if let failure {
            let (line, column) = position(of: failure.offset, in: input)
            let message: String
            switch failure.err {
            case EINVAL:
                message = "incomplete GB18030 sequence at end of file"
            case EILSEQ:
                let end = min(failure.offset + 4, input.count)
                let shown = input[failure.offset..<end].map { "0x" + hex($0) }.joined(separator: " ")
                message = "bytes not valid GB18030 (\(shown)); is the file damaged?"
            default:
                message = "GB18030 conversion failed (errno \(failure.err))"
            }
            throw ExtractEncodingError(encoding: .gb18030, line: line, column: column, message: message)
        }
        return out
    }
}
