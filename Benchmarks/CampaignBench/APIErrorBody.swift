import Foundation

/// Reads the human part of an API error body (`{"error": {"message": …}}`) for error sentences.
enum APIErrorBody {
    /// `error.message` when the body is an API error, else the body's start.
    static func message(_ body: [UInt8]) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
           let error = object["error"] as? [String: Any], let message = error["message"] as? String {
            return message
        }
        return String(String(decoding: body.prefix(300), as: UTF8.self))
    }
}
