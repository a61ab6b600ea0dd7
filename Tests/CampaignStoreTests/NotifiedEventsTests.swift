import CampaignModel
import CampaignStore
import Testing

/// Reading the events a notification carries (migration 0005's payload); anything else means "read the log".
@Suite struct NotifiedEventsTests {
    let campaign = "6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b"

    @Test func readsTheCarriedEventsWithTheirDataUnchanged() {
        let data = #"{"eventId":7,"task":{"title":"Quote \" and \\ and é"}}"#
        let payload = #"{"campaignId":"\#(campaign)","eventId":8,"events":[{"id":7,"type":"task-created","data":"{\"eventId\":7,\"task\":{\"title\":\"Quote \\\" and \\\\ and é\"}}"},{"id":8,"type":"history-update","data":"{}"}]}"#
        #expect(NotifiedEvents.decode(payload) == [
            CampaignEvent(id: 7, campaignId: campaign, type: .taskCreated, data: data),
            CampaignEvent(id: 8, campaignId: campaign, type: .historyUpdate, data: "{}"),
        ])
    }

    @Test(arguments: [
        #"{"campaignId":"6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b","eventId":8}"#,  // the ids-only payload
        #"{"campaignId":"6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b","eventId":8,"events":[]}"#,
        #"{"eventId":8,"events":[{"id":8,"type":"task-created","data":"{}"}]}"#,  // no campaign
        #"{"campaignId":"6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b","events":[{"id":8,"type":"task-renamed","data":"{}"}]}"#,
        #"{"campaignId":"6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b","events":[{"id":8,"type":"task-created"}]}"#,
        #"{"campaignId":"6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b","events":[{"id":9,"type":"task-created","data":"{}"},{"id":8,"type":"history-update","data":"{}"}]}"#,
        #"{"campaignId":"6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b","events":[{"id":0,"type":"task-created","data":"{}"}]}"#,
        #"{"campaignId":"6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b","events":"#,  // cut short
        "", "{}", "[]", "not json",
    ])
    func anythingElseMeansReadTheLog(payload: String) {
        #expect(NotifiedEvents.decode(payload) == nil)
    }
}
