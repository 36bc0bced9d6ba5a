import Crypto
import _CryptoExtras
import Foundation

/// Seals one personal-data value (an ID number, a mobile, an address) under the store's data
/// key: AES-GCM-SIV, bound to its record and column (a value moved to another customer or
/// column does not open). Deterministic on purpose — the same value of the same record seals
/// to the same bytes — so a re-import that changes nothing writes nothing; GCM-SIV stays safe
/// with a repeated nonce and shows only that a record's value did not change.
///
/// Layout: `0x01` (the version), then GCM-SIV's combined box (nonce 12, ciphertext, tag 16).
public struct FieldSealer: Sendable {
    // Kept as bytes (swift-crypto's SymmetricKey is not Sendable here); a key is made per use.
    private let dataBytes: [UInt8]
    private let nonceBytes: [UInt8]
    static let version: UInt8 = 1

    var dataKey: SymmetricKey { SymmetricKey(data: dataBytes) }
    private var nonceKey: SymmetricKey { SymmetricKey(data: nonceBytes) }

    init(dataKey: SymmetricKey) {
        dataBytes = dataKey.withUnsafeBytes { Array($0) }
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: dataKey, info: Data("furrow field nonce v1".utf8), outputByteCount: 32)
        nonceBytes = derived.withUnsafeBytes { Array($0) }
    }

    static func random() -> FieldSealer { FieldSealer(dataKey: SymmetricKey(size: .bits256)) }

    private static func binding(record: String, column: String) -> Data {
        Data("furrow field v1\u{0}\(column)\u{0}\(record)".utf8)
    }

    public func seal(_ value: String, record: String, column: String) throws -> Data {
        let aad = Self.binding(record: record, column: column)
        let mac = HMAC<SHA256>.authenticationCode(for: aad, using: nonceKey)
        let nonce = try AES.GCM._SIV.Nonce(data: Data(mac).prefix(12))
        let box = try AES.GCM._SIV.seal(Data(value.utf8), using: dataKey, nonce: nonce, authenticating: aad)
        var out = Data([Self.version])
        out.append(box.combined)
        return out
    }

    public func open(_ sealed: Data, record: String, column: String) throws(SealError) -> String {
        guard sealed.count > 1 + 12 + 16, sealed.first == Self.version else { throw .notSealed }
        do {
            let box = try AES.GCM._SIV.SealedBox(combined: sealed.dropFirst())
            let clear = try AES.GCM._SIV.open(box, using: dataKey, authenticating: Self.binding(record: record, column: column))
            guard let text = String(data: clear, encoding: .utf8) else { throw SealError.notSealed }
            return text
        } catch {
            throw .tampered
        }
    }

    public enum SealError: Error, CustomStringConvertible {
        case notSealed, tampered
        public var description: String {
            switch self {
            case .notSealed: "not a value furrow sealed"
            case .tampered: "a sealed value does not open with this store's key (changed, or moved from another record)"
            }
        }
    }
}
