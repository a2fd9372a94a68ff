import Foundation

/// Something hostile put where a reduce attempt's part file belongs, as user
/// code or a worker gone bad might: the commit must refuse every one of them,
/// and never touch what they point at.
public enum Planting: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The attempt's directory is a symbolic link to a directory outside, which holds a part file.
    case symlinkedAttemptDirectory = "symlinked-attempt-directory"
    /// The part file is a symbolic link to a file outside.
    case symlinkedPartFile = "symlinked-part-file"
    /// The part file is a hard link to a file outside.
    case hardLinkedPartFile = "hard-linked-part-file"
    /// The part file is a FIFO (which blocks whoever opens it to read).
    case fifo
    /// The part file is a directory.
    case directory
    /// There is no part file.
    case missingPartFile = "missing-part-file"

    public var description: String { self.rawValue }

    /// Plants it in place of the part file `name` of the attempt directory
    /// `attemptDirectory`, which exists; what it points at goes in `outside`
    /// (a directory outside the output, on the same filesystem), under names
    /// of its own.
    public func plant(partFile name: String, in attemptDirectory: String, outside: String) throws {
        let files = FileManager.default
        let part = "\(attemptDirectory)/\(name)"
        if self == .symlinkedAttemptDirectory {
            let target = "\(outside)/\(self)"
            try files.createDirectory(atPath: target, withIntermediateDirectories: true)
            try Data("outside the output\n".utf8).write(to: URL(fileURLWithPath: "\(target)/\(name)"))
            try files.moveItem(atPath: attemptDirectory, toPath: "\(attemptDirectory).moved")
            try files.createSymbolicLink(atPath: attemptDirectory, withDestinationPath: target)
            return
        }
        // Unlinked, not truncated: a reducer may still hold the file open.
        if unlink(part) != 0, errno != ENOENT { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: part]) }
        let target = "\(outside)/\(self)"
        switch self {
        case .symlinkedPartFile:
            try Data("outside the output\n".utf8).write(to: URL(fileURLWithPath: target))
            try files.createSymbolicLink(atPath: part, withDestinationPath: target)
        case .hardLinkedPartFile:
            try Data("outside the output\n".utf8).write(to: URL(fileURLWithPath: target))
            try files.linkItem(atPath: target, toPath: part)
        case .fifo:
            guard mkfifo(part, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: part]) }
        case .directory:
            try files.createDirectory(atPath: part, withIntermediateDirectories: false)
            try Data("inside a directory\n".utf8).write(to: URL(fileURLWithPath: "\(part)/file"))
        case .missingPartFile, .symlinkedAttemptDirectory:
            break
        }
    }
}

/// Every file, directory and link below `root` (links not followed), with its
/// contents or target: compare two to see whether anything changed.
public func snapshot(_ root: String) throws -> [String: String] {
    var entries: [String: String] = [:]
    let files = FileManager.default
    for relative in try files.subpathsOfDirectory(atPath: root) {
        let path = "\(root)/\(relative)"
        let attributes = try files.attributesOfItem(atPath: path)
        switch attributes[.type] as? FileAttributeType {
        case .typeSymbolicLink?: entries[relative] = "link to \(try files.destinationOfSymbolicLink(atPath: path))"
        case .typeRegular?: entries[relative] = "file: " + String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        case let type: entries[relative] = "\(type.map { $0.rawValue } ?? "unknown")"
        }
    }
    return entries
}
