import Foundation
import Testing
@testable import ServerConfiguration

/// `.env.example` at the top of the repository documents every setting with its default.
@Suite struct EnvExampleTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".env.example").path

    @Test func listsEveryVariableExactlyOnceWithAnExplanation() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let values = try EnvironmentSource.parseDotEnv(text)
        #expect(Set(values.keys) == Set(AppConfiguration.variableNames))
        let lines = text.split(separator: "\n").map(String.init)
        for name in AppConfiguration.variableNames {
            let index = try #require(lines.firstIndex { $0.hasPrefix(name + "=") }, "\(name) missing")
            #expect(lines.filter { $0.hasPrefix(name + "=") }.count == 1)
            #expect(index > 0 && lines[index - 1].hasPrefix("# "), "\(name) has no explanation above it")
        }
    }

    @Test func itsValuesAreTheDefaults() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        var values = try EnvironmentSource.parseDotEnv(text)
        values["JWT_SECRET"] = ConfigurationFixtures.secret
        let fromExample = try AppConfiguration.load(from: EnvironmentSource(dotEnv: values))
        let fromNothing = try AppConfiguration.load(from: EnvironmentSource(environment: ["JWT_SECRET": ConfigurationFixtures.secret]))
        #expect(fromExample == fromNothing)
    }
}
