import Glibc

/// Resource ids are UUIDs written as lower-case text (docs/API.md).
public enum Identifier {
    /// Whether `text` is a UUID in the 8-4-4-4-12 hex form (either case).
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == 0x2D else { return false }
            } else {
                guard (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte) else {
                    return false
                }
            }
        }
        return true
    }

    /// The canonical (lower-case) form of a valid UUID, or nil.
    public static func normalized(_ text: String) -> String? {
        isValid(text) ? text.lowercased() : nil
    }

    /// A new random (version 4) UUID in lower-case text.
    public static func random() -> String {
        let (high, low) = RandomPool.shared.next128()
        return String(unsafeUninitializedCapacity: 36) { out in
            let hex: StaticString = "0123456789abcdef"
            var written = 0
            for index in 0..<16 {
                var byte = UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> (8 * UInt64(index % 8)))
                if index == 6 { byte = (byte & 0x0F) | 0x40 }  // version 4
                if index == 8 { byte = (byte & 0x3F) | 0x80 }  // RFC 4122 variant
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    out[written] = 0x2D
                    written += 1
                }
                out[written] = hex.utf8Start[Int(byte >> 4)]
                out[written + 1] = hex.utf8Start[Int(byte & 0x0F)]
                written += 2
            }
            return written
        }
    }
}
