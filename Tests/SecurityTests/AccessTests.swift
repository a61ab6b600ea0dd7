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
        let campaign = TokenFixtures.campaign, other = TokenFixtures.otherCampaign
        let scoped = TokenFixtures.claims(role: .viewer).campaigns
        func check(_ role: Role, _ scope: CampaignScope, _ target: AccessTarget, needs: Role) -> AuthorizationFailure? {
            authorize(role: role, scope: scope, target: target, needs: needs)
        }

        #expect(check(.viewer, scoped, .campaign(campaign), needs: .viewer) == nil)
        #expect(check(.viewer, scoped, .campaign(campaign), needs: .editor) == .roleTooLow(required: .editor))
        #expect(check(.editor, scoped, .campaign(campaign), needs: .editor) == nil)
        #expect(check(.editor, scoped, .campaign(campaign.uppercased()), needs: .editor) == nil)
        // A foreign campaign is refused for its scope even when the role would also be too low.
        #expect(check(.viewer, scoped, .campaign(other), needs: .editor) == .campaignNotAllowed)
        #expect(check(.editor, scoped, .campaign(other), needs: .viewer) == .campaignNotAllowed)
        #expect(check(.admin, .all, .campaign(other), needs: .admin) == nil)
        #expect(check(.admin, .only([]), .campaign(campaign), needs: .viewer) == .campaignNotAllowed)
    }

    /// Creating a campaign concerns every campaign: the role first, then a token for all of them.
    @Test func everyCampaignNeedsAnUnscopedToken() {
        let scoped = TokenFixtures.claims(role: .admin).campaigns
        #expect(authorize(role: .admin, scope: .all, target: .everyCampaign, needs: .admin) == nil)
        #expect(authorize(role: .admin, scope: scoped, target: .everyCampaign, needs: .admin) == .needsEveryCampaign)
        #expect(authorize(role: .editor, scope: .all, target: .everyCampaign, needs: .admin) == .roleTooLow(required: .admin))
        #expect(authorize(role: .editor, scope: scoped, target: .everyCampaign, needs: .admin) == .roleTooLow(required: .admin))
    }

    /// RFC 6750 §3.1: no error code for a request without credentials, `invalid_token` for a refused one.
    @Test func theChallengeNamesAnErrorOnlyForARefusedToken() {
        #expect(BearerChallenge.header(tokenRefused: false) == #"Bearer realm="campaigns""#)
        #expect(BearerChallenge.header(tokenRefused: true) == #"Bearer realm="campaigns", error="invalid_token""#)
        #expect(AuthorizationFailure.roleTooLow(required: .editor).clientMessage == "this needs the editor role")
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
