import HTTP
import Synchronization

/// One connection carrying the live streams of several campaigns (`GET /api/events?campaign=…`).
///
/// Each campaign's room sees a member of this stream as one more client and writes to it the frames it
/// encoded once for all its clients, so rooms need no notion of a multi-campaign client. On the way to
/// the shared connection the frames are adjusted under one lock, so the order on the wire is the order
/// the cursor advanced in: an event's `id:` becomes the stream's `StreamCursor` (its position in every
/// campaign), `resync` names its campaign, and the `retry:` and `auth-expiring` that every room sends
/// go out once. This is a copy per send per multi-campaign client: the price of one cursor for all.
public final class MultiCampaignStream: Sendable {
    let connection: any ResponseStream
    private let state: Mutex<State>

    private struct State {
        var cursor: StreamCursor
        var sentRetry = false
        var sentExpiryWarning = false
    }

    public init(connection: any ResponseStream, cursor: StreamCursor) {
        self.connection = connection
        self.state = Mutex(State(cursor: cursor))
    }

    /// What the room of `cursor.campaignIds[index]` writes to.
    public func member(forCampaignAt index: Int) -> any ResponseStream {
        Member(stream: self, index: index)
    }

    /// The stream's cursor now (tests).
    public var cursor: StreamCursor { state.withLock { $0.cursor } }

    /// Adjusts the frames a room wrote (always whole frames) and sends them on.
    func forward(_ bytes: [UInt8], campaignAt index: Int) -> Bool {
        state.withLock { state -> Bool in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 96)
            var start = bytes.startIndex
            while start < bytes.endIndex {
                let end = Self.frameEnd(bytes, from: start)
                Self.adjust(bytes[start..<end], campaignAt: index, state: &state, into: &out)
                start = end
            }
            return out.isEmpty || connection.send(out)
        }
    }

    private static func adjust(_ frame: ArraySlice<UInt8>, campaignAt index: Int, state: inout State, into out: inout [UInt8]) {
        if frame.starts(with: "retry: ".utf8) {
            if state.sentRetry { return }
            state.sentRetry = true
        } else if frame.starts(with: idField) {
            // An event: the room's own id (a decimal) moves this campaign's position, and the whole cursor replaces it.
            let lineEnd = frame.firstIndex(of: newline) ?? frame.endIndex
            if let eventId = Int64(String(decoding: frame[(frame.startIndex + idField.count)..<lineEnd], as: UTF8.self)) {
                state.cursor.advance(campaignAt: index, to: eventId)
            }
            appendCursorLine(state.cursor, to: &out)
            out.append(contentsOf: frame[min(lineEnd + 1, frame.endIndex)...])
            return
        } else if frame.starts(with: connectedEvent) {
            // A campaign joined live from its newest event: that is its position until its first event.
            if state.cursor.positions[index] == nil, let latest = lastEventId(in: frame) {
                state.cursor.advance(campaignAt: index, to: latest)
            }
            appendCursorLine(state.cursor, to: &out)
        } else if frame.starts(with: expiryWarningEvent) {
            if state.sentExpiryWarning { return }
            state.sentExpiryWarning = true
        } else if frame.starts(with: resyncEvent), let data = firstIndex(of: dataObject, in: frame) {
            let split = data + dataObject.count
            out.append(contentsOf: frame[..<split])
            out.append(contentsOf: "\"campaignId\":\"\(state.cursor.campaignIds[index])\",".utf8)
            out.append(contentsOf: frame[split...])
            return
        }
        out.append(contentsOf: frame)
    }

    private static func appendCursorLine(_ cursor: StreamCursor, to out: inout [UInt8]) {
        out.append(contentsOf: idField)
        cursor.append(to: &out)
        out.append(newline)
    }

    /// The index just past the blank line ending the frame that starts at `start` (the end when none does).
    private static func frameEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == newline && bytes[index + 1] == newline { return index + 2 }
            index += 1
        }
        return bytes.count
    }

    /// `"lastEventId":N` in a `connected` frame (written by the room, so its shape is known).
    private static func lastEventId(in frame: ArraySlice<UInt8>) -> Int64? {
        let key = Array("\"lastEventId\":".utf8)
        guard let start = firstIndex(of: key, in: frame) else { return nil }
        let digits = frame[(start + key.count)...].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return Int64(String(decoding: digits, as: UTF8.self))
    }

    private static func firstIndex(of needle: [UInt8], in frame: ArraySlice<UInt8>) -> Int? {
        guard frame.count >= needle.count else { return nil }
        var index = frame.startIndex
        while index + needle.count <= frame.endIndex {
            if frame[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static let newline = UInt8(ascii: "\n")
    private static let idField = Array("id: ".utf8)
    private static let connectedEvent = Array("event: connected\n".utf8)
    private static let resyncEvent = Array("event: resync\n".utf8)
    private static let expiryWarningEvent = Array("event: auth-expiring\n".utf8)
    private static let dataObject = Array("data: {".utf8)

    /// The client a room sees: sends go through the stream's adjustment; closing it ends the connection
    /// (the browser resumes every campaign with the cursor), and its end is the connection's end.
    private final class Member: ResponseStream {
        let stream: MultiCampaignStream
        let index: Int

        init(stream: MultiCampaignStream, index: Int) {
            self.stream = stream
            self.index = index
        }

        var streamID: UInt64 { stream.connection.streamID }
        func send(_ bytes: [UInt8]) -> Bool { stream.forward(bytes, campaignAt: index) }
        func close() { stream.connection.close() }
        func onClose(_ handler: @escaping @Sendable (StreamCloseReason) -> Void) { stream.connection.onClose(handler) }
    }
}
