// What every fuzz target shares: how a broken invariant is reported, and the `FUZZ_PRINT` switch.
// Each target defines `fuzzTargetName` ("HTTP parser", "JWT", …) for its messages.

#if canImport(Glibc)
import Glibc  // getenv and write only
#endif

/// Crashes with the invariant's message. fatalError rather than precondition, whose message -O drops;
/// libFuzzer reports the crash and saves the input as a reproducer.
@inline(never)
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("\(fuzzTargetName) invariant broken: \(message())") }
}

/// `FUZZ_PRINT=1` (set by `Fuzz/run … --reproduce`) prints what each run produced, to read a reproducer.
let printOutcomes = getenv("FUZZ_PRINT").map { String(cString: $0) == "1" } ?? false

/// To stderr, unbuffered, so the lines sit next to libFuzzer's own.
func report(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
