import CampaignModel
import CampaignStore
import Foundation
import Testing

/// Campaigns and the snapshot, against both stores.
@Suite struct CampaignContractTests {
    @Test(arguments: StoreKind.available)
    func createCampaignMakesTheDefaultPhases(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let before = Timestamp.now()
        let campaign = try await store.createCampaign(CampaignDraft(name: "  Spring launch \n"))
        #expect(campaign.name == "Spring launch")
        #expect(Identifier.isValid(campaign.id) && campaign.id == campaign.id.lowercased())
        #expect(campaign.createdAt.millisecondsSinceEpoch >= before.millisecondsSinceEpoch - 1000)

        let snapshot = try #require(try await store.snapshot(campaignId: campaign.id, historyLimit: 50))
        #expect(snapshot.campaign == campaign)
        #expect(snapshot.phases.map(\.name) == Campaign.defaultPhaseNames)
        #expect(snapshot.phases.map(\.position) == [0, 1, 2, 3])
        #expect(snapshot.phases.allSatisfy { $0.campaignId == campaign.id && Identifier.isValid($0.id) })
        #expect(Set(snapshot.phases.map(\.id)).count == 4)
        #expect(snapshot.tasks.isEmpty && snapshot.history.isEmpty)
        #expect(snapshot.lastEventId == 0)
        #expect(try await store.latestEventId(campaignId: campaign.id) == 0)
    }

    @Test(arguments: StoreKind.available)
    func campaignsAreListedAndReadById(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let first = try await store.createCampaign(CampaignDraft(name: "First"))
        let second = try await store.createCampaign(CampaignDraft(name: "Second"))
        let listed = try await store.listCampaigns()
        #expect(listed.contains(first) && listed.contains(second))
        #expect(try await store.campaign(id: first.id) == first)
        #expect(try await store.campaign(id: first.id.uppercased()) == first)
        #expect(try await store.campaign(id: Identifier.random()) == nil)
        #expect(try await store.campaign(id: "not-a-uuid") == nil)
        #expect(try await store.snapshot(campaignId: Identifier.random(), historyLimit: 50) == nil)
        #expect(try await store.snapshot(campaignId: "../etc", historyLimit: 50) == nil)
    }

    @Test(arguments: StoreKind.available)
    func aClientChosenIdIsKeptAndCannotBeReused(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let id = Identifier.random()
        let campaign = try await store.createCampaign(CampaignDraft(id: id.uppercased(), name: "Chosen"))
        #expect(campaign.id == id)
        let error = await storeError { try await store.createCampaign(CampaignDraft(id: id, name: "Other")) }
        guard case .conflict = error else {
            Issue.record("expected a conflict, got \(String(describing: error))")
            return
        }
        #expect(try await store.campaign(id: id)?.name == "Chosen")
    }

    @Test(arguments: StoreKind.available)
    func invalidCampaignDraftsAreRejectedBeforeStorage(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let cases: [(CampaignDraft, String)] = [
            (CampaignDraft(name: "   "), "name"),
            (CampaignDraft(name: String(repeating: "é", count: 201)), "name"),
            (CampaignDraft(name: "nul\u{0}inside"), "name"),
            (CampaignDraft(id: "not-a-uuid", name: "Fine"), "id"),
        ]
        for (draft, field) in cases {
            let error = await storeError { try await store.createCampaign(draft) }
            #expect(invalidField(error) == .some(field), "\(draft)")
        }
        // Exactly 200 code points is allowed.
        let long = try await store.createCampaign(CampaignDraft(name: String(repeating: "é", count: 200)))
        #expect(long.name.unicodeScalars.count == 200)
    }

    @Test(arguments: StoreKind.available)
    func snapshotOrdersTasksAndLimitsHistory(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        try await board.addTask("c1", phase: 2)
        try await board.addTask("a1", phase: 0)
        try await board.addTask("b1", phase: 1)
        try await board.addTask("a0", phase: 0, position: 0)
        let snapshot = try await board.snapshot(historyLimit: 3)
        #expect(snapshot.tasks.map(\.title) == ["a0", "a1", "b1", "c1"])
        #expect(snapshot.history.count == 3)
        // Newest first: the last create comes first.
        #expect(snapshot.history.first?.taskId == snapshot.tasks.first?.id)
        let all = try await board.snapshot(historyLimit: 50).history
        #expect(all.count == 4)
        #expect(try await board.snapshot(historyLimit: 0).history.isEmpty)
        #expect(try await board.snapshot(historyLimit: -5).history.isEmpty)
        #expect(try await board.snapshot(historyLimit: Int.max).history.count == 4)
    }
}
