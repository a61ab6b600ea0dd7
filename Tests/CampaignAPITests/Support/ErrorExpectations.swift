import APITestSupport
import CampaignModel
import Testing

/// Checks an error answer: its status, `Content-Type: application/json` and the body shape
/// `{"error":{"code","message",…}}`, and when given, `error.code` and `error.field`.
func expectError(
    _ response: APIClient.Response, _ status: Int, code: String? = nil, field: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "status \(response.status), body \(String(decoding: response.body, as: UTF8.self))",
            sourceLocation: sourceLocation)
    expectErrorShape(response, sourceLocation: sourceLocation)
    if let code { #expect(response.errorCode == code, sourceLocation: sourceLocation) }
    if let field {
        #expect(response.json["error"]?["field"]?.stringValue == field,
                "error.field of \(response.json)", sourceLocation: sourceLocation)
    }
}

/// The JSON error shape of docs/API.md, whatever the status.
func expectErrorShape(_ response: APIClient.Response, sourceLocation: SourceLocation = #_sourceLocation) {
    let contentType = response.header("Content-Type")?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
    #expect(contentType == "application/json", "Content-Type \(response.header("Content-Type") ?? "none")",
            sourceLocation: sourceLocation)
    let error = response.json["error"]
    #expect(error?.objectValue != nil, "body \(String(decoding: response.body, as: UTF8.self))", sourceLocation: sourceLocation)
    let code = error?["code"]?.stringValue ?? ""
    let message = error?["message"]?.stringValue ?? ""
    #expect(!code.isEmpty && !message.isEmpty, sourceLocation: sourceLocation)
}

extension APIClient.Response {
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Whether `value` is an RFC 3339 UTC time with milliseconds (`2026-03-01T09:30:00.123Z`).
func isTimestamp(_ value: JSONValue?) -> Bool {
    guard let text = value?.stringValue else { return false }
    let bytes = Array(text.utf8)
    guard bytes.count == 24 else { return false }
    let pattern = Array("dddd-dd-ddTdd:dd:dd.dddZ".utf8)
    for (byte, expected) in zip(bytes, pattern) {
        if expected == UInt8(ascii: "d") {
            guard (0x30...0x39).contains(byte) else { return false }
        } else if byte != expected {
            return false
        }
    }
    return Timestamp(rfc3339: text) != nil
}
