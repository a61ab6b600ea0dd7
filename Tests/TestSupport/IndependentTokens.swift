import Foundation

/// Keys and tokens minted by PyJWT with `cryptography` (Tests/TestSupport/mint-tokens.py), an
/// implementation that shares no code with the server's, made afresh for each test run.
public struct IndependentTokens: Sendable {
    /// Holds keys.pem, jwks-1.json and jwks-2.json.
    public let directory: String
    public let currentSecret: String
    public let previousSecret: String
    public let rsaKeyID: String
    public let ecKeyID: String
    public let issuer: String
    public let audience: String
    public let campaign: String
    public let tokens: [String: String]

    public var publicKeysFile: String { directory + "/keys.pem" }
    public func jwksFile(_ number: Int) -> String { directory + "/jwks-\(number).json" }

    /// The token named `name` in the script's output.
    public subscript(name: String) -> String {
        get throws {
            guard let token = tokens[name] else { throw TestSetupFailure("mint-tokens.py made no token \(name)") }
            return token
        }
    }

    /// Runs the script with the project's test virtualenv (`scripts/install-deps --tests`), or `$PYTHON`.
    public static func mint() async throws -> IndependentTokens {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokens-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = TestPython.repositoryRoot.appendingPathComponent("Tests/TestSupport/mint-tokens.py").path
        let process = try await TestPython.run([script, directory])
        let (data, errorText) = (process.output, process.errors)
        guard process.succeeded,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let secrets = object["secrets"] as? [String: String], let kids = object["kids"] as? [String: String],
              let tokens = object["tokens"] as? [String: String]
        else { throw TestSetupFailure("mint-tokens.py failed (\(process.status)): \(errorText)") }
        return IndependentTokens(
            directory: directory, currentSecret: secrets["current"] ?? "", previousSecret: secrets["previous"] ?? "",
            rsaKeyID: kids["rsa"] ?? "", ecKeyID: kids["ec"] ?? "", issuer: object["issuer"] as? String ?? "",
            audience: object["audience"] as? String ?? "", campaign: object["campaign"] as? String ?? "", tokens: tokens)
    }
}

public struct TestSetupFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
