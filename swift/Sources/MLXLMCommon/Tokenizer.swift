// Linux reference of mlx-swift-lm's tokenizer protocol and chat messages (MLXLMCommon 3.31.4), the part
// a model's `messageGenerator(tokenizer:)` names. Tokenizers themselves come from the app's loader.
import Foundation

public protocol Tokenizer: Sendable {
    func encode(text: String, addSpecialTokens: Bool) -> [Int]
    func decode(tokenIds: [Int], skipSpecialTokens: Bool) -> String
    func convertTokenToId(_ token: String) -> Int?
    func convertIdToToken(_ id: Int) -> String?
    var bosToken: String? { get }
    var eosToken: String? { get }
    var unknownToken: String? { get }
    func applyChatTemplate(
        messages: [[String: any Sendable]], tools: [[String: any Sendable]]?,
        additionalContext: [String: any Sendable]?
    ) throws -> [Int]
}

extension Tokenizer {
    public func encode(text: String) -> [Int] { encode(text: text, addSpecialTokens: true) }
    public func decode(tokenIds: [Int]) -> String { decode(tokenIds: tokenIds, skipSpecialTokens: false) }
    public var eosTokenId: Int? { eosToken.flatMap(convertTokenToId) }
    public var unknownTokenId: Int? { unknownToken.flatMap(convertTokenToId) }

    public func applyChatTemplate(messages: [[String: any Sendable]]) throws -> [Int] {
        try applyChatTemplate(messages: messages, tools: nil, additionalContext: nil)
    }

    public func applyChatTemplate(
        messages: [[String: any Sendable]], tools: [[String: any Sendable]]?
    ) throws -> [Int] {
        try applyChatTemplate(messages: messages, tools: tools, additionalContext: nil)
    }
}

/// One chat message as a chat template reads it (`role`, `content`, ...).
public typealias Message = [String: any Sendable]

public enum Chat {
    public struct Message {
        public enum Role: String, Sendable {
            case user
            case assistant
            case system
            case tool
        }

        public var role: Role
        public var content: String

        public init(role: Role, content: String) {
            self.role = role
            self.content = content
        }

        public static func system(_ content: String) -> Self { Self(role: .system, content: content) }
        public static func assistant(_ content: String) -> Self { Self(role: .assistant, content: content) }
        public static func user(_ content: String) -> Self { Self(role: .user, content: content) }
        public static func tool(_ content: String) -> Self { Self(role: .tool, content: content) }
    }
}

/// Turns chat messages into what a model's chat template expects.
public protocol MessageGenerator: Sendable {
    func generate(messages: [Chat.Message]) -> [Message]
    func generate(message: Chat.Message) -> Message
}

extension MessageGenerator {
    public func generate(message: Chat.Message) -> Message {
        ["role": message.role.rawValue, "content": message.content]
    }

    public func generate(messages: [Chat.Message]) -> [Message] {
        messages.map { generate(message: $0) }
    }
}

/// Messages as `role` and `content`.
public struct DefaultMessageGenerator: MessageGenerator {
    public init() {}
}
