// JSON form of the intermediate model, in declaration order, for `hf2swift ir` and for rendering.
#include "swift_ir.h"

#include <atomic>
#include <type_traits>

namespace hf2swift::ir {

using nlohmann::ordered_json;

namespace {

/// How many members a record of each type has had at most; views reserve that many up front.
template <typename Record>
std::atomic<size_t> members_seen{0};

/// Appends a member to the record `j` is becoming. A record's field names are distinct, so no search
/// is needed. Growing a view's member list copies every member made so far (ordered_json's members
/// have const keys, so they cannot move), which made building views a fifth of a run: each record
/// reserves as many members as its type has had before.
template <typename Record, typename T>
void ir_set(ordered_json& j, const char* name, const T& value) {
    if (j.is_null()) {
        j = ordered_json::object();
        j.get_ref<ordered_json::object_t&>().reserve(members_seen<Record>.load(std::memory_order_relaxed));
    }
    auto& members = j.get_ref<ordered_json::object_t&>();
    members.emplace_back(name, value);
    if (members.size() > members_seen<Record>.load(std::memory_order_relaxed)) {
        members_seen<Record>.store(members.size(), std::memory_order_relaxed);
    }
}

}  // namespace

#define IR_SET(field) ir_set<std::decay_t<decltype(v)>>(j, #field, v.field);

void to_json(ordered_json& j, const Argument& v) {
    IR_SET(label) IR_SET(value) IR_SET(last)
}

void to_json(ordered_json& j, const Source& v) {
    IR_SET(path) IR_SET(family) IR_SET(last)
}

void to_json(ordered_json& j, const ModelType& v) {
    IR_SET(name) IR_SET(last)
}

void to_json(ordered_json& j, const TypeNames& v) {
    IR_SET(configuration) IR_SET(attention) IR_SET(mlp) IR_SET(experts) IR_SET(decoder_layer) IR_SET(model_inner) IR_SET(model)
}

void to_json(ordered_json& j, const ConfigField& v) {
    IR_SET(swift_name) IR_SET(json_key) IR_SET(swift_type) IR_SET(decoded_type) IR_SET(doc) IR_SET(has_doc)
    IR_SET(read) IR_SET(required) IR_SET(optional) IR_SET(has_default) IR_SET(has_fallback)
    IR_SET(fallback_field) IR_SET(fallback_member) IR_SET(default_is_literal) IR_SET(literal)
    IR_SET(default_is_field) IR_SET(source_field) IR_SET(default_is_derived) IR_SET(derive_function)
    IR_SET(derive_arguments) IR_SET(derive_lines) IR_SET(derive_lines_nested) IR_SET(single_line) IR_SET(missing_throws) IR_SET(assigned) IR_SET(fallback_only) IR_SET(fallback_path)
}

void to_json(ordered_json& j, const Declaration& v) {
    IR_SET(swift_name) IR_SET(swift_type) IR_SET(doc) IR_SET(has_doc)
}

void to_json(ordered_json& j, const CodingKey& v) {
    IR_SET(swift_name) IR_SET(json_key) IR_SET(literal)
}

void to_json(ordered_json& j, const KeyCheck& v) {
    IR_SET(swift_name) IR_SET(json_key) IR_SET(why) IR_SET(refuse) IR_SET(expect) IR_SET(computed) IR_SET(values) IR_SET(value_type)
}

void to_json(ordered_json& j, const IgnoredKey& v) {
    IR_SET(json_key) IR_SET(why)
}

void to_json(ordered_json& j, const SizeCheck& v) {
    IR_SET(key) IR_SET(swift_name) IR_SET(limit)
}

void to_json(ordered_json& j, const PositiveCheck& v) {
    IR_SET(key) IR_SET(swift_name)
}

void to_json(ordered_json& j, const RoutingCheck& v) {
    IR_SET(condition) IR_SET(experts) IR_SET(per_token) IR_SET(groups) IR_SET(selected_groups)
}

void to_json(ordered_json& j, const RoPEScalingKind& v) {
    IR_SET(swift_case) IR_SET(last)
}

void to_json(ordered_json& j, const RequiredWhen& v) {
    IR_SET(key) IR_SET(swift_name) IR_SET(flag) IR_SET(flag_key)
}

void to_json(ordered_json& j, const ScheduleCheck& v) {
    IR_SET(key) IR_SET(swift_name) IR_SET(kinds)
}

void to_json(ordered_json& j, const Configuration& v) {
    IR_SET(declarations) IR_SET(fields) IR_SET(coding_keys) IR_SET(checks) IR_SET(has_checks) IR_SET(ignored) IR_SET(has_ignored)
    IR_SET(validates_rope_scaling) IR_SET(rope_scaling_field) IR_SET(rope_scaling_key) IR_SET(rope_scaling_kinds)
    IR_SET(rope_scaling_none_supported) IR_SET(rope_scaling_has_original) IR_SET(rope_scaling_original_field)
    IR_SET(rope_scaling_mscales)
    IR_SET(rotary_dimensions) IR_SET(rotary_overridden)
    IR_SET(validates_normalized_head) IR_SET(normalized_head_condition) IR_SET(normalized_head_key)
    IR_SET(validates_rope_parameters) IR_SET(rope_parameters_field) IR_SET(rope_parameters_per_layer_type)
    IR_SET(rope_parameters_partial)
    IR_SET(validates_sliding) IR_SET(layer_types_field) IR_SET(window_field)
    IR_SET(validates_chunked) IR_SET(chunk_layer_types_field) IR_SET(chunk_size_field)
    IR_SET(validates_rope_layers) IR_SET(rope_layers_field) IR_SET(per_layer_int_fields) IR_SET(per_layer_list_fields)
    IR_SET(schedule_checks)
    IR_SET(size_checks) IR_SET(heads_field) IR_SET(kv_heads_field) IR_SET(positive_checks) IR_SET(routing_checks)
    IR_SET(validates_kv_sharing) IR_SET(kv_sharing_field)
    IR_SET(validates_cross_layer) IR_SET(cross_layer_group_field) IR_SET(cross_layer_enabled)
    IR_SET(per_layer_override_fields) IR_SET(validates_layer_kv_heads) IR_SET(layer_kv_heads_field) IR_SET(required_when)
}

void to_json(ordered_json& j, const RoPE& v) {
    IR_SET(traditional) IR_SET(base) IR_SET(scaling) IR_SET(max_positions) IR_SET(original_max_positions)
    IR_SET(partial) IR_SET(fraction) IR_SET(overridden) IR_SET(dimensions) IR_SET(longrope_variant) IR_SET(longrope_options)
}

void to_json(ordered_json& j, const Attention& v) {
    IR_SET(block_key) IR_SET(q_key) IR_SET(k_key) IR_SET(v_key) IR_SET(qkv_key) IR_SET(o_key)
    IR_SET(fused_qkv) IR_SET(per_layer) IR_SET(scale_head_dim) IR_SET(scale_from_field) IR_SET(scale_field)
    IR_SET(scale_one) IR_SET(local_rope) IR_SET(local_base)
    IR_SET(nope_layers) IR_SET(rope_layers) IR_SET(qkv_bias) IR_SET(o_bias) IR_SET(qk_norm) IR_SET(qk_norm_per_head) IR_SET(qk_norm_whole)
    IR_SET(q_norm_dimensions) IR_SET(k_norm_dimensions) IR_SET(qk_norm_per_head_after_rope) IR_SET(q_norm_key) IR_SET(k_norm_key)
    IR_SET(qk_norm_switched) IR_SET(qk_norm_enabled) IR_SET(qk_norm_switched_per_head) IR_SET(qk_norm_switched_whole)
    IR_SET(scale_field_value) IR_SET(sinks) IR_SET(v_norm) IR_SET(clip_qkv) IR_SET(clip_limit) IR_SET(kv_sharing)
    IR_SET(shared_layers) IR_SET(full_precision_cache) IR_SET(cross_layer) IR_SET(cross_layer_enabled) IR_SET(cross_layer_group) IR_SET(rope) IR_SET(sliding) IR_SET(layer_types) IR_SET(window)
    IR_SET(query_position_scale) IR_SET(query_scale_beta) IR_SET(query_scale_original)
    IR_SET(query_scale_offset) IR_SET(query_scale_per_layer) IR_SET(query_scale_condition)
    IR_SET(qk_norm_after_rope) IR_SET(qk_norm_after_rope_condition) IR_SET(chunked) IR_SET(chunk_size)
    IR_SET(per_layer_shape) IR_SET(head_dim_init) IR_SET(kv_heads_init) IR_SET(head_dim) IR_SET(kv_heads)
    IR_SET(values_from_keys) IR_SET(values_from_keys_flag) IR_SET(keys_projection) IR_SET(values_projection)
}

void to_json(ordered_json& j, const MLP& v) {
    IR_SET(used) IR_SET(fused) IR_SET(plain) IR_SET(gate_key) IR_SET(up_key) IR_SET(down_key) IR_SET(bias)
    IR_SET(activation) IR_SET(configured_activation) IR_SET(activation_field) IR_SET(clamped) IR_SET(intermediate)
    IR_SET(per_layer) IR_SET(sized) IR_SET(sparse) IR_SET(sparsity)
}

void to_json(ordered_json& j, const Experts& v) {
    IR_SET(used) IR_SET(router_key) IR_SET(experts_key) IR_SET(shared_key) IR_SET(shared_gate_key)
    IR_SET(router_nested) IR_SET(router_layer_key) IR_SET(count)
    IR_SET(per_token) IR_SET(intermediate) IR_SET(bias) IR_SET(router_bias) IR_SET(clamped) IR_SET(top_k_first)
    IR_SET(weighted_inputs) IR_SET(sparse_mixer) IR_SET(jitter) IR_SET(scored) IR_SET(normalize) IR_SET(sigmoid)
    IR_SET(scores_configured) IR_SET(scores_field) IR_SET(cast_back)
    IR_SET(selection_bias) IR_SET(selection_bias_in_router) IR_SET(selection_bias_apart) IR_SET(selection_bias_beside)
    IR_SET(selection_bias_key) IR_SET(router_nested_biased) IR_SET(selection_bias_custom)
    IR_SET(selection_bias_parameter_key) IR_SET(router_holds_bias) IR_SET(float32_weights) IR_SET(weights_kind) IR_SET(floored) IR_SET(normalize_floor)
    IR_SET(per_layer) IR_SET(router_plain) IR_SET(router_type) IR_SET(grouped) IR_SET(groups)
    IR_SET(selected_groups)
    IR_SET(scaled) IR_SET(scale) IR_SET(routing_lines) IR_SET(shared) IR_SET(shared_gated) IR_SET(shared_intermediate)
    IR_SET(shared_optional) IR_SET(shared_enabled)
    IR_SET(activation) IR_SET(beside_mlp) IR_SET(beside_flag) IR_SET(per_expert_scale)
}

void to_json(ordered_json& j, const ScheduledKind& v) {
    IR_SET(name) IR_SET(type) IR_SET(per_layer) IR_SET(sized) IR_SET(width) IR_SET(last)
}

void to_json(ordered_json& j, const Layer& v) {
    IR_SET(feed_forward_key) IR_SET(feed_forward_type) IR_SET(feed_forward_scheduled) IR_SET(feed_forward_schedule) IR_SET(feed_forward_schedule_field)
    IR_SET(feed_forward_kinds)
    IR_SET(per_layer_inputs) IR_SET(extended_tail) IR_SET(residual_sum) IR_SET(result)
}

void to_json(ordered_json& j, const Norm& v) {
    IR_SET(type) IR_SET(eps) IR_SET(pre) IR_SET(post) IR_SET(sandwich) IR_SET(clip_residual) IR_SET(residual_scaled)
    IR_SET(residual_multiplier)
}

void to_json(ordered_json& j, const Embedding& v) {
    IR_SET(tokens_key) IR_SET(scaled) IR_SET(multiplied) IR_SET(multiplier) IR_SET(per_layer) IR_SET(per_layer_width) IR_SET(per_layer_vocabulary)
}

void to_json(ordered_json& j, const Residual& v) {
    IR_SET(altup) IR_SET(streams) IR_SET(active) IR_SET(correct_scale) IR_SET(laurel)
    IR_SET(laurel_rank) IR_SET(layer_scalar)
}

void to_json(ordered_json& j, const PrefixRename& v) {
    IR_SET(from) IR_SET(to) IR_SET(comma)
}

void to_json(ordered_json& j, const DispatchCase& v) {
    IR_SET(text_model_type) IR_SET(configuration) IR_SET(model) IR_SET(refused)
}

void to_json(ordered_json& j, const Head& v) {
    IR_SET(tie) IR_SET(tie_from_config) IR_SET(always_tied) IR_SET(never_tied)
    IR_SET(softcap) IR_SET(softcap_field) IR_SET(divided) IR_SET(divisor) IR_SET(plain)
    IR_SET(bias) IR_SET(normalized) IR_SET(normalized_condition)
}

void to_json(ordered_json& j, const DropPattern& v) {
    IR_SET(pattern) IR_SET(last) IR_SET(comma)
}

void to_json(ordered_json& j, const Sanitize& v) {
    IR_SET(drop) IR_SET(has_drop) IR_SET(split_gate_up) IR_SET(drop_extra_layers) IR_SET(split_concatenated_gate_up)
    IR_SET(steps_chain) IR_SET(rename) IR_SET(rename_parts) IR_SET(stack_experts) IR_SET(stack_from)
    IR_SET(stack_into) IR_SET(stack_names) IR_SET(split_fused_experts) IR_SET(fused_gate_up) IR_SET(fused_down)
    IR_SET(fused_into) IR_SET(fused_lines) IR_SET(split_stacked_gate_up) IR_SET(split_experts) IR_SET(split_into)
}

void to_json(ordered_json& j, const ModelFile& v) {
    IR_SET(family) IR_SET(swift_name) IR_SET(file_name) IR_SET(description) IR_SET(reference) IR_SET(sources)
    IR_SET(model_types) IR_SET(types) IR_SET(config) IR_SET(attention) IR_SET(mlp) IR_SET(experts) IR_SET(layer) IR_SET(norm) IR_SET(embedding)
    IR_SET(residual) IR_SET(head) IR_SET(per_layer_decoder)
    IR_SET(sanitize) IR_SET(wrappers) IR_SET(refused_model_types)
}

void to_json(ordered_json& j, const LiteralEntry& v) {
    IR_SET(key) IR_SET(value) IR_SET(comma)
}

void to_json(ordered_json& j, const RegistryEntry& v) {
    IR_SET(model_type) IR_SET(model_type_literal) IR_SET(family) IR_SET(configuration) IR_SET(model) IR_SET(comma) IR_SET(wrapped)
    IR_SET(from_top_level) IR_SET(defaults) IR_SET(has_from_top_level) IR_SET(has_defaults) IR_SET(dispatches) IR_SET(dispatch) IR_SET(default_configuration)
    IR_SET(default_model) IR_SET(default_refused) IR_SET(weight_prefixes) IR_SET(has_weight_prefixes)
    IR_SET(weight_drops) IR_SET(has_weight_drops)
}

void to_json(ordered_json& j, const RegistryFamily& v) {
    IR_SET(family) IR_SET(swift_name) IR_SET(file_name) IR_SET(description) IR_SET(model_types)
}

void to_json(ordered_json& j, const Registry& v) {
    IR_SET(entries) IR_SET(families) IR_SET(supported) IR_SET(refused) IR_SET(has_refused)
}

void to_json(ordered_json& j, const RefusedModelType& v) {
    IR_SET(model_type) IR_SET(model_type_literal) IR_SET(why) IR_SET(family)
}

void to_json(ordered_json& j, const Wrapper& v) {
    IR_SET(model_type) IR_SET(from_top_level) IR_SET(defaults) IR_SET(weight_prefixes) IR_SET(weight_drops)
    j["dispatch"] = ordered_json::object();
    for (const auto& [type, family] : v.dispatch) j["dispatch"][type] = family;
}

#undef IR_SET

}  // namespace hf2swift::ir
