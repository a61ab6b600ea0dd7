import Foundation

/// The variables settings are read from: the real environment merged over a `.env` file (the environment wins).
public struct EnvironmentSource: Sendable {
    /// Every variable, after merging.
    public let values: [String: String]
    /// Names that came from `.env` and were not overridden (to point out typos there).
    public let dotEnvNames: Set<String>
    /// The `.env` file that was read, if any.
    public let dotEnvPath: String?

    /// Merges `environment` over `dotEnv`.
    public init(environment: [String: String] = [:], dotEnv: [String: String] = [:], dotEnvPath: String? = nil) {
        values = environment.merging(dotEnv) { fromEnvironment, _ in fromEnvironment }
        dotEnvNames = Set(dotEnv.keys).subtracting(environment.keys)
        self.dotEnvPath = dotEnvPath
    }

    /// The process environment merged over the `.env` file at `dotEnvPath`, when that file exists.
    public static func process(dotEnvPath: String = ".env") throws(DotEnvError) -> EnvironmentSource {
        let environment = ProcessInfo.processInfo.environment
        guard FileManager.default.fileExists(atPath: dotEnvPath) else {
            return EnvironmentSource(environment: environment)
        }
        guard let data = FileManager.default.contents(atPath: dotEnvPath) else {
            throw DotEnvError(path: dotEnvPath, line: nil, reason: "the file exists but cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DotEnvError(path: dotEnvPath, line: nil, reason: "the file is not UTF-8 text")
        }
        let dotEnv: [String: String]
        do {
            dotEnv = try parseDotEnv(text)
        } catch {
            throw DotEnvError(path: dotEnvPath, line: error.line, reason: error.reason)
        }
        return EnvironmentSource(environment: environment, dotEnv: dotEnv, dotEnvPath: dotEnvPath)
    }

    /// The value of `name`, or nil when it is not set.
    public subscript(name: String) -> String? { values[name] }
}
