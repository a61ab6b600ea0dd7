/// Reads Prometheus text format 0.0.4 back, strictly enough that a malformed exposition fails the tests.
struct ExpositionParser {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    var help: [String: String] = [:]
    var types: [String: String] = [:]
    var samples: [Sample] = []

    init(_ text: String) throws {
        guard text.isEmpty || text.hasSuffix("\n") else { throw ParseError(line: 0, reason: "no final line feed") }
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let number = offset + 1
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst(7)
                guard let space = rest.firstIndex(of: " ") else { throw ParseError(line: number, reason: "HELP without text") }
                help[String(rest[..<space])] = try Self.unescape(rest[rest.index(after: space)...], quotes: false, line: number)
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ")
                guard parts.count == 2, ["counter", "gauge", "histogram"].contains(parts[1]) else {
                    throw ParseError(line: number, reason: "bad TYPE")
                }
                guard types[String(parts[0])] == nil else { throw ParseError(line: number, reason: "TYPE repeated") }
                types[String(parts[0])] = String(parts[1])
            } else if line.hasPrefix("#") || line.isEmpty {
                throw ParseError(line: number, reason: "unexpected line")
            } else {
                samples.append(try Self.sample(line, line: number))
            }
        }
    }

    /// The samples of `name` whose labels include `labels`.
    func values(_ name: String, _ labels: [String: String] = [:]) -> [Double] {
        samples.filter { sample in
            sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value }
        }.map(\.value)
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let found = values(name, labels)
        return found.count == 1 ? found[0] : nil
    }

    private static func sample(_ text: Substring, line: Int) throws -> Sample {
        var index = text.startIndex
        while index < text.endIndex, text[index] != "{", text[index] != " " { index = text.index(after: index) }
        let name = String(text[text.startIndex..<index])
        var labels: [String: String] = [:]
        if index < text.endIndex, text[index] == "{" {
            index = text.index(after: index)
            while text[index] != "}" {
                guard let equals = text[index...].firstIndex(of: "=") else { throw ParseError(line: line, reason: "label without =") }
                let labelName = String(text[index..<equals])
                var cursor = text.index(after: equals)
                guard text[cursor] == "\"" else { throw ParseError(line: line, reason: "unquoted label value") }
                cursor = text.index(after: cursor)
                let valueStart = cursor
                while text[cursor] != "\"" {
                    if text[cursor] == "\\" { cursor = text.index(after: cursor) }
                    cursor = text.index(after: cursor)
                }
                guard labels[labelName] == nil else { throw ParseError(line: line, reason: "label repeated") }
                labels[labelName] = try unescape(text[valueStart..<cursor], quotes: true, line: line)
                index = text.index(after: cursor)
                if text[index] == "," { index = text.index(after: index) }
            }
            index = text.index(after: index)
        }
        guard index < text.endIndex, text[index] == " " else { throw ParseError(line: line, reason: "no value") }
        let valueText = text[text.index(after: index)...]
        let value: Double
        switch valueText {
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        case "NaN": value = .nan
        default:
            guard let parsed = Double(valueText) else { throw ParseError(line: line, reason: "bad value \(valueText)") }
            value = parsed
        }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func unescape(_ text: Substring, quotes: Bool, line: Int) throws -> String {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "\"" where quotes: out.append("\"")
                default: throw ParseError(line: line, reason: "bad escape \\\(character)")
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\n" || (quotes && character == "\"") {
                throw ParseError(line: line, reason: "unescaped \(character)")
            } else {
                out.append(character)
            }
        }
        guard !escaping else { throw ParseError(line: line, reason: "dangling backslash") }
        return out
    }
}
