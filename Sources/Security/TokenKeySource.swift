import Foundation

/// Where the server's verification keys come from: HS256 secrets from the settings, public keys from
/// a PEM file and a JWKS file (both read again on each reload).
public struct TokenKeySource: Sendable {
    /// A shared HS256 secret; `validUntil` (unix seconds) retires a rotated-out one.
    public struct Secret: Sendable, Equatable {
        public var secret: String
        public var validUntil: Int64?

        public init(_ secret: String, validUntil: Int64? = nil) {
            self.secret = secret
            self.validUntil = validUntil
        }
    }

    public var secrets: [Secret]
    public var publicKeysFile: String?
    public var jwksFile: String?
    public var policy: TokenPolicy

    /// A key file larger than this is refused: a JWKS holds a handful of keys, not megabytes.
    public static let maximumFileBytes = 1 << 20

    public init(secrets: [Secret], publicKeysFile: String? = nil, jwksFile: String? = nil, policy: TokenPolicy = TokenPolicy()) {
        self.secrets = secrets
        self.publicKeysFile = publicKeysFile
        self.jwksFile = jwksFile
        self.policy = policy
    }

    /// Reads every configured key; any unusable file fails the whole load.
    public func load() throws(KeyFileError) -> TokenVerifier {
        var keys = secrets.map { VerificationKey.hmac($0.secret, validUntil: $0.validUntil) }
        if let publicKeysFile {
            keys += try PEMPublicKeys.parse(Self.read(publicKeysFile), path: publicKeysFile)
        }
        if let jwksFile {
            keys += try JSONWebKeySet.parse(Self.read(jwksFile), path: jwksFile)
        }
        return TokenVerifier(keys: keys, policy: policy)
    }

    static func read(_ path: String) throws(KeyFileError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw KeyFileError(path: path, reason: "cannot be opened")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maximumFileBytes + 1) ?? Data()
        } catch {
            throw KeyFileError(path: path, reason: "cannot be read (\(error))")
        }
        guard data.count <= maximumFileBytes else {
            throw KeyFileError(path: path, reason: "is larger than \(maximumFileBytes) bytes")
        }
        return Array(data)
    }
}
