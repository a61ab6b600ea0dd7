import Glibc

/// A point in time as milliseconds since the Unix epoch, formatted as RFC 3339 UTC with milliseconds
/// (`2026-11-27T08:15:00.123Z`) without a date formatter.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    /// Whole seconds since the epoch, saturating at the ends of the range instead of trapping: the
    /// seconds may come from outside (a token's `exp`).
    public init(secondsSinceEpoch seconds: Int64) {
        let (milliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        self.init(millisecondsSinceEpoch: overflow ? (seconds < 0 ? .min : .max) : milliseconds)
    }

    /// The wall-clock time now.
    public static func now() -> Timestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp(millisecondsSinceEpoch: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.millisecondsSinceEpoch < b.millisecondsSinceEpoch }

    public var description: String { rfc3339 }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`. Written straight into the string's storage: snapshots format
    /// thousands of these per request.
    public var rfc3339: String {
        let milliseconds = Int(millisecondsSinceEpoch.modulo(1000))
        let seconds = millisecondsSinceEpoch.floorDivided(by: 1000)
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = Int(seconds.modulo(86_400))
        let (year, month, day) = CivilDate.fromDaysSinceEpoch(days)
        return String(unsafeUninitializedCapacity: 24) { out in
            func put(_ value: Int, width: Int, at offset: Int) {
                var rest = value
                for position in stride(from: offset + width - 1, through: offset, by: -1) {
                    out[position] = UInt8(0x30 + rest % 10)
                    rest /= 10
                }
            }
            put(year, width: 4, at: 0)
            out[4] = 0x2D
            put(month, width: 2, at: 5)
            out[7] = 0x2D
            put(day, width: 2, at: 8)
            out[10] = 0x54
            put(secondOfDay / 3600, width: 2, at: 11)
            out[13] = 0x3A
            put(secondOfDay / 60 % 60, width: 2, at: 14)
            out[16] = 0x3A
            put(secondOfDay % 60, width: 2, at: 17)
            out[19] = 0x2E
            put(milliseconds, width: 3, at: 20)
            out[23] = 0x5A
            return 24
        }
    }

    /// Parses the RFC 3339 form this type writes (UTC, `Z`, 0–9 fraction digits; `+00:00` also accepted).
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54 || bytes[10] == 0x74,
            bytes[13] == 0x3A, bytes[16] == 0x3A
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard (0x30...0x39).contains(bytes[index]) else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            CivilDate.isValid(year: year, month: month, day: day), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var milliseconds = 0
        if bytes[index] == 0x2E {
            index += 1
            var digits = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                if digits < 3 { milliseconds = milliseconds * 10 + Int(bytes[index] - 0x30) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if digits < 3 { for _ in digits..<3 { milliseconds *= 10 } }
        }
        let suffix = String(decoding: bytes[index...], as: UTF8.self)
        guard suffix == "Z" || suffix == "z" || suffix == "+00:00" else { return nil }
        let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.init(millisecondsSinceEpoch: seconds * 1000 + Int64(milliseconds))
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    func modulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
