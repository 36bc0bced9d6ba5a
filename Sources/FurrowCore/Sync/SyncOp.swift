/// One RM write as it travels to the branch: written to the outbox in the same transaction as
/// the row and its audit entry, pushed when there is a network, applied by the server exactly
/// once (its `opID` is unique).
public struct SyncOp: Hashable, Sendable, Codable {
    public var opID: String
    public var hlc: HLC
    /// What was done, by its name on the wire (`OpKind`'s raw value: `interaction.log`,
    /// `note.add`, …). Text here because a newer workstation may send a kind this build does
    /// not know; `opKind` reads it, and the branch refuses an unknown one per op.
    public var kind: String
    public var customerID: String?
    /// The record the op creates or changes (a task's cause key for an engine reminder, which
    /// every device derives alike).
    public var recordID: String?
    /// The fields written, as text.
    public var fields: [String: String]
    public var status: Status

    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Not yet acknowledged by the server.
        case pending
        case applied, duplicate, rejected, superseded
    }

    public init(opID: String, hlc: HLC, kind: String, customerID: String?, recordID: String?, fields: [String: String],
                status: Status = .pending) {
        self.opID = opID; self.hlc = hlc; self.kind = kind; self.customerID = customerID; self.recordID = recordID
        self.fields = fields; self.status = status
    }
}
