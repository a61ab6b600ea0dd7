import Glibc
import Synchronization

/// The `Date` header value (IMF-fixdate), recomputed once a second by the event loop's tick rather
/// than formatted per request.
public final class HTTPDate: Sendable {
    private let current: Mutex<String>

    public init() {
        current = Mutex(Self.format(time(nil)))
    }

    /// The value for this second.
    public var value: String { current.withLock { $0 } }

    /// Refreshes the cached value; called from a periodic tick.
    public func refresh() {
        let text = Self.format(time(nil))
        current.withLock { $0 = text }
    }

    static func format(_ seconds: time_t) -> String {
        var moment = tm()
        var now = seconds
        gmtime_r(&now, &moment)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(moment.tm_wday)]), \(two(moment.tm_mday)) \(months[Int(moment.tm_mon)]) \(moment.tm_year + 1900) "
            + "\(two(moment.tm_hour)):\(two(moment.tm_min)):\(two(moment.tm_sec)) GMT"
    }
}
