import CLibPQ
import Logging

/// Receives the server's notices and warnings for one connection and logs them.
///
/// Without it libpq prints them to stderr, including the `FATAL: terminating connection` a server
/// sends to idle sessions when it shuts down.
final class PostgresNoticeSink {
    private let logger: Logger
    private let options: PostgresConnectionOptions

    init(logger: Logger, options: PostgresConnectionOptions) {
        self.logger = logger
        self.options = options
    }

    /// Routes `handle`'s notices here; the connection keeps the sink alive until `PQfinish`.
    func install(on handle: OpaquePointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = PQsetNoticeReceiver(handle, { context, result in
            guard let context, let result else { return }
            Unmanaged<PostgresNoticeSink>.fromOpaque(context).takeUnretainedValue().receive(result)
        }, context)
    }

    private func receive(_ result: OpaquePointer) {
        let severity = PostgresDiagnostics.field(result, PostgresDiagnostics.severity) ?? "NOTICE"
        let message = options.redact(PostgresDiagnostics.field(result, PostgresDiagnostics.primaryMessage) ?? "")
        var metadata: Logger.Metadata = ["db.severity": "\(severity)"]
        if let sqlState = PostgresDiagnostics.field(result, PostgresDiagnostics.sqlState) {
            metadata["db.sqlstate"] = "\(sqlState)"
        }
        metadata["db.message"] = "\(message)"
        let level: Logger.Level = severity == "WARNING" ? .warning : .debug
        logger.log(level: level, "[DB] server notice", metadata: metadata)
    }
}
