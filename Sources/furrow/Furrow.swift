import ArgumentParser

/// `furrow`: the workstation's command line. Parsing only; the work lives in the libraries.
@main
struct Furrow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "furrow",
        abstract: "Furrow — the relationship manager's workstation for rural commercial banks.",
        discussion: """
            Start with `furrow demo`: it creates a demo branch and opens the workstation on it.
            `furrow` alone opens the workstation on the store; `furrow portfolio`, `search`
            and `show` serve scripts.
            The store is $FURROW_STORE, or furrow.sqlite in $XDG_DATA_HOME/furrow (~/.local/share/furrow).
            """,
        subcommands: [
            WorkstationCommand.self, DemoCommand.self, ImportCommand.self, SearchCommand.self, ShowCommand.self,
            PortfolioCommand.self, RemindCommand.self, TasksCommand.self, NightlyCommand.self, ReportCommand.self, ComplaintCommand.self, PlanCommand.self, UpgradeCommand.self, PrefsCommand.self, RetentionCommand.self, SegmentCommand.self, CampaignCommand.self, ProspectCommand.self, RulesCommand.self, PINCommand.self,
            LoginCommand.self, SyncCommand.self, LogoutCommand.self, BenchCommand.self,
        ],
        defaultSubcommand: WorkstationCommand.self)
}
