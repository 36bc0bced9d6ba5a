import FurrowCore

/// The search columns derived from a customer: pinyin spellings (every reading of a polyphonic
/// surname), initials, and the suffixes people type (phone last 4, ID last 4 and 6).
struct SearchKeys: Equatable {
    var pinyin: String
    var pinyinAlt: String?
    var initials: String?
    var initialsAlt: String?
    var phoneLast4: String?
    var idLast4: String?
    var idLast6: String?
    /// The name as space-separated characters for the `customer_name_chars` FTS table.
    var chars: String

    /// `isPerson`: a person's name starts with a surname (with its own readings); a company's does not.
    init(name: String, mobile: String?, idNumber: String?, isPerson: Bool = true) {
        let keys = Pinyin.keys(forName: name, firstCharacterIsSurname: isPerson)
        pinyin = keys.fullPinyin.first ?? ""  // never NULL: it is a sort key
        pinyinAlt = keys.fullPinyin.dropFirst().first
        initials = keys.initials.first
        initialsAlt = keys.initials.dropFirst().first
        if initialsAlt == initials { initialsAlt = nil }
        phoneLast4 = mobile.flatMap { $0.count >= 4 ? String($0.suffix(4)) : nil }
        if let id = idNumber?.uppercased(), id.count >= 6 {
            idLast4 = String(id.suffix(4))
            idLast6 = String(id.suffix(6))
        }
        chars = SearchKeys.spaced(name)
    }

    /// "张三丰" → "张 三 丰". ASCII runs stay whole words so "ABC茶业" → "abc 茶 业".
    static func spaced(_ name: String) -> String {
        var out = ""
        out.reserveCapacity(name.utf8.count * 2)
        var inWord = false
        for ch in name {
            if ch.isASCII {
                if ch.isLetter || ch.isNumber {
                    if !inWord && !out.isEmpty { out.append(" ") }
                    out.append(ch)
                    inWord = true
                } else {
                    inWord = false
                }
            } else if ch.isWhitespace || ch.isPunctuation || ch.isSymbol {
                inWord = false
            } else {
                if !out.isEmpty { out.append(" ") }
                out.append(ch)
                inWord = false
            }
        }
        return out
    }
}
