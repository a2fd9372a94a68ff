import Foundation
import NIOCore
import Testing

@testable import MapReduceCluster

/// `docs/wire-protocol.md` names every field of every message: these tests
/// hold its tables against what the code sends, so that the doc cannot drift.
@Suite struct WireProtocolDocTests {
    /// A field as a table names it: "`name`", then "(shape)" or "(optional)".
    struct Field: Hashable {
        var name: String
        var shape: String?
        var optional: Bool
    }

    /// The doc's two tables: messages by name (with their type byte), and shapes by name.
    struct Tables {
        var messages: [String: (type: UInt8, fields: [Field])] = [:]
        var shapes: [String: [Field]] = [:]

        init(markdown: String) {
            var inShapes = false
            for line in markdown.split(separator: "\n") where line.hasPrefix("|") {
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                if cells[1] == "shape" { inShapes = true }
                if cells[1] == "type" { inShapes = false }
                if inShapes, cells.count > 3, cells[1] != "shape", !cells[1].hasPrefix("---") {
                    self.shapes[cells[1]] = Self.fields(cells[2])
                } else if !inShapes, cells.count > 5, let type = UInt8(cells[1]) {
                    self.messages[cells[2]] = (type, Self.fields(cells[4]))
                }
            }
        }

        static func fields(_ cell: String) -> [Field] {
            cell.matches(of: /`(\w+)`(?: \((\w+)\))?/).map { match in
                let note = match.output.2.map(String.init)
                return Field(name: String(match.output.1), shape: note == "optional" ? nil : note, optional: note == "optional")
            }
        }
    }

    static let tables: Tables = {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/wire-protocol.md")
        return Tables(markdown: (try? String(contentsOf: doc, encoding: .utf8)) ?? "")
    }()

    @Test func everyMessageTypeIsInTheDocWithItsTypeByte() throws {
        #expect(Set(Self.tables.messages.keys) == Set(MessageSamples.all.map(\.name)))
        for message in MessageSamples.all {
            let type = message.encoded().getInteger(at: 0, as: UInt8.self)
            #expect(Self.tables.messages[message.name]?.type == type, "\(message.name)")
        }
    }

    @Test(arguments: MessageSamples.all)
    func theDocNamesEveryFieldSentAndNoOther(message: Message) throws {
        let fields = try #require(Self.tables.messages[message.name]?.fields)
        var frame = message.encoded()
        frame.moveReaderIndex(forwardBy: 1)
        let body = try? JSONSerialization.jsonObject(with: Data(frame.readableBytesView))
        guard !fields.isEmpty else {
            #expect(!(body is [String: Any]), "\(message.name): the doc gives no fields, yet its body is a JSON object")
            return
        }
        var problems: [String] = []
        Self.check(try #require(body), against: fields, at: message.name, problems: &problems)
        #expect(problems == [])
    }

    @Test(arguments: MessageSamples.all)
    func theDocMarksOptionalExactlyTheFieldsThatMayBeLeftOut(message: Message) throws {
        let fields = try #require(Self.tables.messages[message.name]?.fields)
        guard let body = Mirror(reflecting: message).children.first?.value, !fields.isEmpty else { return }
        var problems: [String] = []
        Self.checkOptionality(of: body, against: fields, at: message.name, problems: &problems)
        #expect(problems == [])
    }

    @Test func everyShapeInTheDocIsUsedBySomeMessage() {
        var used: Set<String> = []
        func collect(_ fields: [Field]) {
            for shape in fields.compactMap(\.shape) where shape != "map" && used.insert(shape).inserted {
                collect(Self.tables.shapes[shape] ?? [])
            }
        }
        for fields in Self.tables.messages.values.map(\.fields) { collect(fields) }
        #expect(Self.tables.shapes.count > 5)
        #expect(Set(Self.tables.shapes.keys) == used)
    }

    /// Compares a JSON object's keys with `fields`, and the values of shaped fields with their shapes.
    static func check(_ value: Any, against fields: [Field], at path: String, problems: inout [String]) {
        guard let object = value as? [String: Any] else { return problems.append("\(path) is not an object") }
        let documented = Set(fields.map(\.name))
        for key in Set(object.keys).subtracting(documented).sorted() { problems.append("\(path).\(key) is sent but not in the doc") }
        for key in documented.subtracting(object.keys).sorted() { problems.append("\(path).\(key) is in the doc but not sent") }
        for field in fields {
            guard let value = object[field.name] else { continue }
            let elements = (value as? [Any]) ?? [value]
            switch field.shape {
            case "map"?:
                if !(value is [String: Any]) { problems.append("\(path).\(field.name) is not a JSON object") }
            case let shape?:
                guard let shapeFields = Self.tables.shapes[shape] else {
                    problems.append("\(path).\(field.name): the doc has no shape \(shape)")
                    continue
                }
                for element in elements { Self.check(element, against: shapeFields, at: "\(path).\(field.name)", problems: &problems) }
            case nil:
                if elements.contains(where: { $0 is [String: Any] }) {
                    problems.append("\(path).\(field.name) holds objects, but the doc gives it no shape")
                }
            }
        }
    }

    /// Compares which of a value's stored properties are optional with the doc's `(optional)` marks.
    static func checkOptionality(of value: Any, against fields: [Field], at path: String, problems: inout [String]) {
        for child in Mirror(reflecting: value).children {
            guard let name = child.label, let field = fields.first(where: { $0.name == name }) else { continue }
            var value = child.value
            let isOptional = Mirror(reflecting: value).displayStyle == .optional
            if isOptional != field.optional {
                problems.append("\(path).\(name) is \(isOptional ? "" : "not ")optional in the code, but the doc says otherwise")
            }
            if isOptional {
                guard let wrapped = Mirror(reflecting: value).children.first?.value else {
                    problems.append("\(path).\(name) has no value in the sample")
                    continue
                }
                value = wrapped
            }
            guard let shape = field.shape, let shapeFields = Self.tables.shapes[shape] else { continue }
            let mirror = Mirror(reflecting: value)
            let elements = [.collection, .set].contains(mirror.displayStyle) ? mirror.children.map(\.value) : [value]
            for element in elements { Self.checkOptionality(of: element, against: shapeFields, at: "\(path).\(name)", problems: &problems) }
        }
    }
}
