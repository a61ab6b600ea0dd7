import CampaignAPI
import CampaignModel

/// Reads typed settings out of an `EnvironmentSource`, turning every bad value into a `ConfigurationError`.
///
/// An empty value counts as unset, so `PORT=` in `.env` means "use the default".
struct SettingsReader {
    let source: EnvironmentSource

    /// The value of `name` with surrounding white space removed, nil when unset or empty.
    func text(_ name: String) -> String? {
        guard let raw = source[name] else { return nil }
        let trimmed = raw.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A secret exactly as given (white space can be part of it), nil when unset or empty.
    func secret(_ name: String) -> String? {
        guard let raw = source[name], !raw.isEmpty else { return nil }
        return raw
    }

    func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let text = text(name) else { return value }
        guard let parsed = Int(text), range.contains(parsed) else {
            throw .invalid(name, expected: "an integer between \(range.lowerBound) and \(range.upperBound)", value: text)
        }
        return parsed
    }

    func boolean(_ name: String, default value: Bool) throws(ConfigurationError) -> Bool {
        guard let text = text(name) else { return value }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw .invalid(name, expected: "true or false", value: text)
        }
    }
}
