import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// docs/API.md: without `DATABASE_URL` the in-memory store behaves the same. The same unusual inputs
/// get the same status and error field from a server on each store.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct StoreParityTests {
    @Test func bothStoresAnswerOddInputsAlike() async throws {
        let memory = try await Board.make(try await SharedServer.get(.memory))
        let postgres = try await Board.make(try await SharedServer.get(.postgres))
        var cases = HostileInputTests.oddButMaybeValidTasks()
        cases += [
            ("title at the limit", ["title": .string(String(repeating: "ü", count: 200))]),
            ("title over the limit", ["title": .string(String(repeating: "ü", count: 201))]),
            ("description at the limit", ["title": "x", "description": .string(String(repeating: "é", count: 10_000))]),
            ("description over the limit", ["title": "x", "description": .string(String(repeating: "é", count: 10_001))]),
            ("assignee over the limit", ["title": "x", "assignee": .string(String(repeating: "🙂", count: 101))]),
            ("leap day", ["title": "x", "dueDate": "2024-02-29"]),
            ("no leap day", ["title": "x", "dueDate": "2100-02-29"]),
            ("title of white space and a letter", ["title": "\u{3000}\u{2028}a\u{85}\u{A0}"]),
        ]
        for (name, fields) in cases {
            var answers: [(Int, String?, JSONValue?)] = []
            for board in [memory, postgres] {
                var body: JSONObject = ["phaseId": .string(board.phases[0])]
                for member in fields.members { body[member.key] = member.value }
                let response = try await board.client.request("POST", board.tasksPath, json: .object(body))
                var stored: JSONValue? = nil
                if response.status == 201 {
                    let task = response.json
                    var values = JSONObject()
                    for key in ["title", "description", "assignee", "dueDate", "position"] { values[key] = task[key] }
                    stored = .object(values)
                }
                let field = response.json["error"]?["field"]?.stringValue
                answers.append((response.status, field, stored))
            }
            #expect(answers[0].0 == answers[1].0, "\(name): memory \(answers[0].0), postgres \(answers[1].0)")
            #expect(answers[0].1 == answers[1].1, "\(name): error field")
            #expect(answers[0].2 == answers[1].2, "\(name): stored values")
        }
    }
}
