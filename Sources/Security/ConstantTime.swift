/// Comparisons of secrets whose duration does not reveal where two values first differ.
public enum ConstantTime {
    /// Whether `presented` equals `expected` (e.g. a `METRICS_TOKEN`), in time that depends only on the lengths.
    public static func equals(_ presented: String, _ expected: String) -> Bool {
        let x = Array(presented.utf8), y = Array(expected.utf8)
        var difference: UInt8 = x.count == y.count ? 0 : 1
        // Walk the presented value fully even when the lengths differ; the loop never exits early.
        for index in 0..<x.count {
            difference |= x[index] ^ (y.isEmpty ? 0 : y[index % y.count])
        }
        return difference == 0
    }
}
