import Glibc

/// Splits an event stream into events incrementally: an event may straddle reads and one read may hold many.
///
/// Lines end with LF or CRLF (what servers send; a bare CR is not treated as a line end).
/// Comment lines (`: heartbeat`) are skipped; the last `retry:` value is kept for clients that reconnect.
struct SSEParser {
    /// The reconnection delay the server last set with `retry: <ms>`, nil until it has sent one.
    private(set) var retryMilliseconds: Int?
    private var partialLine: [UInt8] = []
    private var event = SSEEvent()
    private var hasData = false

    /// Parses `input` and calls `emit` for every complete event.
    mutating func feed(_ input: UnsafeRawBufferPointer, _ emit: (SSEEvent) -> Void) {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        var start = 0
        while start < input.count {
            guard let found = memchr(base + start, 10, input.count - start) else {
                partialLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[start...]))
                return
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            if partialLine.isEmpty {
                line(UnsafeRawBufferPointer(rebasing: input[start..<end]), emit)
            } else {
                partialLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[start..<end]))
                let carried = partialLine
                partialLine.removeAll(keepingCapacity: true)
                carried.withUnsafeBytes { line($0, emit) }
            }
            start = end + 1
        }
    }

    private mutating func line(_ raw: UnsafeRawBufferPointer, _ emit: (SSEEvent) -> Void) {
        var text = raw
        if let last = text.last, last == 13 { text = UnsafeRawBufferPointer(rebasing: text.dropLast()) }
        if text.isEmpty {
            dispatch(emit)
            return
        }
        if text[0] == 58 { return }  // ':' starts a comment
        var fieldEnd = text.count
        var valueStart = text.count
        if let colon = text.firstIndex(of: 58) {
            fieldEnd = colon
            valueStart = colon + 1
            if valueStart < text.count && text[valueStart] == 32 { valueStart += 1 }
        }
        let field = UnsafeRawBufferPointer(rebasing: text[0..<fieldEnd])
        let value = UnsafeRawBufferPointer(rebasing: text[valueStart...])
        if Self.matches(field, "data") {
            if hasData { event.data.append(10) }
            event.data.append(contentsOf: value)
            hasData = true
        } else if Self.matches(field, "event") {
            event.type = SSEEventType(value)
        } else if Self.matches(field, "id") {
            event.id = Self.integer(value)
        } else if Self.matches(field, "retry"), let milliseconds = Self.integer(value) {
            retryMilliseconds = Int(milliseconds)
        }
    }

    private mutating func dispatch(_ emit: (SSEEvent) -> Void) {
        if hasData { emit(event) }
        event.id = nil
        event.type = .message
        event.data.removeAll(keepingCapacity: true)
        hasData = false
    }

    @inline(__always)
    private static func matches(_ field: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        field.count == name.utf8CodeUnitCount && memcmp(field.baseAddress!, name.utf8Start, field.count) == 0
    }

    private static func integer(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + Int64(byte - 48)
        }
        return value
    }
}
