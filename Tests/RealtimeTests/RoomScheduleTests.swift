import Realtime
import Testing

@Suite struct RoomScheduleTests {
    @Test func heartbeatAfterAQuietInterval() {
        var schedule = RoomSchedule(heartbeatIntervalMilliseconds: 30_000, now: 0)
        #expect(schedule.nextWake() == 30_000)
        #expect(schedule.due(now: 29_999).heartbeat == false)
        #expect(schedule.due(now: 30_000).heartbeat == true)
        #expect(schedule.nextWake() == 60_000)
    }

    @Test func trafficPostponesTheHeartbeat() {
        var schedule = RoomSchedule(heartbeatIntervalMilliseconds: 30_000, now: 0)
        schedule.wrote(now: 20_000)
        #expect(schedule.due(now: 30_000).heartbeat == false)
        #expect(schedule.nextWake() == 50_000)
        #expect(schedule.due(now: 50_000).heartbeat == true)
    }

    @Test func warnsAMinuteBeforeExpiryThenExpires() {
        var schedule = RoomSchedule(heartbeatIntervalMilliseconds: 1_000_000, warningLeadMilliseconds: 60_000, now: 0)
        schedule.track(client: 1, expiresAt: 100_000)
        #expect(schedule.nextWake() == 40_000)
        #expect(schedule.due(now: 39_999).warn.isEmpty)
        #expect(schedule.due(now: 40_000).warn == [1])
        #expect(schedule.due(now: 50_000).warn.isEmpty, "warned once only")
        #expect(schedule.nextWake() == 100_000)
        #expect(schedule.due(now: 100_000).expire == [1])
        #expect(schedule.due(now: 200_000).expire.isEmpty)
    }

    @Test func aTokenWithLessThanTheLeadLeftIsWarnedAtOnce() {
        var schedule = RoomSchedule(heartbeatIntervalMilliseconds: 1_000_000, warningLeadMilliseconds: 60_000, now: 0)
        schedule.track(client: 2, expiresAt: 10_000)
        #expect(schedule.nextWake() == 0)
        #expect(schedule.due(now: 0).warn == [2])
        schedule.forget(client: 2)
        #expect(schedule.due(now: 20_000).expire.isEmpty)
    }

    @Test func aClientAlreadyPastExpiryIsWarnedAndEndedTogether() {
        var schedule = RoomSchedule(heartbeatIntervalMilliseconds: 1_000_000, warningLeadMilliseconds: 60_000, now: 0)
        schedule.track(client: 3, expiresAt: 5_000)
        let due = schedule.due(now: 9_000)
        #expect(due.warn == [3])
        #expect(due.expire == [3])
    }
}
