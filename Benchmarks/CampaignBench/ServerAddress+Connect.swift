import Sockets

extension ServerAddress {
    /// Starts a non-blocking connect to the server (from `source` when given); a connect that fails at
    /// once is a `ConnectionFailure.connect`, the one way every client of the benchmark reports it.
    func connect(from source: String?) throws -> Int32 {
        do {
            return try Socket.connect(host: ip, port: port, sourceHost: source)
        } catch let error as SocketError {
            throw ConnectionFailure.connect(error.code)
        }
    }
}
