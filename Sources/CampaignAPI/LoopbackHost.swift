/// The `Host` names that reach this machine only: `localhost`, `127.x.x.x` and `[::1]`, each with an
/// optional port. With authentication disabled only these are served, so a web page whose own name
/// was re-pointed at 127.0.0.1 (DNS rebinding) cannot drive the API with the browser's help: its
/// requests carry that page's name, not one of these.
enum LoopbackHost {
    static func allows(_ host: String) -> Bool {
        var name = Substring(host.lowercased())
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return false }
            let rest = name[name.index(after: close)...]
            guard rest.isEmpty || (rest.first == ":" && isPort(rest.dropFirst())) else { return false }
            return name[...close] == "[::1]"
        }
        if let colon = name.lastIndex(of: ":") {
            guard isPort(name[name.index(after: colon)...]) else { return false }
            name = name[..<colon]
        }
        if name.hasSuffix(".") { name = name.dropLast() }  // the fully qualified spelling
        return name == "localhost" || isLoopbackIPv4(name)
    }

    /// `:port` without the colon: 1 to 5 digits.
    private static func isPort(_ text: Substring) -> Bool {
        !text.isEmpty && text.count <= 5 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// A dotted quad in 127.0.0.0/8.
    private static func isLoopbackIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber } && Int(part)! <= 255
        }
    }
}
