import Foundation

/// Number formatting shared by the tables and the HTML report.
enum Format {
    static func ms(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f ms", value) : String(format: "%.2f ms", value)
    }

    static func count(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0 && offset % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return String(out.reversed())
    }

    static func kib(_ bytes: Double) -> String { String(format: "%.2f KiB", bytes / 1024) }

    static func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

    /// Left-aligned label, then the value: the rows of every table.
    static func row(_ label: String, _ value: String) -> String {
        label.padding(toLength: 22, withPad: " ", startingAt: 0) + value
    }
}
