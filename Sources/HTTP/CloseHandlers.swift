/// What a stream's listeners asked to run when it closes, in the order they asked. A stream usually
/// has one (its room's) and at most a few: the first is kept inline, so ten thousand idle streams do
/// not hold ten thousand one-element arrays.
struct CloseHandlers {
    typealias Handler = @Sendable (StreamCloseReason) -> Void

    private var first: Handler?
    private var more: [Handler] = []

    mutating func append(_ handler: @escaping Handler) {
        if first == nil { first = handler } else { more.append(handler) }
    }

    func call(_ reason: StreamCloseReason) {
        first?(reason)
        for handler in more { handler(reason) }
    }
}
