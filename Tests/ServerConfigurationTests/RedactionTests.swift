import Testing
@testable import ServerConfiguration

@Suite struct RedactionTests {
    typealias Fixtures = ConfigurationFixtures

    @Test(arguments: [
        ("postgresql://app:hunter2-secret@db.internal:5432/campaigns", "postgresql://app:***@db.internal:5432/campaigns"),
        ("postgres://app@db/campaigns", "postgres://app@db/campaigns"),
        ("postgresql://db/campaigns", "postgresql://db/campaigns"),
        ("postgresql://app:p@ss/w?rd-secret@db/campaigns?sslmode=require", "postgresql://app:***@db/campaigns?sslmode=require"),
        ("postgresql://db/campaigns?user=app&password=hunter2-secret&sslmode=require",
         "postgresql://db/campaigns?user=app&password=***&sslmode=require"),
        ("postgresql://app:hunter2-secret@db/c?PASSWORD=hunter2-secret", "postgresql://app:***@db/c?PASSWORD=***"),
        ("host=db port=5432 dbname=campaigns user=app password=hunter2-secret", "host=db port=5432 dbname=campaigns user=app password=***"),
        ("host=db password = 'hunter2-secret with spaces \\' quote' dbname='my db'", "host=db password=*** dbname='my db'"),
        ("host=db password='hunter2-secret", "(unparseable connection string, not shown)"),
    ])
    func redactsPasswords(url: String, redacted: String) {
        #expect(ConnectionString.redact(url) == redacted)
        #expect(!ConnectionString.redact(url).contains("hunter2"))
    }

    @Test func configurationRedactsItsDatabaseURL() throws {
        let configuration = try Fixtures.load(["DATABASE_URL": "postgresql://app:hunter2-secret@db/campaigns"])
        #expect(configuration.redactedDatabaseURL == "postgresql://app:***@db/campaigns")
        #expect(configuration.summary()["DATABASE_URL"] == "postgresql://app:***@db/campaigns")
    }

    @Test func noSecretReachesTheSummary() throws {
        let secret = "jwt-secret-that-must-never-be-logged-0123456789"
        let configuration = try Fixtures.load([
            "JWT_SECRET": secret, "METRICS_TOKEN": "metrics-token-never-logged",
            "DATABASE_URL": "host=db user=app password=db-password-never-logged",
        ])
        let summary = configuration.summary()
        #expect(Set(summary.keys) == Set(AppConfiguration.variableNames))
        for value in summary.values {
            #expect(!value.contains("never-logged") && !value.contains("never-be-logged"), "leaked: \(value)")
        }
        #expect(summary["JWT_SECRET"] == "(set, \(secret.utf8.count) bytes)")
        #expect(summary["METRICS_TOKEN"] == "(set)")
        #expect(summary["DATABASE_URL"] == "host=db user=app password=***")
        #expect(try Fixtures.load([:]).summary()["DATABASE_URL"] == "(not set: in-memory store)")
    }

    @Test func noSecretReachesAnErrorDescription() {
        let cases: [[String: String]] = [
            ["JWT_SECRET": "short-jwt-secret-leak"],
            ["AUTH_DISABLED": "true", "JWT_SECRET": "short-jwt-secret-leak"],
            ["METRICS_TOKEN": "metrics token leak"],
            ["METRICS_TOKEN": "metrics-token-leak\n"],
            ["DATABASE_URL": "mysql://root:db-password-leak@db/app"],
            ["DATABASE_URL": "host=db password='db-password-leak"],
            ["DATABASE_URL": "password=db-password-leak and garbage"],
        ]
        for values in cases {
            guard let error = Fixtures.error(values) else {
                Issue.record("\(values.keys.sorted()) loaded")
                continue
            }
            #expect(!error.description.contains("leak"), "\(error)")
            #expect(values.keys.contains(error.variable))
        }
        #expect(Fixtures.error(["DATABASE_URL": "mysql://root:db-password-leak@db/app"])?.description
            == "DATABASE_URL must be a PostgreSQL connection string: postgresql://user:password@host:5432/database or host=… dbname=… user=… (got \"mysql://root:***@db/app\")")
    }
}
