/// Request bodies of an exact size for the attacks: valid JSON that the server must read and parse in
/// full before it can refuse it.
enum LargeBody {
    /// A task create whose description fills the body to `bytes` (at least the JSON around it). The
    /// description is far past the 10,000-character limit, so the server answers 400 and stores nothing.
    static func taskCreate(phaseID: String, bytes: Int) -> [UInt8] {
        let head = Array(#"{"phaseId":"\#(phaseID)","title":"abuse","description":""#.utf8)
        let tail = Array(#""}"#.utf8)
        let filler = max(0, bytes - head.count - tail.count)
        return head + [UInt8](repeating: UInt8(ascii: "x"), count: filler) + tail
    }

    /// A create with no title (refused with 400 once read), padded with JSON whitespace to `bytes`.
    static func untitledCreate(bytes: Int) -> [UInt8] {
        let json = Array(#"{"title":""}"#.utf8)
        return json + [UInt8](repeating: UInt8(ascii: " "), count: max(0, bytes - json.count))
    }
}
