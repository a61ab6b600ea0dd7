extension RESTClient {
    /// Sends one request and serves the loop until it is answered: for setup steps outside measurements.
    func perform(_ request: [UInt8], deadline: UInt64, what: String) throws -> Response {
        var outcome: Result<Response, ConnectionFailure>?
        send(request) { outcome = $0 }
        let answered = loop.run(deadline: deadline) { outcome != nil }
        guard answered, let outcome else { throw BenchError("\(what): no answer from \(address) before the deadline") }
        switch outcome {
        case .success(let response): return response
        case .failure(let failure): throw BenchError("\(what): \(failure.describe(address))")
        }
    }
}
