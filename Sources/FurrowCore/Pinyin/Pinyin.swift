import Foundation
import Synchronization

/// Search keys of a name: every full-pinyin spelling and every initials string, lowercase
/// ASCII with no tones and no spaces (张三丰 → ["zhangsanfeng"], ["zsf"]). The first entry of
/// each list is the preferred reading; the lists have the same length and order, duplicates
/// removed.
public struct NameKeys: Equatable, Hashable, Sendable {
    public var fullPinyin: [String]
    public var initials: [String]

    public init(fullPinyin: [String], initials: [String]) {
        self.fullPinyin = fullPinyin
        self.initials = initials
    }
}

/// Pinyin keys for search by full pinyin and by initials.
///
/// Readings come from ICU (`mandarinToLatin`, then `stripDiacritics`), one character at a
/// time, cached: ICU costs microseconds per call and a customer file reuses a few thousand
/// characters, so after warm-up a name costs a few dictionary look-ups. Surnames are read
/// from `SurnameReadings` instead, with all their readings (单 shan and dan).
public enum Pinyin {
    /// Every character's toneless reading ("" when ICU has none). A single lock for the whole
    /// cache: look-ups are short, and ICU calls on a miss are serialised, which also keeps them
    /// away from any thread-safety question in the transliterator.
    private static let cache = Mutex<[Character: String]>([:])

    /// At most this many spellings per name (surname readings × given name default readings).
    public static let maximumCombinations = 4

    /// Keys for a name. With `firstCharacterIsSurname` (the default, for people) a leading
    /// compound (欧阳) or polyphonic (曾) surname gets its surname readings; pass false for
    /// organisations, whose first character is not a surname ("长安…" is cháng'ān).
    /// ASCII letters and digits are kept (lowercased) in both keys; other symbols are dropped;
    /// a character ICU cannot read (𠮷) contributes nothing.
    public static func keys(forName name: String, firstCharacterIsSurname: Bool = true) -> NameKeys {
        var surname: [[String]] = []   // readings, each as syllables
        var rest = Substring(name)
        if firstCharacterIsSurname, let first = rest.first {
            let second = rest.dropFirst().first
            if let second, let readings = SurnameReadings.compound[String([first, second])] {
                surname = readings
                rest = rest.dropFirst(2)
            } else if let readings = SurnameReadings.single[first] {
                surname = readings.map { [$0] }
                rest = rest.dropFirst()
            }
        }

        var givenFull = ""
        var givenInitials = ""
        givenFull.reserveCapacity(rest.utf8.count * 2)
        readings(of: rest) { syllable, isASCII in
            givenFull += syllable
            if isASCII { givenInitials += syllable } else if let f = syllable.first { givenInitials.append(f) }
        }

        if surname.isEmpty { return NameKeys(fullPinyin: [givenFull], initials: [givenInitials]) }
        var keys = NameKeys(fullPinyin: [], initials: [])
        for syllables in surname.prefix(maximumCombinations) {
            let full = syllables.joined() + givenFull
            let initials = String(syllables.compactMap(\.first)) + givenInitials
            if !keys.fullPinyin.contains(full) {
                keys.fullPinyin.append(full)
                keys.initials.append(initials)
            }
        }
        return keys
    }

    /// The toneless default reading of one character ("" if it has none): 张 → "zhang",
    /// 吕 → "lv", "A" → "a".
    public static func defaultReading(of c: Character) -> String {
        var out = ""
        readings(of: String(c)[...]) { s, _ in out += s }
        return out
    }

    /// Calls `body` with each character's reading in order, skipping characters without one.
    /// ASCII letters and digits are answered without the cache; the lock is taken once per call.
    private static func readings(of text: Substring, _ body: (String, _ isASCII: Bool) -> Void) {
        var pending: [(Int, Character)] = []
        var parts: [(String, Bool)] = []
        parts.reserveCapacity(text.count)
        for c in text {
            if let a = c.asciiValue {
                switch a {
                case 65...90: parts.append((String(Character(Unicode.Scalar(a + 32))), true))
                case 97...122, 48...57: parts.append((String(c), true))
                default: break  // ASCII punctuation and blanks carry no reading
                }
            } else {
                pending.append((parts.count, c))
                parts.append(("", false))
            }
        }
        if !pending.isEmpty {
            cache.withLock { table in
                for (i, c) in pending {
                    if let hit = table[c] {
                        parts[i].0 = hit
                    } else {
                        let r = transliterate(c)
                        table[c] = r
                        parts[i].0 = r
                    }
                }
            }
        }
        for (s, ascii) in parts where !s.isEmpty { body(s, ascii) }
    }

    /// ICU's reading of one character, as lowercase a–z with ü as v; "" when ICU has none.
    static func transliterate(_ c: Character) -> String {
        guard let latin = String(c).applyingTransform(.mandarinToLatin, reverse: false) else { return "" }
        // ü (with or without a tone mark) must become v before the diacritics go, or 吕 would be "lu".
        var marked = ""
        for ch in latin.decomposedStringWithCanonicalMapping.unicodeScalars {
            if ch == "\u{308}", marked.last == "u" || marked.last == "U" {
                marked.removeLast()
                marked += "v"
            } else {
                marked.unicodeScalars.append(ch)
            }
        }
        let plain = marked.applyingTransform(.stripDiacritics, reverse: false) ?? marked
        return String(plain.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) }.map(Character.init))
    }
}
