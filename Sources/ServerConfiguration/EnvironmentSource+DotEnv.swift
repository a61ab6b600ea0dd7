extension EnvironmentSource {
    /// Parses `.env` text: `KEY=value` lines, `# comments`, blank lines, an optional `export ` prefix,
    /// single-quoted (literal) or double-quoted (`\n`, `\t`, `\r`, `\"`, `\\` escapes) values.
    /// Nothing is expanded (`$HOME` stays `$HOME`); a later line for the same key wins.
    public static func parseDotEnv(_ text: String) throws(DotEnvError) -> [String: String] {
        var values: [String: String] = [:]
        // "\r\n" is a single Character in Swift, so CRLF files need it named as a separator too.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            var line = rawLine
            if line.last == "\r" { line = line.dropLast() }
            line = line.drop(while: isBlank)
            if line.isEmpty || line.first == "#" { continue }
            if line.hasPrefix("export"), let next = line.dropFirst(6).first, isBlank(next) {
                line = line.dropFirst(6).drop(while: isBlank)
            }
            let name = line.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            guard let first = name.first, !first.isNumber else {
                throw DotEnvError(line: number, reason: "expected KEY=value with a name of letters, digits and _")
            }
            var rest = line.dropFirst(name.count).drop(while: isBlank)
            guard rest.first == "=" else {
                throw DotEnvError(line: number, reason: "expected KEY=value (no '=' after \(name))")
            }
            rest = rest.dropFirst().drop(while: isBlank)
            values[String(name)] = try value(of: rest, line: number)
        }
        return values
    }

    private static func value(of text: Substring, line: Int) throws(DotEnvError) -> String {
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            // Unquoted: a `#` starts a comment only after white space, so `pa#ss` stays whole.
            var end = text.endIndex
            var index = text.startIndex
            while index < text.endIndex {
                if text[index] == "#", index > text.startIndex, isBlank(text[text.index(before: index)]) {
                    end = index
                    break
                }
                index = text.index(after: index)
            }
            var value = text[..<end]
            while let last = value.last, isBlank(last) { value = value.dropLast() }
            return String(value)
        }
        var value = ""
        var index = text.index(after: text.startIndex)
        var closed = false
        while index < text.endIndex {
            let character = text[index]
            if character == quote {
                closed = true
                index = text.index(after: index)
                break
            }
            if quote == "\"" && character == "\\" {
                index = text.index(after: index)
                guard index < text.endIndex else { break }
                switch text[index] {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                default:
                    // Unknown escapes stay as written rather than silently losing the backslash.
                    value.append("\\")
                    value.append(text[index])
                }
            } else {
                value.append(character)
            }
            index = text.index(after: index)
        }
        guard closed else {
            throw DotEnvError(line: line, reason: "the \(quote == "\"" ? "double" : "single")-quoted value is not closed on the same line")
        }
        let trailing = text[index...].drop(while: isBlank)
        guard trailing.isEmpty || trailing.first == "#" else {
            throw DotEnvError(line: line, reason: "unexpected text after the closing quote")
        }
        return value
    }

    private static func isBlank(_ character: Character) -> Bool { character == " " || character == "\t" }
}
