import ArgumentParser

/// `furrow`: the workstation's command line. Parsing only; the work lives in the libraries.
@main
struct Furrow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "furrow",
        abstract: "Furrow — the relationship manager's workstation for rural commercial banks.",
        discussion: """
            Start with `furrow demo` to create a demo branch, then look at it with
            `furrow portfolio`, `furrow search` and `furrow show`.
            The store is $FURROW_STORE, or furrow.sqlite in $XDG_DATA_HOME/furrow (~/.local/share/furrow).
            """,
        subcommands: [
            DemoCommand.self, ImportCommand.self, SearchCommand.self, ShowCommand.self,
            PortfolioCommand.self, BenchCommand.self,
        ])
}
