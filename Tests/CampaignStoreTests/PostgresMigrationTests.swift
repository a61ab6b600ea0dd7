import CampaignModel
import CampaignStore
import Foundation
import Postgres
import ServerConfiguration
import Testing
import TestSupport

/// Migrations on empty scratch databases.
@Suite struct MigrationFileTests {
    @Test func theBundledMigrationsAreOrderedAndNamed() throws {
        let migrations = try Migration.bundled()
        #expect(migrations.map(\.version) == [1, 2, 3, 4, 5, 6, 7])
        #expect(migrations.map(\.name) == ["0001_tables", "0002_json_functions", "0003_task_triggers", "0004_append_without_renumbering", "0005_events_in_notifications", "0006_per_campaign_ordering", "0007_task_counts"])
        #expect(migrations.allSatisfy { !$0.sql.isEmpty })
    }

    @Test func badlyNamedOrDuplicateFilesAreRefused() throws {
        for files in [["0001_a.sql", "notes.sql"], ["0001_a.sql", "1_b.sql"], ["12.sql"]] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            for file in files { try "SELECT 1;".write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8) }
            do {
                _ = try Migration.load(from: folder)
                Issue.record("\(files) must be refused")
            } catch {
                #expect(error.kind == .invalidName)
            }
        }
    }
}

@Suite(.enabled(if: TestDatabase.isAvailable))
struct PostgresMigrationTests {
    @Test func aSecondRunAppliesNothing() async throws {
        let database = try await ScratchDatabase.create()
        do {
            #expect(try await PostgresCampaignStore.migrate(pool: database.pool, logger: testLogger) == [1, 2, 3, 4, 5, 6, 7])
            #expect(try await PostgresCampaignStore.migrate(pool: database.pool, logger: testLogger) == [])
            let recorded = try await database.pool.withConnection { connection in
                try connection.query("SELECT version, name FROM schema_migrations ORDER BY version").rows
                    .map { "\(try $0.requiredString("version")) \(try $0.requiredString("name"))" }
            }
            #expect(recorded == ["1 0001_tables", "2 0002_json_functions", "3 0003_task_triggers", "4 0004_append_without_renumbering", "5 0005_events_in_notifications", "6 0006_per_campaign_ordering", "7 0007_task_counts"])
            // The migrated schema works.
            let board = try await Board.make(PostgresCampaignStore(pool: database.pool, logger: testLogger, configuration: AppConfiguration().postgresStore))
            try await board.addTask("works")
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    @Test func instancesStartingTogetherApplyEachMigrationOnce() async throws {
        let database = try await ScratchDatabase.create()
        do {
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {
                    group.addTask { try await PostgresCampaignStore.migrate(pool: database.pool, logger: testLogger) }
                }
                var all: [[Int]] = []
                for try await versions in group { all.append(versions) }
                return all
            }
            #expect(applied.flatMap { $0 }.sorted() == [1, 2, 3, 4, 5, 6, 7])
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    @Test func anAppliedMigrationThatChangedIsReported() async throws {
        let database = try await ScratchDatabase.create()
        do {
            try await PostgresCampaignStore.migrate(pool: database.pool, logger: testLogger)
            var migrations = try Migration.bundled()
            let last = migrations.removeLast()
            migrations.append(Migration(version: last.version, name: last.name, sql: last.sql + "\n-- edited\n"))
            let runner = MigrationRunner(pool: database.pool, migrations: migrations, logger: testLogger)
            do {
                try await runner.run()
                Issue.record("a changed migration must not pass")
            } catch {
                #expect(error.kind == .modified)
            }
            // A failing migration rolls back completely and is not recorded.
            let broken = MigrationRunner(
                pool: database.pool,
                migrations: [Migration(version: 99, name: "0099_broken", sql: "CREATE TABLE half_done (id int); SELECT no_such_column;")],
                logger: testLogger)
            do {
                try await broken.run()
                Issue.record("a failing migration must throw")
            } catch {
                #expect(error.kind == .database && error.underlying?.sqlState == "42703")
            }
            let leftovers = try await database.pool.withConnection { connection in
                try connection.query(
                    "SELECT to_regclass('half_done') IS NULL AS gone, (SELECT count(*) FROM schema_migrations) AS recorded"
                ).first.map { (try $0.bool("gone"), try $0.int("recorded")) }
            }
            #expect(leftovers?.0 == true && leftovers?.1 == 7)
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }
}
