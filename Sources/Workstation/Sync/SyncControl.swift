/// The workstation's handle on background sync. The executable provides it (the sync engine
/// lives in FurrowSync, which the screens do not import); the screens ask for a sync now and
/// read the outcome from the store (`syncOverview`).
public protocol SyncControl: AnyObject, Sendable {
    /// Whether a sync is running at this moment.
    var isRunning: Bool { get }
    /// Starts a sync as soon as possible (no-op while one runs).
    func syncNow()
}
