import Foundation

/// Reading libpq connection strings just enough to validate them and hide their passwords.
enum ConnectionString {
    /// One `key=value` of the keyword form.
    struct Parameter: Equatable {
        var key: String
        var value: String
    }

    /// Whether `text` is a PostgreSQL URL (`postgresql://…`, `postgres://…`) rather than keyword form.
    static func isURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://")
    }

    /// `text` with every password replaced by `***`: the `user:password@` of a URL, a URL's
    /// `password=` query parameter, and the `password=` of the keyword form.
    static func redact(_ text: String) -> String {
        if let separator = text.range(of: "://") {
            return redactURL(text, authorityStart: separator.upperBound)
        }
        guard let parameters = parseKeywords(text) else {
            // Unparseable: any part of it could be the password.
            return "(unparseable connection string, not shown)"
        }
        return parameters.map { parameter in
            let value = parameter.key.lowercased() == "password" ? "***" : quoteIfNeeded(parameter.value)
            return "\(parameter.key)=\(value)"
        }.joined(separator: " ")
    }

    private static func redactURL(_ text: String, authorityStart: String.Index) -> String {
        var result = String(text[..<authorityStart])
        var rest = text[authorityStart...]
        // The last `@` ends the user information even when an unencoded password holds `@`, `/` or `?`.
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                result += userInfo[..<colon] + ":***@"
            } else {
                result += userInfo + "@"
            }
            rest = rest[rest.index(after: at)...]
        }
        guard let question = rest.firstIndex(of: "?") else { return result + rest }
        result += rest[...question]
        let query = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let key = pair.prefix { $0 != "=" }
            return key.lowercased() == "password" && key.count < pair.count ? key + "=***" : String(pair)
        }
        return result + query.joined(separator: "&")
    }

    /// The keyword form (`host=db port=5432 password='a b'`), or nil when it is not well formed.
    static func parseKeywords(_ text: String) -> [Parameter]? {
        var parameters: [Parameter] = []
        var index = text.startIndex
        func skipSpace() {
            while index < text.endIndex, text[index].isWhitespace { index = text.index(after: index) }
        }
        while true {
            skipSpace()
            guard index < text.endIndex else { break }
            let keyStart = index
            while index < text.endIndex, text[index].isASCII, text[index].isLetter || text[index] == "_" {
                index = text.index(after: index)
            }
            let key = String(text[keyStart..<index])
            guard !key.isEmpty else { return nil }
            skipSpace()
            guard index < text.endIndex, text[index] == "=" else { return nil }
            index = text.index(after: index)
            skipSpace()
            var value = ""
            if index < text.endIndex, text[index] == "'" {
                index = text.index(after: index)
                var closed = false
                while index < text.endIndex {
                    let character = text[index]
                    index = text.index(after: index)
                    if character == "'" {
                        closed = true
                        break
                    }
                    if character == "\\", index < text.endIndex {
                        value.append(text[index])
                        index = text.index(after: index)
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { return nil }
            } else {
                while index < text.endIndex, !text[index].isWhitespace {
                    if text[index] == "\\", text.index(after: index) < text.endIndex {
                        index = text.index(after: index)
                    }
                    value.append(text[index])
                    index = text.index(after: index)
                }
            }
            parameters.append(Parameter(key: key, value: value))
        }
        return parameters.isEmpty ? nil : parameters
    }

    private static func quoteIfNeeded(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0.isWhitespace || $0 == "'" || $0 == "\\" }) else { return value }
        return "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
