import HTTP
import Testing

@Suite struct ServerSentEventTests {
    @Test func encodesEveryField() {
        let event = ServerSentEvent(id: "42", event: "task-created", data: "{\"a\":1}", retryMilliseconds: 3000)
        #expect(String(decoding: event.encoded(), as: UTF8.self) == "retry: 3000\nid: 42\nevent: task-created\ndata: {\"a\":1}\n\n")
    }

    @Test func splitsDataOnEveryKindOfLineBreak() {
        let event = ServerSentEvent(data: "a\nb\r\nc\rd")
        #expect(String(decoding: event.encoded(), as: UTF8.self) == "data: a\ndata: b\ndata: c\ndata: d\n\n")
    }

    @Test func keepsIdAndEventOnOneLine() {
        let event = ServerSentEvent(id: "1\n2", event: "x\ry")
        #expect(String(decoding: event.encoded(), as: UTF8.self) == "id: 12\nevent: xy\n\n")
    }

    @Test func encodesComments() {
        #expect(String(decoding: ServerSentEvent.comment("heartbeat"), as: UTF8.self) == ": heartbeat\n\n")
    }

    @Test func emptyDataStillSendsADataLine() {
        #expect(String(decoding: ServerSentEvent(data: "").encoded(), as: UTF8.self) == "data: \n\n")
    }
}
