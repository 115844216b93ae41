// Devices and streams. This backend computes everything eagerly on the CPU, so these types only
// carry identity; every op accepts a `stream:` argument for source compatibility and ignores it.
import Foundation

enum DeviceType: String, Hashable, Sendable {
    case cpu
    case gpu
}

public final class Device: @unchecked Sendable, Equatable {
    let type: DeviceType
    let index: Int32

    init(_ deviceType: DeviceType, index: Int32 = 0) {
        self.type = deviceType
        self.index = index
    }

    static public let cpu: Device = Device(.cpu)
    static public let gpu: Device = Device(.gpu)

    var deviceType: DeviceType? { type }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var globalDefault: Device?

    /// The device ops would run on; the CPU unless changed with ``setDefault(device:)``.
    static func defaultDevice() -> Device {
        lock.withLock { globalDefault } ?? .cpu
    }

    static func setDefault(device: Device?) {
        lock.withLock { globalDefault = device }
    }

    static func withDefaultDevice<R>(_ device: Device, _ body: () throws -> R) rethrows
        -> R
    {
        let previous = lock.withLock { globalDefault }
        setDefault(device: device)
        defer { setDefault(device: previous) }
        return try body()
    }

    public static func == (lhs: Device, rhs: Device) -> Bool {
        lhs.type == rhs.type && lhs.index == rhs.index
    }
}

extension Device {
    var description: String {
        "Device(type=\(type.rawValue), index=\(index))"
    }
}

public final class Stream: @unchecked Sendable, Equatable {
    let device: Device
    let index: Int

    static let gpu = Stream(device: .gpu, index: 0)
    static let cpu = Stream(device: .cpu, index: 0)

    private static let counterLock = NSLock()
    nonisolated(unsafe) private static var counter = 1

    private init(device: Device, index: Int) {
        self.device = device
        self.index = index
    }

    init() {
        self.device = Device.defaultDevice()
        self.index = 0
    }

    init(_ device: Device) {
        self.device = device
        self.index = Stream.counterLock.withLock {
            defer { Stream.counter += 1 }
            return Stream.counter
        }
    }

    static func defaultStream(_ device: Device) -> Stream {
        device.type == .cpu ? .cpu : .gpu
    }

    public static func == (lhs: Stream, rhs: Stream) -> Bool {
        lhs.device == rhs.device && lhs.index == rhs.index
    }
}

extension Stream {
    var description: String {
        "Stream(\(device.description), \(index))"
    }
}

public struct StreamOrDevice: Sendable, CustomStringConvertible, Equatable {
    let stream: Stream

    private init(_ stream: Stream) {
        self.stream = stream
    }

    public static var `default`: StreamOrDevice {
        StreamOrDevice(Stream.defaultStream(Device.defaultDevice()))
    }

    public static func device(_ device: Device) -> StreamOrDevice {
        StreamOrDevice(Stream.defaultStream(device))
    }

    public static let cpu = device(.cpu)
    public static let gpu = device(.gpu)

    public static func stream(_ stream: Stream) -> StreamOrDevice {
        StreamOrDevice(stream)
    }

    public var description: String {
        stream.description
    }
}
