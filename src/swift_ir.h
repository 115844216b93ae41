// Stage 3 output: the Swift intermediate model. Plain data naming everything the templates emit;
// its JSON form (`hf2swift ir FAMILY`) is exactly what templates can refer to.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hf2swift::ir {

/// An argument of a call the template writes: `label: value`, with `last` to place commas.
struct Argument {
    std::string label;
    std::string value;
    bool last = false;
};

struct Source {
    std::string path;  // "families/llama.yaml"
    std::string family;
    bool last = false;
};

struct ModelType {
    std::string name;
    bool last = false;
};

struct TypeNames {
    std::string configuration;
    std::string attention;
    std::string mlp;
    std::string experts;
    std::string decoder_layer;
    std::string model_inner;
    std::string model;
};

/// A stored property of the Configuration, decoded from one config.json key.
struct ConfigField {
    std::string swift_name;
    std::string json_key;
    std::string swift_type;    // the property's type, `Int?` when optional
    std::string decoded_type;  // the type passed to decode, without `?`
    std::string doc;
    bool has_doc = false;
    bool read = true;          // false: never read, always the default
    bool required = false;     // no default, not optional: decode throws when absent
    bool optional = false;     // absent gives nil
    bool has_default = false;
    bool absent_default = false;  // optional with a default: absent gives the default, null gives nil
    bool plain_read = false;      // read through the usual `decodeIfPresent ... ??` chain
    bool has_fallback = false;
    std::string fallback_field;   // Swift name of a struct-typed field
    std::string fallback_member;  // its member with the access: `?.ropeTheta` or `.ropeTheta`
    bool default_is_literal = false;
    std::string literal;          // a Swift literal
    bool default_is_field = false;
    std::string source_field;     // Swift name of the field copied
    bool default_is_derived = false;
    std::string derive_function;
    std::vector<Argument> derive_arguments;
    std::vector<std::string> derive_lines;         // the arguments as lines, at the initializer's indent
    std::vector<std::string> derive_lines_nested;  // the same one level deeper
    bool single_line = false;     // read, no default, no fallback: one `decode` line
    bool missing_throws = false;  // absent everywhere is an error (no default, or a copied optional)
    bool assigned = false;        // never read, no fallback: always the default
    bool fallback_only = false;   // never read at the top level: only the fallback member, then the default
    std::string fallback_path;    // a Swift string literal, `"rope_parameters.rope_theta"`
};

/// A stored property as declared, in the document's order.
struct Declaration {
    std::string swift_name;
    std::string swift_type;
    std::string doc;
    bool has_doc = false;
};

struct CodingKey {
    std::string swift_name;
    std::string json_key;
    std::string literal;  // the key as a Swift string literal, for the case's raw value
};

/// A config key the family refuses (`refuse`) or accepts only with listed values (`expect`).
struct KeyCheck {
    std::string swift_name;
    std::string json_key;
    std::string why;          // a Swift string literal
    bool refuse = false;
    bool expect = false;
    bool computed = false;    // a field the model derives: a stated value must equal it
    std::string values;       // a Swift array literal, for expect
    std::string value_type;   // its element type
};

struct IgnoredKey {
    std::string json_key;
    std::string why;
};

struct SizeCheck {
    std::string key;         // the config key, as a Swift string literal
    std::string swift_name;  // the field
    std::string limit;       // `SizeLimits.width`
};

struct PositiveCheck {
    std::string key;  // a Swift string literal
    std::string swift_name;
};

/// A router's sizes, checked together where a layer has experts: how many experts, how many each
/// token takes, and (grouped top-k) the groups and how many are kept. Each is a `(key, value)` Swift
/// tuple; an ungrouped router passes `nil` for the groups.
struct RoutingCheck {
    std::string condition;  // a Swift Bool expression: the config gives some layer experts
    std::string experts;
    std::string per_token;
    std::string groups;
    std::string selected_groups;
};

/// A per-layer kind list, checked against the layer count and the kinds its slot lists.
struct ScheduleCheck {
    std::string key;         // the config key, as a Swift string literal
    std::string swift_name;
    std::string kinds;       // a Swift array literal of the names it may hold
    std::vector<std::string> lines;  // the field, key and kinds arguments, packed into lines
};

/// An optional field a bool switch needs: decoding refuses the switch on without it.
struct RequiredWhen {
    std::string key;         // a Swift string literal
    std::string swift_name;
    std::string flag;        // the switch's Swift name
    std::string flag_key;    // a Swift string literal
};

struct RoPEScalingKind {
    std::string swift_case;  // `.llama3`
    bool last = false;
};

struct Configuration {
    std::vector<Declaration> declarations;  // document order
    std::vector<ConfigField> fields;        // decode order: what a default reads is decoded first
    std::vector<CodingKey> coding_keys;
    std::vector<KeyCheck> checks;
    bool has_checks = false;
    std::vector<IgnoredKey> ignored;
    bool has_ignored = false;
    // RoPE scaling: the field to validate against the supported kinds.
    bool validates_rope_scaling = false;
    std::string rope_scaling_field;
    std::string rope_scaling_key;  // Swift expression naming it in errors
    std::vector<RoPEScalingKind> rope_scaling_kinds;
    bool rope_scaling_none_supported = false;
    bool rope_scaling_has_original = false;  // longrope reads an overriding context length
    std::string rope_scaling_original_field;
    bool rope_scaling_mscales = false;  // longrope's short and long mscales are required
    bool rope_ntk_alpha = false;        // `dynamic` scaling is NTK-alpha, which needs `alpha`
    std::string rotary_dimensions;  // Swift expression of the rotated width, inside the initializer
    bool rotary_overridden = false;  // a config field may state the rotated width itself
    // A normalised head a config switches, or a tie: the two together are refused.
    bool validates_normalized_head = false;
    std::string normalized_head_condition;  // Swift Bool expression, inside the initializer
    std::string normalized_head_key;        // a Swift string literal naming the switch in errors
    // The transformers-5 RoPE object: its layout and what it may ask for.
    bool validates_rope_parameters = false;
    std::string rope_parameters_field;
    std::string rope_parameters_per_layer_type;  // `true` or `false`
    std::string rope_parameters_partial;         // `true` or `false`
    // Sliding layers: fields to validate together.
    bool validates_sliding = false;
    std::string layer_types_field;
    std::string window_field;
    // Chunked layers: the schedule and the chunk size to validate together.
    bool validates_chunked = false;
    std::string chunk_layer_types_field;
    std::string chunk_size_field;
    // Per-layer integers (one or a list): each list validated against the layer count.
    std::vector<std::string> per_layer_int_fields;
    // Lists with one entry per layer (an activation sparsity pattern), validated when present.
    std::vector<std::string> per_layer_list_fields;
    // KV sharing: the field to validate against the layer schedule.
    // Model sizes within their limits, and epsilons and RoPE bases above zero.
    std::vector<SizeCheck> size_checks;
    std::string heads_field;
    std::string kv_heads_field;
    std::vector<PositiveCheck> positive_checks;
    std::vector<RoutingCheck> routing_checks;  // one, for a family whose layers may have experts
    bool validates_kv_sharing = false;
    std::string kv_sharing_field;
    // Cross-layer key/value sharing: the group size must be positive where sharing is on.
    bool validates_cross_layer = false;
    std::string cross_layer_group_field;
    std::string cross_layer_enabled;  // a field or a literal, inside the initializer
    // Per-layer RoPE on/off: the field to validate against the layer count.
    bool validates_rope_layers = false;
    std::string rope_layers_field;
    std::vector<ScheduleCheck> schedule_checks;
    // Per-layer overrides (`per_layer_config`): each validated against the layer count.
    std::vector<PositiveCheck> per_layer_override_fields;  // `swift_name` is the access: `perLayerConfig?`
    // Per-layer key/value heads: each must divide the query heads.
    bool validates_layer_kv_heads = false;
    std::string layer_kv_heads_field;
    std::vector<RequiredWhen> required_when;
    // A token whose embedding row is zeroed at load: it must name a row of the vocabulary.
    bool validates_zeroed_row = false;
    std::string zeroed_row_field;  // the token's field
    std::string zeroed_row_json;   // a Swift string literal naming it in errors
    std::string vocabulary_field;  // the vocabulary size's field
};

struct RoPE {
    std::string traditional;     // Swift expression: `false` or `args.ropeTraditional`
    std::string base;            // `args.ropeTheta`
    std::string scaling;         // `args.ropeScaling` or `nil`
    std::string max_positions;   // `args.maxPositionEmbeddings` or `nil`
    std::string original_max_positions;  // an override for longrope, or `nil`
    bool partial = false;        // only a fraction of each head is rotated
    std::string fraction;        // `args.partialRotaryFactor`, when partial
    bool overridden = false;     // an optional config field states the rotated width itself
    bool stated = false;         // a config field with a default always states it
    std::string dimensions;      // `args.rotaryDim`, when overridden or stated
    bool longrope_variant = false;  // longrope's factors or scale chosen otherwise than by default
    std::string longrope_options;   // `LongRoPEOptions(factors: .short, scale: .mscales)`
    bool ntk_alpha = false;         // `dynamic` scaling is NTK-alpha, not by length
};

struct Attention {
    // Checkpoint keys of the block and its projections, as Swift string literals.
    std::string block_key = "\"self_attn\"";
    std::string q_key = "\"q_proj\"";
    std::string k_key = "\"k_proj\"";
    std::string v_key = "\"v_proj\"";
    std::string qkv_key = "\"qkv_proj\"";
    std::string o_key = "\"o_proj\"";
    bool fused_qkv = false;  // one qkv_proj split into q, k, v
    bool fused_qkv_grouped = false;  // its rows grouped per key/value head: queries, key, value
    bool per_layer = false;  // the layer index decides something (RoPE base, NoPE), so init takes it
    bool scale_head_dim = false;   // 1/sqrt(head_dim)
    bool scale_from_field = false; // 1/sqrt(scale_field)
    std::string scale_field;
    bool scale_one = false;
    bool scale_switched = false;   // a config flag may leave the scores unscaled (scale 1)
    std::string scaled_flag;       // Swift Bool expression: `args.scaleAttnWeights`
    bool rope_absent = false;      // no RoPE: positions come from a learned embedding
    bool local_rope = false;       // sliding layers rotate with their own base, unscaled
    std::string local_base;
    bool nope_layers = false;      // layers marked 0 in rope_layers take no position embedding
    std::string rope_layers;       // `args.noRopeLayers`
    std::string qkv_bias;  // Swift expression
    std::string o_bias;
    bool qk_norm = false;  // q and k normalised before RoPE (per head or whole)
    bool qk_norm_per_head = false;
    bool qk_norm_whole = false;      // over the whole projection, before the split into heads
    std::string qk_norm_type;        // the q/k norms' Swift type: the norms' own, or one weighted per head
    std::string q_norm_arguments;    // `dimensions: headDim, eps: args.rmsNormEps`
    std::string k_norm_arguments;
    bool qk_norm_per_head_after_rope = false;  // per head, with learned scales, on the rotated queries and keys
    // q/k norms a config switches: optional modules, applied when present (per head or whole).
    bool qk_norm_switched = false;
    std::string qk_norm_enabled;     // Swift Bool expression, evaluated in init
    bool qk_norm_switched_per_head = false;
    bool qk_norm_switched_whole = false;
    std::string q_norm_key = "\"q_norm\"";  // Swift string literals
    std::string k_norm_key = "\"k_norm\"";
    bool scale_field_value = false;  // the scale is a config value itself
    bool sinks = false;    // a learned per-head logit in the softmax denominator
    bool softcap = false;  // the scores are capped before the mask by an optional config field
    std::string softcap_field;  // `args.attnLogitSoftcapping`
    bool v_norm = false;   // values RMS-normalised per head without a scale
    bool output_gate = false;  // q_proj also gives each head a gate; the output times sigmoid(gate)
    bool clip_qkv = false;      // q, k and v clipped to [-limit, limit] when the config sets a limit
    std::string clip_limit;     // `args.clipQkv`, an optional Float
    bool kv_sharing = false;        // the last layers reuse an earlier layer's keys and values
    bool full_precision_cache = false;  // the attention reads its cache directly: no quantized KV cache
    std::string shared_layers;      // `args.numKvSharedLayers`
    bool cross_layer = false;       // layers in a group reuse its first layer's key and value projections
    std::string cross_layer_enabled;  // Swift Bool expression: `args.useCla`
    std::string cross_layer_group;    // `args.claShareFactor`
    RoPE rope;
    bool sliding = false;  // per-layer full/sliding schedule
    std::string layer_types;  // `args.layerTypes`
    std::string window;       // `args.slidingWindow`
    bool query_position_scale = false;  // Llama-4 scaling of queries by position
    std::string query_scale_beta;
    std::string query_scale_original;
    std::string query_scale_offset = "offset";  // `offset + 1` when positions count from 1
    bool query_scale_per_layer = false;   // some layers (or configs) do not scale their queries
    std::string query_scale_condition;    // Swift Bool expression, evaluated in init
    bool qk_norm_after_rope = false;      // weightless per-head RMS norms of rotated queries and keys
    std::string qk_norm_after_rope_condition;  // Swift Bool expression, evaluated in init
    bool chunked = false;      // chunked layers in the per-layer schedule
    std::string chunk_size;    // `args.attentionChunkSize`
    bool per_layer_shape = false;   // head width and key/value heads differ by layer: stored per layer
    std::string head_dim_init = "args.headDim";  // the layer's sizes, inside init
    std::string kv_heads_init = "args.kvHeads";
    std::string head_dim = "args.headDim";       // the same, in the forward pass
    std::string kv_heads = "args.kvHeads";
    bool values_from_keys = false;  // full-attention layers may take values from the key projection
    std::string values_from_keys_flag;  // `args.attentionKEqV`
    std::string keys_projection = "wk(x)";    // the sharing path's projected keys and values
    std::string values_projection = "wv(x)";
};

/// The latent attention mixer kind (`latent_attention`): the layer's `attention` when it is used.
struct LatentAttention {
    bool used = false;
    // q_a_proj, q_a_layernorm, q_b_proj where the rank is set, q_proj where it is null; a rank bound
    // to a field that cannot be null is wrapped in Optional, so one Swift path serves both.
    bool low_rank_queries = false;
    std::string query_rank;      // `args.qLoraRank`, an Int? expression
    std::string latent_rank;     // `args.kvLoraRank`
    std::string nope_head_dim;   // `args.qkNopeHeadDim`
    std::string rope_head_dim;   // `args.qkRopeHeadDim`
    std::string value_head_dim;  // `args.vHeadDim`
    std::string bias;            // Swift Bool expression
    // `(key, value)` Swift tuples for the configuration's checks; `nil` for an unbound query rank.
    std::string query_rank_check;
    std::string latent_rank_check;
    std::string nope_head_dim_check;
    std::string rope_head_dim_check;
    std::string value_head_dim_check;
};

/// The short convolution mixer kind (`short_conv`), on the layers its schedule names.
struct ShortConv {
    bool used = false;
    std::string type;       // the block's Swift type
    std::string block_key;  // a Swift string literal
    std::string kernel;     // `args.convLCache`
    std::string bias;       // Swift Bool expression
};

/// The selective state-space mixer kind (`selective_ssm`): Mamba's block, on every layer.
struct SelectiveSSM {
    bool used = false;
    std::string type;            // the block's Swift type
    std::string block_key;       // a Swift string literal
    std::string inner;           // the expanded width, `args.intermediateSize`
    std::string state;           // `args.stateSize`
    std::string time_step_rank;  // `args.timeStepRank`
    std::string kernel;          // `args.convKernel`
    std::string bias;            // Swift Bool expression: in_proj and out_proj
    std::string conv_bias;       // Swift Bool expression: the convolution
    bool normed = false;         // RMS norms on dt, B and C (where norm_enabled holds)
    std::string norm_enabled;    // Swift Bool expression
    std::string norm_eps;        // `args.mixerRmsEps`, or nil where norm_enabled does not hold
    bool norm_weighted = false;  // the norms scale by learned weights (always on; the resolver checks it)
};

/// The head-wise state-space mixer kind (`ssd`): Mamba-2's block, on every layer.
struct SSD {
    bool used = false;
    std::string type;             // the block's Swift type
    std::string block_key;        // a Swift string literal
    std::string heads;            // `args.numHeads`
    std::string head_dim;         // `args.headDim`
    std::string state;            // `args.stateSize`
    std::string groups;           // `args.nGroups`
    std::string kernel;           // `args.convKernel`
    std::string norm_eps;         // `args.layerNormEpsilon`
    std::string time_step_limit;  // a Swift `FloatRange?` expression, `nil` where the family binds none
    std::string bias;             // Swift Bool expression: in_proj (and out_proj without out_bias)
    std::string out_bias;         // Swift Bool expression: out_proj
    std::string conv_bias;        // Swift Bool expression: the convolution
    bool norm_switched = false;   // the gated norm exists where `gated_norm` holds (an optional module)
    std::string gated_norm;       // Swift Bool expression
    std::string norm_before_gate; // Swift Bool expression
    std::string norm_before_gate_argument;  // `, normBeforeGate: <expression>`, or empty where it is false
    std::string heads_check;      // `("num_heads", numHeads)`, in the configuration's initialiser
    std::string groups_check;     // `("n_groups", nGroups)`
};

/// muP multipliers (`mup`), folded into a PyTorch-layout checkpoint's weights as it loads.
struct MuP {
    bool used = false;
    // Swift expressions of the multipliers (`args.embeddingMultiplier`, ...).
    std::string embedding, head, attention_in, key, attention_out, ssd_in, ssd_out, ssd_segments, mlp;
    std::string segments_check;   // `("ssm_multipliers", ssmMultipliers)`, in the configuration's initialiser
    std::string mlp_check;        // `("mlp_multipliers", mlpMultipliers)`
};

/// The gated delta-rule mixer kind (`gated_delta`), on the layers its schedule names.
struct GatedDelta {
    bool used = false;
    std::string type;            // the block's Swift type
    std::string block_key;       // a Swift string literal
    std::string key_heads;       // `args.linearNumKeyHeads`
    std::string value_heads;
    std::string key_head_dim;
    std::string value_head_dim;
    std::string kernel;
    bool separate = false;       // in_proj_qkv, in_proj_z, in_proj_b, in_proj_a instead of the per-key-head pair
    // The configuration's own properties and the value heads' JSON key, for its grouping check.
    std::string key_heads_field;
    std::string value_heads_field;
    std::string value_heads_key;
};

/// The dense feed-forward kind (`mlp`).
struct MLP {
    bool used = false;   // some layer (or a shared expert) is one
    bool fused = false;  // one gate_up_proj split into gate and up
    bool plain = false;  // down(act(up(x))), no gate
    // Checkpoint keys of the MLP and its parts, as Swift string literals.
    std::string gate_key = "\"gate_proj\"";
    std::string up_key = "\"up_proj\"";
    std::string down_key = "\"down_proj\"";
    std::string bias;
    std::string activation;  // MLXNN function: `silu`, or `activation` (configured, a stored property)
    bool configured_activation = false;  // the config names the activation
    std::string activation_field;        // `args.hiddenAct`
    bool clamped = false;    // GPT-OSS's clamped SwiGLU instead of act(gate) * up
    bool learned_activation = false;  // an activation module with parameters (xIELU) under `act_fn`
    std::string intermediate;  // `args.intermediateSize` or `args.intermediateSize[layer]`
    bool per_layer = false;    // the layer index decides the width or the sparsity
    bool sized = false;        // the width is an argument: dense layers and a shared expert differ
    bool sparse = false;       // sparse GELU from a per-layer activation sparsity
    std::string sparsity;      // `args.activationSparsityPattern`
};

/// The mixture-of-experts feed-forward kind (`experts`).
struct Experts {
    bool used = false;
    std::string router_key = "\"router\"";  // Swift string literals
    std::string experts_key = "\"experts\"";
    std::string shared_key = "\"shared_expert\"";
    std::string shared_gate_key = "\"shared_expert_gate\"";
    bool router_nested = false;    // a linear layer (NestedLinear) one level down, under router_layer_key
    std::string router_layer_key;  // a Swift string literal, `"layer"`
    std::string count;             // `args.numLocalExperts`
    std::string per_token;         // `args.numExpertsPerTok`
    std::string intermediate;      // `args.moeIntermediateSize`
    std::string bias;
    std::string router_bias;
    bool clamped = false;          // GPT-OSS's clamped SwiGLU instead of silu(gate) * up
    bool top_k_first = false;      // softmax over the k selected logits only
    bool weighted_inputs = false;  // each expert's input, not its output, is scaled by its weight
    bool sparse_mixer = false;     // two experts chosen one at a time, each weighted within its band
    std::string jitter;            // `args.routerJitterNoise`: the sparse mixer's band
    bool scored = false;           // every expert scored first (softmax_then_top_k)
    std::string normalize;         // Swift Bool expression: renormalise the k selected scores
    bool sigmoid = false;          // each expert scored by its own sigmoid, not a softmax over all
    bool scores_configured = false;  // the config names the scores (a stored property)
    std::string scores_field;        // `args.scoreFunction`
    bool cast_back = false;        // the weighted sum returns to x's dtype (float32 weights, or maybe)
    bool selection_bias = false;   // a bias that steers the choice only
    bool selection_bias_in_router = false;  // a BiasedExpertRouter holding it beside its weight
    bool router_nested_biased = false;      // a router holding its nested linear layer beside the bias
    bool selection_bias_custom = false;     // the router's bias has another key, or a config switches it
    std::string selection_bias_parameter_key;  // a Swift string literal
    std::string router_holds_bias = "false";   // Swift Bool expression: the router holds the bias
    bool selection_bias_apart = false;      // in a module of its own beside the router
    bool selection_bias_beside = false;     // the mixture's own parameter beside a linear router
    std::string selection_bias_key;         // the module's or the parameter's key, a Swift string literal
    bool float32_weights = false;  // float32 scores (sigmoid, or a float32 router): the sum returns to x's dtype
    std::string weights_kind;      // `sigmoid` or `router`, for the comment on it
    bool floored = false;          // the renormalisation's denominator has a floor
    std::string normalize_floor;   // `args.moeNormMin`
    bool per_layer = false;        // per-layer top-k or widths: init takes the layer index
    bool router_plain = false;     // a plain linear router (no selection bias inside it, not nested)
    std::string router_type;       // the router's Swift type
    bool grouped = false;          // grouped top-k
    std::string groups;            // `args.nGroup`
    std::string selected_groups;   // `args.topkGroup`
    bool scaled = false;           // weights times a config factor
    std::string scale;             // `args.routedScalingFactor`
    std::vector<std::string> routing_lines;  // the routing call's arguments, packed into lines
    bool shared = false;           // an always-on shared expert
    bool shared_gated = false;     // scaled by sigmoid(shared_expert_gate(x))
    bool shared_optional = false;  // the config decides whether there is one
    bool routed_optional = false;  // no routed experts (count 0) leaves the shared expert alone
    std::string shared_enabled;    // then a Swift Bool expression: `args.useMixedMlpMoe`
    std::string shared_intermediate;
    std::string activation = "silu";  // the gate's function, unless clamped
    bool switch_glu = false;       // MLXLMCommon's SwitchGLU computes them (not clamped, inputs not pre-weighted)
    bool custom_activation = false;  // SwitchGLU's gate function is not its default silu
    std::string glu_type;          // `SwitchGLU`, or the runtime's `ExpertGLU` for what SwitchGLU cannot express
    bool beside_mlp = false;       // in the decoder layer beside the dense MLP, where `beside_flag` holds
    std::string beside_flag;
    std::string per_expert_scale = "false";  // Swift Bool literal, for the router
    bool ungated = false;          // up, the configured activation, down (the runtime's ExpertMLP)
    std::string ungated_activation;  // `args.mlpHiddenAct`
    std::string input_width = "args.hiddenSize";  // the width the routed experts work at
    bool latent = false;           // projected down to a latent width before the experts, back after
    std::string latent_width;      // an Int? expression: `args.moeLatentSize`
    std::string latent_bias;       // Swift Bool expression
};

/// One kind a scheduled slot may hold: the schedule's name for it and the Swift type it builds.
struct ScheduledKind {
    std::string name;  // a Swift string literal, `"experts"`
    std::string type;
    bool per_layer = false;  // its init takes the layer index
    bool sized = false;      // its init takes the width
    std::string width;       // the width it is given, when sized
    bool last = false;
};

/// A mixer kind a scheduled layer may hold: its own property, checkpoint key and cache kind.
struct ScheduledMixer {
    std::string name;      // a Swift string literal, `"short_conv"`
    std::string property;  // `shortConv`
    std::string key;       // a Swift string literal: the block's key in a layer
    std::string type;
    bool per_layer = false;  // its init takes the layer index
    std::string cache;       // Swift expression making a layer's cache; attention's own when empty
    std::string separator;   // after its cache entry: `,` in a list of several (the last too), else none
    bool last = false;
};

/// What a decoder layer is made of: its mixer and feed-forward, one kind each or by schedule.
struct Layer {
    std::string feed_forward_key;   // a Swift string literal
    std::string feed_forward_type;  // the kind's type, or `UnaryLayer` when scheduled
    bool feed_forward_scheduled = false;
    bool feed_forward_listed = false;  // the configuration lists each layer's kind (scheduled, or one block a layer)
    std::string feed_forward_schedule;  // `args.mlpLayerKinds`
    std::string feed_forward_schedule_field;  // `mlpLayerKinds`, inside the configuration
    std::vector<ScheduledKind> feed_forward_kinds;  // scheduled: every kind; else the one
    bool per_layer_inputs = false;  // a sandwich layer (no AltUp) gating its per-layer input
    bool extended_tail = false;     // the residual sum is followed by a per-layer input or a scalar
    std::string residual_sum = "h + r";
    std::string result = "h + r";   // what the layer returns (with its keys and values when shared)
    std::string mixer_call = "attention";  // what mixes positions: the attention, or the scheduled mixer
    std::string mixer_input = "inputLayerNorm(x)";  // the mixer's input: the stream normalised
    std::string feed_forward_input = "postAttentionLayerNorm(h)";  // the feed-forward's
    bool mixed = false;                     // the schedule names each layer's mixer kind
    std::string mixer_schedule;             // `args.mixerLayerKinds`
    std::vector<ScheduledMixer> mixers;        // every kind the schedule may name
    std::vector<ScheduledMixer> mixer_caches;  // the kinds whose cache is not attention's
    bool feed_forward = true;  // false: the layer is its mixer and one norm, x + mixer(norm(x))
    bool attends = true;       // some layer's mixer is attention (the attention type is emitted)
    bool single_block = false; // each layer is one block, its mixer or else its feed-forward
    bool summed = false;       // each layer runs attention and ssd and sums them (`mixers_summed`)
    std::string block_key;     // a Swift string literal: the one key of a single block
    std::string mixer_schedule_field;  // `mixerLayerKinds`, inside the configuration
    std::string mixer_schedule_key;    // a Swift string literal: the mixer schedule's config key
};

struct Norm {
    std::string type;  // `RMSNorm`, `OnePlusRMSNorm`, `LayerNorm`
    std::string eps;   // `args.rmsNormEps`
    std::string bias_argument;   // `, bias: false` for LayerNorms without a bias, else empty
    bool pre = false;            // norms before the blocks
    bool post = false;           // norms after the blocks only
    bool sandwich = false;       // four norms per layer
    bool clip_residual = false;  // float16 residuals added in float32 and clipped
    bool residual_scaled = false;    // block outputs scaled before joining the residual
    std::string residual_multiplier; // `args.residualMultiplier`
    // The norms' checkpoint keys (Swift string literals).
    std::string input_key, post_attention_key, pre_feedforward_key, post_feedforward_key;
};

struct Embedding {
    std::string tokens_key = "\"embed_tokens\"";  // a Swift string literal
    bool scaled = false;
    bool multiplied = false;  // the embedding output times a config value
    std::string multiplier;
    bool per_layer = false;   // per-layer inputs (AltUp decoders)
    std::string per_layer_width;       // `args.hiddenSizePerLayerInput`
    std::string per_layer_vocabulary;  // `args.vocabSizePerLayerInput`
    bool positions = false;   // learned absolute positions added to the token embedding
    std::string positions_key = "\"embed_positions\"";  // a Swift string literal
    std::string positions_table;       // `args.nPositions`
    bool zeroed_row = false;  // one token's row set to zero as the checkpoint loads
    std::string zeroed_row_token;  // `args.padTokenId`
    std::string zeroed_row_key;    // a Swift string literal: the embedding's checkpoint key
};

/// The AltUp residual machinery (Gemma 3n-style decoders).
struct Residual {
    bool altup = false;
    std::string streams;       // `args.altupNumInputs`
    std::string active;        // `args.altupActiveIdx`
    std::string correct_scale; // Swift Bool expression
    bool laurel = false;
    std::string laurel_rank;
    bool layer_scalar = false;  // each layer's output times a learned scalar
    bool parallel = false;      // attention and MLP read one norm of the layer input, summed into it
    bool parallel_always = false;    // every layer parallel
    bool parallel_switched = false;  // parallel where a config field says so
    std::string parallel_flag;       // `args.useParallelResidual`
    bool parallel_own_norms = false;           // parallel, the MLP behind its own norm of the layer input
    bool parallel_own_norms_switched = false;  // the same, parallel where a config field says so
    bool float32 = false;           // the stream kept in float32, the blocks reading it in their own dtype
    bool float32_always = false;
    bool float32_switched = false;  // in float32 where a config field says so
    std::string float32_flag;       // `args.residualInFp32`
};

struct Head {
    std::string tie;          // Swift expression deciding the tie
    bool tie_from_config = false;
    bool always_tied = false;
    bool never_tied = false;     // an lm_head always
    bool softcap = false;            // logits capped by tanh when the (optional) field is set
    bool softcap_always = false;     // logits capped by tanh by a field with a default
    std::string softcap_field;       // `args.finalLogitSoftcapping`
    bool divided = false;            // logits divided by a config value
    std::string divisor;             // `args.logitsScaling`
    bool multiplied = false;         // logits multiplied by a config value
    std::string multiplier;          // `args.logitScale`
    bool plain = true;               // logits returned as the head computes them
    std::string bias = "false";      // Swift Bool expression: a bias on the lm_head
    bool normalized = false;         // the weight divided by its column norms when loaded
    std::string normalized_condition;  // Swift Bool expression
};

struct DropPattern {
    std::string pattern;  // a Swift string literal
    bool last = false;
    bool comma = false;   // a list of several elements ends every line with a comma
};

/// One `key: value` of a Swift dictionary literal written one entry per line.
struct LiteralEntry {
    std::string key;  // Swift literals
    std::string value;
    bool comma = false;
};

struct PrefixRename {
    std::string from;  // Swift string literals
    std::string to;
    bool comma = false;
};

struct Sanitize {
    std::vector<DropPattern> drop;
    bool has_drop = false;
    std::vector<DropPattern> transpose;  // keys of matrices stored [in, out]
    bool has_transpose = false;
    bool split_gate_up = false;  // interleaved expert gate_up_proj split into gate_proj and up_proj
    bool drop_extra_layers = false;  // layers numbered past the model's last removed
    bool split_concatenated_gate_up = false;  // transformers' [E, D, 2I] gate_up_proj split in halves
    bool converted_norms = false;     // one subtracted from norms a converted checkpoint holds shifted
    std::string converted_marker;     // a Swift string literal
    std::vector<std::string> converted_suffixes;  // Swift string literals, one array element a line
    bool steps_chain = false;    // rewriting steps follow: `weights` is a var each one reassigns
    bool rename = false;         // parts of keys rewritten first
    std::string rename_parts;    // a Swift dictionary literal
    bool rename_one_line = false;  // the call fits on one line
    std::vector<LiteralEntry> rename_entries;  // otherwise, one entry per line
    bool stack_experts = false;  // per-expert tensors stacked into the experts' projections
    std::string stack_from;      // Swift string literals
    std::string stack_into;
    std::string stack_names;     // a Swift dictionary literal
    bool split_fused_experts = false;  // fused gate/up halves and down tensors renamed into the experts
    std::string fused_gate_up;   // Swift string literals: `"block_sparse_moe.input_linear"`
    std::string fused_down;
    std::string fused_into;      // `"block_sparse_moe.switch_mlp"`
    std::vector<std::string> fused_lines;  // the splitting call's arguments, packed into lines
    bool split_stacked_gate_up = false;  // bare [E, 2I, D] gate_up_proj split into the switch layers
    bool fuse_gate_up = false;           // a fused MLP's gate and up projections joined where they arrive apart
    bool shape_learned_activations = false;  // scalar xIELU alphas (mlx-lm's conversions) shaped [1]
    std::string split_experts;   // Swift string literals: the experts' key and their switch layers'
    std::string split_into;
};

/// A model type whose checkpoints wrap the text model (lowered into the registry).
struct Wrapper {
    std::string model_type;
    std::vector<LiteralEntry> from_top_level;
    std::vector<LiteralEntry> defaults;
    bool text_config_optional = false;  // a config without text_config is the text config
    std::string top_level_overrides;    // a Swift array literal of keys the top level overrides when stated
    std::vector<std::pair<std::string, std::string>> dispatch;  // text model_type ("*": any other) -> family
    std::vector<PrefixRename> weight_prefixes;
    std::vector<DropPattern> weight_drops;
    std::vector<IgnoredKey> ignored_keys;  // the wrapper's own keys beside the text model's
};

void to_json(nlohmann::ordered_json& j, const Wrapper& v);

/// Everything one `<SwiftName>Generated.swift` says.
/// A model type a family names in order to refuse it, with the reason.
struct RefusedModelType {
    std::string model_type;
    std::string model_type_literal;  // Swift string literals
    std::string why;
    std::string family;
};

struct ModelFile {
    std::string family;
    std::string swift_name;
    std::string file_name;
    std::string description;
    std::string reference;
    std::vector<Source> sources;  // the family first, then its parents
    std::vector<ModelType> model_types;
    TypeNames types;
    Configuration config;
    Attention attention;
    LatentAttention latent_attention;
    ShortConv short_conv;
    SelectiveSSM selective_ssm;
    SSD ssd;
    MuP mup;
    GatedDelta gated_delta;
    MLP mlp;
    Experts experts;
    Layer layer;
    Norm norm;
    Embedding embedding;
    Residual residual;
    Head head;
    bool per_layer_decoder = false;  // the decoder layer's init takes its index
    Sanitize sanitize;
    std::vector<Wrapper> wrappers;
    std::vector<RefusedModelType> refused_model_types;
};

/// One text model a wrapper checkpoint may hold, chosen by `text_config.model_type`.
struct DispatchCase {
    std::string text_model_type;  // a Swift string literal
    std::string configuration;
    std::string model;
    bool refused = false;  // the wrapper rejects this text model type
};

struct RegistryEntry {
    std::string model_type;
    std::string model_type_literal;  // as a Swift string literal
    std::string family;
    std::string configuration;
    std::string model;
    bool comma = false;  // in a multi-line list of several entries
    bool wrapped = false;  // the checkpoint nests the text model in text_config
    std::vector<LiteralEntry> from_top_level;  // the text_config keys taken from the top level
    std::vector<LiteralEntry> defaults;        // values for keys text_config does not set
    bool has_from_top_level = false;
    bool has_defaults = false;
    bool text_config_optional = false;  // a config without text_config is the text config
    std::string top_level_overrides;    // a Swift array literal of keys the top level overrides when stated
    bool has_top_level_overrides = false;
    bool dispatches = false;
    std::vector<DispatchCase> dispatch;  // explicit text model types
    std::string default_configuration;  // for any other text model type
    std::string default_model;
    bool default_refused = false;  // any other text model type is refused (`"*": refuse`)
    std::vector<PrefixRename> weight_prefixes;  // the wrapper's key prefixes around the text weights
    bool has_weight_prefixes = false;
    std::vector<DropPattern> weight_drops;  // what the wrapper holds beside the text model
    bool has_weight_drops = false;
};

struct RegistryFamily {
    std::string family;
    std::string swift_name;
    std::string file_name;
    std::string description;
    std::string model_types;  // "`llama`, `mistral`" for tables
};

/// `ModelRegistry.swift` and `generated/README.md`: every concrete family and model type.
struct Registry {
    std::vector<RegistryEntry> entries;  // sorted by model_type
    std::vector<RegistryFamily> families;  // sorted by family id
    std::vector<RefusedModelType> refused;  // sorted by model_type
    bool has_refused = false;
    std::string supported;  // Swift array literal of the supported model types
};

void to_json(nlohmann::ordered_json& j, const Argument& v);
void to_json(nlohmann::ordered_json& j, const Source& v);
void to_json(nlohmann::ordered_json& j, const ModelType& v);
void to_json(nlohmann::ordered_json& j, const TypeNames& v);
void to_json(nlohmann::ordered_json& j, const ConfigField& v);
void to_json(nlohmann::ordered_json& j, const CodingKey& v);
void to_json(nlohmann::ordered_json& j, const Declaration& v);
void to_json(nlohmann::ordered_json& j, const KeyCheck& v);
void to_json(nlohmann::ordered_json& j, const IgnoredKey& v);
void to_json(nlohmann::ordered_json& j, const RoPEScalingKind& v);
void to_json(nlohmann::ordered_json& j, const RequiredWhen& v);
void to_json(nlohmann::ordered_json& j, const ScheduleCheck& v);
void to_json(nlohmann::ordered_json& j, const Configuration& v);
void to_json(nlohmann::ordered_json& j, const RoPE& v);
void to_json(nlohmann::ordered_json& j, const Attention& v);
void to_json(nlohmann::ordered_json& j, const LatentAttention& v);
void to_json(nlohmann::ordered_json& j, const ShortConv& v);
void to_json(nlohmann::ordered_json& j, const SelectiveSSM& v);
void to_json(nlohmann::ordered_json& j, const SSD& v);
void to_json(nlohmann::ordered_json& j, const GatedDelta& v);
void to_json(nlohmann::ordered_json& j, const MLP& v);
void to_json(nlohmann::ordered_json& j, const Experts& v);
void to_json(nlohmann::ordered_json& j, const ScheduledKind& v);
void to_json(nlohmann::ordered_json& j, const Layer& v);
void to_json(nlohmann::ordered_json& j, const Norm& v);
void to_json(nlohmann::ordered_json& j, const Embedding& v);
void to_json(nlohmann::ordered_json& j, const Residual& v);
void to_json(nlohmann::ordered_json& j, const PrefixRename& v);
void to_json(nlohmann::ordered_json& j, const DispatchCase& v);
void to_json(nlohmann::ordered_json& j, const Head& v);
void to_json(nlohmann::ordered_json& j, const DropPattern& v);
void to_json(nlohmann::ordered_json& j, const Sanitize& v);
void to_json(nlohmann::ordered_json& j, const ModelFile& v);
void to_json(nlohmann::ordered_json& j, const RegistryEntry& v);
void to_json(nlohmann::ordered_json& j, const RegistryFamily& v);
void to_json(nlohmann::ordered_json& j, const Registry& v);
void to_json(nlohmann::ordered_json& j, const RefusedModelType& v);

}  // namespace hf2swift::ir
