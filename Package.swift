// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "learnlog",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "learnlog", targets: ["learnlog"]),
    .library(name: "LearningLog", targets: ["LearningLog"]),
    .library(name: "TerminalUI", targets: ["TerminalUI"]),
    .library(name: "TerminalUITesting", targets: ["TerminalUITesting"]),
    .library(name: "LearningLogTesting", targets: ["LearningLogTesting"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(
      name: "CNcursesw",
      path: "Modules/CNcursesw",
      pkgConfig: "ncursesw",
      providers: [.apt(["libncurses-dev"])]
    ),
    // Counts units of work on paths whose cost must grow linearly (growth tests read it).
    .target(name: "WorkCounting"),
    // CRC-32C with the CPU's instruction where there is one (the log's checksums).
    .target(name: "CCRC32C"),
    // Domain and store: events, replay, the learning rules. No UI.
    .target(name: "LearningLog", dependencies: ["WorkCounting", "CCRC32C"]),
    // Pure terminal UI core: layout, cells, widgets, keys. No ncurses.
    .target(name: "TerminalUI", dependencies: ["WorkCounting"]),
    // The in-memory terminal and screen assertions, shipped for tests.
    .target(name: "TerminalUITesting", dependencies: ["TerminalUI"]),
    // The fault-injecting memory file system and the in-memory log, shipped for tests.
    .target(name: "LearningLogTesting", dependencies: ["LearningLog", "LearningLogApp"]),
    // The only importer of ncurses.
    .target(name: "CursesBackend", dependencies: ["TerminalUI", "CNcursesw"]),
    // The full-screen app as a library: state, actions, reduce, views.
    .target(name: "LearningLogApp", dependencies: ["LearningLog", "TerminalUI", "WorkCounting"]),
    // The executable: command line and wiring.
    .executableTarget(
      name: "learnlog",
      dependencies: [
        "LearningLog", "LearningLogApp", "TerminalUI", "CursesBackend",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // A small full-screen program exercising the terminal backend (driven by end-to-end tests).
    .executableTarget(
      name: "learnlog-tui-demo", dependencies: ["CursesBackend", "TerminalUI"]
    ),
    // Appends numbered records; the multi-process store tests run it.
    .executableTarget(name: "learnlog-testwriter", dependencies: ["LearningLog"]),
    // Generates logs shaped like real use and measures the speed and memory bars.
    .executableTarget(
      name: "learnlog-bench",
      dependencies: ["LearningLog", "TerminalUI", "LearningLogApp", "LearningLogTesting"]),
    .testTarget(
      name: "LearningLogTests",
      dependencies: ["LearningLog", "LearningLogTesting", "WorkCounting", "learnlog-testwriter"]),
    .testTarget(
      name: "TerminalUITests", dependencies: ["TerminalUI", "TerminalUITesting", "WorkCounting"],
      exclude: ["Golden"]
    ),
    .testTarget(
      name: "CursesBackendTests",
      dependencies: ["CursesBackend", "TerminalUI", "TerminalUITesting", "CNcursesw"]),
    .testTarget(
      name: "LearningLogAppTests",
      dependencies: [
        "LearningLogApp", "LearningLog", "LearningLogTesting", "TerminalUI", "TerminalUITesting",
        "WorkCounting",
      ],
      exclude: ["Golden"]
    ),
    .testTarget(name: "EndToEndTests", dependencies: ["LearningLog"]),
  ],
  swiftLanguageModes: [.v6]
)
