import TestSupport
import APITestSupport
import CampaignModel
import Testing

/// Subscribers resume with various `Last-Event-ID`s while a writer keeps committing, so live events
/// arrive during their replay: each still sees every event after its id exactly once, in order.
@Suite struct ResumeRaceTests {
    static let writes = 240
    static let subscribers = 16

    @Test(arguments: TestStoreKind.available)
    func resumingWhileWritesRaceTheReplayLosesAndRepeatsNothing(kind: TestStoreKind) async throws {
        // Small replay pages: a replay takes several store reads, with live events arriving between them.
        try await withServer(kind, configure: { $0.api.realtime.replayPageSize = 7 }) { app in
            try await race(try await LiveBoard.make(app))
        }
    }

    private func race(_ board: LiveBoard) async throws {
        let seed = try await board.addTask("seed")
        for round in 0..<10 { try await board.update(seed, ["title": .string("seed \(round)")]) }

        let progress = SharedCount()
        let joined = SharedCount()
        let writer = Task {
            var taskIds = [seed]
            for write in 1...Self.writes {
                if write % 4 == 0 {
                    taskIds.append(try await board.addTask("write \(write)", phase: write % 3))
                } else {
                    try await board.update(taskIds[write % taskIds.count], ["title": .string("write \(write)")])
                }
                progress.increment()
            }
            // Every subscriber waits for "final", so none may join after it.
            _ = await eventually { joined.current >= Self.subscribers }
            try await board.addTask("final")
        }

        var started: [(resumeAfter: Int64?, connectedId: Int64, reader: Task<[SSEMessage], any Error>)] = []
        for index in 0..<Self.subscribers {
            // Pace on the writer's progress so subscribers join all along the run.
            _ = await eventually { progress.current >= index * Self.writes / Self.subscribers }
            let logged = try await board.loggedEvents()
            let resumeAfter: Int64? = switch index % 5 {
            case 0: nil
            case 1: 0
            case 2: logged[logged.count / 3].id
            case 3: logged[logged.count - 1].id - 1
            default: logged.last?.id
            }
            let (stream, connected) = try await board.subscribe(lastEventId: resumeAfter)
            let connectedId = try #require(connected.json["lastEventId"]?.intValue)
            let reader = Task {
                defer { stream.close() }
                return try await stream.next(throughTaskTitled: "final")
            }
            started.append((resumeAfter, connectedId, reader))
            joined.increment()
        }
        try await writer.value

        let log = try await board.loggedEvents()
        #expect(log.count == 22 + 2 * Self.writes + 2)
        for subscriber in started {
            let messages = try await subscriber.reader.value
            let from = subscriber.resumeAfter ?? subscriber.connectedId
            let expected = log.filter { $0.id > from }
            #expect(strictlyIncreasing(messages.eventIds))
            #expect(messages.eventIds == expected.ids, "resumed after \(String(describing: subscriber.resumeAfter))")
            #expect(messages.allSatisfy { $0.eventId != nil })
        }
    }
}
