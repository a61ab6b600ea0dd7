extension HTTPParser {
    /// What one request may weigh; past a limit the parser answers with the status of docs/API.md.
    public struct Limits: Sendable, Equatable {
        /// Longest request target (414 beyond).
        public var maximumTargetBytes: Int
        /// Largest header section, request line included (431 beyond).
        public var maximumHeaderBytes: Int
        /// Most header fields (431 beyond).
        public var maximumHeaderCount: Int
        /// Largest body (413 beyond): MAX_BODY_BYTES, whose default lives in `AppConfiguration`.
        public var maximumBodyBytes: Int
        /// Bodies of at least this many bytes are large: read into a buffer of their own size and handed
        /// over as it (`HTTPParser`), marked (`HTTPRequest.bodyIsLarge`: their handlers parse them on the idle
        /// worker) and handled one at a time at low priority (`HTTPConnection.dispatch`).
        /// Not a setting: a parameter so that the fuzz target reaches that path with small inputs.
        public var largeBodyBytes: Int

        public init(
            maximumTargetBytes: Int = 8 * 1024, maximumHeaderBytes: Int = 16 * 1024, maximumHeaderCount: Int = 100,
            maximumBodyBytes: Int, largeBodyBytes: Int = 64 * 1024
        ) {
            self.maximumTargetBytes = maximumTargetBytes
            self.maximumHeaderBytes = maximumHeaderBytes
            self.maximumHeaderCount = maximumHeaderCount
            self.maximumBodyBytes = maximumBodyBytes
            self.largeBodyBytes = max(1, largeBodyBytes)
        }
    }
}
