// What generated configurations decode with: RoPE scaling objects, named derivations, and the
// helpers that refuse settings a family does not support instead of ignoring them.
import Foundation

/// A configuration setting the model cannot honour; one line naming the key and the value.
public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
    case refused(key: String, value: String, reason: String)
    case unsupportedValue(key: String, value: String, supported: [String])
    case invalid(key: String, reason: String)

    public var description: String {
        switch self {
        case .refused(let key, let value, let reason):
            "\(key): \(value) is not supported: \(reason)"
        case .unsupportedValue(let key, let value, let supported):
            "\(key): \(value) is not supported (supported: "
                + (supported.isEmpty ? "none" : supported.joined(separator: ", ")) + ")"
        case .invalid(let key, let reason):
            "\(key): \(reason)"
        }
    }
}

/// A `rope_scaling` (or transformers-5 `rope_parameters`) object: its kind and that kind's
/// parameters. Numbers are kept as Double, as the Python reference computes with them.
public struct RoPEScaling: Decodable, Sendable, Equatable {
    /// The scaling type, as `rope_type` (or the older `type`) names it.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let `default` = Kind(rawValue: "default")
        public static let linear = Kind(rawValue: "linear")
        public static let dynamic = Kind(rawValue: "dynamic")
        public static let llama3 = Kind(rawValue: "llama3")
        public static let yarn = Kind(rawValue: "yarn")
        public static let longrope = Kind(rawValue: "longrope")
        public static let su = Kind(rawValue: "su")
        public static let proportional = Kind(rawValue: "proportional")
        public static let mrope = Kind(rawValue: "mrope")
    }

    public let kind: Kind
    public let factor: Double?
    public let lowFreqFactor: Double?
    public let highFreqFactor: Double?
    public let originalMaxPositionEmbeddings: Int?
    public let betaFast: Double?
    public let betaSlow: Double?
    public let mscale: Double?
    public let mscaleAllDim: Double?
    public let shortFactor: [Double]?
    public let longFactor: [Double]?
    public let shortMScale: Double?
    public let longMScale: Double?
    /// YaRN rounds its correction range to whole dimensions unless this is false (GPT-OSS).
    public let truncate: Bool?
    /// Overrides the attention factor YaRN and longrope derive from `factor`.
    public let attentionFactor: Double?
    /// NTK-alpha (`dynamic` with a fixed `alpha`): the RoPE base grows by alpha^(d / (d - 2)).
    public let alpha: Double?
    /// The rotated fraction of each head, a parameter of proportional RoPE only (other kinds take
    /// theirs from the family's `partial_rotary_factor` binding).
    public let partialRotaryFactor: Double?
    /// Multimodal RoPE's split of the rotated frequencies into temporal, height and width sections.
    public let mropeSection: [Int]?

    enum CodingKeys: String, CodingKey {
        case ropeType = "rope_type"
        case type
        case factor
        case lowFreqFactor = "low_freq_factor"
        case highFreqFactor = "high_freq_factor"
        case originalMaxPositionEmbeddings = "original_max_position_embeddings"
        case betaFast = "beta_fast"
        case betaSlow = "beta_slow"
        case mscale
        case mscaleAllDim = "mscale_all_dim"
        case shortFactor = "short_factor"
        case longFactor = "long_factor"
        case shortMScale = "short_mscale"
        case longMScale = "long_mscale"
        case truncate
        case attentionFactor = "attention_factor"
        case alpha
        case partialRotaryFactor = "partial_rotary_factor"
        case mropeSection = "mrope_section"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decodeIfPresent(String.self, forKey: .type) ?? c.decodeIfPresent(String.self, forKey: .ropeType)
        kind = Kind(rawValue: name ?? "default")
        factor = try c.decodeIfPresent(Double.self, forKey: .factor)
        lowFreqFactor = try c.decodeIfPresent(Double.self, forKey: .lowFreqFactor)
        highFreqFactor = try c.decodeIfPresent(Double.self, forKey: .highFreqFactor)
        originalMaxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .originalMaxPositionEmbeddings)
        betaFast = try c.decodeIfPresent(Double.self, forKey: .betaFast)
        betaSlow = try c.decodeIfPresent(Double.self, forKey: .betaSlow)
        mscale = try c.decodeIfPresent(Double.self, forKey: .mscale)
        mscaleAllDim = try c.decodeIfPresent(Double.self, forKey: .mscaleAllDim)
        shortFactor = try c.decodeIfPresent([Double].self, forKey: .shortFactor)
        longFactor = try c.decodeIfPresent([Double].self, forKey: .longFactor)
        shortMScale = try c.decodeIfPresent(Double.self, forKey: .shortMScale)
        longMScale = try c.decodeIfPresent(Double.self, forKey: .longMScale)
        truncate = try c.decodeIfPresent(Bool.self, forKey: .truncate)
        attentionFactor = try c.decodeIfPresent(Double.self, forKey: .attentionFactor)
        alpha = try c.decodeIfPresent(Double.self, forKey: .alpha)
        partialRotaryFactor =
            kind == .proportional ? try c.decodeIfPresent(Double.self, forKey: .partialRotaryFactor) : nil
        mropeSection = kind == .mrope ? try c.decodeIfPresent([Int].self, forKey: .mropeSection) : nil
    }

    /// Throws unless `scaling` is absent, `default`, or one of `supported` with the parameters
    /// that kind needs. `key` names the config key in the error. `originalMaxPositionEmbeddings`
    /// stands in for the scaling's own when the configuration states it elsewhere. `mscales`: longrope
    /// scales by the scaling's `short_mscale` and `long_mscale`, which it then needs.
    public static func validate(
        _ scaling: RoPEScaling?, key: String, supported: [Kind], dynamic: DynamicRoPEScaling = .byLength,
        originalMaxPositionEmbeddings: Int? = nil, rotaryDimensions: Int? = nil, mscales: Bool = false
    ) throws {
        guard let scaling, scaling.kind != .default else { return }
        guard supported.contains(scaling.kind) else {
            throw ConfigurationError.unsupportedValue(
                key: key + ".rope_type", value: "\"\(scaling.kind.rawValue)\"",
                supported: supported.map(\.rawValue))
        }
        func need(_ present: Bool, _ name: String) throws {
            if !present {
                throw ConfigurationError.invalid(
                    key: key + "." + name, reason: "required by rope_type \"\(scaling.kind.rawValue)\"")
            }
        }
        switch scaling.kind {
        case .linear, .llama3, .yarn, .dynamic:
            try need(scaling.factor != nil, "factor")
            if let factor = scaling.factor, factor <= 0 {
                throw ConfigurationError.invalid(key: key + ".factor", reason: "must be positive, got \(factor)")
            }
            if scaling.kind == .dynamic && dynamic == .alpha {
                try need(scaling.alpha != nil, "alpha")
                if let alpha = scaling.alpha, !alpha.isFinite || alpha <= 0 {
                    throw ConfigurationError.invalid(key: key + ".alpha", reason: "must be positive, got \(alpha)")
                }
            }
        case .proportional:
            if let factor = scaling.factor, factor <= 0 {
                throw ConfigurationError.invalid(key: key + ".factor", reason: "must be positive, got \(factor)")
            }
            if let fraction = scaling.partialRotaryFactor, !(0 ... 1).contains(fraction) {
                throw ConfigurationError.invalid(
                    key: key + ".partial_rotary_factor", reason: "must be between 0 and 1, got \(fraction)")
            }
        case .mrope:
            // Text rotates as plain RoPE whatever the split, but a split that does not cover the rotated
            // frequencies in three parts is not a checkpoint either reference loads.
            try need(scaling.mropeSection != nil, "mrope_section")
            if let section = scaling.mropeSection {
                let covered = rotaryDimensions.map { section.reduce(0, +) == $0 / 2 } ?? true
                if section.count != 3 || section.contains(where: { $0 < 1 }) || !covered {
                    throw ConfigurationError.invalid(
                        key: key + ".mrope_section",
                        reason: "must be three positive counts summing to half the rotated dimensions, got \(section)")
                }
            }
        case .longrope, .su:
            // One factor per rotated frequency; any other count cannot scale the rotation.
            for (name, factors) in [("long_factor", scaling.longFactor), ("short_factor", scaling.shortFactor)] {
                try need(factors != nil, name)
                if let rotaryDimensions, let factors, factors.count != rotaryDimensions / 2 {
                    throw ConfigurationError.invalid(
                        key: key + "." + name,
                        reason: "has \(factors.count) entries; the \(rotaryDimensions) rotated dimensions need "
                            + "\(rotaryDimensions / 2)")
                }
            }
            try need(
                scaling.originalMaxPositionEmbeddings != nil || originalMaxPositionEmbeddings != nil,
                "original_max_position_embeddings")
            if mscales {
                try need(scaling.shortMScale != nil, "short_mscale")
                try need(scaling.longMScale != nil, "long_mscale")
            }
        default:
            break
        }
    }
}

/// A transformers-5 `rope_parameters` object: the RoPE base, the rotated fraction of each head and
/// a `rope_scaling`-style kind. Models with several attention kinds (Gemma 3) nest one such object
/// per layer type (`full_attention`, `sliding_attention`); the flat members are then nil.
public struct RoPEParameters: Decodable, Sendable, Equatable {
    public let ropeTheta: Float?
    /// The scaling it describes; nil for plain RoPE (`rope_type: default`).
    public let scaling: RoPEScaling?
    public let partialRotaryFactor: Float?
    /// Llama-4 query scaling (Ministral 3): beta, and the context length it counts in.
    public let llama4ScalingBeta: Float?
    public let originalMaxPositionEmbeddings: Int?
    /// The nested objects of a per-layer-type `rope_parameters`; empty when it is flat.
    public let byLayerType: [AttentionLayerType: RoPEParameters]

    public var fullAttention: RoPEParameters? { byLayerType[.fullAttention] }
    public var slidingAttention: RoPEParameters? { byLayerType[.slidingAttention] }

    enum CodingKeys: String, CodingKey {
        case ropeTheta = "rope_theta"
        case partialRotaryFactor = "partial_rotary_factor"
        case llama4ScalingBeta = "llama_4_scaling_beta"
        case originalMaxPositionEmbeddings = "original_max_position_embeddings"
    }

    public init(from decoder: Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyCodingKey.self)
        var nested: [AttentionLayerType: RoPEParameters] = [:]
        for type in [AttentionLayerType.fullAttention, .slidingAttention] {
            let key = AnyCodingKey(type.rawValue)
            if keys.contains(key), try !keys.decodeNil(forKey: key) {
                nested[type] = try keys.decode(RoPEParameters.self, forKey: key)
            }
        }
        byLayerType = nested
        guard nested.isEmpty else {
            (ropeTheta, scaling, partialRotaryFactor, llama4ScalingBeta, originalMaxPositionEmbeddings) =
                (nil, nil, nil, nil, nil)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ropeTheta = try c.decodeIfPresent(Float.self, forKey: .ropeTheta)
        partialRotaryFactor = try c.decodeIfPresent(Float.self, forKey: .partialRotaryFactor)
        llama4ScalingBeta = try c.decodeIfPresent(Float.self, forKey: .llama4ScalingBeta)
        originalMaxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .originalMaxPositionEmbeddings)
        let scaling = try RoPEScaling(from: decoder)
        self.scaling = scaling.kind == .default ? nil : scaling
    }

    /// Throws unless `parameters` (the config key `key`) has the layout the family reads — one object
    /// per layer type, or a single one — and asks only for what the family applies: a rotated
    /// fraction other than 1 only where `partialRotation`, scaling on sliding layers only where
    /// `slidingScaling`.
    public static func validate(
        _ parameters: RoPEParameters?, key: String, perLayerType: Bool, partialRotation: Bool,
        slidingScaling: Bool = false
    ) throws {
        guard let parameters else { return }
        if perLayerType, parameters.byLayerType.isEmpty {
            throw ConfigurationError.invalid(
                key: key, reason: "holds one RoPE object; this model reads one per layer type (full_attention, "
                    + "sliding_attention)")
        }
        if !perLayerType, !parameters.byLayerType.isEmpty {
            throw ConfigurationError.invalid(
                key: key, reason: "holds one RoPE object per layer type; this model reads a single one")
        }
        let objects =
            parameters.byLayerType.isEmpty
            ? [(key, parameters)]
            : parameters.byLayerType.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                (key + "." + $0.key.rawValue, $0.value)
            }
        // Proportional RoPE takes its fraction as a parameter of its own.
        for (path, object) in objects where object.scaling?.kind != .proportional {
            if !partialRotation, let fraction = object.partialRotaryFactor, fraction != 1 {
                throw ConfigurationError.refused(
                    key: path + ".partial_rotary_factor", value: "\(fraction)",
                    reason: "this model rotates every dimension of each head")
            }
        }
        if !slidingScaling, let sliding = parameters.slidingAttention, let scaling = sliding.scaling {
            throw ConfigurationError.refused(
                key: key + ".sliding_attention.rope_type", value: "\"\(scaling.kind.rawValue)\"",
                reason: "this model's sliding layers rotate without scaling")
        }
    }
}

/// The named derivations of family documents (`default: {derive: NAME}`), each implemented once.
public enum ConfigDefaults {
    /// `hidden_over_heads`: the head width when a config does not state it.
    public static func headDim(hiddenSize: Int, attentionHeads: Int) -> Int {
        // Zero heads is refused once every field is decoded (validateSizes); no division by it here.
        attentionHeads > 0 ? hiddenSize / attentionHeads : 0
    }

    /// `four_times_hidden`: an MLP four times as wide as the residual stream.
    public static func fourTimesHidden(hiddenSize: Int) -> Int {
        4 * hiddenSize
    }

    /// `expand_times_hidden`: a width `expand` times the residual stream's.
    public static func expandTimesHidden(hiddenSize: Int, expand: Int) -> Int {
        // An overflowing product leaves no width, which the configuration's size check refuses.
        let (width, overflow) = expand.multipliedReportingOverflow(by: hiddenSize)
        return overflow ? 0 : width
    }

    /// `head_width_or_auto`: a head width stated, or the expanded width shared among the heads.
    public static func headWidthOrAuto(width: IntOrAuto, expand: Int, hiddenSize: Int, heads: Int) -> Int {
        if case .value(let stated) = width { return stated }
        // No heads leaves no width, which the configuration's size check refuses.
        return heads > 0 ? expand * hiddenSize / heads : 0
    }

    /// `time_step_rank`: the rank where the config states one; `auto`, ceil(hidden / 16), as
    /// Python's math.ceil gives it.
    public static func timeStepRank(rank: IntOrAuto, hiddenSize: Int) -> Int {
        if case .value(let stated) = rank { return stated }
        return hiddenSize / 16 + (hiddenSize % 16 > 0 ? 1 : 0)
    }

    /// `all_full_attention`: every layer attends over the full context.
    public static func allFullAttention(layers: Int) -> [AttentionLayerType] {
        Array(repeating: .fullAttention, count: layers)
    }

    /// `global_every_nth`: layer i is full attention when (i + 1) is a multiple of `pattern`.
    public static func globalEveryNth(layers: Int, pattern: Int) -> [AttentionLayerType] {
        (0 ..< layers).map { ($0 + 1) % max(pattern, 1) == 0 ? .fullAttention : .slidingAttention }
    }

    /// `alternating_sliding_full`: (sliding, full) repeated layers / 2 times, as mlx-lm builds it;
    /// with an odd layer count the schedule is one short and the configuration is refused.
    public static func alternatingSlidingFull(layers: Int) -> [AttentionLayerType] {
        (0 ..< layers / 2 * 2).map { $0 % 2 == 0 ? .slidingAttention : .fullAttention }
    }

    /// `sliding_when_windowed`: one window for every layer when the config sets one.
    public static func slidingWhenWindowed(layers: Int, window: Int?) -> [AttentionLayerType] {
        Array(repeating: window == nil ? .fullAttention : .slidingAttention, count: layers)
    }

    /// `sliding_past_max_window_layers`: with a window, the layers from `maxWindowLayers` on slide
    /// and the ones before attend over the full context; without one, every layer does.
    public static func slidingPastMaxWindowLayers(
        layers: Int, window: Int?, maxWindowLayers: Int
    ) -> [AttentionLayerType] {
        (0 ..< layers).map { window != nil && $0 >= maxWindowLayers ? .slidingAttention : .fullAttention }
    }

    /// `sparse_every_step`: `experts` on every `step`-th layer (counting from 1) that has experts
    /// and is not listed in `denseLayers`, `mlp` on the rest.
    public static func sparseEveryStep(layers: Int, experts: Int, step: Int, denseLayers: [Int]) -> [String] {
        (0 ..< layers).map { layer in
            let sparse = !denseLayers.contains(layer) && experts > 0 && step > 0 && (layer + 1) % step == 0
            return sparse ? "experts" : "mlp"
        }
    }

    /// `groups_by_top_k_method` and `selected_groups_by_top_k_method`: `groups` for a group-limited
    /// router, else 1 (a greedy router's experts form one group).
    public static func groupsByTopKMethod(groups: Int?, method: TopKMethod) -> Int {
        method == .groupLimitedGreedy ? groups ?? 1 : 1
    }

    /// `dense_or_sparse`: `types` (`dense` or `sparse` per layer) as feed-forward kinds; a name that is
    /// neither stays as it is, for the schedule's check to refuse. Absent: the first layer dense.
    public static func denseOrSparse(layers: Int, types: [String]?) -> [String] {
        guard let types else { return (0 ..< layers).map { $0 < 1 ? "mlp" : "experts" } }
        return kinds(types, ["dense": "mlp", "sparse": "experts"])
    }

    /// Each layer's kind by the name its config gives the layer, through `names`; a name outside the
    /// table is left as it is, for the schedule's check to refuse.
    static func kinds(_ layerNames: [String], _ names: [String: String]) -> [String] {
        layerNames.map { names[$0] ?? $0 }
    }

    /// `at` on the layers whose index modulo `period` is `offset`, `elsewhere` on the others. A period
    /// below 1 or an offset outside it names no kind (`outside`, the settings as the config names
    /// them), which the schedule's check refuses.
    static func periodic(
        layers: Int, period: Int, offset: Int, at: String, elsewhere: String, outside: String
    ) -> [String] {
        guard period > 0, (0 ..< period).contains(offset) else {
            return Array(repeating: outside, count: max(layers, 0))
        }
        return (0 ..< max(layers, 0)).map { $0 % period == offset ? at : elsewhere }
    }

    static let convolutionNames = ["full_attention": "attention", "conv": "short_conv"]
    static let linearAttentionNames = ["full_attention": "attention", "linear_attention": "gated_delta"]
    // transformers 5 also spells them full_attention and linear_attention.
    static let ssdNames = [
        "attention": "attention", "full_attention": "attention", "mamba": "ssd", "linear_attention": "ssd",
    ]
    static let selectiveSSMNames = ["attention": "attention", "mamba": "selective_ssm"]
    /// A layer-per-block model's block names (as listed, and as the pattern's characters): the
    /// block's mixer and its feed-forward, `none` for the slot it leaves empty.
    static let blockNames: [String: (mixer: String, feedForward: String)] = [
        "M": ("ssd", "none"), "linear_attention": ("ssd", "none"), "mamba": ("ssd", "none"),
        "*": ("attention", "none"), "full_attention": ("attention", "none"), "attention": ("attention", "none"),
        "-": ("none", "mlp"), "mlp": ("none", "mlp"),
        "E": ("none", "experts"), "moe": ("none", "experts"),
    ]

    /// `attention_or_conv`: `types` (`full_attention` or `conv` per layer) as mixer kinds; without
    /// them, attention on the layers `attentionLayers` lists and convolutions elsewhere, and with
    /// neither, attention everywhere.
    public static func attentionOrConv(layers: Int, types: [String]?, attentionLayers: [Int]?) -> [String] {
        if let types { return kinds(types, convolutionNames) }
        guard let attentionLayers else { return Array(repeating: "attention", count: layers) }
        return (0 ..< layers).map { attentionLayers.contains($0) ? "attention" : "short_conv" }
    }

    /// `attention_or_linear`: `types` (`full_attention` or `linear_attention` per layer) as mixer kinds;
    /// without them, attention on every `interval`-th layer (counting from 1) and the gated delta rule
    /// elsewhere. An interval below 1 names no kind, which the check refuses.
    public static func attentionOrLinear(layers: Int, types: [String]?, interval: Int) -> [String] {
        if let types { return kinds(types, linearAttentionNames) }
        guard interval > 0 else { return Array(repeating: "full_attention_interval \(interval)", count: max(layers, 0)) }
        return (0 ..< max(layers, 0)).map { ($0 + 1) % interval == 0 ? "attention" : "gated_delta" }
    }

    /// `attention_or_ssd`: `types` (`attention` or `mamba` per layer) as mixer kinds; without them,
    /// the head-wise recurrence on every layer.
    public static func attentionOrSSD(layers: Int, types: [String]?) -> [String] {
        guard let types else { return Array(repeating: "ssd", count: layers) }
        return kinds(types, ssdNames)
    }

    /// The block list of a layer-per-block model: the named list (transformers 5 writes
    /// `layers_block_type`, older configs `layer_types`), else the pattern's characters.
    static func blockPattern(blockTypes: [String]?, layerTypes: [String]?, pattern: String?) -> [String] {
        blockTypes ?? layerTypes ?? pattern.map { $0.map { String($0) } } ?? []
    }

    /// `layers_in_block_pattern`: as many layers as the block list names.
    public static func layersInBlockPattern(blockTypes: [String]?, layerTypes: [String]?, pattern: String?) -> Int {
        blockPattern(blockTypes: blockTypes, layerTypes: layerTypes, pattern: pattern).count
    }

    /// `mixer_in_block_pattern`: the mixer of each block, `none` on the feed-forward blocks.
    public static func mixerInBlockPattern(blockTypes: [String]?, layerTypes: [String]?, pattern: String?) -> [String] {
        kinds(blockPattern(blockTypes: blockTypes, layerTypes: layerTypes, pattern: pattern),
              blockNames.mapValues(\.mixer))
    }

    /// `feed_forward_in_block_pattern`: the feed-forward of each block, `none` on the mixer blocks.
    public static func feedForwardInBlockPattern(blockTypes: [String]?, layerTypes: [String]?, pattern: String?) -> [String] {
        kinds(blockPattern(blockTypes: blockTypes, layerTypes: layerTypes, pattern: pattern),
              blockNames.mapValues(\.feedForward))
    }

    /// `attention_or_selective_ssm`: `types` (`attention` or `mamba` per layer) as mixer kinds; without
    /// them, attention where the layer's index modulo `period` is `offset` and the selective recurrence
    /// elsewhere.
    public static func attentionOrSelectiveSSM(layers: Int, types: [String]?, period: Int, offset: Int) -> [String] {
        if let types { return kinds(types, selectiveSSMNames) }
        return periodic(
            layers: layers, period: period, offset: offset, at: "attention", elsewhere: "selective_ssm",
            outside: "attn_layer_offset \(offset) outside attn_layer_period \(period)")
    }

    /// `sparse_at_period_offset`: experts where the layer's index modulo `period` is `offset` and there
    /// is more than one expert, a dense MLP elsewhere.
    public static func sparseAtPeriodOffset(layers: Int, experts: Int, period: Int, offset: Int) -> [String] {
        periodic(
            layers: layers, period: period, offset: offset, at: experts < 2 ? "mlp" : "experts", elsewhere: "mlp",
            outside: "expert_layer_offset \(offset) outside expert_layer_period \(period)")
    }

    /// `rope_when_named`: every layer rotates when the config names `rope`, none otherwise.
    public static func ropeWhenNamed(layers: Int, named: String?) -> [Int] {
        Array(repeating: named == "rope" ? 1 : 0, count: max(layers, 0))
    }

    /// `adjusted_ff_dim`: a SwiGLU width two thirds of `width` (as Python truncates it), scaled by
    /// `multiplier` and rounded up to a multiple of `multipleOf`; unadjusted, `width` itself.
    public static func adjustedFeedForwardWidth(width: Int, adjust: Bool, multiplier: Float, multipleOf: Int) -> Int {
        // A multiple of 0 or less leaves no width, which the configuration's size check refuses.
        guard adjust else { return width }
        guard multipleOf > 0 else { return 0 }
        let twoThirds = Int(Double(2 * width) / 3)
        let scaled = Int(Double(multiplier) * Double(twoThirds))
        return multipleOf * ((scaled + multipleOf - 1) / multipleOf)
    }

    /// `dense_first`: the first `denseLayers` layers keep a dense MLP, the rest have experts.
    public static func denseFirst(layers: Int, denseLayers: Int) -> [String] {
        (0 ..< layers).map { $0 < denseLayers ? "mlp" : "experts" }
    }

    /// `sparse_in_range`: `experts` on the layers from `start` to `end` (nil or -1: the last layer)
    /// whose number counting from 1 is a multiple of `interval`, `mlp` on the rest.
    public static func sparseInRange(layers: Int, start: Int, end: Int?, interval: Int) -> [String] {
        let last = end.flatMap { $0 == -1 ? nil : $0 } ?? layers - 1
        return (0 ..< layers).map { layer in
            let sparse = interval > 0 && (layer + 1) % interval == 0 && layer >= start && layer <= last
            return sparse ? "experts" : "mlp"
        }
    }

    /// `dense_first_then_every_nth`: experts from layer `denseLayers` on, on each layer whose index
    /// (from 0, not from the first sparse layer) is a multiple of `frequency`; a dense MLP elsewhere.
    public static func denseFirstThenEveryNth(layers: Int, denseLayers: Int, frequency: Int) -> [String] {
        (0 ..< layers).map { layer in
            layer >= denseLayers && frequency > 0 && layer % frequency == 0 ? "experts" : "mlp"
        }
    }

    /// `shared_experts_width`: `sharedExperts` experts side by side, as one MLP.
    public static func sharedExpertsWidth(expertWidth: Int, sharedExperts: Int) -> Int {
        expertWidth * sharedExperts
    }

    /// `shared_experts_width_each`: `sharedExperts` shared experts side by side, each `sharedWidth`
    /// wide (nil or 0: `expertWidth`), as one MLP.
    public static func sharedExpertsWidthEach(expertWidth: Int, sharedWidth: Int?, sharedExperts: Int) -> Int {
        let each = sharedWidth.flatMap { $0 == 0 ? nil : $0 } ?? expertWidth
        return each * sharedExperts
    }

    /// `shared_experts_enabled`: shared experts exist when there is at least one and they are enabled.
    public static func sharedExpertsEnabled(sharedExperts: Int, enabled: Bool) -> Bool {
        sharedExperts > 0 && enabled
    }

    /// `layers_every_step`: layers step - 1, 2 step - 1, ... (every `step`-th, counting from 1).
    public static func layersEveryStep(layers: Int, step: Int) -> [Int] {
        step > 0 ? Array(stride(from: step - 1, to: layers, by: step)) : []
    }

    /// `experts_on_listed_layers`: `experts` on the layers `listed` names, `mlp` on the rest.
    public static func expertsOnListedLayers(layers: Int, listed: [Int]) -> [String] {
        (0 ..< layers).map { listed.contains($0) ? "experts" : "mlp" }
    }

    /// `chunked_where_rotated`: chunked attention on the layers that rotate when a chunk size is
    /// set, full attention elsewhere.
    public static func chunkedWhereRotated(ropeLayers: [Int], chunkSize: Int?) -> [AttentionLayerType] {
        ropeLayers.map { $0 != 0 && chunkSize != nil ? .chunkedAttention : .fullAttention }
    }

    /// `rotary_dim_fraction`: the rotated fraction of a head from its rotated width.
    public static func rotaryFraction(rotaryDimensions: Int, headDim: Int) -> Float {
        // Zero heads is refused once every field is decoded; no division by it here.
        headDim > 0 ? Float(Double(rotaryDimensions) / Double(headDim)) : 1
    }

    /// `scale_over_sqrt_layers`: `scale` / sqrt(`layers`), computed in double precision.
    public static func scaleOverSqrtLayers(scale: Float, layers: Int) -> Float {
        // Zero layers is refused once every field is decoded; no division by it here.
        layers > 0 ? Float(Double(scale) / Double(layers).squareRoot()) : scale
    }

    /// `hidden_over_base`: the hidden width over the base width, computed in double precision.
    public static func hiddenOverBase(hiddenSize: Int, base: Int) -> Float {
        base != 0 ? Float(Double(hiddenSize) / Double(base)) : 1
    }

    /// `half_intermediate`: half the stated MLP width, rounded down.
    public static func halfIntermediate(width: Int) -> Int {
        width / 2
    }

    /// `ssd_width`: the head-wise state-space block's width, its heads side by side.
    public static func ssdWidth(heads: Int, headDim: Int) -> Int {
        // An overflowing product leaves no width, which a stated width then differs from.
        let (width, overflow) = heads.multipliedReportingOverflow(by: headDim)
        return overflow ? 0 : width
    }

    /// `latent_query_head_dim`: latent attention's query and key head width, its two parts together.
    public static func latentQueryHeadDim(noRoPE: Int, rotated: Int) -> Int {
        noRoPE + rotated
    }

    /// `intermediate_times_shared`: a shared MLP as wide as `shared` dense MLPs, per layer.
    public static func intermediateTimesShared(width: Int, shared: PerLayerInt) -> PerLayerInt {
        shared.map { width * $0 }
    }

    /// `intermediate_every_layer`: one width for every layer.
    public static func everyLayer(value: Int) -> PerLayerInt {
        PerLayerInt(values: [value], repeated: true)
    }

    /// `experts_unless_single`: experts on every layer when there are several, a dense MLP when one.
    public static func expertsUnlessSingle(layers: Int, experts: Int) -> [String] {
        Array(repeating: experts > 1 ? "experts" : "mlp", count: layers)
    }

    /// `rope_except_every_nth`: 1 (rotate) except where (i + 1) is a multiple of `interval`.
    public static func ropeExceptEveryNth(layers: Int, interval: Int) -> [Int] {
        (0 ..< layers).map { ($0 + 1) % max(interval, 1) != 0 ? 1 : 0 }
    }

    /// `rope_on_sliding_when_windowed`: hybrid decoders whose full-attention layers take no
    /// position embedding once a window is set; without a window every layer rotates.
    public static func ropeOnSlidingWhenWindowed(layerTypes: [AttentionLayerType], window: Int?) -> [Int] {
        layerTypes.map { window == nil || $0 == .slidingAttention ? 1 : 0 }
    }

    /// `rope_on_sliding`: hybrid decoders whose full-attention layers never take a position
    /// embedding, the sliding layers carrying all the positional information.
    public static func ropeOnSliding(layerTypes: [AttentionLayerType]) -> [Int] {
        layerTypes.map { $0 == .slidingAttention ? 1 : 0 }
    }

    /// `legacy_gelu_as_tanh`: configs released naming `gelu` meant the tanh approximation, and
    /// transformers reads them so; every other name keeps its meaning.
    public static func legacyGeluAsTanh(named: Activation) -> Activation {
        named.name == "gelu" ? Activation("gelu_pytorch_tanh") : named
    }

    /// `last_layer_full`: the schedule with its last layer attending over the full context.
    public static func lastLayerFull(layerTypes: [AttentionLayerType]) -> [AttentionLayerType] {
        guard !layerTypes.isEmpty else { return layerTypes }
        return layerTypes.dropLast() + [.fullAttention]
    }

    /// `head_dim_by_layer_type`: with `overrides`, each layer's own `head_dim` there or else
    /// `headDim`; without, `globalHeadDim` on full-attention layers and `headDim` on the others.
    public static func headDimByLayerType(
        headDim: Int, globalHeadDim: Int, layerTypes: [AttentionLayerType], overrides: PerLayerOverrides?
    ) -> PerLayerInt {
        PerLayerInt(
            values: layerTypes.enumerated().map { layer, kind in
                if let overrides { return overrides[layer].headDim ?? headDim }
                return kind == .fullAttention ? globalHeadDim : headDim
            })
    }

    /// `kv_heads_by_layer_type`: with `overrides`, each layer's own `num_key_value_heads` there or
    /// else `kvHeads`; without, `globalKVHeads` on full-attention layers when `valuesFromKeys` holds
    /// and it is set, `kvHeads` everywhere else.
    public static func kvHeadsByLayerType(
        kvHeads: Int, globalKVHeads: Int?, valuesFromKeys: Bool, layerTypes: [AttentionLayerType],
        overrides: PerLayerOverrides?
    ) -> PerLayerInt {
        PerLayerInt(
            values: layerTypes.enumerated().map { layer, kind in
                if let overrides { return overrides[layer].kvHeads ?? kvHeads }
                guard kind == .fullAttention, valuesFromKeys, let globalKVHeads else { return kvHeads }
                return globalKVHeads
            })
    }

    /// `doubled_on_shared_kv_layers`: `width` on every layer, twice that on the last `sharedLayers`
    /// layers (those that share keys and values) when `doubled` holds.
    public static func doubledOnSharedKVLayers(width: Int, doubled: Bool, sharedLayers: Int, layers: Int)
        -> PerLayerInt
    {
        let firstShared = layers - sharedLayers
        return PerLayerInt(
            values: (0 ..< layers).map { doubled && sharedLayers > 0 && $0 >= firstShared ? 2 * width : width })
    }
}

/// Per-layer overrides of a config's attention sizes (`per_layer_config`, as transformers 5 writes
/// heterogeneous configs): layer index -> `head_dim` and `num_key_value_heads`. Layers it does not
/// name keep the global values; any other overridden key is refused, as no layer could honour it.
public struct PerLayerOverrides: Decodable, Sendable, Equatable {
    public struct Layer: Decodable, Sendable, Equatable {
        public let headDim: Int?
        public let kvHeads: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case headDim = "head_dim"
            case kvHeads = "num_key_value_heads"
        }

        public init(headDim: Int? = nil, kvHeads: Int? = nil) {
            self.headDim = headDim
            self.kvHeads = kvHeads
        }

        public init(from decoder: Decoder) throws {
            let keys = try decoder.container(keyedBy: AnyCodingKey.self)
            let known = CodingKeys.allCases.map(\.rawValue)
            if let other = keys.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
                let path = (decoder.codingPath.map(\.stringValue) + [other]).joined(separator: ".")
                throw ConfigurationError.refused(
                    key: path, value: "a value", reason: "only head_dim and num_key_value_heads may differ by layer")
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            headDim = try c.decodeIfPresent(Int.self, forKey: .headDim)
            kvHeads = try c.decodeIfPresent(Int.self, forKey: .kvHeads)
        }
    }

    public let layers: [Int: Layer]

    public init(from decoder: Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyCodingKey.self)
        var layers: [Int: Layer] = [:]
        for key in keys.allKeys {
            // transformers zero-pads the indices ("01") so that they sort.
            guard let index = Int(key.stringValue) else {
                let path = (decoder.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
                throw ConfigurationError.invalid(key: path, reason: "is not a layer index")
            }
            layers[index] = try keys.decode(Layer.self, forKey: key)
        }
        self.layers = layers
    }

    public subscript(layer: Int) -> Layer { layers[layer] ?? Layer() }

    /// Checks every named layer exists.
    public func validate(key: String, layers count: Int) throws {
        if let bad = layers.keys.sorted().first(where: { $0 < 0 || $0 >= count }) {
            throw ConfigurationError.invalid(key: key, reason: "names layer \(bad); the model has \(count) layers")
        }
    }
}

/// The text model's configuration out of a wrapper checkpoint's `config.json`: its `text_config`,
/// with the rewrites the reference applies before reading it. `fromTopLevel` keys take the
/// top-level value (or the given default when the top level lacks it); `defaults` fill keys the
/// text config does not set; `topLevelOverrides` keys take the top-level value only where it is
/// stated. With `textConfigOptional`, a configuration without `text_config` is the text model's own
/// (the flat layout of earlier checkpoints of some wrappers).
public func unwrappedTextConfiguration(
    of configuration: Data, textConfigOptional: Bool = false, topLevelOverrides: [String] = [],
    fromTopLevel: [String: Any], defaults: [String: Any]
) throws -> Data {
    guard let top = try JSONSerialization.jsonObject(with: configuration) as? [String: Any] else {
        throw ConfigurationError.invalid(key: "config.json", reason: "is not a JSON object")
    }
    let nested = top["text_config"].flatMap { $0 is NSNull ? nil : $0 }
    let source: Any? = nested ?? (textConfigOptional ? top : nil)
    guard var text = source as? [String: Any] else {
        throw ConfigurationError.invalid(key: "text_config", reason: "is missing; this model_type wraps a text model")
    }
    for (key, fallback) in fromTopLevel {
        text[key] = top[key] ?? fallback
    }
    for key in topLevelOverrides {
        if let value = top[key] { text[key] = value }
    }
    for (key, value) in defaults where text[key] == nil {
        text[key] = value
    }
    return try JSONSerialization.data(withJSONObject: text, options: [.sortedKeys])
}

/// The `model_type` a configuration states, if any.
public func textModelType(of configuration: Data) -> String? {
    (try? JSONSerialization.jsonObject(with: configuration) as? [String: Any])?["model_type"] as? String
}

/// The largest value each model size may take: past these no checkpoint exists, and building the
/// model would exhaust memory before any weight is read.
public enum SizeLimits {
    public static let width = 1 << 20
    public static let layers = 1 << 12
    public static let heads = 1 << 12
    public static let vocabulary = 1 << 24
    public static let experts = 1 << 16
}

/// Throws unless every size (config key, value, limit) is at least 1 and at most its limit, and the
/// query heads divide into the key/value heads' groups.
public func validateSizes(_ sizes: [(key: String, value: Int, limit: Int)], heads: Int, kvHeads: Int) throws {
    for (key, value, limit) in sizes where value < 1 || value > limit {
        throw ConfigurationError.invalid(key: key, reason: "is \(value); it must be between 1 and \(limit)")
    }
    if heads % kvHeads != 0 {
        throw ConfigurationError.invalid(
            key: "num_key_value_heads",
            reason: "is \(kvHeads), which does not divide the \(heads) attention heads into groups")
    }
}

/// Throws unless `heads` (a size already checked positive) splits into `groups` equal groups, one
/// per key head of a mixer whose key heads each serve several value heads.
public func validateHeadGroups(_ heads: Int, key: String, groups: Int) throws {
    if groups > 0, heads % groups != 0 {
        throw ConfigurationError.invalid(
            key: key, reason: "is \(heads), which does not divide into \(groups) groups, one per key head")
    }
}

/// Throws unless `token`, when set, names a row of a `vocabulary`-row embedding (a negative one
/// counting from the end, as torch's `padding_idx` does).
public func validateTokenRow(_ token: Int?, key: String, vocabulary: Int) throws {
    if let token, token < -vocabulary || token >= vocabulary {
        throw ConfigurationError.invalid(
            key: key, reason: "is \(token); it must name a row of the \(vocabulary)-row embedding")
    }
}

/// Throws unless a router can route: between 1 and `SizeLimits.experts` experts, between 1 and that
/// many experts per token, and for grouped top-k, groups that divide the experts evenly with between
/// 1 and all of them kept, holding at least as many experts as a token takes. Each argument is the
/// config key and its value; a router that takes a fixed number of experts per token has no key for
/// it, and `nil` groups, or a single group, route ungrouped (how many groups are kept is then moot).
public func validateRouting(
    experts: (key: String, value: Int), perToken: (key: String?, value: Int),
    groups: (key: String, value: Int)?, selectedGroups: (key: String, value: Int)?
) throws {
    if experts.value < 1 || experts.value > SizeLimits.experts {
        throw ConfigurationError.invalid(
            key: experts.key, reason: "is \(experts.value); it must be between 1 and \(SizeLimits.experts)")
    }
    if let key = perToken.key, perToken.value < 1 || perToken.value > experts.value {
        throw ConfigurationError.invalid(
            key: key, reason: "is \(perToken.value); a token takes between 1 and the \(experts.value) experts")
    }
    if perToken.key == nil, perToken.value > experts.value {
        throw ConfigurationError.invalid(
            key: experts.key,
            reason: "is \(experts.value); the router takes \(perToken.value) experts for each token")
    }
    guard let groups, let selectedGroups else { return }
    if groups.value < 1 || experts.value % groups.value != 0 {
        throw ConfigurationError.invalid(
            key: groups.key, reason: "is \(groups.value), which does not divide the \(experts.value) experts evenly")
    }
    if groups.value == 1 { return }
    if selectedGroups.value < 1 || selectedGroups.value > groups.value {
        throw ConfigurationError.invalid(
            key: selectedGroups.key, reason: "is \(selectedGroups.value); it must be between 1 and the \(groups.value) groups")
    }
    if selectedGroups.value * (experts.value / groups.value) < perToken.value {
        throw ConfigurationError.invalid(
            key: selectedGroups.key,
            reason: "is \(selectedGroups.value); its groups hold fewer experts than the \(perToken.value) a token takes")
    }
}

/// `validateRouting` for a router that takes another number of experts per token on each layer.
public func validateRouting(
    experts: (key: String, value: Int), perToken: (key: String, value: PerLayerInt),
    groups: (key: String, value: Int)?, selectedGroups: (key: String, value: Int)?
) throws {
    for value in Set(perToken.value.values).sorted() {
        try validateRouting(
            experts: experts, perToken: (perToken.key, value), groups: groups, selectedGroups: selectedGroups)
    }
}

/// Throws unless `value` (the config key `key`) is finite and greater than zero: an epsilon or a
/// RoPE base of zero, below zero or infinite computes nothing meaningful.
public func validatePositive(_ value: Float, key: String) throws {
    if !value.isFinite || value <= 0 {
        throw ConfigurationError.invalid(key: key, reason: "is \(value); it must be a finite number above zero")
    }
}

/// Checks that each layer's key/value heads divide its query heads into groups.
public func validateKVHeads(_ kvHeads: PerLayerInt, heads: Int, key: String, layers: Int) throws {
    for layer in 0 ..< layers where heads % kvHeads[layer] != 0 {
        throw ConfigurationError.invalid(
            key: key,
            reason: "gives layer \(layer) \(kvHeads[layer]) key/value heads, which do not divide the \(heads) "
                + "attention heads into groups")
    }
}

/// Throws when `flag` (the config key `flagKey`) is set but `value` (the key `key`) is not: a part
/// the flag switches on needs it.
public func requirePresent<T>(_ value: T?, key: String, when flag: Bool, flagKey: String) throws {
    if flag, value == nil {
        throw ConfigurationError.invalid(key: key, reason: "is required when \(flagKey) is true")
    }
}

/// Checks a per-layer schedule against the layer count and the window it needs.
public func validateSlidingWindow(layerTypes: [AttentionLayerType], slidingWindow: Int?, layers: Int) throws {
    if layerTypes.count != layers {
        throw ConfigurationError.invalid(
            key: "layer_types", reason: "has \(layerTypes.count) entries for \(layers) layers")
    }
    if layerTypes.contains(.chunkedAttention) {
        throw ConfigurationError.invalid(
            key: "layer_types", reason: "names chunked_attention, which this model does not support")
    }
    if layerTypes.contains(.slidingAttention) {
        guard let slidingWindow, slidingWindow > 0 else {
            throw ConfigurationError.invalid(
                key: "sliding_window", reason: "sliding_attention layers need a positive sliding_window")
        }
    }
}

/// Checks a per-layer schedule of full and chunked attention against the layer count and the
/// chunk size it needs.
public func validateChunkedAttention(
    layerTypes: [AttentionLayerType], chunkSize: Int?, chunkKey: String, layers: Int
) throws {
    if layerTypes.count != layers {
        throw ConfigurationError.invalid(
            key: "layer_types", reason: "has \(layerTypes.count) entries for \(layers) layers")
    }
    if layerTypes.contains(.slidingAttention) {
        throw ConfigurationError.invalid(
            key: "layer_types", reason: "names sliding_attention, which this model does not support")
    }
    if layerTypes.contains(.chunkedAttention) {
        guard let chunkSize, chunkSize > 0 else {
            throw ConfigurationError.invalid(
                key: chunkKey, reason: "is \(chunkSize.map(String.init) ?? "null"); chunked_attention layers need a positive size")
        }
    }
}

/// Checks a per-layer RoPE switch list (1 rotates, 0 is NoPE) against the layer count.
public func validateRoPELayers(_ ropeLayers: [Int], key: String, layers: Int) throws {
    if ropeLayers.count != layers {
        throw ConfigurationError.invalid(key: key, reason: "has \(ropeLayers.count) entries for \(layers) layers")
    }
    if let bad = ropeLayers.first(where: { $0 != 0 && $0 != 1 }) {
        throw ConfigurationError.invalid(key: key, reason: "holds \(bad); each entry is 1 (RoPE) or 0 (none)")
    }
}

/// Checks the group size of cross-layer key/value sharing: with sharing on, groups of fewer than
/// one layer cannot be formed.
public func validateCrossLayerGroup(_ group: Int, sharing: Bool, key: String) throws {
    if sharing && (group < 1 || group > SizeLimits.layers) {
        throw ConfigurationError.invalid(
            key: key, reason: "is \(group); layers share in groups of 1 to \(SizeLimits.layers)")
    }
}

/// Checks a layer schedule: one kind per layer, each one the model has.
public func validateLayerKinds(_ schedule: [String], key: String, kinds: [String], layers: Int) throws {
    if schedule.count != layers {
        throw ConfigurationError.invalid(key: key, reason: "has \(schedule.count) entries for \(layers) layers")
    }
    if let bad = schedule.first(where: { !kinds.contains($0) }) {
        throw ConfigurationError.invalid(
            key: key, reason: "names '\(bad)'; each layer is one of \(kinds.joined(separator: ", "))")
    }
}

/// Checks the schedules of layers that are one block each: every layer has its mixer or its
/// feed-forward, never both and never neither.
public func validateOneBlockPerLayer(mixers: [String], feedForwards: [String], key: String) throws {
    for (i, (mixer, feedForward)) in zip(mixers, feedForwards).enumerated() where (mixer == "none") == (feedForward == "none") {
        throw ConfigurationError.invalid(
            key: key, reason: "gives layer \(i) mixer '\(mixer)' and feed-forward '\(feedForward)'; each layer is one of the two")
    }
}

/// A coding key made from any string, for reading a config's structure around the typed keys.
struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int? = nil
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

extension Decoder {
    /// The container holding a text model's settings: `text_config` when the checkpoint nests
    /// one (multimodal wrappers), the top level otherwise.
    public func configurationContainer<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let top = try container(keyedBy: AnyCodingKey.self)
        let nested = AnyCodingKey("text_config")
        if top.contains(nested), try !top.decodeNil(forKey: nested) {
            return try top.nestedContainer(keyedBy: Key.self, forKey: nested)
        }
        return try container(keyedBy: Key.self)
    }
}

extension KeyedDecodingContainer {
    /// The dotted path of `key`, as the error messages name it.
    func path(_ key: Key) -> String {
        (codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
    }

    /// Throws when `key` is present with any value but null: the family does not support it.
    public func refuse(_ key: Key, because reason: String) throws {
        guard contains(key), try !decodeNil(forKey: key) else { return }
        throw ConfigurationError.refused(key: path(key), value: "a value", reason: reason)
    }

    /// Throws when `key` is present, not null, and not one of `values`; a list must hold only
    /// values among them.
    public func expect<T: Decodable & Equatable>(_ key: Key, in values: [T], because reason: String) throws {
        guard contains(key), try !decodeNil(forKey: key) else { return }
        let given: [T]
        if let value = try? decode(T.self, forKey: key) {
            given = [value]
        } else if let list = try? decode([T].self, forKey: key) {
            given = list
        } else {
            throw ConfigurationError.refused(key: path(key), value: "a value of another type", reason: reason)
        }
        if let bad = given.first(where: { !values.contains($0) }) {
            throw ConfigurationError.refused(key: path(key), value: "\(bad)", reason: reason)
        }
    }

    /// Throws when `key` is present with another value than `computed`, the value the model
    /// derives for it from other keys instead of reading it.
    public func expect<T: Decodable & Equatable>(_ key: Key, computedAs computed: T, because reason: String) throws {
        guard contains(key), try !decodeNil(forKey: key) else { return }
        guard let value = try? decode(T.self, forKey: key) else {
            throw ConfigurationError.refused(key: path(key), value: "a value of another type", reason: reason)
        }
        if value != computed {
            throw ConfigurationError.refused(
                key: path(key), value: "\(value)", reason: reason + "; the model computes \(computed)")
        }
    }

    /// The value of `key`, or when it is absent `member`: the same setting where transformers 5
    /// keeps it (`rope_parameters.rope_theta` for `rope_theta`). A config stating both with
    /// different values is refused, since readers disagree on which one wins.
    public func decodeIfPresent<T: Decodable & Equatable>(
        _ type: T.Type, forKey key: Key, agreeingWith member: T?, at memberPath: String
    ) throws -> T? {
        guard let value = try decodeIfPresent(type, forKey: key) else { return member }
        if let member, member != value {
            throw ConfigurationError.refused(
                key: path(key), value: "\(value)", reason: "it disagrees with \(memberPath) (\(member))")
        }
        return value
    }

    /// The value of `key`; `absent` where the config leaves the key out, and `nil` where it states
    /// null (a config class whose default is not None reads the two apart).
    public func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key, absent: T) throws -> T? {
        contains(key) ? try decodeIfPresent(type, forKey: key) : absent
    }

    /// Throws the error a required key that is absent everywhere deserves.
    /// Throws for a value that only a member of another field (`path`, e.g.
    /// `rope_parameters.rope_theta`) can give, when that member is absent too.
    public func missing<T>(member path: String) throws -> T {
        throw ConfigurationError.invalid(key: path, reason: "is required")
    }

    public func missing<T>(_ key: Key) throws -> T {
        throw DecodingError.keyNotFound(
            key, DecodingError.Context(codingPath: codingPath, debugDescription: "\(path(key)) is required"))
    }
}

extension RoPEScaling: CustomStringConvertible {
    /// How refusals name a scaling: its type and factor.
    public var description: String {
        "rope_type \"\(kind.rawValue)\"" + (factor.map { ", factor \($0)" } ?? "")
    }
}

/// A size a config states as a number or as `auto` (the model derives it).
public enum IntOrAuto: Sendable, Decodable, Equatable {
    case auto
    case value(Int)

    /// A number, or the string `auto`; any other string is refused.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .value(number)
            return
        }
        let name = try container.decode(String.self)
        guard name == "auto" else {
            let key = decoder.codingPath.map(\.stringValue).joined(separator: ".")
            throw ConfigurationError.unsupportedValue(
                key: key, value: "\"\(name)\"", supported: ["auto", "an integer"])
        }
        self = .auto
    }
}

/// Two bounds a config states as `[low, high]`; either may be spelled as transformers 5 writes a number
/// JSON has no literal for (`{"__float__": "Infinity"}`).
public struct FloatRange: Sendable, Decodable, Equatable {
    public let low: Float
    public let high: Float

    public init(low: Float, high: Float) {
        self.low = low
        self.high = high
    }

    public init(from decoder: Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let key = decoder.codingPath.map(\.stringValue).joined(separator: ".")
        var bounds: [Float] = []
        while !container.isAtEnd {
            if let number = try? container.decode(Double.self) {
                bounds.append(Float(number))
            } else {
                let spelled = try container.decode([String: String].self)
                guard spelled.count == 1, let text = spelled["__float__"], let number = Double(text) else {
                    throw ConfigurationError.unsupportedValue(
                        key: key, value: "\(spelled)", supported: ["a number", "{\"__float__\": \"Infinity\"}"])
                }
                bounds.append(Float(number))
            }
        }
        guard bounds.count == 2, bounds[0] <= bounds[1] else {
            throw ConfigurationError.unsupportedValue(
                key: key, value: "\(bounds)", supported: ["[low, high] with low <= high"])
        }
        low = bounds[0]
        high = bounds[1]
    }
}
