import Foundation
import Testing
import TerminalUI

/// The repository's themes/, found from this file (symbolic links followed) so the tests read
/// the files that ship.
private let repoThemes: String = {
    let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes").path
}()

private let bundled = ["default", "light", "high-contrast", "monochrome"]

private func refusal(_ text: String) -> String? {
    do {
        _ = try ThemeLoader.parse(text, file: "t.toml")
        return nil
    } catch {
        return error.description
    }
}

/// A scratch directory holding `files` (name → text), removed by the caller.
private func directory(_ files: [String: String]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-themes-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, text) in files {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return dir.path
}

@Suite struct ThemeTests {
    @Test(arguments: bundled)
    func bundledThemeMapsEveryKnownRole(name: String) throws {
        let theme = try ThemeLoader.load(path: repoThemes + "/\(name).toml")
        #expect(theme.name == name)
        #expect(Set(theme.styles.keys) == Set(Theme.knownRoles))
        if name == "monochrome" { #expect(theme.styles.values.allSatisfy { !$0.hasColour }) }
    }

    @Test func builtInEqualsDefaultFile() throws {
        #expect(try ThemeLoader.load(path: repoThemes + "/default.toml") == Theme.builtIn)
    }

    @Test func bundledNamesAreFound() {
        #expect(ThemeLoader.availableNames(in: [repoThemes]) == bundled.sorted())
    }

    @Test func knownRolesAreListedOnce() {
        #expect(Set(Theme.knownRoles).count == Theme.knownRoles.count)
        #expect(Theme.knownRoles.count == 31)
    }

    // MARK: Reading

    @Test func readsColoursAndAttributes() throws {
        let theme = try ThemeLoader.parse("""
            name = "t"
            [roles]
            "normal" = { }
            "list.selection.focused" = { fg = "black", bg = "cyan", attrs = ["bold"] }
            "tier.private" = { fg = "#D7af00", attrs = ["bold", "italic"] }
            "muted" = { fg = 244, bg = "default" }
            status.error = { fg = "bright-white", attrs = ["reverse", "underline", "dim"] }
            """, file: "t.toml")
        #expect(theme.styles["normal"] == Style())
        #expect(theme.styles["list.selection.focused"] == Style(fg: .black, bg: .cyan, bold: true))
        #expect(theme.styles["tier.private"] == Style(fg: .rgb(r: 0xd7, g: 0xaf, b: 0), bold: true, italic: true))
        #expect(theme.styles["muted"] == Style(fg: .indexed(244)))
        #expect(theme.styles["status.error"] == Style(fg: .brightWhite, dim: true, underline: true, reverse: true))
    }

    @Test func tableHeadersAndFamiliesAreRoles() throws {
        let theme = try ThemeLoader.parse("""
            name = "t"
            [roles.list]
            fg = "white"
            [roles."list.selection.focused"]
            bg = "blue"
            """, file: "t.toml")
        #expect(theme.styles == ["list": Style(fg: .white), "list.selection.focused": Style(bg: .blue)])
    }

    @Test func unknownRoleIsRefusedWithItsLineAndASuggestion() {
        #expect(refusal("""
            # a theme
            name = "t"
            [roles]
            "normal" = { }
            "list.selectoin.focused" = { fg = "black" }
            """) == "t.toml:5: unknown role \"list.selectoin.focused\"; did you mean \"list.selection.focused\"?")
        #expect(refusal("name = \"t\"\n[roles]\ntitel = { }\n") == "t.toml:3: unknown role \"titel\"; did you mean \"title\"?")
    }

    @Test func firstMistakeInTheFileIsReported() {
        #expect(refusal("name = \"t\"\n[roles]\n\"zzz\" = { }\n\"aaa\" = { }\n")?.hasPrefix("t.toml:3: unknown role \"zzz\"") == true)
    }

    @Test func badColourIsRefused() throws {
        let purple = try #require(refusal("name = \"t\"\n\n[roles]\n\"normal\" = { }\n\"title\" = { fg = \"purple\" }\n"))
        #expect(purple.hasPrefix("t.toml:5: bad colour \"purple\" for fg of role \"title\": expected a colour name"))
        #expect(purple.contains("\"#rrggbb\""))
        #expect(refusal("name = \"t\"\n[roles]\nmuted = { bg = 256 }\n")?.hasPrefix("t.toml:3: bad colour 256 for bg of role \"muted\"") == true)
        #expect(refusal("name = \"t\"\n[roles]\nmuted = { fg = \"brightred\" }\n")?.contains("(did you mean \"bright-red\"?)") == true)
        #expect(refusal("name = \"t\"\n[roles]\nmuted = { fg = \"#12345\" }\n")?.hasPrefix("t.toml:3: bad colour \"#12345\"") == true)
        #expect(refusal("name = \"t\"\n[roles]\nmuted = { fg = true }\n")?.hasPrefix("t.toml:3: bad colour (a bool)") == true)
    }

    @Test func badAttributeIsRefused() {
        #expect(refusal("name = \"t\"\n[roles]\n\"title\" = { attrs = [\"bold\", \"blink\"] }\n")
            == "t.toml:3: bad attribute \"blink\" in role \"title\": expected bold, dim, underline, reverse or italic")
        #expect(refusal("name = \"t\"\n[roles]\n\"title\" = { attrs = \"bold\" }\n")?.hasPrefix("t.toml:3: attrs of role \"title\" must be a list") == true)
    }

    @Test func unknownKeyInARoleIsRefused() {
        #expect(refusal("name = \"t\"\n[roles]\n\"normal\" = { }\n\"title\" = { colour = \"red\" }\n")
            == "t.toml:4: unknown key \"colour\" in role \"title\"; a role takes fg, bg and attrs")
        // Under a table header the key has a line of its own.
        #expect(refusal("name = \"t\"\n[roles.title]\nfg = \"red\"\nfgg = \"red\"\n")
            == "t.toml:4: unknown key \"fgg\" in role \"title\" (did you mean \"fg\"?); a role takes fg, bg and attrs")
        #expect(refusal("name = \"t\"\n[role]\n")?.hasPrefix("t.toml:2: unknown key \"role\" (did you mean \"roles\"?)") == true)
    }

    @Test func syntaxErrorIsRefusedWithItsLine() throws {
        let error = try #require(refusal("name = \"t\"\n[roles]\n\"normal\" = { fg = \"red\"\n\"title\" = { }\n"))
        #expect(error.hasPrefix("t.toml:3: TOML syntax: "))
    }

    @Test func missingOrBadNameIsRefused() {
        #expect(refusal("[roles]\n\"normal\" = { }\n") == "t.toml:1: missing name = \"…\" (the theme's name)")
        #expect(refusal("\n\nname = 3\n") == "t.toml:3: name must be a non-empty string")
    }

    @Test func roleSetTwiceIsRefused() {
        #expect(refusal("name = \"t\"\n[roles]\n\"list.header\" = { }\nlist.header = { fg = \"red\" }\n")
            == "t.toml:4: role \"list.header\" is set twice")
    }

    @Test func windowsLineEndingsKeepLineNumbers() {
        #expect(refusal("name = \"t\"\r\n[roles]\r\n\r\n\"title\" = { fg = \"nope\" }\r\n")?.hasPrefix("t.toml:4: ") == true)
    }

    // MARK: Fallback

    @Test func styleFallsBackAlongTheDottedName() {
        let selection = Style(fg: .black, bg: .cyan), list = Style(bold: true), normal = Style(fg: .white)
        let theme = Theme(name: "t", styles: ["list.selection": selection, "list": list, "normal": normal])
        #expect(theme.style(for: "list.selection.focused") == selection)
        #expect(theme.style(for: "list.selection") == selection)
        #expect(theme.style(for: "list.header") == list)
        #expect(theme.style(for: "tier.private") == normal)
        #expect(Theme(name: "empty", styles: [:]).style(for: "list.selection.focused") == Style())
    }

    @Test func withoutColourSelectionStatusAndErrorsStayVisible() throws {
        let theme = Theme.builtIn
        let focused = theme.monochromeStyle(for: "list.selection.focused")
        #expect(focused == Style(bold: true, reverse: true))
        #expect(theme.monochromeStyle(for: "status") == Style(reverse: true))
        #expect(theme.monochromeStyle(for: "status.error") == Style(bold: true, reverse: true))
        #expect(theme.monochromeStyle(for: "list.selection.unfocused") == Style(underline: true))
        let mono = try ThemeLoader.load(path: repoThemes + "/monochrome.toml")
        for role in Theme.knownRoles {
            #expect(mono.monochromeStyle(for: StyleRole(role)) == mono.style(for: StyleRole(role)))
        }
    }

    // MARK: Colour fallback

    @Test func rgbMapsToTheNearestColourEachTerminalHas() {
        let red = ThemeColour.rgb(r: 255, g: 0, b: 0)
        #expect(red.index(forColours: 256) == 196)
        #expect(red.index(forColours: 16) == 9)
        #expect(red.index(forColours: 8) == 1)
        let gold = ThemeColour.rgb(r: 0xd7, g: 0xaf, b: 0)
        #expect([256, 16, 8].map(gold.index(forColours:)) == [178, 3, 3])
        #expect(ThemeColour.rgb(r: 128, g: 128, b: 128).index(forColours: 256) == 244)
        #expect(ThemeColour.rgb(r: 0, g: 0, b: 0).index(forColours: 256) == 16)
        #expect(ThemeColour.rgb(r: 255, g: 255, b: 255).index(forColours: 256) == 231)
    }

    @Test func namedAndIndexedColoursStepDown() {
        #expect([256, 16, 8].map(ThemeColour.brightRed.index(forColours:)) == [9, 9, 1])
        #expect(ThemeColour.brightWhite.index(forColours: 8) == 7)
        #expect(ThemeColour.blue.index(forColours: 8) == 4)
        #expect([256, 16, 8].map(ThemeColour.indexed(196).index(forColours:)) == [196, 9, 1])
        #expect([256, 16, 8].map(ThemeColour.indexed(244).index(forColours:)) == [244, 8, 7])
        #expect(ThemeColour.indexed(12).index(forColours: 8) == 4)
        #expect(ThemeColour.indexed(12).index(forColours: 16) == 12)
    }

    // MARK: Finding themes

    @Test func namesResolveInSearchOrder() throws {
        let a = try directory(["solar.toml": "name = \"a-solar\"\n", "notes.txt": "x"])
        let b = try directory(["solar.toml": "name = \"b-solar\"\n", "dusk.toml": "name = \"b-dusk\"\n"])
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        #expect(try ThemeLoader.resolve("solar", searchDirectories: [a, b]).name == "a-solar")
        #expect(try ThemeLoader.resolve("dusk", searchDirectories: [a, b]).name == "b-dusk")
        #expect(try ThemeLoader.resolve(b + "/solar.toml", searchDirectories: [a]).name == "b-solar")
        #expect(ThemeLoader.availableNames(in: [a, b, "/no/such/dir"]) == ["dusk", "solar"])
        do {
            _ = try ThemeLoader.resolve("sola", searchDirectories: [a, b])
            Issue.record("an unknown name was accepted")
        } catch {
            #expect(error.description == "unknown theme \"sola\"; did you mean \"solar\"? available: dusk, solar")
        }
    }

    @Test func unreadableFilesAreRefusedClearly() throws {
        let a = try directory(["bad.toml": "name = \"bad\"\n[roles]\nnormal = { fg = \"nope\" }\n"])
        defer { try? FileManager.default.removeItem(atPath: a) }
        #expect(throws: ThemeError(file: "missing.toml", "no such theme file")) {
            try ThemeLoader.resolve("missing.toml", searchDirectories: [a])
        }
        #expect(throws: ThemeError(file: a, "is a directory, not a theme file")) { try ThemeLoader.load(path: a) }
        do {
            _ = try ThemeLoader.resolve("bad", searchDirectories: [a])
            Issue.record("a bad theme was accepted")
        } catch {
            #expect(error.description.hasPrefix("\(a)/bad.toml:3: bad colour \"nope\""))
        }
    }

    @Test func defaultSearchDirectoriesFollowTheEnvironment() {
        let env = ["FURROW_THEMES": "/a:/b", "XDG_CONFIG_HOME": "/x", "HOME": "/h"]
        #expect(ThemeLoader.defaultSearchDirectories(executablePath: "/no/such/bin/furrow", environment: env)
            == ["/a", "/b", "/x/furrow/themes", "/usr/local/share/furrow/themes", "/usr/share/furrow/themes"])
        #expect(ThemeLoader.defaultSearchDirectories(executablePath: "", environment: ["HOME": "/h"])
            == ["/h/.config/furrow/themes", "/usr/local/share/furrow/themes", "/usr/share/furrow/themes"])
    }

    @Test func themesAboveTheExecutableAreFound() throws {
        let clone = try directory(["themes/default.toml": "name = \"default\"\n", ".build/debug/furrow": ""])
        defer { try? FileManager.default.removeItem(atPath: clone) }
        let real = URL(fileURLWithPath: clone).resolvingSymlinksInPath().path
        let dirs = ThemeLoader.defaultSearchDirectories(executablePath: clone + "/.build/debug/furrow", environment: [:])
        #expect(dirs == [real + "/themes", "/usr/local/share/furrow/themes", "/usr/share/furrow/themes"])
    }

    @Test func furrowThemesComesFirst() throws {
        let mine = try directory(["default.toml": "name = \"mine\"\n"])
        defer { try? FileManager.default.removeItem(atPath: mine) }
        let repoBinary = URL(fileURLWithPath: repoThemes).deletingLastPathComponent().path + "/.build/debug/furrow"
        let dirs = ThemeLoader.defaultSearchDirectories(executablePath: repoBinary, environment: ["FURROW_THEMES": mine])
        #expect(dirs.first == mine)
        #expect(dirs.contains(repoThemes))
        #expect(try ThemeLoader.resolve("default", searchDirectories: dirs).name == "mine")
        #expect(try ThemeLoader.resolve("light", searchDirectories: dirs).name == "light")
    }
}
