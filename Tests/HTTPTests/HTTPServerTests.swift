import Foundation
import HTTP
import Testing
import TestSupport

@Suite struct HTTPServerTests {
    @Test func answersAGetWithDateAndLength() async throws {
        try await withServer(handler: echoHandler) { server in
            let client = try RawHTTPClient(port: server.port)
            try await client.send("GET /hello/w%C3%B6rld HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "GET /hello/wörld 0 ")
            #expect(response.header("Date")?.hasSuffix("GMT") == true)
            #expect(response.header("Content-Length") == "\(response.body.count)")
        }
    }

    @Test func keepsTheConnectionAliveAndAnswersPipelinedRequestsInOrder() async throws {
        // The first request is slow, the second fast: answers must still come in request order.
        try await withServer(handler: { request in
            if request.pathSegments == ["slow"] { try? await Task.sleep(for: .milliseconds(100)) }
            return await echoHandler(request)
        }) { server in
            let client = try RawHTTPClient(port: server.port)
            try await client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nPOST /fast HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhiGET /third HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse().bodyText == "GET /slow 0 ")
            #expect(try await client.readResponse().bodyText == "POST /fast 2 hi")
            #expect(try await client.readResponse().bodyText == "GET /third 0 ")
            try await client.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse().bodyText == "GET /again 0 ")
        }
    }

    @Test func aClientThatHalfClosesAfterItsRequestsGetsEveryAnswerAndThenTheEnd() async throws {
        // The end of input may come with the request bytes, or just after them: either way the
        // answers go out and the server then closes instead of waiting for the idle timeout.
        try await withServer(handler: echoHandler) { server in
            for attempt in 0..<20 {
                let client = try RawHTTPClient(port: server.port)
                try await client.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n")
                if attempt % 4 == 3 { try await Task.sleep(for: .milliseconds(20)) }
                client.shutdownWrite()
                let first = try await client.readResponse()
                let second: RawHTTPClient.Response
                do { second = try await client.readResponse() } catch {
                    Issue.record("attempt \(attempt): no second answer (\(error)); the first was \(first.status) \(first.headers)")
                    continue
                }
                #expect(first.bodyText == "GET /one 0 " && second.bodyText == "GET /two 0 ", "attempt \(attempt)")
                #expect(try await client.waitForClose(), "attempt \(attempt)")
                #expect(await eventually(timeoutSeconds: 5) { server.statistics.openConnections == 0 })
            }
        }
    }

    @Test func readsChunkedBodiesAndHonoursExpectContinue() async throws {
        try await withServer(handler: echoHandler) { server in
            let client = try RawHTTPClient(port: server.port)
            try await client.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab")
            try await client.send("cd\r\n0\r\n\r\n")
            #expect(try await client.readResponse().bodyText == "POST /c 4 abcd")

            try await client.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
            #expect(try await client.readUntil("\r\n\r\n").hasPrefix("HTTP/1.1 100 Continue"))
            try await client.send("xyz")
            #expect(try await client.readResponse().bodyText == "POST /e 3 xyz")
        }
    }

    @Test func servesHTTP10Clients() async throws {
        try await withServer(handler: echoHandler) { server in
            let client = try RawHTTPClient(port: server.port)
            try await client.send("GET /old HTTP/1.0\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(try await client.waitForClose())

            let keepAlive = try RawHTTPClient(port: server.port)
            try await keepAlive.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try await keepAlive.readResponse().header("Connection") == "keep-alive")
            try await keepAlive.send("GET /b HTTP/1.0\r\n\r\n")
            #expect(try await keepAlive.readResponse().bodyText == "GET /b 0 ")
        }
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\nHost: x\n\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n", 413),
        ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: x\r\n" + (0..<120).map { "X-\($0): y\r\n" }.joined() + "\r\n", 431),
    ])
    func malformedRequestsGetTheRespondersAnswerAndTheConnectionCloses(raw: String, status: Int) async throws {
        try await withServer(handler: echoHandler) { server in
            let client = try RawHTTPClient(port: server.port)
            try await client.send(raw)
            let response = try await client.readResponse()
            #expect(response.status == status)
            #expect(response.header("Content-Type") == "text/plain")
            #expect(response.bodyText.hasPrefix("refused: "))
            #expect(try await client.waitForClose())
        }
    }

    @Test func slowHeadersTimeOutWith408() async throws {
        var configuration = serverDefaults()
        configuration.headerTimeoutSeconds = 1
        try await withServer(configuration, handler: echoHandler) { server in
            let client = try RawHTTPClient(port: server.port, timeoutSeconds: 15)
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 408)
            #expect(try await client.waitForClose())
            // A connection that never sends anything is closed by the same timeout.
            let silent = try RawHTTPClient(port: server.port, timeoutSeconds: 15)
            #expect(try await silent.waitForClose())
            #expect(server.statistics.timedOutConnections >= 2)
        }
    }

    @Test func idleKeepAliveConnectionsAreClosed() async throws {
        var configuration = serverDefaults()
        configuration.idleTimeoutSeconds = 1
        try await withServer(configuration, handler: echoHandler) { server in
            let client = try RawHTTPClient(port: server.port, timeoutSeconds: 15)
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
            #expect(try await client.waitForClose())
        }
    }

    @Test func theConnectionLimitAnswersWithTheRespondersOverloadAnswer() async throws {
        var configuration = serverDefaults()
        configuration.maximumConnections = 2
        // `first` sends nothing until the end: on a busy machine that can take longer than the default
        // 10 s a silent new connection is given, and the timeout is not what this test is about.
        configuration.headerTimeoutSeconds = 300
        try await withServer(configuration, handler: echoHandler) { server in
            let first = try RawHTTPClient(port: server.port)
            let second = try RawHTTPClient(port: server.port)
            #expect(await eventually { server.statistics.openConnections == 2 })
            let third = try RawHTTPClient(port: server.port)
            try await third.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await third.readResponse()
            #expect(response.status == 503)
            #expect(response.bodyText == "overloaded: GET /")
            #expect(try await third.waitForClose())
            try await first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await first.readResponse().status == 200)
            _ = second
        }
    }

    @Test func gzipFollowsAcceptEncoding() async throws {
        let big = String(repeating: "{\"campaign\":\"board\"},", count: 200)
        try await withServer(handler: { _ in HTTPResponse(status: .ok, contentType: "application/json", body: big) }) { server in
            let client = try RawHTTPClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br;q=1.0, gzip;q=0.5\r\n\r\n")
            let compressed = try await client.readResponse()
            #expect(compressed.header("Content-Encoding") == "gzip")
            #expect(compressed.header("Vary") == "Accept-Encoding")
            #expect(compressed.body.count < big.utf8.count)
            #expect(Gzip.decompress(compressed.body) == Array(big.utf8))

            try await client.send("GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0, identity\r\n\r\n")
            let plain = try await client.readResponse()
            #expect(plain.header("Content-Encoding") == nil)
            #expect(plain.header("Vary") == "Accept-Encoding")
            #expect(plain.bodyText == big)
        }
    }

    @Test func headRequestsGetNoBody() async throws {
        try await withServer(handler: echoHandler) { server in
            let client = try RawHTTPClient(port: server.port)
            try await client.send("HEAD /x HTTP/1.1\r\nHost: x\r\n\r\nGET /y HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try await client.readResponse(headRequest: true)
            #expect(head.header("Content-Length") == "10")
            #expect(try await client.readResponse().bodyText == "GET /y 0 ")
        }
    }

    @Test func worksWithCurl() async throws {
        try await withServer(handler: echoHandler) { server in
            let output = try await runCurl(["-sS", "--http1.1", "-H", "Transfer-Encoding: chunked", "--data-binary", "from curl",
                                      "http://127.0.0.1:\(server.port)/curl/path%20x"])
            #expect(output == "POST /curl/path x 9 from curl")
            let compressed = try await runCurl(["-sS", "--compressed", "http://127.0.0.1:\(server.port)/get"])
            #expect(compressed == "GET /get 0 ")
        }
    }
}

func runCurl(_ arguments: [String]) async throws -> String {
    String(decoding: try await ChildProcess.run("/usr/bin/env", ["curl"] + arguments).output, as: UTF8.self)
}
