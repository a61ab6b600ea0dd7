/// Runs `work` once the transport has handled the batch of events it is handling now, when called on
/// the transport's thread (returns true); anywhere else returns false and the caller runs `work` itself.
/// A crowd of clients arriving in one batch is then let into a room by one task, not a task each.
/// The composition root passes the event loop's; rooms know nothing of the transport.
public typealias TransportBatchDeferral = @Sendable (_ work: @escaping () -> Void) -> Bool
