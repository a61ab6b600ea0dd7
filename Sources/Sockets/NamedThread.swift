import CLinux
import Glibc

/// Starts the process's own long-lived threads (an event loop, an idle worker), named so that `top -H`,
/// `perf` and `/proc/PID/task/*/comm` tell them apart.
enum NamedThread {
    private final class Start {
        let name: String
        let body: () -> Void
        init(name: String, body: @escaping () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Starts a joinable thread named `name` (its first 15 bytes, the kernel's limit) that runs `body`.
    static func start(name: String, _ body: @escaping () -> Void) throws -> pthread_t {
        let start = Unmanaged.passRetained(Start(name: name, body: body))
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
            _ = pthread_setname_np(pthread_self(), String(start.name.prefix(15)))
            start.body()
            return nil
        }, start.toOpaque())
        guard result == 0 else {
            start.release()
            throw SocketError("pthread_create", code: result)
        }
        return thread
    }
}
