/// Why a key file (`JWT_PUBLIC_KEYS_FILE`, `JWT_JWKS_FILE`) cannot be used; names the file, never key bytes.
public struct KeyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
