import APITestSupport
import CampaignModel
import Testing

/// `openapi.yaml` names each operation and describes each stream event's data; a real server is held
/// to those descriptions, so the document cannot drift from the encoder.
@Suite struct OpenAPIContractTests {
    /// Control events the rooms and the stream route send besides the event log's types.
    static let controlEvents: Set<String> = ["connected", "resync", "overloaded", "auth-expiring"]

    @Test func everyOperationHasAUniqueIdAndATag() throws {
        let paths = try OpenAPIDocument.load()
        let components = try OpenAPIComponents.load()
        #expect(components.operationIds.count == paths.operations.count)
        #expect(Set(components.operationIds).count == components.operationIds.count, "\(components.operationIds)")
        for id in components.operationIds {
            #expect(!(components.tags[id] ?? []).isEmpty, "\(id) has no tag")
        }
        #expect(components.errorCodes.count >= 20, "the ErrorCode reader found \(components.errorCodes.sorted())")
    }

    @Test func thereIsASchemaForEveryEventTypeAndNoOther() throws {
        let components = try OpenAPIComponents.load()
        let types = Set(CampaignEventType.allCases.map(\.rawValue)).union(Self.controlEvents)
        #expect(Set(components.eventSchemas.keys) == types)
    }

    @Test(arguments: TestStoreKind.available)
    func eachEventsDataHasExactlyItsSchemasMembers(kind: TestStoreKind) async throws {
        let components = try OpenAPIComponents.load()
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let stream = try await SSEClient(port: app.port, campaignId: board.id, token: app.token())
        defer { stream.close() }
        var messages = [try await stream.next()]
        let taskId = try #require(try await board.addTask("schema")["id"]?.stringValue)
        _ = try await board.client.request("PATCH", board.taskPath(taskId), json: ["title": "schema, renamed"])
        _ = try await board.client.request("POST", board.taskPath(taskId) + "/move", json: ["phaseId": .string(board.phases[1]), "position": 0])
        _ = try await board.client.request("DELETE", board.taskPath(taskId))
        messages += try await stream.next(until: "task-deleted")
        messages += try await stream.next(until: "history-update")
        // A position the log never issued: resync.
        let resumed = try await SSEClient(port: app.port, campaignId: board.id, token: app.token(), lastEventId: 4_000_000_000)
        defer { resumed.close() }
        messages += try await resumed.next(until: "resync")

        let seen = Set(messages.map(\.event))
        #expect(seen.isSuperset(of: ["connected", "task-created", "task-updated", "task-moved", "task-deleted", "history-update", "resync"]))
        for message in messages {
            guard let schema = components.eventSchemas[message.event] else {
                Issue.record("no schema Event.\(message.event) in openapi.yaml")
                continue
            }
            let members = Set(message.json.objectValue?.keys ?? [])
            #expect(members.isSuperset(of: schema.required), "\(message.event) lacks \(schema.required.subtracting(members).sorted())")
            #expect(members.isSubset(of: schema.properties), "\(message.event) has undocumented \(members.subtracting(schema.properties).sorted())")
        }
    }
}
