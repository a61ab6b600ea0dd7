import CLibPQ

extension PostgresConnection {
    /// `name` quoted as an SQL identifier by libpq (for LISTEN, which takes no parameters).
    func quotedIdentifier(_ name: String) throws -> String {
        guard !name.utf8.contains(0) else {
            throw PostgresError(kind: .query, sqlState: "22021", message: "the identifier contains a NUL character")
        }
        guard let quoted = PQescapeIdentifier(handle, name, name.utf8.count) else {
            throw PostgresDiagnostics.error(result: nil, handle: handle, options: options)
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    /// Takes in what the server sent and returns the notifications received so far, in order.
    /// Notifications that arrived before a drop are returned first; the drop is reported by the
    /// next call, when nothing is left to return.
    func takeNotifications() -> Result<[PostgresNotification], PostgresError> {
        guard !isClosed else { return .failure(Self.closedError) }
        let healthy = consumeAvailableInput()
        var notifications: [PostgresNotification] = []
        while let notify = PQnotifies(handle) {
            notifications.append(PostgresNotification(
                channel: String(cString: notify.pointee.relname),
                payload: notify.pointee.extra.map { String(cString: $0) } ?? "",
                processID: notify.pointee.be_pid))
            PQfreemem(notify)
        }
        if notifications.isEmpty && !healthy {
            let message = options.redact(PostgresDiagnostics.connectionMessage(handle))
            return .failure(PostgresError(kind: .connection, message: message))
        }
        return .success(notifications)
    }
}
