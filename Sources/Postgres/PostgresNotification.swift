/// One `NOTIFY` received on a `LISTEN` connection.
public struct PostgresNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    /// The server process (backend) that sent it.
    public let processID: Int32

    /// Creates a notification value.
    public init(channel: String, payload: String, processID: Int32) {
        self.channel = channel
        self.payload = payload
        self.processID = processID
    }
}
