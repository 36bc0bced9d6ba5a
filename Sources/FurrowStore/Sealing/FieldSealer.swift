import Crypto
import _CryptoExtras
import Foundation
import FurrowCore

/// Seals one personal-data value (an ID number, a mobile, an address) under the store's data
/// key: AES-GCM-SIV, bound to its record and column (a value moved to another customer or
/// column does not open). Deterministic on purpose — the same value of the same record seals
/// to the same bytes — so a re-import that changes nothing writes nothing; GCM-SIV stays safe
/// with a repeated nonce and shows only that a record's value did not change.
///
/// The nonce is derived from the record and column (HMAC under a key derived from the data
/// key), so it is not stored. Layout: `0x01` (the version), the ciphertext, the 16-byte tag.
public struct FieldSealer: Sendable {
    // Kept as bytes (swift-crypto's SymmetricKey is not Sendable here); `keys()` makes the keys.
    private let dataBytes: [UInt8]
    private let nonceBytes: [UInt8]
    static let version: UInt8 = 1
    static let tagSize = 16

    var dataKey: SymmetricKey { SymmetricKey(data: dataBytes) }

    init(dataKey: SymmetricKey) {
        dataBytes = dataKey.withUnsafeBytes { Array($0) }
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: dataKey, info: Data("furrow field nonce v1".utf8), outputByteCount: 32)
        nonceBytes = derived.withUnsafeBytes { Array($0) }
    }

    static func random() -> FieldSealer { FieldSealer(dataKey: SymmetricKey(size: .bits256)) }

    /// The keys, made once for many values (an import seals three per customer).
    func keys() -> Keys { Keys(data: dataKey, nonce: HMAC<SHA256>(key: SymmetricKey(data: nonceBytes))) }

    public func seal(_ value: String, record: String, column: String) throws -> Data {
        try keys().seal(value, record: record, column: column)
    }

    public func open(_ sealed: Data, record: String, column: String) throws(SealError) -> String {
        try keys().open(sealed, record: record, column: column)
    }

    /// Not Sendable (swift-crypto's keys): made where they are used, with `keys()`.
    struct Keys {
        let data: SymmetricKey
        /// HMAC with the nonce key already absorbed: each value copies it and adds its binding.
        let nonce: HMAC<SHA256>

        private static func binding(record: String, column: String) -> Data {
            Data("furrow field v1\u{0}\(column)\u{0}\(record)".utf8)
        }

        private func nonce(for aad: Data) throws -> AES.GCM._SIV.Nonce {
            var h = nonce
            h.update(data: aad)
            return try AES.GCM._SIV.Nonce(data: Data(h.finalize()).prefix(12))
        }

        /// A customer's ID number, mobile and address as the import writes them: masked and sealed.
        func seal(_ c: Customer) throws -> SealedCustomerFields {
            SealedCustomerFields(
                maskedIDNumber: c.idNumber.map { Masking.idNumber($0, type: c.idType) }, maskedMobile: c.mobile.map(Masking.mobile),
                maskedAddress: c.address.map(Masking.address),
                idNumber: try c.idNumber.map { try seal($0, record: c.customerID, column: "id_number") },
                mobile: try c.mobile.map { try seal($0, record: c.customerID, column: "mobile") },
                address: try c.address.map { try seal($0, record: c.customerID, column: "address") })
        }

        func seal(_ value: String, record: String, column: String) throws -> Data {
            let aad = Self.binding(record: record, column: column)
            let box = try AES.GCM._SIV.seal(Data(value.utf8), using: data, nonce: try nonce(for: aad), authenticating: aad)
            var out = Data(capacity: 1 + box.ciphertext.count + FieldSealer.tagSize)
            out.append(FieldSealer.version)
            out.append(box.ciphertext)
            out.append(box.tag)
            return out
        }

        func open(_ sealed: Data, record: String, column: String) throws(SealError) -> String {
            guard sealed.count >= 1 + FieldSealer.tagSize, sealed.first == FieldSealer.version else { throw .notSealed }
            do {
                let aad = Self.binding(record: record, column: column)
                let body = sealed.dropFirst()
                let box = try AES.GCM._SIV.SealedBox(nonce: try nonce(for: aad), ciphertext: body.dropLast(FieldSealer.tagSize),
                                                     tag: body.suffix(FieldSealer.tagSize))
                let clear = try AES.GCM._SIV.open(box, using: data, authenticating: aad)
                guard let text = String(data: clear, encoding: .utf8) else { throw SealError.notSealed }
                return text
            } catch {
                throw .tampered
            }
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

/// A customer's ID number, mobile and address as the store keeps them: the masked forms in
/// clear, the values sealed.
struct SealedCustomerFields {
    var maskedIDNumber: String?
    var maskedMobile: String?
    var maskedAddress: String?
    var idNumber: Data?
    var mobile: Data?
    var address: Data?
}
