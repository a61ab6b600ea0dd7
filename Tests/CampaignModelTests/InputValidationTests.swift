import CampaignModel
import Foundation
import Testing

@Suite struct InputValidationTests {
    let phase = "6f1c2a4e-8b1d-4c7e-9f00-0a1b2c3d4e5f"
    let campaign = "11111111-2222-4333-8444-555555555555"

    func draft(_ body: String) throws -> TaskDraft {
        try TaskDraft.parse(try JSONParser.parse(body), campaignId: campaign)
    }

    func fieldOfError(_ body: String) -> String? {
        do { _ = try draft(body); return "no error" } catch let error as ValidationError { return error.field } catch { return "\(error)" }
    }

    @Test func createAppliesDefaultsAndTrimsTheTitle() throws {
        let parsed = try draft(#"{"phaseId":"\#(phase.uppercased())","title":"  Launch email  "}"#)
        #expect(parsed.title == "Launch email")
        #expect(parsed.phaseId == phase)
        #expect(parsed.status == .todo && parsed.priority == .medium && parsed.description == "")
        #expect(parsed.assignee == nil && parsed.dueDate == nil && parsed.position == nil)
    }

    @Test func titleLengthCountsCodePoints() throws {
        let twoHundredEmoji = String(repeating: "😀", count: 200)
        #expect(try draft(#"{"phaseId":"\#(phase)","title":"\#(twoHundredEmoji)"}"#).title == twoHundredEmoji)
        #expect(fieldOfError(#"{"phaseId":"\#(phase)","title":"\#(twoHundredEmoji)x"}"#) == "title")
        #expect(fieldOfError(#"{"phaseId":"\#(phase)","title":"   "}"#) == "title")
    }

    @Test(arguments: [
        (#"{"title":"x"}"#, "phaseId"),
        (#"{"phaseId":"nope","title":"x"}"#, "phaseId"),
        (#"{"phaseId":"P","title":7}"#, "title"),
        (#"{"phaseId":"P","title":"x","status":"finished"}"#, "status"),
        (#"{"phaseId":"P","title":"x","priority":"low-ish"}"#, "priority"),
        (#"{"phaseId":"P","title":"x","dueDate":"2026-02-30"}"#, "dueDate"),
        (#"{"phaseId":"P","title":"x","position":-1}"#, "position"),
        (#"{"phaseId":"P","title":"x","position":1.5}"#, "position"),
        (#"{"phaseId":"P","title":"x","color":"red"}"#, "color"),
        (#"{"phaseId":"P","title":"x","campaignId":"99999999-2222-4333-8444-555555555555"}"#, "campaignId"),
        (#"{"phaseId":"P","title":"x","assignee":5}"#, "assignee"),
    ])
    func createRejectsBadFields(body: String, field: String) {
        #expect(fieldOfError(body.replacingOccurrences(of: "\"P\"", with: "\"\(phase)\"")) == field)
    }

    @Test func patchKnowsNullFromAbsent() throws {
        let patch = try TaskPatch.parse(try JSONParser.parse(#"{"assignee":null,"status":"done"}"#))
        #expect(patch.assignee == .some(nil))
        #expect(patch.dueDate == .none)
        #expect(patch.status == .done)
        #expect(throws: ValidationError.self) { try TaskPatch.parse(try JSONParser.parse(#"{"position":3}"#)) }
        #expect(throws: ValidationError.self) { try TaskPatch.parse(try JSONParser.parse("[]")) }
    }

    @Test func moveNeedsBothFields() {
        #expect(throws: ValidationError.self) { try TaskMove.parse(try JSONParser.parse(#"{"position":0}"#)) }
        #expect(throws: ValidationError.self) { try TaskMove.parse(try JSONParser.parse(#"{"phaseId":"\#(self.phase)"}"#)) }
        #expect(throws: ValidationError.self) { try TaskMove.parse(try JSONParser.parse(#"{"phaseId":"\#(self.phase)","position":-2}"#)) }
    }

    @Test func idempotentCreateComparesContentNotPosition() throws {
        let parsed = try draft(#"{"phaseId":"\#(phase)","title":"x","position":3}"#)
        let now = Timestamp.now()
        var task = CampaignTask(id: Identifier.random(), campaignId: campaign, phaseId: phase, title: "x", position: 0, createdAt: now, updatedAt: now)
        #expect(parsed.matches(task, campaignId: campaign))
        task.priority = .urgent
        #expect(!parsed.matches(task, campaignId: campaign))
    }

    @Test func randomIdentifiersAreVersion4UUIDs() {
        // 600 ids cross two refills of the 4 KiB random pool (256 ids each).
        let ids = (0..<600).map { _ in Identifier.random() }
        #expect(Set(ids).count == 600)
        #expect(Set(ids.map { $0.prefix(8) }).count > 590, "the bytes differ from id to id, refills included")
        for id in ids {
            #expect(Identifier.isValid(id))
            #expect(Array(id)[14] == "4")
            #expect("89ab".contains(Array(id)[19]))
        }
    }
}

@Suite struct ScalarLimitTests {
    @Test(arguments: [
        ("", 0, true), ("a", 0, false), ("abc", 3, true), ("abcd", 3, false),
        // 4 scalars of 4 bytes: 16 bytes, decided by counting.
        ("😀😀😀😀", 4, true), ("😀😀😀😀", 3, false),
        // 2 scalars of 2 bytes each, 4 bytes: within 2 though the bytes are not.
        ("éé", 2, true), ("ééé", 2, false),
    ])
    func countsScalarsNotBytes(text: String, limit: Int, expected: Bool) {
        #expect(text.hasAtMostScalars(limit) == expected)
    }

    @Test func refusesTextThatCanOnlyBeTooLong() {
        #expect(!String(repeating: "x", count: 40_001).hasAtMostScalars(10_000))
        #expect(String(repeating: "😀", count: 10_000).hasAtMostScalars(10_000))
        #expect(!String(repeating: "😀", count: 10_001).hasAtMostScalars(10_000))
    }
}
