import HTTP
import Testing
@testable import Security

@Suite struct AccessTests {
    @Test(arguments: ["Bearer abc.def.ghi", "bearer abc.def.ghi", "BEARER abc.def.ghi", "  Bearer   abc.def.ghi  ", "Bearer\tabc.def.ghi"])
    func readsABearerHeaderWithAnyCaseAndSpacing(header: String) {
        let request = RequestFixtures.request(headers: [("Authorization", header)])
        #expect(Access.bearerToken(from: request, allowQueryToken: false) == "abc.def.ghi")
    }

    @Test(arguments: ["Basic YWxpY2U6c2VjcmV0", "Bearer", "Bearer ", "Bearerabc.def.ghi", "Bearer abc def", "Token abc.def.ghi", ""])
    func refusesOtherCredentials(header: String) {
        let request = RequestFixtures.request(headers: [("Authorization", header)])
        #expect(Access.bearerToken(from: request, allowQueryToken: true) == nil)
    }

    @Test func refusesSeveralAuthorizationFields() {
        let request = RequestFixtures.request(headers: [("Authorization", "Bearer one"), ("authorization", "Bearer two")])
        #expect(Access.bearerToken(from: request, allowQueryToken: false) == nil)
    }

    @Test func acceptsTheQueryTokenOnlyWhenAllowed() {
        let request = RequestFixtures.request(path: "/api/events/x", query: [("access_token", "abc.def.ghi")])
        #expect(Access.bearerToken(from: request, allowQueryToken: true) == "abc.def.ghi")
        #expect(Access.bearerToken(from: request, allowQueryToken: false) == nil)
        let empty = RequestFixtures.request(path: "/api/events/x", query: [("access_token", "")])
        #expect(Access.bearerToken(from: empty, allowQueryToken: true) == nil)
    }

    @Test func prefersTheHeaderOverTheQuery() {
        let request = RequestFixtures.request(
            path: "/api/events/x", query: [("access_token", "from.query.token")], headers: [("Authorization", "Bearer from.header.token")])
        #expect(Access.bearerToken(from: request, allowQueryToken: true) == "from.header.token")
    }

    @Test func missingEverywhereIsNil() {
        #expect(Access.bearerToken(from: RequestFixtures.request(), allowQueryToken: true) == nil)
    }

    // MARK: roles and scope

    @Test func ordersRoles() {
        #expect(Role.viewer < .editor && Role.editor < .admin && Role.viewer < .admin)
        #expect(!(Role.admin < .admin))
        #expect(Role.allCases.sorted() == [.viewer, .editor, .admin])
    }

    @Test func authorizesByScopeThenRole() {
        let viewer = TokenFixtures.claims(role: .viewer)
        let editor = TokenFixtures.claims(role: .editor)
        let admin = TokenFixtures.claims(role: .admin, campaigns: .all)
        let campaign = TokenFixtures.campaign, other = TokenFixtures.otherCampaign

        #expect(authorize(viewer, campaignID: campaign, needs: .viewer) == nil)
        #expect(authorize(viewer, campaignID: campaign, needs: .editor) == .roleTooLow(required: .editor))
        #expect(authorize(editor, campaignID: campaign, needs: .editor) == nil)
        #expect(authorize(editor, campaignID: campaign.uppercased(), needs: .editor) == nil)
        #expect(authorize(editor, campaignID: nil, needs: .admin) == .roleTooLow(required: .admin))
        // A foreign campaign is refused for its scope even when the role would also be too low.
        #expect(authorize(viewer, campaignID: other, needs: .editor) == .campaignNotAllowed)
        #expect(authorize(editor, campaignID: other, needs: .viewer) == .campaignNotAllowed)
        #expect(authorize(admin, campaignID: other, needs: .admin) == nil)
        #expect(authorize(TokenFixtures.claims(role: .admin, campaigns: .only([])), campaignID: campaign, needs: .viewer) == .campaignNotAllowed)
    }

    @Test func refusalsBecomeTheAPIErrors() {
        let unauthorized = TokenError.expired.response()
        #expect(unauthorized.status == .unauthorized)
        #expect(unauthorized.headers["WWW-Authenticate"] == #"Bearer realm="api", error="invalid_token""#)
        #expect(unauthorized.headers["Content-Type"] == "application/json")
        #expect(TokenError.missing.response().headers["WWW-Authenticate"] == #"Bearer realm="api""#)
        guard case .bytes(let body) = unauthorized.body else {
            Issue.record("expected a complete body")
            return
        }
        #expect(String(decoding: body, as: UTF8.self) == #"{"error":{"code":"unauthorized","message":"the access token has expired"}}"#)

        let forbidden = AuthorizationFailure.campaignNotAllowed.response()
        #expect(forbidden.status == .forbidden)
        #expect(AuthorizationFailure.roleTooLow(required: .editor).httpError.message == "this operation needs the editor role")
    }

    // MARK: constant-time comparison

    @Test func comparesSecretsExactly() {
        #expect(ConstantTime.equals("metrics-token-1", "metrics-token-1"))
        #expect(!ConstantTime.equals("metrics-token-1", "metrics-token-2"))
        #expect(!ConstantTime.equals("metrics-token", "metrics-token-1"))
        #expect(!ConstantTime.equals("metrics-token-1", "metrics-token"))
        #expect(!ConstantTime.equals("", "metrics-token"))
        #expect(!ConstantTime.equals("metrics-token", ""))
        #expect(ConstantTime.equals("", ""))
        // Same length, periodic repetition of the expected value must not match.
        #expect(!ConstantTime.equals("abab", "ab"))
    }
}
