import ArgumentParser

@main
struct Furrow: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Furrow, the RM workstation.")
    func run() throws { print("furrow") }
}
