import Crypto
import _CryptoExtras
import Foundation

/// A PIN kept as a salted PBKDF2-SHA256 hash (`pbkdf2-sha256$ROUNDS$SALT$HASH`, base64), so
/// the file that holds it does not give the PIN away.
public struct PINHash: Sendable, Hashable {
    public let encoded: String

    public init?(encoded: String) {
        let parts = encoded.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), (1000...10_000_000).contains(rounds),
              Data(base64Encoded: String(parts[2])) != nil, Data(base64Encoded: String(parts[3])) != nil else { return nil }
        self.encoded = parts.joined(separator: "$")
    }

    /// 4 to 12 digits.
    public static func validate(_ pin: String) -> String? {
        guard (4...12).contains(pin.count), pin.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return "a PIN is 4 to 12 digits"
        }
        return nil
    }

    public static func make(pin: String, rounds: Int = 100_000) throws -> PINHash {
        var salt = [UInt8](repeating: 0, count: 16)
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255) }
        let hash = try derive(pin, salt: salt, rounds: rounds)
        return PINHash(encoded: "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(hash.base64EncodedString())")!
    }

    public func verify(_ pin: String) -> Bool {
        let parts = encoded.split(separator: "$")
        guard let rounds = Int(parts[1]), let salt = Data(base64Encoded: String(parts[2])),
              let expected = Data(base64Encoded: String(parts[3])),
              let actual = try? Self.derive(pin, salt: Array(salt), rounds: rounds) else { return false }
        // Constant time: every byte is compared whatever the first difference.
        guard actual.count == expected.count else { return false }
        return zip(actual, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func derive(_ pin: String, salt: [UInt8], rounds: Int) throws -> Data {
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(pin.utf8), salt: salt, using: .sha256,
                                                    outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Data($0) }
    }
}
