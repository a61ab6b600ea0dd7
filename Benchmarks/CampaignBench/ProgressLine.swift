import Glibc

/// A status line rewritten in place with `\r`, shown only when stdout is a terminal.
struct ProgressLine {
    let enabled: Bool
    private var lastDrawn: UInt64 = 0
    private var visible = false

    init(enabled: Bool = isatty(STDOUT_FILENO) == 1) {
        self.enabled = enabled
    }

    /// Redraws at most ten times a second.
    mutating func update(_ text: @autoclosure () -> String) {
        guard enabled else { return }
        let now = Clock.now()
        guard now - lastDrawn >= 100_000_000 else { return }
        lastDrawn = now
        visible = true
        print("\r\u{1B}[K" + text(), terminator: "")
        fflush(nil)  // nil: every stream, without touching the global `stdout`
    }

    /// Erases the line so the next output starts clean.
    mutating func clear() {
        guard enabled, visible else { return }
        visible = false
        print("\r\u{1B}[K", terminator: "")
        fflush(nil)  // nil: every stream, without touching the global `stdout`
    }
}
