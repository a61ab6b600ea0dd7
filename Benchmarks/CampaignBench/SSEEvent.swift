/// One dispatched Server-Sent Event: its `id:` (if numeric), its `event:` type and its `data:` bytes.
struct SSEEvent {
    var id: Int64?
    var type = SSEEventType.message
    /// The `data:` lines joined by newlines, as sent (UTF-8 JSON for our events).
    var data: [UInt8] = []
}
