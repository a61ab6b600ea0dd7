import Realtime
import ServerConfiguration

/// The rooms' configuration `campaign-server` runs with when nothing is set (its defaults live once, in
/// `AppConfiguration`), with the changes a test makes.
func realtimeConfiguration(_ change: (inout RealtimeConfiguration) -> Void = { _ in }) -> RealtimeConfiguration {
    var configuration = AppConfiguration().realtime
    change(&configuration)
    return configuration
}
