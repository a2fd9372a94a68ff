import Foundation

/// Headless Chromium, for loading the project's web pages as a browser does.
public enum Chromium {
    /// Where Debian's `chromium` package (or another Chromium) is installed; nil where none is.
    public static let executable: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// What a page became once its scripts ran: its DOM, and every line its console printed.
    public struct LoadedPage: Sendable {
        public var dom: String
        public var console: [String]
    }

    /// Loads `url`, gives its scripts `budget` milliseconds of virtual time, and returns its DOM;
    /// with `screenshot`, also saves a picture of it there. `profile` is a directory of the caller's.
    public static func load(_ url: String, profile: String, screenshot: String? = nil, budget: Int = 5000) async throws -> LoadedPage {
        guard let executable = self.executable else { throw ChromiumMissing() }
        var arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--user-data-dir=\(profile)",
            "--enable-logging=stderr", "--v=0", "--virtual-time-budget=\(budget)", "--window-size=1100,1300",
        ]
        let dom = try await ChildProcess(program: executable, arguments + ["--dump-dom", url]).wait(timeout: 90)
        guard dom.status == 0 else { throw ChromiumFailed(status: dom.status, standardError: dom.standardError) }
        if let screenshot {
            arguments.append("--screenshot=\(screenshot)")
            let shot = try await ChildProcess(program: executable, arguments + [url]).wait(timeout: 90)
            guard shot.status == 0 else { throw ChromiumFailed(status: shot.status, standardError: shot.standardError) }
        }
        return LoadedPage(dom: dom.standardOutput, console: dom.errorLines.filter { $0.contains(":CONSOLE") }.map(String.init))
    }

    public struct ChromiumMissing: Error, CustomStringConvertible {
        public var description: String { "no Chromium is installed (Debian's package: chromium)" }
    }

    public struct ChromiumFailed: Error, CustomStringConvertible {
        public var status: Int32
        public var standardError: String
        public var description: String { "chromium exited with \(self.status): \(self.standardError.suffix(2000))" }
    }
}
