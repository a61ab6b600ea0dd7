import HTTP
import Realtime
import Synchronization
import Testing

/// The frames rooms write to a multi-campaign stream's members, as they reach the shared connection.
@Suite struct MultiCampaignStreamFramingTests {
    let a = "11111111-1111-4111-8111-111111111111"
    let b = "22222222-2222-4222-8222-222222222222"

    func frames(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func eachEventCarriesTheWholeCursorAndControlFramesGoOutOnce() throws {
        let connection = RecordingStream(id: 7)
        let stream = MultiCampaignStream(connection: connection, cursor: StreamCursor(campaignIds: [b, a]))
        let memberA = stream.member(forCampaignAt: 0)
        let memberB = stream.member(forCampaignAt: 1)
        #expect(memberA.streamID == 7)
        memberA.send(frames("retry: 3000\n\nevent: connected\ndata: {\"clientId\":\"c\",\"campaignId\":\"\(a)\",\"lastEventId\":4}\n\n"))
        memberB.send(frames("retry: 2500\n\nevent: connected\ndata: {\"clientId\":\"c\",\"campaignId\":\"\(b)\",\"lastEventId\":9}\n\n"))
        memberA.send(frames("id: 5\nevent: task-created\ndata: {\"eventId\":5}\n\nid: 6\nevent: history-update\ndata: {\"eventId\":6}\n\n"))
        memberB.send(frames(": heartbeat\n\n"))
        memberB.send(frames("event: resync\ndata: {\"reason\":\"history-expired\"}\n\n"))
        memberA.send(frames("event: auth-expiring\ndata: {\"reason\":\"token-expiring\"}\n\n"))
        memberB.send(frames("event: auth-expiring\ndata: {\"reason\":\"token-expiring\"}\n\n"))
        let prefix = StreamCursor(campaignIds: [a, b]).encoded.dropLast(4)  // "m1.<fingerprint>"
        #expect(connection.text == """
            retry: 3000

            id: \(prefix).4._
            event: connected
            data: {"clientId":"c","campaignId":"\(a)","lastEventId":4}

            id: \(prefix).4.9
            event: connected
            data: {"clientId":"c","campaignId":"\(b)","lastEventId":9}

            id: \(prefix).5.9
            event: task-created
            data: {"eventId":5}

            id: \(prefix).6.9
            event: history-update
            data: {"eventId":6}

            : heartbeat

            event: resync
            data: {"campaignId":"\(b)","reason":"history-expired"}

            event: auth-expiring
            data: {"reason":"token-expiring"}


            """)
        #expect(stream.cursor.positions == [6, 9])
    }

    /// A resuming campaign keeps its position through `connected`: the replay that follows moves it.
    @Test func connectedDoesNotMoveAResumedPosition() throws {
        var cursor = StreamCursor(campaignIds: [a])
        cursor.advance(campaignAt: 0, to: 2)
        let connection = RecordingStream(id: 1)
        let stream = MultiCampaignStream(connection: connection, cursor: cursor)
        stream.member(forCampaignAt: 0).send(frames("event: connected\ndata: {\"lastEventId\":9}\n\n"))
        #expect(stream.cursor.positions == [2])
    }

    @Test func closingAMemberEndsTheConnectionForEveryCampaign() {
        let connection = RecordingStream(id: 1)
        let stream = MultiCampaignStream(connection: connection, cursor: StreamCursor(campaignIds: [a, b]))
        let ended = Mutex(0)
        stream.member(forCampaignAt: 0).onClose { _ in ended.withLock { $0 += 1 } }
        stream.member(forCampaignAt: 1).onClose { _ in ended.withLock { $0 += 1 } }
        stream.member(forCampaignAt: 1).close()
        #expect(ended.withLock { $0 } == 2)
        #expect(stream.member(forCampaignAt: 0).send(frames("id: 1\nevent: x\ndata: {}\n\n")) == false)
    }
}
