import CampaignModel
import HTTP

extension CampaignRoom {
    /// Clients coming and going, handed over from any thread, waiting for the room to take note.
    struct Lobby {
        var arriving: [Subscription] = []
        var leaving: [Departure] = []
        var serving = false
    }

    struct Departure {
        let key: UInt64
        let reason: StreamCloseReason
    }

    /// Queues a client to join; callable from any thread, never blocks. Thousands of browsers arriving
    /// at once cost a few tasks that let them all in, not a task and an actor hop each.
    nonisolated func admit(_ subscription: Subscription) {
        enterLobby { $0.arriving.append(subscription) }
    }

    /// Queues the removal of a client whose stream ended (any thread; see `admit`).
    nonisolated func depart(key: UInt64, reason: StreamCloseReason) {
        enterLobby { $0.leaving.append(Departure(key: key, reason: reason)) }
    }

    private nonisolated func enterLobby(_ change: (inout Lobby) -> Void) {
        let startServing = lobby.withLock { lobby -> Bool in
            change(&lobby)
            if lobby.serving { return false }
            lobby.serving = true
            return true
        }
        guard startServing else { return }
        // On the HTTP loop thread the task starts after the loop's current batch of events, so
        // everyone who came or went in that batch is handled by one task.
        // Below the broadcasts' priority: the room's actor runs waiting work by priority, so a crowd
        // (re)joining never holds up the events its members are waiting for.
        let startTask = { _ = Task(priority: Self.joiningPriority) { await self.serveLobby() } }
        if !runAfterTransportBatch(startTask) { startTask() }
    }

    /// Lets in and lets go everyone waiting, until the lobby stays empty.
    func serveLobby() async {
        while true {
            let (arrivals, departures) = lobby.withLock { lobby -> ([Subscription], [Departure]) in
                if lobby.arriving.isEmpty && lobby.leaving.isEmpty {
                    lobby.serving = false
                    return ([], [])
                }
                defer {
                    lobby.arriving = []
                    lobby.leaving = []
                }
                return (lobby.arriving, lobby.leaving)
            }
            if arrivals.isEmpty && departures.isEmpty { return }
            // A departure is queued only once its join has begun (the close handler is set in `join`).
            for departure in departures {
                leave(key: departure.key, reason: departure.reason)
            }
            if !arrivals.isEmpty && knownLatest == nil {
                // One store round trip for the whole crowd (a failure is met again, and reported, by each join).
                _ = try? await newestEventId()
            }
            for subscription in arrivals {
                if needsReplay(subscription) {
                    // Replays wait on the store: each runs on its own so one slow page holds up no one else.
                    Task(priority: Self.joiningPriority) { await self.join(subscription) }
                } else {
                    await join(subscription)  // no suspension: the room knows the newest id
                }
            }
        }
    }

    static let joiningPriority = _Concurrency.TaskPriority.low

    private func needsReplay(_ subscription: Subscription) -> Bool {
        guard let knownLatest else { return true }
        guard let resumeAfter = subscription.resumeAfter else { return false }
        return resumeAfter < knownLatest
    }
}
