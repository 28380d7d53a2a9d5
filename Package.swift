// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "sgn",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sgn", targets: ["sgn"]),
        .library(name: "SGN", targets: ["SGN"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        // The only C in the project: a module map over the system LAPACKE/CBLAS headers.
        .systemLibrary(name: "CLapack", path: "Sources/CLapack"),
        .target(name: "SGN", dependencies: ["CLapack", .product(name: "BigInt", package: "BigInt")]),
        .executableTarget(
            name: "sgn",
            dependencies: ["SGN", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "SGNTests", dependencies: ["SGN", .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Fixtures"]),
        .testTarget(name: "sgnCLITests", dependencies: ["SGN", "sgn"], exclude: ["Hostile"]),
    ],
    swiftLanguageModes: [.v6]
)
