import FurrowCore
import FurrowStore
import TerminalUI

/// The workstation's shell: which screen is showing, keys → actions, and drawing a frame.
/// A first slice of the workstation issue: Portfolio with search-as-you-type, a customer's
/// overview, help on `?`. Everything here is testable without a terminal.
public final class WorkstationApp {
    public enum Screen: Equatable { case portfolio, customer(String), help }
    public enum Outcome { case redraw, quit }

    public let store: AppDatabase
    public let user: String
    public private(set) var screen: Screen = .portfolio
    private var back: [Screen] = []
    public private(set) var portfolio: PortfolioState
    private var profile: CustomerProfile?
    public var listHeight = 20

    public static let minimumSize = (width: 80, height: 24)

    public init(store: AppDatabase, user: String, scope: PortfolioScope) {
        self.store = store
        self.user = user
        portfolio = PortfolioState(scope: scope)
        portfolio.loadMore(store)
    }

    // MARK: Keys

    public func handle(_ key: Key) -> Outcome {
        if key == .control("c") { return .quit }
        switch screen {
        case .help:
            screen = back.popLast() ?? .portfolio
            return .redraw
        case .customer:
            switch key {
            case .escape, .character("q"), .backspace, .left:
                screen = back.popLast() ?? .portfolio
                profile = nil
            case .character("?"): open(.help)
            default: break
            }
            return .redraw
        case .portfolio:
            return handlePortfolio(key)
        }
    }

    private func handlePortfolio(_ key: Key) -> Outcome {
        if portfolio.query != nil {
            switch key {
            case .escape:
                portfolio.query = nil
                portfolio.hits = []
                portfolio.selected = 0
                portfolio.top = 0
            case .enter:
                openSelected()
            case .backspace:
                portfolio.query!.removeLast(portfolio.query!.isEmpty ? 0 : 1)
                portfolio.runSearch(store)
            case .up: portfolio.move(-1, height: listHeight, store: store)
            case .down: portfolio.move(1, height: listHeight, store: store)
            case .character(let c):
                portfolio.query!.append(c)
                portfolio.runSearch(store)
            default: break
            }
            return .redraw
        }
        switch key {
        case .character("q"): return .quit
        case .character("/"):
            portfolio.query = ""
            portfolio.hits = []
            portfolio.selected = 0
            portfolio.top = 0
        case .character("?"): open(.help)
        case .down, .character("j"): portfolio.move(1, height: listHeight, store: store)
        case .up, .character("k"): portfolio.move(-1, height: listHeight, store: store)
        case .pageDown, .character(" "): portfolio.move(listHeight, height: listHeight, store: store)
        case .pageUp: portfolio.move(-listHeight, height: listHeight, store: store)
        case .home, .character("g"): portfolio.move(-portfolio.selected, height: listHeight, store: store)
        case .enter, .right: openSelected()
        default: break
        }
        return .redraw
    }

    private func open(_ s: Screen) {
        back.append(screen)
        screen = s
    }

    private func openSelected() {
        let list = portfolio.visible
        guard portfolio.selected < list.count else { return }
        let id = list[portfolio.selected].customerID
        do {
            profile = try store.profile(customerID: id)
            open(.customer(id))
        } catch {
            portfolio.message = error.description
        }
    }

    // MARK: Drawing

    public func render(width: Int, height: Int) -> ScreenBuffer {
        var b = ScreenBuffer(width: width, height: height)
        guard width >= Self.minimumSize.width, height >= Self.minimumSize.height else {
            b.put("终端太小 terminal too small", x: 0, y: 0, role: "status.error")
            b.put("需要 needs \(Self.minimumSize.width)×\(Self.minimumSize.height), 现在 now \(width)×\(height)", x: 0, y: 1)
            return b
        }
        let (title, rest) = b.bounds.splitTop(1)
        let (body, status) = rest.splitBottom(1)
        b.fill(title, role: "title")
        b.put(" Furrow  [2] 客户 Portfolio", in: title, role: "title")
        switch screen {
        case .portfolio: PortfolioScreen.draw(portfolio, into: &b, rect: body)
        case .customer: if let p = profile { CustomerOverviewScreen.draw(p, into: &b, rect: body) }
        case .help: HelpScreen.draw(into: &b, rect: body)
        }
        b.fill(status, role: "status")
        let where_: String
        switch portfolio.scope {
        case .rm(let id): where_ = "RM \(id)"
        case .team(let t): where_ = "team \(t)"
        case .branch: where_ = "branch"
        }
        let hint = portfolio.message ?? "/ search  Enter open  ? keys  q quit"
        b.put(" \(user) · \(where_) · \(hint)", in: status, role: portfolio.message == nil ? "status" : "status.error")
        // Paging keys move by what the last frame showed.
        listHeight = max(1, body.height - 1)
        return b
    }
}
