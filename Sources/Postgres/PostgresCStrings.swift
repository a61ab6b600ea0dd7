import Glibc

/// NUL-terminated copies of Swift strings, alive for the duration of one libpq call.
struct PostgresCStrings: ~Copyable {
    private var pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String?]) {
        pointers = strings.map { string in string.flatMap { strdup($0) } }
    }

    deinit {
        for pointer in pointers { free(pointer) }
    }

    /// Calls `body` with a `const char * const *` view of the strings (NULL for nil).
    func withPointers<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> R) rethrows -> R {
        let constants = pointers.map { $0.map { UnsafePointer($0) } }
        return try constants.withUnsafeBufferPointer { try body($0.baseAddress) }
    }
}
