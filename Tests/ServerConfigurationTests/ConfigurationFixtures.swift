@testable import ServerConfiguration

enum ConfigurationFixtures {
    static let secret = "0123456789abcdef0123456789abcdef-test-secret"

    /// Loads settings from exactly `values` (plus a valid JWT_SECRET unless one is given or auth is off).
    static func load(_ values: [String: String]) throws(ConfigurationError) -> AppConfiguration {
        var values = values
        if values["JWT_SECRET"] == nil && values["AUTH_DISABLED"] == nil { values["JWT_SECRET"] = secret }
        return try AppConfiguration.load(from: EnvironmentSource(environment: values))
    }

    /// The error `values` produce, nil when they load.
    static func error(_ values: [String: String]) -> ConfigurationError? {
        do {
            _ = try load(values)
            return nil
        } catch {
            return error
        }
    }
}
