import Foundation
import FurrowCore

/// An op's fields travel as text (`SyncOp.fields`, `"due_on": "2026-11-20"`); each kind reads
/// them as its typed payload and writes them from one. A property named in camel case is the
/// field of the same name in snake case (`dueOn` ↔ `due_on`, `referrerID` ↔ `referrer_id`); a
/// whole number is its digits, a flag is "1" or "0", an enumeration its raw value, and an
/// absent optional is no field at all.
enum OpFields {
    /// The field a payload property travels as: `dueOn` → `due_on`, `outreachID` → `outreach_id`.
    static func wireName(_ property: String) -> String {
        var name = ""
        var previous: Character?
        for c in property {
            if c.isUppercase, let p = previous, p.isLowercase || p.isNumber { name.append("_") }
            name.append(contentsOf: c.lowercased())
            previous = c
        }
        return name
    }

    /// `fields` read as `P`. A required field that is missing, or a value that is not of its
    /// property's type, is refused by the field's name (`bad_fields`), as the branch refuses any
    /// field its rules do not accept.
    static func decode<P: Decodable>(_ type: P.Type, from fields: [String: String], kind: String) throws -> P {
        do {
            return try P(from: FieldsDecoder(fields: fields, asked: nil))
        } catch let error as DecodingError {
            throw OpEffects.Refusal(code: "bad_fields", reason: reason(error, kind: kind))
        }
    }

    /// The fields `P` reads (asked for by name while decoding `fields`), for the check that a
    /// kind's payload and its declared rules name the same fields.
    static func fieldsRead<P: Decodable>(by type: P.Type, from fields: [String: String]) throws -> Set<String> {
        let asked = AskedFields()
        _ = try P(from: FieldsDecoder(fields: fields, asked: asked))
        return asked.names
    }

    /// `payload` written as an op's fields.
    static func encode<P: Encodable>(_ payload: P) throws -> [String: String] {
        let fields = WrittenFields()
        try payload.encode(to: FieldsEncoder(fields: fields))
        return fields.values
    }

    private static func reason(_ error: DecodingError, kind: String) -> String {
        switch error {
        case .keyNotFound(let key, _):
            "\(wireName(key.stringValue)): missing; a \(kind) change carries it"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "\(context.codingPath.last.map { wireName($0.stringValue) } ?? "fields"): \(context.debugDescription)"
        @unknown default:
            "fields: not readable as a \(kind) change"
        }
    }
}

/// The names a decoding asked for (one decoding, one thread).
private final class AskedFields {
    var names: Set<String> = []
}

private final class WrittenFields {
    var values: [String: String] = [:]
}

private struct FieldsDecoder: Decoder {
    let fields: [String: String]
    let asked: AskedFields?
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(FieldsContainer<Key>(fields: fields, asked: asked))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "an op's fields are named, not listed"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(String.self, .init(codingPath: [], debugDescription: "an op's fields are named"))
    }
}

private struct FieldsContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let fields: [String: String]
    let asked: AskedFields?
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }

    private func value(_ key: Key) throws -> String {
        let name = OpFields.wireName(key.stringValue)
        asked?.names.insert(name)
        guard let v = fields[name] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [key], debugDescription: "missing"))
        }
        return v
    }

    func contains(_ key: Key) -> Bool {
        let name = OpFields.wireName(key.stringValue)
        asked?.names.insert(name)
        return fields[name] != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }

    func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(key) }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        let text = try value(key)
        guard text.count <= 18, let n = Int(text) else {
            throw DecodingError.typeMismatch(Int.self, .init(codingPath: [key], debugDescription: "not a whole number"))
        }
        return n
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        switch try value(key) {
        case "1": return true
        case "0": return false
        default: throw DecodingError.typeMismatch(Bool.self, .init(codingPath: [key], debugDescription: "1 or 0"))
        }
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { throw unsupported(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw unsupported(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { throw unsupported(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { throw unsupported(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { throw unsupported(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { throw unsupported(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { throw unsupported(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { throw unsupported(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { throw unsupported(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { throw unsupported(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { throw unsupported(type, key) }

    private func unsupported(_ type: Any.Type, _ key: Key) -> DecodingError {
        .typeMismatch(type, .init(codingPath: [key], debugDescription: "an op's numbers are whole numbers (Int)"))
    }

    /// An enumeration by its raw value (or any type that reads itself from one text).
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        if T.self == String.self, let v = try value(key) as? T { return v }
        if T.self == Int.self, let v = try decode(Int.self, forKey: key) as? T { return v }
        if T.self == Bool.self, let v = try decode(Bool.self, forKey: key) as? T { return v }
        let text = try value(key)
        do {
            return try T(from: TextDecoder(text: text, key: key))
        } catch DecodingError.dataCorrupted {
            throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: "\(String(text.prefix(40))) is not one of its values"))
        }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch([String: String].self, .init(codingPath: [key], debugDescription: "an op's fields are not nested"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([String].self, .init(codingPath: [key], debugDescription: "an op's fields are not lists"))
    }

    func superDecoder() throws -> any Decoder { FieldsDecoder(fields: fields, asked: asked) }
    func superDecoder(forKey key: Key) throws -> any Decoder { FieldsDecoder(fields: fields, asked: asked) }
}

/// One field's text, for a type that reads itself from a single value (an enumeration).
private struct TextDecoder: Decoder, SingleValueDecodingContainer {
    let text: String
    let key: any CodingKey
    var codingPath: [any CodingKey] { [key] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<K: CodingKey>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
        throw DecodingError.typeMismatch([String: String].self, .init(codingPath: [key], debugDescription: "one text, not named fields"))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([String].self, .init(codingPath: [key], debugDescription: "one text, not a list"))
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { false }
    func decode(_ type: String.Type) throws -> String { text }
    func decode(_ type: Bool.Type) throws -> Bool {
        guard text == "1" || text == "0" else { throw mismatch(Bool.self, "1 or 0") }
        return text == "1"
    }
    func decode(_ type: Int.Type) throws -> Int {
        guard text.count <= 18, let n = Int(text) else { throw mismatch(Int.self, "not a whole number") }
        return n
    }
    func decode(_ type: Double.Type) throws -> Double { throw mismatch(type, "not readable from text") }
    func decode(_ type: Float.Type) throws -> Float { throw mismatch(type, "not readable from text") }
    func decode(_ type: Int8.Type) throws -> Int8 { throw mismatch(type, "not readable from text") }
    func decode(_ type: Int16.Type) throws -> Int16 { throw mismatch(type, "not readable from text") }
    func decode(_ type: Int32.Type) throws -> Int32 { throw mismatch(type, "not readable from text") }
    func decode(_ type: Int64.Type) throws -> Int64 { throw mismatch(type, "not readable from text") }
    func decode(_ type: UInt.Type) throws -> UInt { throw mismatch(type, "not readable from text") }
    func decode(_ type: UInt8.Type) throws -> UInt8 { throw mismatch(type, "not readable from text") }
    func decode(_ type: UInt16.Type) throws -> UInt16 { throw mismatch(type, "not readable from text") }
    func decode(_ type: UInt32.Type) throws -> UInt32 { throw mismatch(type, "not readable from text") }
    func decode(_ type: UInt64.Type) throws -> UInt64 { throw mismatch(type, "not readable from text") }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == String.self, let v = text as? T { return v }
        if T.self == Int.self, let v = try decode(Int.self) as? T { return v }
        throw mismatch(T.self, "not readable from text")
    }
    private func mismatch(_ type: Any.Type, _ why: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: [key], debugDescription: why))
    }
}

private struct FieldsEncoder: Encoder {
    let fields: WrittenFields
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(FieldsEncodingContainer<Key>(fields: fields))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { preconditionFailure("an op's fields are named, not listed") }
    func singleValueContainer() -> any SingleValueEncodingContainer { preconditionFailure("an op's fields are named") }
}

private struct FieldsEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let fields: WrittenFields
    var codingPath: [any CodingKey] { [] }

    private func put(_ text: String, _ key: Key) { fields.values[OpFields.wireName(key.stringValue)] = text }

    mutating func encodeNil(forKey key: Key) throws {}
    mutating func encode(_ value: String, forKey key: Key) throws { put(value, key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(String(value), key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(value ? "1" : "0", key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { throw unsupported(value, key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { throw unsupported(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { throw unsupported(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { throw unsupported(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { throw unsupported(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { throw unsupported(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { throw unsupported(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { throw unsupported(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { throw unsupported(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { throw unsupported(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { throw unsupported(value, key) }

    private func unsupported(_ value: Any, _ key: Key) -> EncodingError {
        .invalidValue(value, .init(codingPath: [key], debugDescription: "an op's numbers are whole numbers (Int)"))
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        switch value {
        case let s as String: put(s, key)
        case let n as Int: put(String(n), key)
        case let b as Bool: put(b ? "1" : "0", key)
        default:
            let one = TextEncoder()
            try value.encode(to: one)
            guard let text = one.text else {
                throw EncodingError.invalidValue(value, .init(codingPath: [key], debugDescription: "an op's field is one text"))
            }
            put(text, key)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("an op's fields are not nested")
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { preconditionFailure("an op's fields are not lists") }
    mutating func superEncoder() -> any Encoder { FieldsEncoder(fields: fields) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { FieldsEncoder(fields: fields) }
}

/// One value's text (an enumeration's raw value).
private final class TextEncoder: Encoder, SingleValueEncodingContainer {
    var text: String?
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<K: CodingKey>(keyedBy type: K.Type) -> KeyedEncodingContainer<K> { preconditionFailure("one text, not named fields") }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { preconditionFailure("one text, not a list") }
    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() throws {}
    func encode(_ value: String) throws { text = value }
    func encode(_ value: Int) throws { text = String(value) }
    func encode(_ value: Bool) throws { text = value ? "1" : "0" }
    func encode(_ value: Double) throws { throw unsupported(value) }
    func encode(_ value: Float) throws { throw unsupported(value) }
    func encode(_ value: Int8) throws { throw unsupported(value) }
    func encode(_ value: Int16) throws { throw unsupported(value) }
    func encode(_ value: Int32) throws { throw unsupported(value) }
    func encode(_ value: Int64) throws { throw unsupported(value) }
    func encode(_ value: UInt) throws { throw unsupported(value) }
    func encode(_ value: UInt8) throws { throw unsupported(value) }
    func encode(_ value: UInt16) throws { throw unsupported(value) }
    func encode(_ value: UInt32) throws { throw unsupported(value) }
    func encode(_ value: UInt64) throws { throw unsupported(value) }
    private func unsupported(_ value: Any) -> EncodingError {
        .invalidValue(value, .init(codingPath: [], debugDescription: "an op's numbers are whole numbers (Int)"))
    }
    func encode<T: Encodable>(_ value: T) throws {
        switch value {
        case let s as String: text = s
        case let n as Int: text = String(n)
        default: throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "an op's field is one text"))
        }
    }
}
