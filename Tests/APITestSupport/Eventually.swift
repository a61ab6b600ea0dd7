/// Polls `condition` until it holds or a generous deadline passes; the result is the outcome, never
/// a duration (tests assert what happened, not how fast).
public func eventually(timeoutSeconds: Int = 60, pollMilliseconds: Int = 50, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: .seconds(timeoutSeconds))
    while true {
        if try await condition() { return true }
        if clock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(pollMilliseconds))
    }
}
