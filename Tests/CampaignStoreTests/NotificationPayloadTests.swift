import CampaignStore
import Testing

/// A notification names a campaign and nothing else is believed (any database role may NOTIFY).
@Suite struct NotificationPayloadTests {
    let campaign = "6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b"

    @Test(arguments: [
        #"{"campaignId":"6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b","eventId":8}"#,  // the ids-only payload
        #"{"campaignId":"6F1C2A34-5B6D-4E7F-8A9B-0C1D2E3F4A5B","eventId":8,"events":[{"id":8,"type":"task-created","data":"{}"}]}"#,
        #"{"campaignId":"6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b","eventId":9000000000000000,"events":"forged"}"#,
    ])
    func namesTheCampaignInLowerCase(payload: String) {
        #expect(NotificationPayload.campaignId(payload) == campaign)
    }

    @Test(arguments: [
        #"{"eventId":8,"events":[{"id":8,"type":"task-created","data":"{}"}]}"#,  // no campaign
        #"{"campaignId":"../../etc","eventId":8}"#, #"{"campaignId":42}"#,
        #"{"campaignId":"6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b","events":"#,  // cut short
        "", "{}", "[]", "not json",
    ])
    func namesNoCampaignOtherwise(payload: String) {
        #expect(NotificationPayload.campaignId(payload) == nil)
    }
}
