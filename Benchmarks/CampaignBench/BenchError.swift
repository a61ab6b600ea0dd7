/// A failure that ends a benchmark run, with the sentence the operator reads.
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
