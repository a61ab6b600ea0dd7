// libFuzzer target for the request-to-response path (Sources/CampaignAPI: routing, authentication,
// handlers, errors) against an in-memory application, plus the response's compression and head.
//
// Input layout: 1 control byte, then lines (LF-separated) and a body.
//   byte 0: bits 0-2 method (GET POST PATCH DELETE PUT HEAD OPTIONS GET),
//           bits 3-5 credentials: none, admin token, editor token for the seeded campaign, viewer token
//             for it, expired token, signed token with exp 1e17, an unsigned token, admin token in
//             `?access_token=`,
//           bits 6-7 Content-Type: none, application/json, application/json; charset=utf-8, text/plain.
//   line 0: the request target; `$c`, `$p`, `$t` become the seeded campaign, phase and task ids.
//   line 1: Last-Event-ID, line 2: If-Match, line 3: Accept-Encoding, line 4: X-Client-Id
//           (an empty line leaves the header out).
//   the rest: the body (the same placeholders are replaced in it when it is UTF-8). A body of odd
//           length is marked large (`bodyIsLarge`, set by the server from 64 KiB), so that small inputs
//           reach the parse on the idle worker too.
//
// The request is written as HTTP/1.1 bytes and parsed by the real parser (inputs it refuses are
// skipped: that parser has its own target), then handed to the application's handler. Each input
// gets a fresh application (store, rooms, handler) holding one campaign with one task, so runs do
// not depend on each other and memory cannot grow from run to run. A stream is opened, read until
// its `connected` event, then closed as a client hang-up would; its room must then be freed.

import CampaignAPI
import CampaignModel
import CampaignStore
import Dispatch
import Foundation  // URL, for the dashboard's directory
@testable import HTTP
import Logging
@testable import Realtime
@testable import Security
import ServerConfiguration
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

let fuzzTargetName = "router"
let campaignId = "3f2c8a4e-1b7d-4c9e-8f0a-6d5b4e3c2a10"
let taskId = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
let methods = ["GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS", "GET"]
let contentTypes: [String?] = [nil, "application/json", "application/json; charset=utf-8", "text/plain"]

/// How long a stream or a room may take to do what it must; past it, the run is a hang.
let settleSeconds = 5.0

func token(role: Role, scope: CampaignScope, expiresIn seconds: Int64 = 3600) -> String {
    let now = Int64(time(nil))
    return signer.sign(TokenClaims(subject: "fuzz", expiresAt: now + seconds, role: role, campaigns: scope, issuedAt: now))
}

/// Credentials by bits 3-5: (Authorization header, access_token query value).
func credentials(_ choice: UInt8) -> (header: String?, query: String?) {
    switch choice {
    case 0: return (nil, nil)
    case 1: return ("Bearer " + token(role: .admin, scope: .all), nil)
    case 2: return ("Bearer " + token(role: .editor, scope: .only([campaignId])), nil)
    case 3: return ("Bearer " + token(role: .viewer, scope: .only([campaignId])), nil)
    case 4: return ("Bearer " + token(role: .admin, scope: .all, expiresIn: -3600), nil)
    case 5:
        // The token of issue 12: correctly signed, `exp` far beyond any date.
        let payload = #"{"sub":"fuzz","role":"admin","campaigns":["*"],"exp":100000000000000000}"#
        return ("Bearer " + signer.sign(encodedHeader: JWTSigner.encodedHeader, payload: Array(payload.utf8)), nil)
    case 6: return ("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", nil)
    default: return (nil, token(role: .admin, scope: .all))
    }
}

/// Runs `body` on the concurrency runtime and waits for it (libFuzzer calls the target synchronously).
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let result = Mutex<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let value = await body()
        result.withLock { $0 = value }
        done.signal()
    }
    if done.wait(timeout: .now() + settleSeconds) == .timedOut { check(false, "the handler did not answer within \(settleSeconds) s") }
    return result.withLock { $0! }
}

/// The client end of a stream: keeps what was sent, and hangs up when told.
final class FuzzStream: ResponseStream {
    struct State {
        var bytes: [UInt8] = []
        var closed = false
        var handlers: [@Sendable (StreamCloseReason) -> Void] = []
    }
    let streamID: UInt64 = 1
    let state = Mutex(State())
    let changed = DispatchSemaphore(value: 0)

    func send(_ bytes: [UInt8]) -> Bool {
        let accepted = state.withLock { state in
            if state.closed { return false }
            state.bytes += bytes
            return true
        }
        changed.signal()
        return accepted
    }

    func close() { end(.closedByServer) }

    func end(_ reason: StreamCloseReason) {
        let handlers = state.withLock { state -> [@Sendable (StreamCloseReason) -> Void] in
            if state.closed { return [] }
            state.closed = true
            defer { state.handlers = [] }
            return state.handlers
        }
        for handler in handlers { handler(reason) }
        changed.signal()
    }

    func onClose(_ handler: @escaping @Sendable (StreamCloseReason) -> Void) {
        let closedAlready = state.withLock { state in
            if state.closed { return true }
            state.handlers.append(handler)
            return false
        }
        if closedAlready { handler(.closedByServer) }
    }

    /// Waits until `done` holds for what was sent (or the stream closed); false on timeout.
    func wait(until done: ([UInt8]) -> Bool) -> Bool {
        let deadline = DispatchTime.now() + settleSeconds
        while true {
            let (bytes, closed) = state.withLock { ($0.bytes, $0.closed) }
            if closed || done(bytes) { return true }
            if changed.wait(timeout: deadline) == .timedOut { return false }
        }
    }
}

/// The board's files, as `campaign-server serve` serves them (Fuzz/run runs from the repository root).
let dashboard: StaticAssets = {
    do {
        return try StaticAssets(directory: URL(fileURLWithPath: "Sources/CampaignServer/Resources"))
    } catch {
        fatalError("router fuzz set-up: cannot read the dashboard's files: \(error)")
    }
}()

/// One input's application: a fresh in-memory store, its rooms and the handler.
struct Application {
    let handler: CampaignAPIHandler
    let registry: RoomRegistry
    let store: InMemoryCampaignStore
    let phaseId: String

    /// The store and the registry refer to each other (events flow store → rooms): break the cycle so
    /// the whole application is freed after each input.
    func tearDown() { store.setEventSink(nil) }
}

/// A fresh in-memory application with one campaign (four phases) and one task.
func makeApplication() -> Application {
    // The server's defaults (as with an empty environment), but for the rooms' timers.
    var settings = AppConfiguration()
    settings.streaming.heartbeatIntervalSeconds = 60
    let store = InMemoryCampaignStore(configuration: settings.memoryStore)
    let logger = Logger(label: "fuzz-router") { _ in SwiftLogNoOpLogHandler() }
    var configuration = settings.api(tokenKeys: TokenKeys(TokenVerifier(keys: [.hmac(secret)])))
    configuration.realtime.emptyRoomGraceMilliseconds = 0
    let registry = RoomRegistry(store: store, configuration: configuration.realtime, logger: logger, observer: APIMetrics())
    store.setEventSink(registry)
    let handler = CampaignAPIHandler(
        configuration: configuration, store: store,
        registry: registry, metrics: APIMetrics(), statistics: ServerStatistics(), storeKind: "memory", assets: dashboard,
        logger: logger)
    let phaseId = runBlocking { () -> String in
        do {
            _ = try await store.createCampaign(CampaignDraft(id: campaignId, name: "fuzz"))
            guard let phase = try await store.snapshot(campaignId: campaignId, historyLimit: 0)?.phases.first else {
                fatalError("router fuzz set-up: the campaign has no phase")
            }
            _ = try await store.createTask(
                campaignId: campaignId, draft: TaskDraft(id: taskId, phaseId: phase.id, title: "seeded"),
                context: WriteContext(actor: "fuzz"))
            return phase.id
        } catch {
            fatalError("router fuzz set-up failed: \(error)")
        }
    }
    return Application(handler: handler, registry: registry, store: store, phaseId: phaseId)
}

/// The request bytes the input describes.
func requestBytes(_ input: [UInt8], phaseId: String) -> [UInt8] {
    let control = input[0]
    var lines: [ArraySlice<UInt8>] = []
    var rest = input[1...]
    while lines.count < 5, let end = rest.firstIndex(of: 0x0A) {
        lines.append(rest[..<end])
        rest = rest[(end + 1)...]
    }
    if lines.count < 5 {
        lines.append(rest)
        rest = []
    }
    while lines.count < 5 { lines.append([]) }
    func text(_ line: ArraySlice<UInt8>) -> String { String(decoding: line, as: UTF8.self) }

    func withIds(_ text: String) -> String {
        text.replacingAll("$c", campaignId).replacingAll("$p", phaseId).replacingAll("$t", taskId)
    }
    var target = withIds(text(lines[0]))
    if target.isEmpty { target = "/" }
    // Only a body that is valid UTF-8 gets the ids put in (other bytes must reach the handler as they are).
    let body = String(validating: rest, as: UTF8.self).map { Array(withIds($0).utf8) } ?? Array(rest)
    let (authorization, queryToken) = credentials(control >> 3 & 7)
    if let queryToken { target += (target.contains("?") ? "&" : "?") + "access_token=" + queryToken }

    var head = "\(methods[Int(control & 7)]) \(target) HTTP/1.1\r\nHost: fuzz\r\n"
    if let authorization { head += "Authorization: \(authorization)\r\n" }
    if let contentType = contentTypes[Int(control >> 6)] { head += "Content-Type: \(contentType)\r\n" }
    for (name, line) in zip(["Last-Event-ID", "If-Match", "Accept-Encoding", "X-Client-Id"], lines[1...]) where !line.isEmpty {
        head += "\(name): \(text(line))\r\n"
    }
    if !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
    return Array((head + "\r\n").utf8) + body
}

extension String {
    func replacingAll(_ pattern: String, _ replacement: String) -> String {
        split(separator: pattern, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

func checkResponse(_ response: HTTPResponse, _ request: HTTPRequest) {
    let status = response.status.code
    let what = "\(request.method) \(request.target) → \(status)"
    check(status < 500, "\(what): a server error from the in-memory application")
    check(response.headers["X-Request-Id"] != nil, "\(what): no X-Request-Id")
    guard case .bytes(let body) = response.body else { return }
    if status >= 400 {
        check(response.headers["Content-Type"] == "application/json", "\(what): an error that is not application/json")
        checkErrorShape(body, what)
    }
    if status == 401 { check(response.headers["WWW-Authenticate"] != nil, "\(what): a 401 without WWW-Authenticate") }

    // What the connection does next: compression as negotiated, then the head.
    var sent = response
    sent.negotiateCompression(acceptEncoding: request.headers["Accept-Encoding"])
    if case .bytes(let compressed) = sent.body, sent.headers["Content-Encoding"] == "gzip" {
        check(Gzip.decompress(compressed) == body, "\(what): the gzip body does not decompress to the body")
    }
    let head = sent.encodedHead(version: request.version, date: "Thu, 01 Jan 2026 00:00:00 GMT", contentLength: body.count, keepAlive: true)
    check(head.suffix(4) == [0x0D, 0x0A, 0x0D, 0x0A], "\(what): the head does not end with an empty line")
    for (index, byte) in head.enumerated() where byte == 0x0A {
        check(index > 0 && head[index - 1] == 0x0D, "\(what): a bare LF in the response head")
    }
}

/// Opens the stream as the connection would, reads up to `connected`, hangs up, and waits for the
/// room to let go of it.
func exerciseStream(_ open: @Sendable (any ResponseStream) -> Void, registry: RoomRegistry, _ request: HTTPRequest) {
    let stream = FuzzStream()
    open(stream)
    let connected = stream.wait { bytes in
        String(decoding: bytes, as: UTF8.self).contains("event: connected")
    }
    check(connected, "\(request.target): the stream neither said connected nor closed within \(settleSeconds) s")
    let text = String(decoding: stream.state.withLock { $0.bytes }, as: UTF8.self)
    check(text.isEmpty || text.hasPrefix("retry: "), "\(request.target): the stream does not start with retry: \(text.prefix(80))")
    let (rooms, timers) = roomsOnceJoined(registry, request)
    stream.end(.clientClosed)
    let deadline = DispatchTime.now() + settleSeconds
    while registry.roomCount > 0 {
        check(DispatchTime.now() < deadline, "\(request.target): the room outlived its only client by \(settleSeconds) s")
        usleep(200)
    }
    // Out of the registry is not yet freed: a join still finishing (a resume past the newest event waits
    // for the store) or the drop's `stop` holds the room a moment longer. LeakSanitizer cannot follow a
    // live object's reference count to its weak-reference side table, so a room alive at the leak check
    // shows as a 32-byte leak from `join`.
    while rooms.contains(where: { $0.room != nil }) {
        check(DispatchTime.now() < deadline, "\(request.target): the room was not freed \(settleSeconds) s after its only client left")
        usleep(200)
    }
    // Nor is a freed room's side table gone: its cancelled timer task holds a weak reference to the
    // room until it has run.
    for timer in timers { runBlocking { await timer.value } }
}

struct WeakRoom {
    weak var room: CampaignRoom?
}

extension CampaignRoom {
    /// Whether no join is under way, and the room's timer task.
    func joinsAndTimer() -> (joined: Bool, timer: Task<Void, Never>?) { (catchingUp.isEmpty, timerTask) }
}

/// The registry's rooms (weakly, so that waiting does not keep them alive) once their joins have
/// finished, and their timer tasks: after a join, only a heartbeat starts another.
func roomsOnceJoined(_ registry: RoomRegistry, _ request: HTTPRequest) -> ([WeakRoom], [Task<Void, Never>]) {
    let deadline = DispatchTime.now() + settleSeconds
    var timers: [Task<Void, Never>] = []
    for room in registry.allRooms() {
        while true {
            let (joined, timer) = runBlocking { await room.joinsAndTimer() }
            if joined {
                if let timer { timers.append(timer) }
                break
            }
            check(DispatchTime.now() < deadline, "\(request.target): a join did not finish within \(settleSeconds) s")
            usleep(200)
        }
    }
    return (registry.allRooms().map(WeakRoom.init), timers)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRouter(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 1 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let application = makeApplication()
    defer { application.tearDown() }
    var parser = HTTPParser(limits: AppConfiguration().http.limits)
    parser.append(requestBytes(input, phaseId: application.phaseId))
    guard case .request(var parsed) = parser.next() else { return 0 }
    parsed.bodyIsLarge = parsed.body.count % 2 == 1
    let request = parsed
    let handler = application.handler
    let response = runBlocking { await handler.handle(request) }
    if printOutcomes {
        var line = "\(request.method) \(request.target) → \(response.status.code)"
        if case .bytes(let body) = response.body { line += " " + String(decoding: body.prefix(400), as: UTF8.self) }
        report(line)
    }
    checkResponse(response, request)
    if case .stream(let open) = response.body { exerciseStream(open, registry: application.registry, request) }
    return 0
}
