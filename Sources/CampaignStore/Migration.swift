import Foundation

/// One versioned schema change: `NNNN_name.sql`, applied once, in version order.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The migrations shipped in this module's `Migrations` resource folder, ordered by version.
    public static func bundled() throws(MigrationError) -> [Migration] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MigrationError(.unreadable, "the Migrations resource folder is missing from the bundle")
        }
        return try load(from: folder)
    }

    /// Every `NNNN_name.sql` file of `folder`, ordered by version; two files with one version are an error.
    public static func load(from folder: URL) throws(MigrationError) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw MigrationError(.unreadable, "cannot list \(folder.lastPathComponent): \(error)")
        }
        var migrations: [Migration] = []
        for file in names where file.hasSuffix(".sql") {
            let stem = String(file.dropLast(4))
            let digits = stem.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let version = Int(digits), stem.dropFirst(digits.count).first == "_" else {
                throw MigrationError(.invalidName, "\(file) is not named NNNN_name.sql")
            }
            let sql: String
            do {
                sql = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            } catch {
                throw MigrationError(.unreadable, "cannot read \(file): \(error)")
            }
            migrations.append(Migration(version: version, name: stem, sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw MigrationError(.invalidName, "\(previous.name) and \(next.name) share version \(next.version)")
        }
        return migrations
    }
}
