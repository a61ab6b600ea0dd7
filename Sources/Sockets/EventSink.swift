/// An object that receives readiness events for one registered file descriptor.
/// `handleEvents` runs on the event loop's thread and must not block.
public protocol EventSink: AnyObject {
    func handleEvents(_ events: UInt32)
}
