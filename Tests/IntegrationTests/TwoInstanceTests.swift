import APITestSupport
import Testing
import TestSupport

/// Two server instances on one PostgreSQL: a write through either reaches the subscribers of both.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct TwoInstanceTests {
    @Test func aWriteThroughEitherInstanceReachesSubscribersOfBoth() async throws {
        let first = try await SharedServer.get(.postgres)
        try await withServer(.postgres) { second in
            let onFirst = try await LiveBoard.make(first)
            // The same campaign seen through the second instance (its own tokens).
            let onSecond = LiveBoard(app: second, client: second.client(), id: onFirst.id, phases: onFirst.phases)
            let (firstStream, _) = try await onFirst.subscribe()
            defer { firstStream.close() }
            let (secondStream, _) = try await onSecond.subscribe()
            defer { secondStream.close() }

            let taskId = try await onFirst.addTask("through the first")
            try await onSecond.update(taskId, ["title": "through the second"])
            try await onSecond.addTask("second's own", phase: 1)
            try await onFirst.update(taskId, ["status": "done"])
            try await onFirst.addTask("final")

            let logged = try await onFirst.loggedEvents()
            #expect(logged.count == 10)
            for stream in [firstStream, secondStream] {
                let messages = try await stream.next(throughTaskTitled: "final")
                #expect(messages.eventIds == logged.ids)
                #expect(messages.map(\.data) == logged.map(\.data))
            }
        }
    }
}
