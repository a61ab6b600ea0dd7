import Glibc

/// The `event:` names of docs/API.md's stream, recognised without building a String per event.
enum SSEEventType: UInt8, Sendable {
    case message, connected, taskCreated, taskUpdated, taskMoved, taskDeleted, historyUpdate
    case overloaded, resync, authExpiring, other

    private static let names: [(SSEEventType, [UInt8])] = [
        (.connected, Array("connected".utf8)),
        (.taskCreated, Array("task-created".utf8)),
        (.taskUpdated, Array("task-updated".utf8)),
        (.taskMoved, Array("task-moved".utf8)),
        (.taskDeleted, Array("task-deleted".utf8)),
        (.historyUpdate, Array("history-update".utf8)),
        (.overloaded, Array("overloaded".utf8)),
        (.resync, Array("resync".utf8)),
        (.authExpiring, Array("auth-expiring".utf8)),
    ]

    init(_ name: UnsafeRawBufferPointer) {
        for (type, bytes) in Self.names where bytes.count == name.count {
            if bytes.withUnsafeBytes({ memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0 }) {
                self = type
                return
            }
        }
        self = .other
    }
}
