/// The keys a row may refer to: those already in the store plus those this import has
/// accepted so far (files are imported parents first, see `ExtractFile`).
struct ExtractReferences: Sendable {
    var customers: Set<String>
    var accounts: Set<String>
    var products: Set<String>
    var staff: Set<String>
    var payrollUnits: Set<String>
}
