// The family vocabulary table itself. Add a key here and the loader, the docs and the schema follow;
// only values the templates implement are listed, so no family can ask for code that does not exist.
#include "vocabulary.h"

#include <algorithm>

namespace hf2swift::vocab {

namespace {

KeySpec key(std::string name, Type type, std::string doc) {
    KeySpec k;
    k.name = std::move(name);
    k.type = type;
    k.doc = std::move(doc);
    return k;
}

KeySpec with_default(KeySpec k, std::string yaml) {
    k.default_yaml = std::move(yaml);
    return k;
}

KeySpec required(KeySpec k) {
    k.required = Required::Concrete;
    return k;
}

KeySpec identity(KeySpec k) {
    k.inherit = Inherit::Identity;
    return k;
}

/// One line of prose that ends up in generated Swift, where lines stay within 100 columns.
KeySpec line_key(std::string name, std::string doc) {
    KeySpec k = key(std::move(name), Type::String, std::move(doc));
    k.max_length = 72;
    return k;
}

KeySpec enum_key(std::string name, std::vector<std::string> values, std::string dflt, std::string doc) {
    KeySpec k = key(std::move(name), Type::Enum, std::move(doc));
    k.values = std::move(values);
    k.default_yaml = std::move(dflt);
    return k;
}

KeySpec field_key(std::string name, std::string field_type, std::string doc) {
    KeySpec k = key(std::move(name), Type::Field, std::move(doc));
    k.field_type = std::move(field_type);
    return k;
}

KeySpec map_key(std::string name, std::string doc, std::vector<KeySpec> children) {
    KeySpec k = key(std::move(name), Type::Map, std::move(doc));
    k.children = std::move(children);
    return k;
}

KeySpec enum_list_key(std::string name, std::vector<std::string> values, std::string dflt, std::string doc) {
    KeySpec k = key(std::move(name), Type::EnumList, std::move(doc));
    k.values = std::move(values);
    k.default_yaml = std::move(dflt);
    return k;
}

/// What each layer is made of: one mixer kind and one feed-forward kind per layer, from the listed
/// kinds, chosen per layer by a schedule when a slot lists more than one.
KeySpec layers_key() {
    return map_key("layers",
        "The block kinds a decoder layer is made of: a mixer (attention over positions) and a feed-forward "
        "(per position). Each kind has its own options (`attention`, `latent_attention`, `short_conv`, "
        "`selective_ssm`, `ssd`, `gated_delta`, `mlp`, `experts`). A slot that lists "
        "more than one kind takes each layer's kind from its schedule.", {
        enum_list_key("mixer", {"attention", "latent_attention", "short_conv", "selective_ssm", "ssd", "gated_delta", "none"},
            "[attention]",
            "The mixer kinds the layers use. `attention`: softmax attention over the cached keys and values "
            "(options under `attention`). `latent_attention`: multi-head latent attention, which caches one "
            "compressed latent and one rotated key per token instead of each head's keys and values (options "
            "under `latent_attention`; one kind for every layer). `short_conv`: a gated short causal "
            "convolution, which caches the last few inputs of its convolution (options under `short_conv`; "
            "listed beside `attention`, each layer's kind from `schedule.mixer`). `selective_ssm`: a selective "
            "state-space recurrence (Mamba), which caches its convolution's last inputs and its recurrent state "
            "(options under `selective_ssm`; the one kind of every layer, or listed beside `attention`, each layer's "
            "kind from `schedule.mixer` and each followed by its feed-forward). `ssd`: a state-space recurrence with "
            "one decay per head and B, C shared by groups of heads (Mamba-2), which caches the same two (options "
            "under `ssd`; the one kind of every layer, or listed beside `attention`, each layer's kind from "
            "`schedule.mixer` and each followed by its feed-forward). `gated_delta`: a gated delta-rule "
            "linear attention, which caches its convolution's last inputs and its recurrent state (options "
            "under `gated_delta`; listed beside `attention`, each layer's kind from `schedule.mixer`). `none`: "
            "no mixer, on the layers the schedule names so (beside `attention` and `ssd`; the feed-forward slot "
            "then lists `none` too, see there)."),
        enum_list_key("feed_forward", {"mlp", "experts", "none"}, "[mlp]",
            "The feed-forward kinds the layers use. `mlp`: a dense MLP (options under `mlp`). `experts`: a "
            "routed mixture of experts (options under `experts`). `[]`: none; the layer is x + mixer(norm(x)) "
            "with one norm (`norm.keys.input`), pre-norm and not parallel. `none` listed beside other kinds "
            "(with `none` among the mixers too): each layer is one block, its mixer or else its feed-forward, "
            "as the two schedules name them, x + block(norm(x)) with one norm (`norm.keys.input`), every "
            "kind under one key; a layer with both or neither is refused when the configuration is decoded."),
        with_default(key("mixers_summed", Type::Bool,
            "Every layer runs both mixers `layers.mixer` lists (`attention` and `ssd`, no schedule) on the same "
            "normalised input and adds their outputs to the residual together, then its feed-forward: "
            "h = x + attn(norm1(x)) + ssd(norm1(x)); out = h + ff(norm2(h)). Each layer's cache holds both "
            "mixers' state (a `SummedMixersCache`: attention's keys and values, which count the positions, and "
            "the recurrence's two arrays)."), "false"),
        map_key("schedule", "For a slot with several kinds, the config field naming each layer's kind.", {
            field_key("feed_forward", "layer_kinds",
                "A config field listing each layer's feed-forward kind (`mlp`, `experts` or `none`), usually derived "
                "from the config's sparsity keys, e.g. `{derive: sparse_every_step}`."),
            field_key("mixer", "layer_kinds",
                "A config field listing each layer's mixer kind (`attention`, or the other kinds listed: "
                "`short_conv`, `gated_delta`, `ssd`, `selective_ssm` or `none`), usually derived "
                "from the config's layer list, e.g. `{derive: attention_or_conv}`."),
        }),
    });
}

/// Multi-head latent attention: queries through an optional low rank, keys and values expanded
/// per head from one normalised latent, RoPE on a separate part of each head.
KeySpec latent_attention_key() {
    return map_key("latent_attention",
        "The latent attention mixer kind (`layers.mixer: [latent_attention]`). Queries come from `q_proj`, or "
        "through a low rank (`q_a_proj`, an RMSNorm `q_a_layernorm`, `q_b_proj`); each query head is "
        "[`nope_head_dim` | `rope_head_dim`]. `kv_a_proj_with_mqa` gives a latent `kv_rank` wide, normalised by "
        "`kv_a_layernorm` (RMSNorm, eps 1e-6 like the query norm), and one rotated key `rope_head_dim` wide "
        "shared by all heads; the cache holds those two per token. Each head's keys (no-RoPE part) and values "
        "come from the latent through `embed_q` and `unembed_out` (per-head matrices; checkpoints holding "
        "`kv_b_proj` are split into them as they load). Only the RoPE part rotates, as `attention.rope` says, "
        "with `dims.head_dim` bound to its width; the softmax scale is (`nope_head_dim` + `rope_head_dim`)^-0.5, "
        "times mscale^2 when the RoPE scaling states `mscale_all_dim` and a factor above 1.", {
        field_key("q_rank", "int",
            "The config field holding the queries' low rank (`q_lora_rank`); an optional field that is null "
            "gives the plain `q_proj`. Absent: always `q_proj`."),
        field_key("kv_rank", "int", "The config field holding the latent's width (`kv_lora_rank`)."),
        field_key("nope_head_dim", "int",
            "The config field holding the width of each query and key head's part without RoPE (`qk_nope_head_dim`)."),
        field_key("rope_head_dim", "int",
            "The config field holding the width of each head's rotated part (`qk_rope_head_dim`)."),
        field_key("v_head_dim", "int", "The config field holding each value head's width (`v_head_dim`)."),
        with_default(key("bias", Type::Flag,
            "Bias on `q_a_proj`, `kv_a_proj_with_mqa` and `o_proj` (the other projections have none)."), "false"),
    });
}

/// The gated short causal convolution: three projections of the input, the first two gating the
/// convolution's input and output, a depthwise convolution over a few positions between them.
KeySpec short_conv_key() {
    return map_key("short_conv",
        "The short convolution mixer kind (`layers.mixer` lists `short_conv`). `in_proj` gives three "
        "hidden-wide parts [b | c | x]; b * x passes through a causal depthwise convolution (`conv`, one "
        "filter of `kernel` taps per channel, stored `[hidden, kernel, 1]` as MLX keeps it or "
        "`[hidden, 1, kernel]` as PyTorch does, which `sanitize` transposes) and c * the result through "
        "`out_proj`. The layer's cache (an `ArraysCache`) holds the last `kernel` - 1 inputs of the "
        "convolution, so a decoded token continues where the prompt left off.", {
        field_key("kernel", "int", "The config field holding the convolution's width in positions (`conv_L_cache`)."),
        with_default(key("bias", Type::Flag, "Bias on `in_proj`, the convolution and `out_proj`."), "false"),
        map_key("keys", "The checkpoint names of the convolution block, where they differ from the usual.", {
            with_default(key("block", Type::Identifier, "The block's key in a decoder layer."), "conv"),
        }),
    });
}

/// Mamba's selective state-space block: an expanded projection, a short causal convolution, and a
/// recurrence whose step, input and output weights depend on each position.
KeySpec selective_ssm_key() {
    return map_key("selective_ssm",
        "The selective state-space mixer kind (`layers.mixer: [selective_ssm]`, every layer, or beside "
        "`attention` by `layers.schedule.mixer`). `in_proj` gives "
        "x and z, each `inner` wide; x runs through a causal depthwise convolution (`conv1d`, `kernel` taps, "
        "stored `[inner, kernel, 1]` as MLX keeps it or `[inner, 1, kernel]` as PyTorch does, which `sanitize` "
        "transposes) and SiLU; `x_proj` gives dt, B and C (`time_step_rank`, `state` and `state` wide), `dt_proj` "
        "(with its bias) and a softplus the step dt; with A = -exp(`A_log`), the state h (`inner` x `state`, "
        "float32) becomes exp(dt A) h + dt x B at each position and the output C.h + D x, times silu(z), "
        "through `out_proj`. The layer's cache (a `MambaCache`) holds the convolution's last `kernel` - 1 "
        "inputs and h.", {
        field_key("inner", "int", "The config field holding the expanded width (`intermediate_size`)."),
        field_key("state", "int", "The config field holding the state's width per channel (`state_size`)."),
        field_key("time_step_rank", "int", "The config field holding dt's width before `dt_proj` (`time_step_rank`)."),
        field_key("kernel", "int", "The config field holding the convolution's width in positions (`conv_kernel`)."),
        with_default(key("bias", Type::Flag, "Bias on `in_proj` and `out_proj`."), "false"),
        with_default(key("conv_bias", Type::Flag, "Bias on the convolution."), "false"),
        with_default(key("bcdt_norm", Type::Flag,
            "RMS norms over dt, B and C as `x_proj` gives them, weightless (Falcon-Mamba) unless "
            "`bcdt_norm_weights`."), "false"),
        field_key("bcdt_norm_eps", "float", "The config field holding those norms' epsilon; needed with `bcdt_norm`."),
        with_default(key("bcdt_norm_weights", Type::Bool,
            "The norms on dt, B and C scale by learned weights (`dt_layernorm`, `b_layernorm`, `c_layernorm`, "
            "in the block's dtype after the normalisation, as the decoder's RMS norms do) (Jamba); needs "
            "`bcdt_norm: true`."), "false"),
        map_key("keys", "The checkpoint names of the block, where they differ from the usual.", {
            with_default(key("block", Type::Identifier, "The block's key in a decoder layer."), "mixer"),
        }),
    });
}

/// Mamba-2's block: a head-wise state-space recurrence (one scalar decay per head) whose input and
/// output weights B and C are shared by groups of heads, read out through a gated, grouped RMS norm.
KeySpec ssd_key() {
    return map_key("ssd",
        "The head-wise state-space mixer kind (`layers.mixer: [ssd]`, every layer, or `[attention, ssd]` by a "
        "schedule). With inner = `heads` x "
        "`head_dim`, `in_proj` gives [z | xBC | dt] (inner, inner + 2 x `groups` x `state`, `heads` wide); xBC runs "
        "through a causal depthwise convolution (`conv1d`, `kernel` taps, either layout as for `selective_ssm`) "
        "and SiLU and splits into x, B and C, each group's B and C read by `heads` / `groups` consecutive heads; "
        "dt = softplus(dt + `dt_bias`), clipped to `time_step_limit` where it is set; with A = -exp(`A_log`) one "
        "scalar per head, each head's state h (`head_dim` x `state`, float32) becomes exp(dt A) h + dt x B at each "
        "position and its output C.h + D x. The output times silu(z) is RMS-normalised per group of inner / "
        "`groups` channels (`norm`, epsilon `norm_eps`; see `gated_norm` and `norm_before_gate`) before `out_proj`. The layer's cache (a `MambaCache`) "
        "holds the convolution's last `kernel` - 1 inputs and h.", {
        field_key("heads", "int", "The config field holding the number of heads (`num_heads`)."),
        field_key("head_dim", "int", "The config field holding each head's width (`head_dim`)."),
        field_key("state", "int", "The config field holding the state's width per head channel (`state_size`)."),
        field_key("groups", "int", "The config field holding the number of B and C groups (`n_groups`)."),
        field_key("kernel", "int", "The config field holding the convolution's width in positions (`conv_kernel`)."),
        field_key("norm_eps", "float", "The config field holding the gated norm's epsilon (`layer_norm_epsilon`)."),
        field_key("time_step_limit", "float_range",
            "The config field holding the bounds dt is clipped to (`time_step_limit`); null or absent, none."),
        with_default(key("bias", Type::Flag, "Bias on `in_proj` and `out_proj`."), "false"),
        key("out_bias", Type::Flag,
            "Bias on `out_proj` where a switch of its own says (`projectors_bias`); `bias` then covers `in_proj` "
            "alone. Absent: `bias` covers both."),
        with_default(key("conv_bias", Type::Flag, "Bias on the convolution."), "false"),
        with_default(key("gated_norm", Type::Flag,
            "Whether the output passes the gated, grouped RMS norm (`norm`); where it does not, the output is "
            "multiplied by silu(z) alone and the block holds no `norm`."), "true"),
        with_default(key("norm_before_gate", Type::Flag,
            "The gated norm normalises first and gates after, norm(y) * silu(z), instead of norm(y * silu(z))."),
            "false"),
        map_key("keys", "The checkpoint names of the block, where they differ from the usual.", {
            with_default(key("block", Type::Identifier, "The block's key in a decoder layer."), "mixer"),
        }),
    });
}

/// Falcon-H1's muP multipliers: scalars (and per-segment vectors) transformers applies around the
/// projections at run time, which hf2swift folds into the weights of a checkpoint in PyTorch's layout.
KeySpec mup_key() {
    return map_key("mup",
        "muP multipliers around the projections of layers that sum attention and `ssd` (`layers.mixers_summed`), "
        "as transformers applies them at run time: the embedding output times `embedding`; attention reads its "
        "input times `attention_in`, its keys times `key` and its output times `attention_out`; the `ssd` block "
        "reads its input times `ssd_in`, the segments of `in_proj`'s output [z | x | B | C | dt] times the five "
        "`ssd_segments` and its output times `ssd_out`; the MLP's gate projection times the first of `mlp` and "
        "its down projection times the second; the logits times `head`. A checkpoint in PyTorch's layout (its "
        "first `ssd` convolution stored [channels, 1, kernel]) has them folded into its weights (and biases) as "
        "it loads; one in MLX's layout holds them folded already. A tied head's logits are multiplied by "
        "`head` / `embedding` at run time, as the embedding holds its multiplier folded. Needs `ssd`, "
        "`attention.projection: separate` and `mlp.kind: gated`.", {
        field_key("embedding", "float", "The config field multiplying the embedding (`embedding_multiplier`)."),
        field_key("head", "float", "The config field multiplying the logits (`lm_head_multiplier`)."),
        field_key("attention_in", "float", "The config field multiplying attention's input (`attention_in_multiplier`)."),
        field_key("key", "float", "The config field multiplying the keys (`key_multiplier`)."),
        field_key("attention_out", "float", "The config field multiplying attention's output (`attention_out_multiplier`)."),
        field_key("ssd_in", "float", "The config field multiplying the `ssd` block's input (`ssm_in_multiplier`)."),
        field_key("ssd_out", "float", "The config field multiplying the `ssd` block's output (`ssm_out_multiplier`)."),
        field_key("ssd_segments", "float_list",
            "The config field holding five multipliers of `in_proj`'s output segments z, x, B, C and dt "
            "(`ssm_multipliers`); another count is refused when the configuration is decoded."),
        field_key("mlp", "float_list",
            "The config field holding the gate and down projections' multipliers (`mlp_multipliers`); another "
            "count is refused when the configuration is decoded."),
    });
}

/// The gated delta rule: a linear attention whose per-head state decays by a learned gate and is
/// corrected toward each new key's value, with a short convolution before it and a gated norm after.
KeySpec gated_delta_key() {
    return map_key("gated_delta",
        "The gated delta-rule mixer kind (`layers.mixer` lists `gated_delta` beside `attention`). `in_proj_qkvz` "
        "gives, per key head, [q | k | v | z] (`key_head_dim`, `key_head_dim`, and value_heads / key_heads "
        "value heads of `value_head_dim` each for v and z), `in_proj_ba` per key head [b | a] (value_heads / "
        "key_heads each). q | k | v run through a causal depthwise convolution (`conv1d`, `kernel` taps, no "
        "bias; PyTorch's `[channels, 1, kernel]` transposed by `sanitize`) and SiLU; q and k are L2-normalised "
        "per head (eps 1e-6 on the sum of squares), q scaled by key_head_dim^-0.5, and each key head serves "
        "value_heads / key_heads value heads. With beta = sigmoid(b) and g = -exp(`A_log`) softplus(a + "
        "`dt_bias`), the state S (`value_head_dim` x `key_head_dim` per value head, float32) becomes "
        "exp(g) S, then S + beta (v - exp(g) S k) k^T, and the output S q, at each position. The output "
        "passes a gated RMS norm (`norm`: its weight as stored, eps from `norm.eps`, times silu(z)) and "
        "`out_proj`. The layer's cache (an `ArraysCache` of two) holds the convolution's last `kernel` - 1 "
        "inputs and S.", {
        field_key("key_heads", "int", "The config field holding the key (and query) head count (`linear_num_key_heads`)."),
        field_key("value_heads", "int",
            "The config field holding the value head count (`linear_num_value_heads`), a multiple of the key heads."),
        field_key("key_head_dim", "int", "The config field holding each key head's width (`linear_key_head_dim`)."),
        field_key("value_head_dim", "int", "The config field holding each value head's width (`linear_value_head_dim`)."),
        field_key("kernel", "int", "The config field holding the convolution's width in positions (`linear_conv_kernel_dim`)."),
        enum_key("projections", {"per_key_head", "separate"}, "per_key_head",
            "How the input projections are laid out. `per_key_head`: `in_proj_qkvz` and `in_proj_ba` as above, "
            "grouped by key head. `separate`: `in_proj_qkv` gives [all q | all k | all v] (the convolution's "
            "channel order), `in_proj_z` the gates, `in_proj_b` and `in_proj_a` one value per value head each."),
        map_key("keys", "The checkpoint names of the block, where they differ from the usual.", {
            with_default(key("block", Type::Identifier, "The block's key in a decoder layer."), "linear_attn"),
        }),
    });
}

KeySpec mlp_key() {
    return map_key("mlp", "The dense feed-forward kind (`layers.feed_forward: [mlp]`).", {
        enum_key("kind", {"gated", "fused_gated", "plain"}, "gated",
            "`gated`: down(act(gate(x)) * up(x)) with separate `gate_proj` and `up_proj`. `plain`: "
            "down(act(up(x))), no gate. "
            "`fused_gated`: the same with one `gate_up_proj` whose output is [gate | up]."),
        enum_key("activation", {"silu", "gelu", "gelu_approx", "swiglu_clamped", "xielu"}, "silu",
            "How gate and up combine: `silu`, `gelu` (exact, erf) and `gelu_approx` (tanh) give act(gate) * up; "
            "`swiglu_clamped` (GPT-OSS) gives (clip(up, -7, 7) + 1) * g * sigmoid(1.702 g), g = min(gate, 7). "
            "`xielu` (kind `plain` only) is xIELU with learned parameters, a module under the MLP's `act_fn` "
            "holding `alpha_p`, `alpha_n`, `beta` and `eps`."),
        field_key("activation_field", "activation",
            "A config field naming the activation (`hidden_act`), chosen when the configuration is read; it "
            "replaces `activation` (kinds `gated` and `plain`)."),
        with_default(key("bias", Type::Flag, "Bias on the MLP projections."), "false"),
        field_key("intermediate", "int",
            "The config field holding the dense layers' width where it is not `dims.intermediate` "
            "(`intermediate_size_mlp`, beside experts `dims.intermediate` wide)."),
        map_key("keys", "The checkpoint names of the MLP and its parts, where they differ from the usual.", {
            with_default(key("block", Type::Identifier, "The MLP's key in a decoder layer."), "mlp"),
            with_default(key("gate", Type::Identifier, "The gate projection's key."), "gate_proj"),
            with_default(key("up", Type::Identifier, "The up projection's key."), "up_proj"),
            with_default(key("down", Type::Identifier, "The down projection's key."), "down_proj"),
        }),
        field_key("activation_sparsity", "float_list",
            "A config field giving each layer's activation sparsity s; where s > 0 only gate values above "
            "mean + std * sqrt(2) * erfinv(2s - 1) of their row pass the GELU (AltUp decoders)."),
        field_key("width", "int_per_layer",
            "A config field giving the dense MLP's width per layer where it is not `dims.intermediate`, e.g. "
            "`{derive: doubled_on_shared_kv_layers}`."),
    });
}

KeySpec experts_key() {
    return map_key("experts",
        "The mixture-of-experts feed-forward kind (`layers.feed_forward` lists `experts`): a linear router "
        "scores the experts for each token, the `per_token` best are run (gated, one matrix per expert: "
        "`experts.{gate,up,down}_proj`; or ungated, `gated: false`) and their outputs summed, weighted by their "
        "scores.", {
        field_key("count", "int", "The config field holding the number of experts."),
        field_key("per_token", "int|int_per_layer",
            "The config field holding how many experts each token uses (one for all layers, or per layer)."),
        field_key("intermediate", "int|int_per_layer",
            "The config field holding each expert's inner width (`moe_intermediate_size`), one for all layers "
            "or per layer; absent: `dims.intermediate`."),
        enum_key("activation", {"silu", "gelu_approx", "swiglu_clamped"}, "silu",
            "How each expert's gate and up combine: `silu` gives silu(gate) * up, `gelu_approx` GELU (tanh) of "
            "the gate times up; `swiglu_clamped` (GPT-OSS) gives (clip(up, -7, 7) + 1) * g * sigmoid(1.702 g), "
            "g = min(gate, 7)."),
        with_default(key("gated", Type::Bool,
            "`false`: each expert is ungated, its up projection, the activation `activation_field` names, then "
            "its down projection, as switch layers `fc1` and `fc2` under `keys.experts`; `activation` does not "
            "apply."), "true"),
        field_key("activation_field", "activation",
            "A config field naming ungated experts' activation (`mlp_hidden_act`), chosen when the configuration "
            "is read; `gated: false` only."),
        field_key("latent", "int",
            "A config field holding the width the routed experts work at (`moe_latent_size`; null or absent: the "
            "hidden size). Each token is projected down to it (`fc1_latent_proj`) before the experts and their "
            "weighted sum back up (`fc2_latent_proj`) after; the router and the shared expert read the token "
            "itself."),
        with_default(key("latent_bias", Type::Flag, "Bias on the latent projections."), "false"),
        with_default(key("beside_mlp", Type::Flag,
            "The experts run beside the dense MLP, not in its place, where this holds (a bool config field "
            "switches them on): the decoder layer holds their router and experts (`keys.router`, "
            "`keys.experts`, the switch layers under `switch_glu`) and three more norms. The MLP's output "
            "through `post_feedforward_layernorm_1` and the experts' (input through "
            "`pre_feedforward_layernorm_2`, output through `post_feedforward_layernorm_2`) are summed before "
            "`post_feedforward_layernorm`; the router reads the residual stream itself, so it needs "
            "`router.input_norm`. Sandwich norms only."), "false"),
        with_default(key("bias", Type::Flag, "Bias on every expert's projections."), "false"),
        map_key("router", "How the router's logits become each token's experts and their weights.", {
            enum_key("order", {"softmax_then_top_k", "top_k_then_softmax", "sparse_mixer"}, "softmax_then_top_k",
                "`softmax_then_top_k`: score every expert (`scores`), then take the k best, weighted by "
                "their scores, renormalised to sum to one when `normalize` holds and times `scale`. "
                "`top_k_then_softmax`: the k largest logits, softmaxed among themselves (they always sum "
                "to one). `sparse_mixer`: two experts, chosen one at a time, each the largest logit not yet "
                "chosen, weighted by its share of a softmax over the logits not yet chosen within a band of "
                "it, (top - logit) / max(|logit|, top) <= 2 * `jitter_eps` (SparseMixer at inference); "
                "`per_token` is not bound."),
            enum_key("scores", {"softmax", "sigmoid"}, "softmax",
                "How order `softmax_then_top_k` scores the experts: `softmax` over all of them (in float32), "
                "or each expert's own `sigmoid` (in float32, as `scoring_func: sigmoid` routers do)."),
            field_key("scores_field", "expert_scores",
                "A config field naming the scores (`softmax` or `sigmoid`, e.g. `score_function`), chosen when "
                "the configuration is read; it replaces `scores`."),
            with_default(key("normalize", Type::Flag,
                "Renormalise the k selected scores to sum to one (`norm_topk_prob`); order "
                "`softmax_then_top_k` only."), "false"),
            with_default(key("normalize_single", Type::Bool,
                "`false`: a token routed to a single expert (k = 1) keeps that expert's score; only k > 1 "
                "scores are renormalised."), "true"),
            key("normalize_epsilon", Type::Number,
                "A constant the reference adds to the sum the k selected scores are divided by when they are "
                "renormalised (e.g. 1e-6); absent, nothing is added."),
            field_key("normalize_floor", "float",
                "A config field holding the least denominator of the renormalisation (`moe_norm_min`): the k "
                "selected scores are divided by max(their sum, floor); absent, by their sum."),
            with_default(key("selection_bias", Type::Flag,
                "A learned per-expert bias (`e_score_correction_bias`, a float32 vector beside the router's "
                "bare `weight`, whose logits are then computed in float32, or beside its nested layer, "
                "`keys.router_layer`) added to the scores when choosing the experts only; the weights are the "
                "unbiased scores. A bool config field switches a bias the router holds (no bias weight when off)."),
                "false"),
            map_key("groups",
                "Grouped top-k: the experts form `count` equal groups, each scored by the sum of its two best "
                "(biased) scores, and only the experts of the `selected` best groups can be chosen.", {
                field_key("count", "int", "The config field holding the number of groups (`n_group`)."),
                field_key("selected", "int", "The config field holding how many groups stay (`topk_group`)."),
                enum_key("score", {"top_two_sum", "max"}, "top_two_sum",
                    "How a group is scored: `top_two_sum`, the sum of its two best (biased) scores; `max`, its best "
                    "score."),
            }),
            field_key("scale", "float",
                "A config field multiplying the routed experts' weights after any renormalisation "
                "(`routed_scaling_factor`)."),
            field_key("jitter_eps", "float",
                "The config field holding the sparse mixer's band (`router_jitter_noise`); order "
                "`sparse_mixer` only."),
            with_default(key("bias", Type::Flag, "Bias on the router."), "false"),
            enum_key("weighted", {"outputs", "inputs"}, "outputs",
                "What each chosen expert's weight multiplies: `outputs`, the expert's output before the sum; "
                "`inputs`, the token before it enters the expert (the expert is not linear, so the two "
                "differ)."),
            with_default(key("input_norm", Type::Bool,
                "The router normalises its own input: RMS without a weight of its own, times a learned "
                "`scale` vector and 1/sqrt(hidden size), before its projection (`proj`)."), "false"),
            with_default(key("per_expert_scale", Type::Bool,
                "Each chosen expert's weight is multiplied, after any renormalisation, by that expert's learned "
                "`per_expert_scale` (routers with `input_norm`)."), "false"),
        }),
        map_key("shared",
            "An expert every token uses beside the routed ones: a dense gated MLP of its own width, added "
            "to their sum.", {
            field_key("intermediate", "int|int_per_layer",
                "The config field holding the shared expert's inner width (`shared_expert_intermediate_size`), "
                "one for all layers or per layer."),
            with_default(key("gated", Type::Bool,
                "The shared expert's output is scaled by sigmoid(shared_expert_gate(x)), a learned scalar "
                "per token."), "false"),
            with_default(key("enabled", Type::Flag,
                "Whether the mixtures have the shared expert (a bool config field such as `use_mixed_mlp_moe` "
                "lets the config decide)."), "true"),
            with_default(key("alone_without_experts", Type::Bool,
                "A configuration with no routed experts (`experts.count` 0) leaves each mixture its shared "
                "expert alone: no router or experts are built, loaded or routed to, as a dense checkpoint of "
                "a mixture-of-experts family has them."), "false"),
        }),
        map_key("keys", "The checkpoint names of the mixture and its parts, where they differ from the usual.", {
            with_default(key("block", Type::Identifier, "The mixture's key in a decoder layer."), "mlp"),
            with_default(key("router", Type::Identifier, "The router's key."), "router"),
            key("router_layer", Type::Identifier,
                "Where checkpoints nest the router's linear layer one level down, its key inside the router "
                "(`router.layer.weight`, `gate.gate_proj.weight`), a `Linear` computed in its input's dtype "
                "that a quantized checkpoint may quantize; a selection bias the router holds sits beside it. "
                "Absent, the router is the linear layer itself."),
            with_default(key("experts", Type::Identifier, "The stacked experts' key."), "experts"),
            with_default(key("shared", Type::Identifier, "The shared expert's key."), "shared_expert"),
            with_default(key("shared_gate", Type::Identifier, "The shared expert's gate key."),
                         "shared_expert_gate"),
            key("selection_bias", Type::Identifier,
                "Where the checkpoint keeps the selection bias when it sits in the mixture beside the router "
                "(e.g. `e_score_correction_bias`) rather than inside it; the router is then a plain linear "
                "layer, computed in its input's dtype."),
            key("selection_bias_module", Type::Identifier,
                "A module beside the router holding the selection bias as a `[1, experts]` "
                "`e_score_correction_bias` (e.g. `moe_statics`); the router is then a bare matrix computed in "
                "float32. Absent (and without `selection_bias`), the bias is the router's own `[experts]` vector."),
            with_default(key("selection_bias_parameter", Type::Identifier,
                "The selection bias's key inside the router, where the router holds it (e.g. `expert_bias`)."),
                "e_score_correction_bias"),
        }),
    });
}

KeySpec build_root() {
    std::vector<KeySpec> top;

    top.push_back(identity(required(key("family", Type::Identifier,
        "The family id. It equals the file name without `.yaml`."))));
    top.push_back(identity(required(key("swift_name", Type::TypeName,
        "Prefix of the generated Swift types and file: `Qwen3` gives `Qwen3Model` in `Qwen3Generated.swift`."))));
    top.push_back(identity(required(key("model_types", Type::StringList,
        "The exact Hugging Face `model_type` values this family serves. No two families may claim the same one."))));
    top.push_back(identity(key("refused_model_types", Type::ScalarMap,
        "Model types this family names in order to refuse them, each with the reason: checkpoints that share "
        "its keys but compute something the vocabulary cannot (`{minimax: \"lightning attention\"}`). "
        "`detect` and the registry refuse them by name; no family may also claim them.")));
    top.push_back(identity(with_default(key("abstract", Type::Bool,
        "An abstract family is a parent only: it generates nothing and needs no identity keys."), "false")));
    top.push_back(identity(key("extends", Type::Identifier,
        "The parent family. Its values are inherited and this document's values override them.")));
    top.push_back(identity(required(line_key("description",
        "One line on what the family is; it appears in the banner and in `generated/README.md`."))));
    top.push_back(required(key("reference", Type::String,
        "The mlx-lm source file whose numbers this family reproduces, e.g. `mlx_lm/models/llama.py`.")));

    top.push_back(map_key("dims", "Which config fields hold the model's dimensions.", {
        required(field_key("hidden", "int", "Hidden (residual stream) width.")),
        required(field_key("layers", "int", "Number of decoder layers.")),
        required(field_key("heads", "int", "Number of query heads.")),
        required(field_key("kv_heads", "int", "Number of key/value heads (grouped-query attention).")),
        required(field_key("head_dim", "int", "Width of one attention head.")),
        required(field_key("intermediate", "int|int_per_layer", "Inner width of the MLP (per layer, or one for all).")),
        required(field_key("vocab", "int", "Vocabulary size (rows of the embedding).")),
    }));

    KeySpec bias = map_key("bias", "Which attention projections carry a bias.", {
        with_default(key("qkv", Type::Flag, "Bias on the q, k and v projections."), "false"),
        with_default(key("o", Type::Flag, "Bias on the output projection."), "false"),
    });
    KeySpec scaling_types = key("scaling_types", Type::EnumList,
        "The `rope_scaling` types this family applies. A checkpoint naming any other type is refused "
        "when its configuration is decoded, never ignored. `dynamic` raises the base as `dynamic` says. "
        "`proportional` rotates the first "
        "int(partial_rotary_factor * head_dim / 2) pairs of the two halves at the frequencies of a fully "
        "rotated head (divided by `factor`) and leaves the other pairs still. `mrope` (multimodal RoPE, "
        "three `mrope_section`s of the frequencies) rotates text as plain RoPE: a token of text has the same "
        "position in every section.");
    scaling_types.values = {"linear", "llama3", "yarn", "longrope", "su", "dynamic", "proportional", "mrope"};
    scaling_types.default_yaml = "[]";
    KeySpec rope = map_key("rope",
        "Rotary position embedding. A family without it (`rope: null`) takes its positions from "
        "`embedding.positions`.", {
        with_default(key("interleaved", Type::Flag,
            "Rotate interleaved pairs (2i, 2i+1) instead of the two halves of each head."), "false"),
        field_key("base", "float",
            "The RoPE base (theta); required unless `embedding.positions` gives the positions instead."),
        field_key("scaling", "rope_scaling", "The config field holding `rope_scaling`; absent means no scaling."),
        scaling_types,
        field_key("max_positions", "int",
            "The config field holding `max_position_embeddings`, which longrope scaling needs."),
        field_key("original_max_positions", "int",
            "A config field holding the pre-extension context length, used by longrope/su scaling "
            "instead of the one inside `rope_scaling` (Phi-3 keeps it at the top level)."),
        field_key("fraction", "float",
            "The config field holding the fraction of each head that is rotated (`partial_rotary_factor`); "
            "the rotated width is int(head_dim * fraction), the rest passes through."),
        field_key("dimensions", "int",
            "An optional config field holding the rotated width itself (`rotary_dim`); when it is set it "
            "overrides `fraction`."),
        field_key("layers", "int_list",
            "A config field listing, per layer, 1 to rotate and 0 for no position embedding at all "
            "(NoPE), e.g. `no_rope_layers`; its length must equal the layer count."),
        field_key("local_base", "float",
            "A config field holding the RoPE base of sliding-window layers (`rope_local_base_freq`); those "
            "layers rotate without scaling, the full-attention layers use `base` and `scaling`."),
        enum_key("dynamic", {"by_length", "alpha"}, "by_length",
            "How `dynamic` scaling raises the base for d rotated dimensions. `by_length` (dynamic NTK): once "
            "a call's positions reach past `max_position_embeddings` (to L in all), to base * (factor * L / "
            "max - (factor - 1))^(d / (d - 2)), while keys already cached keep their rotation. `alpha` "
            "(NTK-alpha): to base * alpha^(d / (d - 2)) at every length, the scaling's `alpha` required."),
        map_key("longrope", "How longrope (`su`) scaling chooses its factors and scales the rotated part.", {
            enum_key("factors", {"by_length", "short"}, "by_length",
                "`by_length`: the short factors while a call's positions stay within the original context, "
                "the long ones past it (transformers' dynamic update). `short`: the short factors at every "
                "length (rotary embeddings that recompute their frequencies without the sequence length)."),
            enum_key("scale", {"attention_factor", "mscales"}, "attention_factor",
                "`attention_factor`: the scaling's `attention_factor`, or sqrt(1 + ln(factor) / ln(original)) "
                "with factor = max / original. `mscales`: the scaling's `short_mscale` while a call's "
                "positions stay within the original context and `long_mscale` past it (both required)."),
        }),
    });
    KeySpec sliding = map_key("sliding", "Sliding-window attention on some layers.", {
        field_key("layer_types", "layer_types",
            "The config field listing each layer's attention (`full_attention` or `sliding_attention`). "
            "Sliding layers see the last `window` positions and keep a rotating cache."),
        field_key("window", "int", "The config field holding the window length."),
    });
    KeySpec chunked = map_key("chunked", "Chunked attention on some layers.", {
        field_key("layer_types", "layer_types",
            "The config field listing each layer's attention (`full_attention` or `chunked_attention`). A "
            "chunked layer lets each position see only the earlier positions of its own chunk (position // "
            "`size`), and caches only that chunk."),
        field_key("size", "int", "The config field holding the chunk length; null when no layer is chunked."),
    });
    KeySpec attention = map_key("attention", "The attention block.", {
        enum_key("projection", {"separate", "fused_qkv", "fused_qkv_grouped"}, "separate",
            "`separate`: `q_proj`, `k_proj`, `v_proj`. `fused_qkv`: one `qkv_proj` whose output rows are "
            "[q | k | v], split at run time. `fused_qkv_grouped`: one `qkv_proj` whose output rows are "
            "grouped by key/value head: each group's query heads, then its key head, then its value head."),
        bias,
        enum_key("qk_norm", {"none", "per_head", "whole", "per_head_weights"}, "none",
            "Normalisation of queries and keys, before RoPE unless `qk_norm_placement` says otherwise. "
            "`per_head`: an RMSNorm over the head dimension with one weight shared by all heads (`q_norm`, "
            "`k_norm`). `whole`: an RMSNorm over the whole projection (heads x head_dim), before it is split "
            "into heads. `per_head_weights`: a LayerNorm over the head dimension, in float32, scaled by a "
            "weight of its own for each head (`[heads, head_dim]`, no bias); it needs `norm.kind: layer`."),
        with_default(key("qk_norm_enabled", Type::Flag,
            "Whether the q/k norms of `qk_norm` exist: a bool config field switches them per checkpoint "
            "(no norm weights when off)."), "true"),
        with_default(key("qk_norm_after_rope", Type::Flag,
            "On layers that rotate, queries and keys are RMS-normalised over each head after RoPE, "
            "without a learned scale (eps from `norm.eps`); layers without RoPE are left as they are. "
            "Independent of `qk_norm`, whose norms have learned scales."),
            "false"),
        enum_key("qk_norm_placement", {"before_rope", "after_rope"}, "before_rope",
            "Where a `per_head` q/k norm applies: on the projected heads (`before_rope`), or on the rotated "
            "ones (`after_rope`)."),
        map_key("keys", "The checkpoint names of the attention block and its parts, where they differ from the usual.", {
            with_default(key("block", Type::Identifier, "The attention's key in a decoder layer."), "self_attn"),
            with_default(key("q", Type::Identifier, "The query projection's key."), "q_proj"),
            with_default(key("k", Type::Identifier, "The key projection's key."), "k_proj"),
            with_default(key("v", Type::Identifier, "The value projection's key."), "v_proj"),
            with_default(key("qkv", Type::Identifier, "The fused projection's key (`projection: fused_qkv`)."),
                         "qkv_proj"),
            with_default(key("o", Type::Identifier, "The output projection's key."), "o_proj"),
            with_default(key("q_norm", Type::Identifier, "The query norm's key."), "q_norm"),
            with_default(key("k_norm", Type::Identifier, "The key norm's key."), "k_norm"),
        }),
        enum_key("scale", {"inverse_sqrt_head_dim", "inverse_sqrt_field", "field", "one"}, "inverse_sqrt_head_dim",
            "The softmax scale. `inverse_sqrt_head_dim`: 1/sqrt(head_dim); `inverse_sqrt_field`: "
            "1/sqrt of the config field `scale_field` (e.g. `query_pre_attn_scalar`); `field`: the value "
            "of `scale_field` itself (e.g. `attention_multiplier`); `one`: 1."),
        field_key("scale_field", "float", "The config field of `scale: inverse_sqrt_field` or `field`."),
        with_default(key("scaled", Type::Flag,
            "Whether the scores are scaled at all: where a bool config field is false "
            "(`scale_attn_weights`), the softmax scale is 1 whatever `scale` says."), "true"),
        field_key("clip_qkv", "float",
            "An optional config field (`clip_qkv`): when set, queries, keys and values are clipped to "
            "[-limit, limit] after their projections and any whole-projection q/k norm; absent or null, "
            "nothing is clipped."),
        with_default(key("v_norm", Type::Bool,
            "Values are RMS-normalised per head, with no learned scale, before attention."), "false"),
        with_default(key("output_gate", Type::Bool,
            "`q_proj` is twice as wide: each head's rows hold its queries, then a gate as wide; the attention's "
            "output is multiplied by sigmoid(gate) before `o_proj`. Separate projections only."), "false"),
        with_default(key("values_from_keys", Type::Flag,
            "Full-attention layers have no `v_proj`: their values are the key projection's output, taken "
            "before the key norm and RoPE (and normalised as values are); sliding layers keep their own. "
            "A bool config field decides it per checkpoint."), "false"),
        map_key("per_layer",
            "Attention sizes that differ by layer: config fields with one value per layer (usually derived) "
            "that replace `dims.head_dim` and `dims.kv_heads` in each layer's projections, norms, cache and "
            "RoPE.", {
            field_key("head_dim", "int_per_layer", "The config field holding each layer's head width."),
            field_key("kv_heads", "int_per_layer", "The config field holding each layer's key/value head count."),
        }),
        map_key("kv_sharing",
            "The last `shared_layers` layers compute no keys or values of their own: each attends over "
            "those of the last earlier layer of its kind, from the same step (decoders with sandwich norms).", {
            field_key("shared_layers", "int", "The config field holding how many final layers share."),
        }),
        map_key("cross_layer_kv",
            "Cross-layer key/value sharing: when `enabled` holds, the layers form consecutive groups of "
            "`group`; only each group's first layer projects keys and values, and the others reuse that "
            "projection from the same step (applying their own RoPE and key norm, and caching the result).", {
            with_default(key("enabled", Type::Flag, "Whether the layers share (`use_cla`)."), "false"),
            field_key("group", "int", "The config field holding how many layers form a group (`cla_share_factor`)."),
        }),
        with_default(key("sinks", Type::Bool,
            "A learned logit per query head (`sinks`, zeros until loaded) joins the softmax denominator, "
            "so a head can attend to nothing."), "false"),
        field_key("softcap", "float",
            "A config field capping the attention scores before the mask: cap * tanh(scores / cap), with the "
            "scores and softmax computed outside the fused kernel; an optional field caps only when it is set."),
        rope,
        map_key("query_position_scale",
            "Llama-4 query scaling: after RoPE, queries are multiplied by "
            "1 + beta * log(1 + floor(position / original_max_positions)), which grows past the original "
            "context.", {
            field_key("beta", "float", "The config field holding beta (`llama_4_scaling_beta`)."),
            field_key("original_max_positions", "int", "The config field holding the original context length."),
            with_default(key("enabled", Type::Flag, "Whether queries are scaled at all."), "true"),
            with_default(key("from_one", Type::Bool,
                "Positions count from 1: position + 1 in the formula, as temperature tuning counts them."),
                "false"),
            enum_key("layers", {"all", "nope"}, "all",
                "Which layers scale their queries: `all`, or `nope`, only the layers that take no position "
                "embedding (`attention.rope.layers` marks them 0)."),
        }),
        sliding,
        chunked,
    });
    top.push_back(attention);

    top.push_back(layers_key());
    top.push_back(latent_attention_key());
    top.push_back(short_conv_key());
    top.push_back(selective_ssm_key());
    top.push_back(ssd_key());
    top.push_back(mup_key());
    top.push_back(gated_delta_key());
    top.push_back(mlp_key());
    top.push_back(experts_key());

    top.push_back(map_key("norm", "The normalisation layers.", {
        enum_key("kind", {"rms", "rms_one_plus", "layer", "layer_one_plus"}, "rms",
            "`rms`: x * rsqrt(mean(x^2) + eps) * weight. `rms_one_plus`: the same times (1 + weight), "
            "for checkpoints whose norm weights are stored around zero. `layer`: LayerNorm with weight and "
            "bias (unless `bias` is false). `layer_one_plus`: LayerNorm times (1 + weight), the sum in the "
            "weight's dtype, plus bias. q/k norms use the same kind."),
        with_default(key("bias", Type::Bool,
            "Whether LayerNorms (`kind: layer`) have a bias; `false` gives them a weight only. Other kinds "
            "have no bias."), "true"),
        with_default(key("affine", Type::Bool,
            "Whether LayerNorms (`kind: layer`) have learned parameters; `false` gives them neither weight "
            "nor bias (normalised x alone), and the checkpoint holds nothing for them."), "true"),
        enum_key("placement", {"pre", "post", "sandwich"}, "pre",
            "`pre`: h = x + attn(norm1(x)); out = h + mlp(norm2(h)). `post`: the norms follow the blocks, "
            "h = x + norm1(attn(x)); out = h + norm2(mlp(h)) (`post_attention_layernorm`, "
            "`post_feedforward_layernorm`). `sandwich`: four norms, "
            "h = x + norm2(attn(norm1(x))); out = h + norm4(mlp(norm3(h)))."),
        required(field_key("eps", "float", "The config field holding the norm epsilon.")),
        map_key("keys", "The checkpoint names of a decoder layer's norms, where they differ from the usual.", {
            with_default(key("input", Type::Identifier,
                "The norm before attention (`pre`, `sandwich`)."), "input_layernorm"),
            with_default(key("post_attention", Type::Identifier,
                "The norm after attention (`post`, `sandwich`), or before the MLP (`pre`)."),
                "post_attention_layernorm"),
            with_default(key("pre_feedforward", Type::Identifier,
                "The norm before the MLP (`sandwich`)."), "pre_feedforward_layernorm"),
            with_default(key("post_feedforward", Type::Identifier,
                "The norm after the MLP (`post`, `sandwich`)."), "post_feedforward_layernorm"),
        }),
    }));

    top.push_back(map_key("residual", "The residual additions.", {
        with_default(key("clip_float16", Type::Bool,
            "In float16, add residuals in float32 and clip to the float16 range (other dtypes add "
            "plainly)."), "false"),
        field_key("multiplier", "float",
            "A config field scaling each block's output before it joins the residual: x + m * attn(...)."),
        map_key("altup",
            "Alternating updates: the residual stream is `streams` copies; each layer works on the `active` "
            "one, learned coefficients predict all copies before it and correct "
            "them after it. Decoders with AltUp also take per-layer inputs (`embedding.per_layer`) and may "
            "share keys and values (`attention.kv_sharing`), and use sandwich norms.", {
            field_key("streams", "int", "The config field holding the number of copies (`altup_num_inputs`)."),
            field_key("active", "int", "The config field holding the active copy's index."),
            with_default(key("correct_scale", Type::Flag,
                "Scale the corrected active copy by a learned vector before the per-layer input gate."),
                "false"),
        }),
        map_key("laurel", "A learned augmented residual (LAuReL) beside attention: x + norm(right(left(x))).", {
            field_key("rank", "int", "The config field holding the low rank."),
        }),
        with_default(key("float32", Type::Flag,
            "The residual stream is kept in float32: the token embedding joins it in float32, each "
            "block reads it cast to its norm's weight dtype, the blocks' outputs are added in float32, "
            "and the head reads the final norm's output in the embedding's dtype (transformers' "
            "`residual_in_fp32`). A bool config field chooses per checkpoint; without effect in float32. "
            "Pre-norm layers with RMS norms only."), "false"),
        with_default(key("layer_scalar", Type::Bool,
            "Each decoder layer's output (after any per-layer input) is multiplied by a learned scalar of "
            "its own (`layer_scalar`)."), "false"),
        with_default(key("parallel", Type::Flag,
            "Attention and the feed-forward read the same normalised input and their outputs join the "
            "residual stream together: out = x + attn(norm1(x)) + mlp(norm1(x)), one norm per layer (no "
            "`post_attention_layernorm`). A bool config field chooses per checkpoint: switched off, the "
            "layer is a pre-norm one with both norms. Pre-norm placement only."), "false"),
        with_default(key("parallel_mlp_norm", Type::Bool,
            "In a parallel layer (`parallel`), the feed-forward reads a norm of its own of the layer input: "
            "out = x + attn(norm1(x)) + mlp(norm2(x)), with `post_attention_layernorm` as norm2 in parallel "
            "and sequential layers alike."), "false"),
    }));

    top.push_back(map_key("embedding", "The token embedding.", {
        enum_key("scale", {"none", "sqrt_hidden"}, "none",
            "Multiplies the embedding output: `sqrt_hidden` by sqrt(hidden size) in the weights' dtype (rounded "
            "to bfloat16 in a bfloat16 model only, as transformers computes it)."),
        field_key("multiplier", "float", "A config field multiplying the embedding output."),
        field_key("zeroed_row", "int",
            "A config field naming a token (e.g. `pad_token_id`) whose embedding row is set to zero as the "
            "checkpoint loads, whatever the checkpoint holds: transformers resets the padding row when it "
            "loads some models. An optional field stating null leaves the embedding as loaded; a token "
            "outside the vocabulary is refused when the config is decoded."),
        map_key("per_layer",
            "Per-layer inputs: a second embedding gives each token a `width`-wide input per layer (tokens "
            "at or beyond `vocabulary` read row 0), averaged with a projection of the hidden state; each "
            "layer gates it into the AltUp streams, or without AltUp into the residual stream, after the "
            "MLP. Without AltUp (sandwich norms), a width of 0 turns them off.", {
            field_key("width", "int", "The config field holding the per-layer input width."),
            field_key("vocabulary", "int", "The config field holding the per-layer embedding's row count."),
        }),
        map_key("positions",
            "Learned absolute positions in place of RoPE: a second embedding, `table` rows, whose row for each "
            "position (counted from the cache's offset, so a cached step continues where the cache left off) "
            "is added to the token embedding; a position past the table is refused. Needs `attention.rope: "
            "null`.", {
            field_key("table", "int", "The config field holding the table's row count (`n_positions`)."),
        }),
        map_key("keys", "The checkpoint names of the embedding, where they differ from the usual.", {
            with_default(key("tokens", Type::Identifier, "The token embedding's key in the model."), "embed_tokens"),
            with_default(key("positions", Type::Identifier,
                "The position embedding's key in the model (`embedding.positions`)."), "embed_positions"),
        }),
    }));

    top.push_back(map_key("head", "The language-model head.", {
        with_default(key("tie", Type::Flag,
            "Reuse the embedding matrix as the output projection instead of an `lm_head`."), "false"),
        field_key("logit_divisor", "float", "A config field dividing the logits (e.g. `logits_scaling`)."),
        field_key("logit_multiplier", "float", "A config field multiplying the logits (e.g. `logit_scale`)."),
        field_key("softcap", "float",
            "A config field capping the logits: tanh(logits / cap) * cap; an optional field caps only when "
            "it is set."),
        with_default(key("bias", Type::Flag, "Bias on the `lm_head` (an untied head only)."), "false"),
        with_default(key("normalized_columns", Type::Flag,
            "The head's weight is divided by its column norms (each hidden dimension's norm over the "
            "vocabulary, plus 1e-7) when it is loaded; a quantized head is taken as converted, already "
            "divided. A tied head cannot be normalised."), "false"),
    }));

    KeySpec drop = key("drop", Type::StringList,
        "Checkpoint keys that `sanitize(weights:)` removes; `*` matches any run of characters. "
        "A tied `lm_head` is removed without being listed.");
    drop.default_yaml = "[]";
    KeySpec split_gate_up = with_default(key("split_interleaved_gate_up", Type::Bool,
        "Checkpoints may hold each expert's gate and up projections as one `gate_up_proj.weight` whose rows "
        "interleave gate, up, gate, ... (with `gate_up_proj_bias` and `down_proj_bias`); `sanitize` splits "
        "them as mlx-lm does."), "false");
    KeySpec split_halves = with_default(key("split_concatenated_gate_up", Type::Bool,
        "Checkpoints may hold each layer's experts as transformers saves them, `experts.gate_up_proj` "
        "[E, D, 2I] with the gate's columns before the up projection's and `experts.down_proj` [E, I, D]; "
        "`sanitize` splits and transposes them, as mlx-lm does."), "false");
    KeySpec stack = map_key("stack_experts",
        "Checkpoints may hold one tensor per expert (`<mlp>.<from>.<e>.<name>.weight`, also `.scales` and "
        "`.biases`); `sanitize` stacks them into the experts' projections, as mlx-lm does.", {
        key("from", Type::Identifier, "The per-expert key between the MLP and the expert index, e.g. `experts`."),
        key("names", Type::ScalarMap,
            "Each per-expert projection's name -> the stacked projection it joins (`gate_proj`, `up_proj`, "
            "`down_proj`; ungated experts' `fc1`, `fc2`), e.g. `{w1: gate_proj, w2: down_proj, w3: up_proj}`."),
    });
    KeySpec rename = key("rename", Type::ScalarMap,
        "Parts of checkpoint keys that `sanitize(weights:)` rewrites before anything else, wherever they "
        "occur, for modules the checkpoint nests differently: `{\".mlp.gate.wg.\": \".mlp.gate.\"}`. A part "
        "written with a leading `^` matches only at the start of a key (`{\"^h.\": \"model.layers.\"}`).");
    KeySpec transpose = key("transpose", Type::StringList,
        "Checkpoint keys, as stored (before `rename`), whose matrices are stored [in, out], as transformers' "
        "`Conv1D` layers keep them; `sanitize` transposes each 2-D match to [out, in]. `*` matches any run "
        "of characters, so a pattern names one layout and leaves keys of another (converted ones, already "
        "[out, in]) alone.");
    transpose.default_yaml = "[]";
    KeySpec extra_layers = with_default(key("drop_extra_layers", Type::Bool,
        "Checkpoints may hold layers past the last one the model runs (`model.layers.<n>.*` for n at or "
        "beyond `dims.layers`: multi-token prediction layers); `sanitize` removes them, as mlx-lm does."), "false");
    KeySpec fused_experts = map_key("fused_experts",
        "Checkpoints may hold each layer's experts as two fused tensors: `<mixture>.<gate_up>.weight` "
        "`[E, 2I, D]`, the gate projections' rows then the up projections' (halves, not interleaved), and "
        "`<mixture>.<down>.weight` `[E, D, I]`; `sanitize` splits the first in halves and renames both into "
        "the experts' projections, as mlx-lm does.", {
        key("gate_up", Type::Identifier, "The fused gate and up projections' key, e.g. `input_linear`."),
        key("down", Type::Identifier, "The fused down projections' key, e.g. `output_linear`."),
    });
    KeySpec fuse_gate_up = with_default(key("fuse_gate_up", Type::Bool,
        "Checkpoints may hold a fused MLP's gate and up projections apart (`gate_proj`, `up_proj`), as "
        "mlx-lm saves a dense MLP; `sanitize` joins them, gate rows first, into each `gate_up_proj` the "
        "model holds (`mlp.kind: fused_gated`)."), "false");
    KeySpec split_stacked = with_default(key("split_stacked_gate_up", Type::Bool,
        "Checkpoints may hold the experts' gate and up projections as one bare `gate_up_proj` tensor "
        "`[E, 2I, D]`, gate rows first, and `down_proj` `[E, D, I]` under the experts' key, as transformers "
        "saves them; `sanitize` splits them into the experts' switch layers."), "false");
    KeySpec converted_norms = map_key("converted_norm_offset",
        "Checkpoints converted by mlx-lm may hold some norm weights with the one of `norm.kind: rms_one_plus` "
        "already added (mlx-lm adds it as it sanitizes a Hugging Face checkpoint, and saves the result). A "
        "checkpoint with a key containing `marker` (as stored, before a wrapper's prefixes are rewritten) is taken as converted, and `sanitize` subtracts the one from "
        "each weight whose key ends in one of `norms`, in the weight's dtype.", {
        key("marker", Type::String, "A part of a key only converted checkpoints hold, e.g. `.mlp.switch_mlp.`."),
        key("norms", Type::StringList, "The key suffixes of the norm weights held with the one added."),
    });
    top.push_back(map_key("weights", "How checkpoint weights map onto the generated modules.",
                          {drop, split_gate_up, split_halves, stack, extra_layers, fused_experts, rename, split_stacked,
                           fuse_gate_up, transpose, converted_norms}));

    KeySpec wrappers = identity(key("wrappers", Type::EntryMap,
        "Model types (claimed in `model_types`) whose checkpoints wrap the text model in `text_config`, "
        "with the config rewrites the reference applies before reading it."));
    wrappers.entry_variants = {{
        key("text_config_from_top_level", Type::ScalarMap,
            "Keys whose top-level value (or, when absent there, the given default) replaces the one in "
            "`text_config`."),
        key("text_config_defaults", Type::ScalarMap, "Values for keys `text_config` does not set."),
        key("text_config_top_level_overrides", Type::StringList,
            "Keys whose top-level value, where the top level states one, replaces the one in `text_config`; "
            "where it does not, `text_config`'s own stands (and `text_config_defaults` fills it)."),
        with_default(key("text_config_optional", Type::Bool,
            "A config without `text_config` is the text model's own, keys at the top level (the layout "
            "earlier checkpoints of this type have); without this, it is refused."), "false"),
        key("weight_prefixes", Type::ScalarMap,
            "Checkpoint key prefixes the wrapper puts around the text model's weights, rewritten before "
            "the text model's `sanitize(weights:)`, longest first: `{\"language_model.\": \"\"}`."),
        key("weight_drops", Type::StringList,
            "Checkpoint keys the wrapper holds beside the text model (vision towers, projectors), removed by the "
            "loader before whichever text model serves it sees them; `*` matches any run of characters."),
        key("also", Type::StringList,
            "Further model types (each claimed in `model_types`) whose checkpoints wrap the text model exactly "
            "as this entry says."),
        key("ignored_keys", Type::ScalarMap,
            "Keys the wrapper's config holds for what sits beside the text model (a vision tower, its special "
            "tokens), each with why the text model never reads it; `detect` lists them as ignored for the model "
            "types this entry serves only."),
        key("dispatch", Type::ScalarMap,
            "`text_config.model_type` -> the family whose model serves it; `\"*\"` for any other (without "
            "it, this family). The target `refuse` rejects that text model type with an error."),
    }};
    top.push_back(wrappers);

    KeySpec config = key("config", Type::EntryMap,
        "The Configuration struct: one entry per config.json key the family knows. An entry with `type` "
        "is read into a stored property; an entry with `policy` is a key the family deliberately does "
        "not read. An entry replaces the parent's entry of the same key as a whole.");
    config.inherit = Inherit::Merge;
    KeySpec cfg_type = key("type", Type::Enum, "The config type (see the table of config types).");
    for (const auto& t : config_types()) cfg_type.values.push_back(t.name);
    config.entry_variants = {
        {
            cfg_type,
            key("default", Type::Default,
                "The value when the key is absent: a literal, `{derive: NAME}` (a named derivation) or "
                "`{field: KEY}` (another field's value). A derivation reads the config keys its table "
                "names; `{derive: NAME, from: {INPUT: FIELD}}` reads FIELD in place of the input INPUT "
                "(a family whose config names the same setting otherwise). Without a default the key is "
                "required, unless `optional`."),
            with_default(key("optional", Type::Bool,
                "An absent or null key gives `nil` (a Swift optional) instead of an error. With a literal "
                "`default`, only a key stated as null gives `nil`; an absent one gives the default (as a "
                "config class whose default is not None reads it)."), "false"),
            with_default(key("read", Type::Bool,
                "`false`: the key is never read and the field always takes its default, as when the model "
                "computes a value that checkpoints also state; a config stating another value is refused "
                "(with a fallback, the fallback is read instead)."), "true"),
            key("fallback", Type::String,
                "Where to read the value when the key is absent, as `FIELD.MEMBER` of a struct-typed "
                "field, e.g. `rope_parameters.rope_theta` for transformers-5 configs, or as another "
                "optional field of the same type: the setting under the name older configs give it. A "
                "config that states both, with different values, is refused."),
            line_key("doc", "What the field means, shown in the generated code."),
        },
        {
            []() {
                KeySpec p = key("policy", Type::Enum, "How the family treats this key (see policies).");
                for (const auto& pol : policies()) p.values.push_back(pol.name);
                return p;
            }(),
            key("values", Type::Scalars, "For `expect`: the values that are accepted."),
            line_key("why", "The reason, shown by `detect` and in refusals."),
        },
    };
    config.variant_tags = {"type", "policy"};
    top.push_back(config);

    KeySpec r = map_key("", "A family document.", std::move(top));
    return r;
}

}  // namespace

const KeySpec* KeySpec::child(const std::string& k) const {
    for (const auto& c : children) {
        if (c.name == k) return &c;
    }
    return nullptr;
}

const std::vector<ConfigType>& config_types() {
    using Scalar = ValueShape::Scalar;
    using Arity = ValueShape::Arity;
    // Objects and per-layer values have no Swift literal form: a family makes them optional instead.
    const ValueShape object{Scalar::Object, Arity::One, {}, "", false};
    auto one_of = [](std::vector<std::string> words) {
        return ValueShape{Scalar::String, Arity::One, std::move(words)};
    };
    ValueShape range{Scalar::Number, Arity::List};
    range.length = 2;
    range.spelled_non_finite = true;
    static const std::vector<ConfigType> types = {
        {"int", "Int", "A JSON integer.", {}, {}},
        {"float", "Float", "A JSON number.", {}, {Scalar::Number}},
        {"bool", "Bool", "A JSON boolean.", {}, {Scalar::Bool}},
        {"string", "String", "A JSON string.", {}, {Scalar::String}},
        {"int_list", "[Int]", "A list of integers.", {}, {Scalar::Int, Arity::List}},
        {"float_list", "[Double]", "A list of numbers, in double precision as Python reads them.", {},
         {Scalar::Number, Arity::List}},
        {"float_range", "FloatRange",
         "Two numbers [low, high], either of them also as transformers 5 writes a number JSON cannot spell "
         "(`{\"__float__\": \"Infinity\"}`).", {}, range},
        {"int_per_layer", "PerLayerInt", "One integer for every layer, or a list with one per layer.", {},
         {Scalar::Int, Arity::OneOrList, {}, "", false}},
        {"string_list", "[String]", "A list of strings.", {}, {Scalar::String, Arity::List}},
        {"activation", "Activation",
         "An activation's name as transformers knows it: `gelu` and `gelu_python` (exact), `gelu_new`, "
         "`gelu_pytorch_tanh` and `gelu_fast` (tanh approximation), `relu`, `relu2` (relu(x)^2), `silu` or `swish`; any other is refused.",
         {}, one_of(activation_names())},
        {"expert_scores", "ExpertScores",
         "How a router scores its experts: `softmax` (over all of them) or `sigmoid` (each its own); any other "
         "is refused.", {}, one_of({"softmax", "sigmoid"})},
        {"int_or_auto", "IntOrAuto",
         "An integer, or the string `auto` for a size the model derives (a derivation gives the number).", {},
         {Scalar::Int, Arity::One, {}, "auto"}},
        {"top_k_method", "TopKMethod",
         "How a router limits its top k (`topk_method`): `greedy` (among all experts) or `group_limited_greedy` "
         "(among its best groups' experts); any other is refused.", {}, one_of({"greedy", "group_limited_greedy"})},
        {"layer_types", "[AttentionLayerType]",
         "Per-layer attention kinds: `full_attention`, `sliding_attention` or `chunked_attention` (each "
         "only where the family has it); any other value is refused.", {},
         {Scalar::String, Arity::List, {"full_attention", "sliding_attention", "chunked_attention"}}},
        {"layer_kinds", "[String]",
         "Per-layer block kinds, one name per layer (`mlp` or `experts` for a feed-forward schedule); a name "
         "outside the slot's kinds is refused.", {}, {Scalar::String, Arity::List, {}, "", false}},
        {"rope_scaling", "RoPEScaling",
         "A `rope_scaling` object: `rope_type` (or `type`) and that type's parameters.", {}, object},
        {"per_layer_overrides", "PerLayerOverrides",
         "A transformers-5 `per_layer_config` object: layer index -> the `head_dim` and "
         "`num_key_value_heads` that layer has instead of the global ones; any other key is refused.", {}, object},
        {"rope_parameters", "RoPEParameters",
         "A transformers-5 `rope_parameters` object: `rope_theta`, `partial_rotary_factor` and a "
         "`rope_scaling`-style type, or one such object per layer type (`full_attention`, "
         "`sliding_attention`), reached as `full_attention.rope_theta` and so on.",
         {{"rope_theta", "float"}, {"scaling", "rope_scaling"}, {"partial_rotary_factor", "float"},
          {"llama_4_scaling_beta", "float"}, {"original_max_position_embeddings", "int"},
          {"full_attention.rope_theta", "float"}, {"full_attention.scaling", "rope_scaling"},
          {"full_attention.partial_rotary_factor", "float"}, {"sliding_attention.rope_theta", "float"},
          {"sliding_attention.scaling", "rope_scaling"}, {"sliding_attention.partial_rotary_factor", "float"}},
         object},
    };
    return types;
}

const std::vector<Derivation>& derivations() {
    static const std::vector<Derivation> list = {
        {"hidden_over_heads", "int", "hidden size / number of heads (integer division).",
         "ConfigDefaults.headDim", {{"hiddenSize", "dims.hidden"}, {"attentionHeads", "dims.heads"}}},
        {"four_times_hidden", "int", "four times the hidden size: an MLP width that defaults to it.",
         "ConfigDefaults.fourTimesHidden", {{"hiddenSize", "dims.hidden"}}},
        {"expand_times_hidden", "int", "`expand` times the hidden size: an expanded width that defaults to it.",
         "ConfigDefaults.expandTimesHidden", {{"hiddenSize", "dims.hidden"}, {"expand", "config.expand"}}},
        {"time_step_rank", "int",
         "`time_step_rank` where it is a number; where it is `auto`, ceil(hidden size / 16).",
         "ConfigDefaults.timeStepRank", {{"rank", "config.time_step_rank"}, {"hiddenSize", "dims.hidden"}}},
        {"head_width_or_auto", "int",
         "`mamba_d_head` where it is a number; where it is `auto`, `mamba_expand` times the hidden size over "
         "`mamba_n_heads` (integer division).",
         "ConfigDefaults.headWidthOrAuto",
         {{"width", "config.mamba_d_head"}, {"expand", "config.mamba_expand"}, {"hiddenSize", "dims.hidden"},
          {"heads", "config.mamba_n_heads"}}},
        {"all_full_attention", "layer_types", "every layer `full_attention`.",
         "ConfigDefaults.allFullAttention", {{"layers", "dims.layers"}}},
        {"global_every_nth", "layer_types",
         "layer i is `full_attention` when (i + 1) is a multiple of `sliding_window_pattern`, else "
         "`sliding_attention`.",
         "ConfigDefaults.globalEveryNth", {{"layers", "dims.layers"}, {"pattern", "config.sliding_window_pattern"}}},
        {"alternating_sliding_full", "layer_types",
         "(`sliding_attention`, `full_attention`) repeated layers / 2 times; an odd layer count leaves the "
         "schedule one short, which is refused (mlx-lm would silently skip the last layer).",
         "ConfigDefaults.alternatingSlidingFull", {{"layers", "dims.layers"}}},
        {"sliding_when_windowed", "layer_types",
         "every layer `sliding_attention` when `sliding_window` is set (not null), else every layer "
         "`full_attention`: one window for the whole model.",
         "ConfigDefaults.slidingWhenWindowed", {{"layers", "dims.layers"}, {"window", "config.sliding_window"}}},
        {"sliding_past_max_window_layers", "layer_types",
         "layer i is `sliding_attention` when `sliding_window` is set (not null) and i >= `max_window_layers`, "
         "else `full_attention`.",
         "ConfigDefaults.slidingPastMaxWindowLayers",
         {{"layers", "dims.layers"}, {"window", "config.sliding_window"},
          {"maxWindowLayers", "config.max_window_layers"}}},
        {"sparse_every_step", "layer_kinds",
         "layer i is `experts` when i is not in `mlp_only_layers`, the layer has experts (`experts.count` > 0) "
         "and (i + 1) is a multiple of `decoder_sparse_step`; otherwise `mlp`.",
         "ConfigDefaults.sparseEveryStep",
         {{"layers", "dims.layers"}, {"experts", "experts.count"}, {"step", "config.decoder_sparse_step"},
          {"denseLayers", "config.mlp_only_layers"}}},
        {"groups_by_top_k_method", "int",
         "`n_group` when `topk_method` is `group_limited_greedy` (absent: 1), else 1 (a greedy router's experts form "
         "one group).",
         "ConfigDefaults.groupsByTopKMethod", {{"groups", "config.n_group"}, {"method", "config.topk_method"}}},
        {"selected_groups_by_top_k_method", "int",
         "`topk_group` when `topk_method` is `group_limited_greedy` (absent: 1), else 1.",
         "ConfigDefaults.groupsByTopKMethod", {{"groups", "config.topk_group"}, {"method", "config.topk_method"}}},
        {"dense_or_sparse", "layer_kinds",
         "layer i is `mlp` where `mlp_layer_types` says `dense` and `experts` where it says `sparse` (another "
         "name is refused); absent, `mlp` for the first layer and `experts` after.",
         "ConfigDefaults.denseOrSparse", {{"layers", "dims.layers"}, {"types", "config.mlp_layer_types"}}},
        {"attention_or_conv", "layer_kinds",
         "layer i is `attention` where `layer_types` says `full_attention` and `short_conv` where it says "
         "`conv` (another name is refused); absent, `attention` on the layers `full_attn_idxs` lists and "
         "`short_conv` on the others, and with neither, `attention` on every layer.",
         "ConfigDefaults.attentionOrConv",
         {{"layers", "dims.layers"}, {"types", "config.layer_types"}, {"attentionLayers", "config.full_attn_idxs"}}},
        {"attention_or_linear", "layer_kinds",
         "layer i is `attention` where `layer_types` says `full_attention` and `gated_delta` where it says "
         "`linear_attention` (another name is refused); absent, `attention` when (i + 1) is a multiple of "
         "`full_attention_interval`, else `gated_delta`.",
         "ConfigDefaults.attentionOrLinear",
         {{"layers", "dims.layers"}, {"types", "config.layer_types"}, {"interval", "config.full_attention_interval"}}},
        {"attention_or_ssd", "layer_kinds",
         "layer i is `attention` where `layer_types` says `attention` or `full_attention` and `ssd` where it says "
         "`mamba` or `linear_attention` (another name is refused); absent, `ssd` on every layer.",
         "ConfigDefaults.attentionOrSSD", {{"layers", "dims.layers"}, {"types", "config.layer_types"}}},
        {"layers_in_block_pattern", "int",
         "the number of layers the block list names: the entries of `layers_block_type` (or its alias "
         "`layer_types`), else the characters of `hybrid_override_pattern`; with none of them, 0.",
         "ConfigDefaults.layersInBlockPattern",
         {{"blockTypes", "config.layers_block_type"}, {"layerTypes", "config.layer_types"},
          {"pattern", "config.hybrid_override_pattern"}}},
        {"mixer_in_block_pattern", "layer_kinds",
         "each layer's mixer from the block list (`layers_block_type`, its alias `layer_types`, else "
         "`hybrid_override_pattern`): `ssd` for `linear_attention`, `mamba` or `M`, `attention` for "
         "`full_attention`, `attention` or `*`, `none` for the feed-forward blocks (`mlp` or `-`, `moe` or `E`); "
         "another name is refused.",
         "ConfigDefaults.mixerInBlockPattern",
         {{"blockTypes", "config.layers_block_type"}, {"layerTypes", "config.layer_types"},
          {"pattern", "config.hybrid_override_pattern"}}},
        {"feed_forward_in_block_pattern", "layer_kinds",
         "each layer's feed-forward from the same block list: `mlp` for `mlp` or `-`, `experts` for `moe` or "
         "`E`, `none` for the mixer blocks; another name is refused.",
         "ConfigDefaults.feedForwardInBlockPattern",
         {{"blockTypes", "config.layers_block_type"}, {"layerTypes", "config.layer_types"},
          {"pattern", "config.hybrid_override_pattern"}}},
        {"attention_or_selective_ssm", "layer_kinds",
         "layer i is `attention` where `layers_block_type` says `attention` and `selective_ssm` where it says "
         "`mamba` (another name is refused); absent, `attention` where i modulo `attn_layer_period` is "
         "`attn_layer_offset`, else `selective_ssm` (a period below 1 or an offset not below it is refused).",
         "ConfigDefaults.attentionOrSelectiveSSM",
         {{"layers", "dims.layers"}, {"types", "config.layers_block_type"}, {"period", "config.attn_layer_period"},
          {"offset", "config.attn_layer_offset"}}},
        {"sparse_at_period_offset", "layer_kinds",
         "layer i is `experts` where the layers have more than one expert (`experts.count` > 1) and i modulo "
         "`expert_layer_period` is `expert_layer_offset`, else `mlp` (a period below 1 or an offset not below it "
         "is refused).",
         "ConfigDefaults.sparseAtPeriodOffset",
         {{"layers", "dims.layers"}, {"experts", "experts.count"}, {"period", "config.expert_layer_period"},
          {"offset", "config.expert_layer_offset"}}},
        {"rope_when_named", "int_list",
         "1 (rotate) on every layer when `position_embedding_type` is `rope`, else 0 (no position embedding); "
         "absent, 0.",
         "ConfigDefaults.ropeWhenNamed", {{"layers", "dims.layers"}, {"named", "config.position_embedding_type"}}},
        {"adjusted_ff_dim", "int",
         "with `block_auto_adjust_ff_dim`, int(2 * `block_ff_dim` / 3), times `block_ffn_dim_multiplier` (truncated), "
         "rounded up to a multiple of `block_multiple_of`; without it, `block_ff_dim` as it is.",
         "ConfigDefaults.adjustedFeedForwardWidth",
         {{"width", "config.block_ff_dim"}, {"adjust", "config.block_auto_adjust_ff_dim"},
          {"multiplier", "config.block_ffn_dim_multiplier"}, {"multipleOf", "config.block_multiple_of"}}},
        {"dense_first", "layer_kinds",
         "layer i is `mlp` for i < `first_k_dense_replace`, `experts` after.",
         "ConfigDefaults.denseFirst", {{"layers", "dims.layers"}, {"denseLayers", "config.first_k_dense_replace"}}},
        {"sparse_in_range", "layer_kinds",
         "layer i is `experts` when `moe_layer_start_index` <= i <= `moe_layer_end_index` (absent or -1: the last "
         "layer) and (i + 1) is a multiple of `moe_layer_interval`; otherwise `mlp`.",
         "ConfigDefaults.sparseInRange",
         {{"layers", "dims.layers"}, {"start", "config.moe_layer_start_index"}, {"end", "config.moe_layer_end_index"},
          {"interval", "config.moe_layer_interval"}}},
        {"dense_first_then_every_nth", "layer_kinds",
         "layer i is `experts` when i >= `first_k_dense_replace` and i (counting from 0) is a multiple of "
         "`moe_layer_freq`; otherwise `mlp`.",
         "ConfigDefaults.denseFirstThenEveryNth",
         {{"layers", "dims.layers"}, {"denseLayers", "config.first_k_dense_replace"},
          {"frequency", "config.moe_layer_freq"}}},
        {"shared_experts_width", "int",
         "the width of `n_shared_experts` experts side by side: `experts.intermediate` times `n_shared_experts`.",
         "ConfigDefaults.sharedExpertsWidth",
         {{"expertWidth", "experts.intermediate"}, {"sharedExperts", "config.n_shared_experts"}}},
        {"shared_experts_width_each", "int",
         "`num_shared_experts` shared experts side by side, each `moe_shared_expert_intermediate_size` wide "
         "(absent or 0: `experts.intermediate`).",
         "ConfigDefaults.sharedExpertsWidthEach",
         {{"expertWidth", "experts.intermediate"}, {"sharedWidth", "config.moe_shared_expert_intermediate_size"},
          {"sharedExperts", "config.num_shared_experts"}}},
        {"shared_experts_enabled", "bool",
         "`num_shared_experts` > 0 and `moe_router_enable_shared_expert`.",
         "ConfigDefaults.sharedExpertsEnabled",
         {{"sharedExperts", "config.num_shared_experts"}, {"enabled", "config.moe_router_enable_shared_expert"}}},
        {"layers_every_step", "int_list",
         "the layers `interleave_moe_layer_step` - 1, 2 `interleave_moe_layer_step` - 1, ...: every "
         "`interleave_moe_layer_step`-th layer, counting from 1.",
         "ConfigDefaults.layersEveryStep", {{"layers", "dims.layers"}, {"step", "config.interleave_moe_layer_step"}}},
        {"experts_on_listed_layers", "layer_kinds",
         "layer i is `experts` when `moe_layers` lists i, else `mlp`.",
         "ConfigDefaults.expertsOnListedLayers", {{"layers", "dims.layers"}, {"listed", "config.moe_layers"}}},
        {"chunked_where_rotated", "layer_types",
         "layer i is `chunked_attention` when `no_rope_layers` marks it 1 (it rotates) and "
         "`attention_chunk_size` is set, else `full_attention`.",
         "ConfigDefaults.chunkedWhereRotated",
         {{"ropeLayers", "config.no_rope_layers"}, {"chunkSize", "config.attention_chunk_size"}}},
        {"rotary_dim_fraction", "float",
         "the rotated fraction of each head from a rotated width: `rotary_dim` / `dims.head_dim`.",
         "ConfigDefaults.rotaryFraction", {{"rotaryDimensions", "config.rotary_dim"}, {"headDim", "dims.head_dim"}}},
        {"scale_over_sqrt_layers", "float",
         "`scale_depth` / sqrt(`dims.layers`): a residual multiplier that shrinks with depth.",
         "ConfigDefaults.scaleOverSqrtLayers", {{"scale", "config.scale_depth"}, {"layers", "dims.layers"}}},
        {"hidden_over_base", "float",
         "`dims.hidden` / `dim_model_base`: the width's ratio to the base width it was tuned at (a logit divisor).",
         "ConfigDefaults.hiddenOverBase", {{"hiddenSize", "dims.hidden"}, {"base", "config.dim_model_base"}}},
        {"half_intermediate", "int",
         "`intermediate_size` / 2 (integer division): an MLP whose gate and up projections split the stated width.",
         "ConfigDefaults.halfIntermediate", {{"width", "config.intermediate_size"}}},
        {"ssd_width", "int",
         "`ssd.heads` times `ssd.head_dim`: the width of the head-wise state-space block, which some configs "
         "state (`mamba_d_ssm`).",
         "ConfigDefaults.ssdWidth", {{"heads", "ssd.heads"}, {"headDim", "ssd.head_dim"}}},
        {"latent_query_head_dim", "int",
         "`latent_attention.nope_head_dim` + `latent_attention.rope_head_dim`: the width of each query and key "
         "head of latent attention, which some configs state as `head_dim`.",
         "ConfigDefaults.latentQueryHeadDim",
         {{"noRoPE", "latent_attention.nope_head_dim"}, {"rotated", "latent_attention.rope_head_dim"}}},
        {"intermediate_times_shared", "int_per_layer",
         "`dims.intermediate` times `num_shared_expert` (one for all layers, or per layer): a shared MLP as wide "
         "as that many dense MLPs.",
         "ConfigDefaults.intermediateTimesShared",
         {{"width", "dims.intermediate"}, {"shared", "config.num_shared_expert"}}},
        {"intermediate_every_layer", "int_per_layer",
         "`dims.intermediate` for every layer: a per-layer width that defaults to the dense one.",
         "ConfigDefaults.everyLayer", {{"value", "dims.intermediate"}}},
        {"experts_unless_single", "layer_kinds",
         "every layer `experts` when there is more than one expert (`experts.count` > 1), else every layer `mlp`.",
         "ConfigDefaults.expertsUnlessSingle", {{"layers", "dims.layers"}, {"experts", "experts.count"}}},
        {"rope_except_every_nth", "int_list",
         "1 (rotate) for every layer except when (i + 1) is a multiple of `no_rope_layer_interval`, 0 there.",
         "ConfigDefaults.ropeExceptEveryNth", {{"layers", "dims.layers"}, {"interval", "config.no_rope_layer_interval"}}},
        {"rope_on_sliding_when_windowed", "int_list",
         "with `sliding_window` set (not null), 1 (rotate) on the `sliding_attention` layers of "
         "`attention.sliding.layer_types` and 0 (no position embedding) on the others; without it, 1 on every layer.",
         "ConfigDefaults.ropeOnSlidingWhenWindowed",
         {{"layerTypes", "attention.sliding.layer_types"}, {"window", "config.sliding_window"}}},
        {"rope_on_sliding", "int_list",
         "1 (rotate) on the `sliding_attention` layers of `attention.sliding.layer_types` and 0 (no position "
         "embedding) on the others, whether or not a window is set.",
         "ConfigDefaults.ropeOnSliding", {{"layerTypes", "attention.sliding.layer_types"}}},
        {"legacy_gelu_as_tanh", "activation",
         "the activation `hidden_act` names, except `gelu`, which becomes `gelu_pytorch_tanh` (configs "
         "released with `gelu` meant the tanh approximation, and transformers reads them so).",
         "ConfigDefaults.legacyGeluAsTanh", {{"named", "config.hidden_act"}}},
        {"last_layer_full", "layer_types",
         "`layer_types` with its last layer `full_attention`, whatever the config says of it.",
         "ConfigDefaults.lastLayerFull", {{"layerTypes", "config.layer_types"}}},
        {"head_dim_by_layer_type", "int_per_layer",
         "with `per_layer_config` present, each layer's `head_dim` there, else `dims.head_dim`; without it, "
         "`global_head_dim` on `full_attention` layers and `dims.head_dim` on the others.",
         "ConfigDefaults.headDimByLayerType",
         {{"headDim", "dims.head_dim"}, {"globalHeadDim", "config.global_head_dim"},
          {"layerTypes", "attention.sliding.layer_types"}, {"overrides", "config.per_layer_config"}}},
        {"kv_heads_by_layer_type", "int_per_layer",
         "with `per_layer_config` present, each layer's `num_key_value_heads` there, else `dims.kv_heads`; "
         "without it, `num_global_key_value_heads` on `full_attention` layers when "
         "`attention.values_from_keys` holds and it is set, else `dims.kv_heads`.",
         "ConfigDefaults.kvHeadsByLayerType",
         {{"kvHeads", "dims.kv_heads"}, {"globalKVHeads", "config.num_global_key_value_heads"},
          {"valuesFromKeys", "attention.values_from_keys"}, {"layerTypes", "attention.sliding.layer_types"},
          {"overrides", "config.per_layer_config"}}},
        {"doubled_on_shared_kv_layers", "int_per_layer",
         "`dims.intermediate` on every layer, twice it on the layers that share keys and values "
         "(`attention.kv_sharing.shared_layers`) when `use_double_wide_mlp` holds.",
         "ConfigDefaults.doubledOnSharedKVLayers",
         {{"width", "dims.intermediate"}, {"doubled", "config.use_double_wide_mlp"},
          {"sharedLayers", "attention.kv_sharing.shared_layers"}, {"layers", "dims.layers"}}},
    };
    return list;
}

const std::vector<DimRole>& dim_roles() {
    static const std::vector<DimRole> roles = {
        {"hidden", "hiddenSize", "hidden width"},
        {"layers", "hiddenLayers", "number of layers"},
        {"heads", "attentionHeads", "query heads"},
        {"kv_heads", "kvHeads", "key/value heads"},
        {"head_dim", "headDim", "head width"},
        {"intermediate", "intermediateSize", "MLP width"},
        {"vocab", "vocabularySize", "vocabulary size"},
    };
    return roles;
}

const std::vector<Policy>& policies() {
    static const std::vector<Policy> list = {
        {"ignored", "The key is read by nobody, because the model's output does not depend on it "
                    "(tools/probe_config_keys.py shows transformers' logits unchanged); `why` says why."},
        {"refuse", "A checkpoint that sets the key (to anything but null) is refused with `why`."},
        {"expect", "Only the listed `values` (or null) are accepted; any other value is refused with `why`."},
    };
    return list;
}

const std::vector<std::string>& inert_config_keys() {
    // tools/probe_config_keys.py shows each leaves transformers' logits unchanged.
    static const std::vector<std::string> keys = {
        "_name_or_path", "architectures", "attention_dropout", "auto_map", "bos_token_id", "embd_pdrop",
        "embedding_dropout", "eos_token_id", "initializer_range", "pad_token_id", "resid_pdrop",
        "residual_dropout", "transformers_version", "use_cache",
    };
    return keys;
}

const std::vector<std::string>& loader_config_keys() {
    static const std::vector<std::string> keys = {"dtype", "torch_dtype", "quantization", "quantization_config"};
    return keys;
}

const KeySpec& root() {
    static const KeySpec r = build_root();
    return r;
}

const std::vector<std::string>& activation_names() {
    static const std::vector<std::string> names = {"gelu", "gelu_fast", "gelu_new", "gelu_pytorch_tanh",
                                                   "relu", "relu2", "silu", "swish", "gelu_python"};
    return names;
}

const ConfigType* find_config_type(const std::string& name) {
    for (const auto& t : config_types()) {
        if (t.name == name) return &t;
    }
    return nullptr;
}

const Derivation* find_derivation(const std::string& name) {
    for (const auto& d : derivations()) {
        if (d.name == name) return &d;
    }
    return nullptr;
}

const DimRole* find_dim_role(const std::string& role) {
    for (const auto& r : dim_roles()) {
        if (r.role == role) return &r;
    }
    return nullptr;
}

const KeySpec* find_key(const std::string& dotted) {
    const KeySpec* spec = &root();
    size_t start = 0;
    while (start <= dotted.size()) {
        size_t dot = dotted.find('.', start);
        std::string part = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        spec = spec->child(part);
        if (!spec) return nullptr;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return spec;
}

std::string type_name(const KeySpec& spec) {
    switch (spec.type) {
        case Type::Map: return "mapping";
        case Type::EntryMap: return "mapping of config keys";
        case Type::Bool: return "boolean";
        case Type::Int: return "integer";
        case Type::Number: return "number";
        case Type::String: return "string";
        case Type::Identifier: return "lower_snake_case identifier";
        case Type::TypeName: return "UpperCamelCase identifier";
        case Type::Enum: return "one of the listed values";
        case Type::EnumList: return "list of the listed values";
        case Type::StringList: return "list of strings";
        case Type::Flag: return "true, false, or a bool config field";
        case Type::Field: {
            std::string types = spec.field_type;
            for (size_t at = types.find('|'); at != std::string::npos; at = types.find('|', at)) types.replace(at, 1, " or ");
            return "config field (" + types + ")";
        }
        case Type::Default: return "default value";
        case Type::Scalars: return "list of scalars";
        case Type::ScalarMap: return "mapping of names to scalars";
    }
    return "value";
}

namespace {
size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}
}  // namespace

std::optional<std::string> suggest(const std::string& word, const std::vector<std::string>& candidates) {
    std::optional<std::string> best;
    size_t best_distance = 0;
    for (const auto& c : candidates) {
        size_t d = edit_distance(word, c);
        if (!best || d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    // A suggestion must be close relative to the word, or it only adds noise.
    size_t limit = std::max<size_t>(2, word.size() / 3);
    if (best && best_distance <= limit) return best;
    return std::nullopt;
}

}  // namespace hf2swift::vocab
