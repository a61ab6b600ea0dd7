/// Receives what an `SSEClient` sees, on the loop thread.
protocol SSEClientDelegate: AnyObject {
    /// An event arrived; `arrival` is the monotonic time its bytes were read.
    func sseClient(_ client: SSEClient, didReceive event: SSEEvent, at arrival: UInt64)
    /// The connection ended; the client is already closed.
    func sseClient(_ client: SSEClient, didEndWith failure: ConnectionFailure)
}
