import Synchronization

/// The verifier in use, shared by every connection, and replaceable while the server runs (a JWKS
/// reloaded on SIGHUP). A reload that fails leaves the verifier in use untouched.
public final class TokenKeys: Sendable {
    private let current: Mutex<TokenVerifier>
    private let source: TokenKeySource?

    /// Keys that never change (tests, a fixed secret).
    public init(_ verifier: TokenVerifier) {
        current = Mutex(verifier)
        source = nil
    }

    /// Keys read from `source` now, and again on each `reload()`.
    public init(loadingFrom source: TokenKeySource) throws(KeyFileError) {
        current = Mutex(try source.load())
        self.source = source
    }

    /// The verifier for one request.
    public var verifier: TokenVerifier { current.withLock { $0 } }

    /// Reads the key files again and, only when every one of them is valid, puts the new keys in use.
    /// Returns how many keys are now in use.
    @discardableResult
    public func reload() throws(KeyFileError) -> Int {
        guard let source else { return verifier.keys.count }
        let fresh = try source.load()
        current.withLock { $0 = fresh }
        return fresh.keys.count
    }
}
