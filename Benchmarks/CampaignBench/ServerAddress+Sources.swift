extension ServerAddress {
    /// Local addresses to spread client connections over: 127.0.0.2, 127.0.0.3, … for a loopback server,
    /// since one source address runs out of ephemeral ports to one server port near 28,000 connections
    /// (fewer while old ones sit in TIME_WAIT). `[nil]` (the kernel's choice) otherwise or when `count` is 0.
    func sourceAddresses(count: Int) -> [String?] {
        guard isLoopback, count > 0 else { return [nil] }
        return (0..<min(count, 250)).map { "127.0.0.\($0 + 2)" }
    }
}
