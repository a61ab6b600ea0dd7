import CampaignAPI
import Testing
@testable import ServerConfiguration

/// LOG_FORMAT, ACCESS_LOG, SHUTDOWN_READINESS_DELAY_SECONDS and TRUSTED_PROXIES: read, defaulted and refused with the variable's name.
@Suite struct LogAndProxySettingsTests {
    typealias Fixtures = ConfigurationFixtures

    @Test func defaults() throws {
        let configuration = try Fixtures.load([:])
        #expect(configuration.logFormat == .text && !configuration.accessLog && configuration.trustedProxies.isEmpty)
        #expect(configuration.server.shutdownReadinessDelaySeconds == 5)
    }

    @Test func readsTheValues() throws {
        let configuration = try Fixtures.load([
            "LOG_FORMAT": "JSON", "ACCESS_LOG": "true", "TRUSTED_PROXIES": " 10.0.0.0/8 , 192.168.1.10,10.0.0.0/8",
            "SHUTDOWN_READINESS_DELAY_SECONDS": "0",
        ])
        #expect(configuration.logFormat == .json && configuration.accessLog)
        #expect(configuration.trustedProxies.ranges.map(\.description) == ["10.0.0.0/8", "192.168.1.10/32"])
        #expect(configuration.server.shutdownReadinessDelaySeconds == 0)
        #expect(configuration.summary()["TRUSTED_PROXIES"] == "10.0.0.0/8,192.168.1.10/32")
    }

    @Test(arguments: [
        ("LOG_FORMAT", "logfmt"), ("ACCESS_LOG", "sometimes"), ("SHUTDOWN_READINESS_DELAY_SECONDS", "-1"),
        ("SHUTDOWN_READINESS_DELAY_SECONDS", "3601"), ("TRUSTED_PROXIES", "10.0.0.0/33"), ("TRUSTED_PROXIES", "10.0.0.1/8"),
        ("TRUSTED_PROXIES", "proxy.internal"), ("TRUSTED_PROXIES", "10.0.0/8"), ("TRUSTED_PROXIES", "10.0.0.0/8/8"),
        ("TRUSTED_PROXIES", "010.0.0.1"), ("TRUSTED_PROXIES", "::1"), ("TRUSTED_PROXIES", "10.0.0.0/"),
    ])
    func refusesABadValue(variable: String, value: String) {
        let error = Fixtures.error([variable: value])
        #expect(error?.description.hasPrefix(variable) == true, "\(variable)=\(value): \(error?.description ?? "accepted")")
    }
}

/// Whose address a log line names: X-Forwarded-For counts only from a trusted peer, walked from the right.
@Suite struct TrustedProxiesTests {
    let proxies = TrustedProxies.parse("10.0.0.0/8,127.0.0.1")!
    let loopback: UInt32 = 0x7F00_0001
    let outsider: UInt32 = 0xCB00_7109  // 203.0.113.9

    @Test func anUntrustedPeerIsTheClientWhateverItClaims() {
        #expect(proxies.clientAddress(peer: outsider, forwardedFor: "198.51.100.1") == "203.0.113.9")
        #expect(TrustedProxies().clientAddress(peer: loopback, forwardedFor: "198.51.100.1") == "127.0.0.1")
    }

    @Test func aTrustedPeerNamesTheFirstUntrustedHopFromTheRight() {
        #expect(proxies.clientAddress(peer: loopback, forwardedFor: "198.51.100.1") == "198.51.100.1")
        // The client may write anything on the left; the entry our own proxy added is the one to believe.
        #expect(proxies.clientAddress(peer: loopback, forwardedFor: "6.6.6.6, 198.51.100.1, 10.1.2.3") == "198.51.100.1")
        #expect(proxies.clientAddress(peer: loopback, forwardedFor: "10.9.9.9, 10.1.2.3") == "10.9.9.9")
        #expect(proxies.clientAddress(peer: loopback, forwardedFor: nil) == "127.0.0.1")
        #expect(proxies.clientAddress(peer: loopback, forwardedFor: "") == "127.0.0.1")
    }

    @Test func junkEndsTheWalkAndIPv6IsAClient() {
        #expect(proxies.clientAddress(peer: loopback, forwardedFor: "198.51.100.1, junk") == "127.0.0.1")
        #expect(proxies.clientAddress(peer: loopback, forwardedFor: "junk, 10.1.2.3") == "10.1.2.3")
        #expect(proxies.clientAddress(peer: loopback, forwardedFor: "2001:DB8::1") == "2001:db8::1")
        #expect(proxies.clientAddress(peer: loopback, forwardedFor: "1.2.3.4:80") == "127.0.0.1")
        #expect(proxies.clientAddress(peer: nil, forwardedFor: "1.2.3.4") == "unknown")
    }
}
