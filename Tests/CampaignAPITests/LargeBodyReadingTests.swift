import Glibc
import HTTP
import Logging
import Testing
@testable import CampaignAPI

/// A large body is parsed and validated on the idle worker, where any ordinary thread preempts it; a
/// small one where its handler runs.
@Suite struct LargeBodyReadingTests {
    /// SCHED_IDLE, which glibc declares only under _GNU_SOURCE.
    private static let schedIdle: Int32 = 5

    private func context(bodyIsLarge: Bool) -> RequestContext {
        var request = HTTPRequest(
            method: "POST", target: "/api/campaigns", path: "/api/campaigns", pathSegments: ["api", "campaigns"],
            query: [], version: .http1_1, headers: HTTPHeaders())
        request.bodyIsLarge = bodyIsLarge
        return RequestContext(
            request: request, parameters: [:], principal: .authDisabled, requestId: "test", baseLogger: Logger(label: "test"))
    }

    @Test func aLargeBodyIsReadAtIdlePriorityAndASmallOneIsNot() async throws {
        #expect(try await context(bodyIsLarge: true).readingBody { sched_getscheduler(0) } == Self.schedIdle)
        #expect(try await context(bodyIsLarge: false).readingBody { sched_getscheduler(0) } != Self.schedIdle)
    }

    @Test func anErrorWhileReadingALargeBodyComesBackAsItWasThrown() async {
        await #expect(throws: APIError.self) {
            try await context(bodyIsLarge: true).readingBody { () throws(APIError) -> Int in
                throw APIError.badRequest("no", field: "body")
            }
        }
    }
}
