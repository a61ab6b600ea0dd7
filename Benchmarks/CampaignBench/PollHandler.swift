/// A connection served by the `ClientLoop`: told of readiness on the loop's (only) thread.
protocol PollHandler: AnyObject {
    func handleEvents(_ events: UInt32)
}
