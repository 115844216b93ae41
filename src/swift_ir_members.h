// Each record of the intermediate model as its list of named members: the one place the views built
// from it (the JSON of `hf2swift ir`, the mustache data templates render) learn its fields.
#pragma once

#include "swift_ir.h"

namespace hf2swift::ir {

#define IR_MEMBER(field) f(#field, v.field);

template <typename F>
void members(F& f, const Argument& v) {
    IR_MEMBER(label) IR_MEMBER(value) IR_MEMBER(last)
}

template <typename F>
void members(F& f, const Source& v) {
    IR_MEMBER(path) IR_MEMBER(family) IR_MEMBER(last)
}

template <typename F>
void members(F& f, const ModelType& v) {
    IR_MEMBER(name) IR_MEMBER(last)
}

template <typename F>
void members(F& f, const TypeNames& v) {
    IR_MEMBER(configuration) IR_MEMBER(attention) IR_MEMBER(mlp) IR_MEMBER(experts) IR_MEMBER(decoder_layer) IR_MEMBER(model_inner) IR_MEMBER(model)
}

template <typename F>
void members(F& f, const ConfigField& v) {
    IR_MEMBER(swift_name) IR_MEMBER(json_key) IR_MEMBER(swift_type) IR_MEMBER(decoded_type) IR_MEMBER(doc) IR_MEMBER(has_doc)
    IR_MEMBER(read) IR_MEMBER(required) IR_MEMBER(optional) IR_MEMBER(has_default) IR_MEMBER(has_fallback)
    IR_MEMBER(fallback_field) IR_MEMBER(fallback_member) IR_MEMBER(default_is_literal) IR_MEMBER(literal) IR_MEMBER(absent_default) IR_MEMBER(plain_read)
    IR_MEMBER(default_is_field) IR_MEMBER(source_field) IR_MEMBER(default_is_derived) IR_MEMBER(derive_function)
    IR_MEMBER(derive_arguments) IR_MEMBER(derive_lines) IR_MEMBER(derive_lines_nested) IR_MEMBER(single_line) IR_MEMBER(missing_throws) IR_MEMBER(assigned) IR_MEMBER(fallback_only) IR_MEMBER(fallback_path)
}

template <typename F>
void members(F& f, const Declaration& v) {
    IR_MEMBER(swift_name) IR_MEMBER(swift_type) IR_MEMBER(doc) IR_MEMBER(has_doc)
}

template <typename F>
void members(F& f, const CodingKey& v) {
    IR_MEMBER(swift_name) IR_MEMBER(json_key) IR_MEMBER(literal)
}

template <typename F>
void members(F& f, const KeyCheck& v) {
    IR_MEMBER(swift_name) IR_MEMBER(json_key) IR_MEMBER(why) IR_MEMBER(refuse) IR_MEMBER(expect) IR_MEMBER(computed) IR_MEMBER(values) IR_MEMBER(value_type)
}

template <typename F>
void members(F& f, const IgnoredKey& v) {
    IR_MEMBER(json_key) IR_MEMBER(why)
}

template <typename F>
void members(F& f, const SizeCheck& v) {
    IR_MEMBER(key) IR_MEMBER(swift_name) IR_MEMBER(limit)
}

template <typename F>
void members(F& f, const PositiveCheck& v) {
    IR_MEMBER(key) IR_MEMBER(swift_name)
}

template <typename F>
void members(F& f, const RoutingCheck& v) {
    IR_MEMBER(condition) IR_MEMBER(experts) IR_MEMBER(per_token) IR_MEMBER(groups) IR_MEMBER(selected_groups)
}

template <typename F>
void members(F& f, const RoPEScalingKind& v) {
    IR_MEMBER(swift_case) IR_MEMBER(last)
}

template <typename F>
void members(F& f, const RequiredWhen& v) {
    IR_MEMBER(key) IR_MEMBER(swift_name) IR_MEMBER(flag) IR_MEMBER(flag_key)
}

template <typename F>
void members(F& f, const ScheduleCheck& v) {
    IR_MEMBER(key) IR_MEMBER(swift_name) IR_MEMBER(kinds) IR_MEMBER(lines)
}

template <typename F>
void members(F& f, const Configuration& v) {
    IR_MEMBER(declarations) IR_MEMBER(fields) IR_MEMBER(coding_keys) IR_MEMBER(checks) IR_MEMBER(has_checks) IR_MEMBER(ignored) IR_MEMBER(has_ignored)
    IR_MEMBER(validates_rope_scaling) IR_MEMBER(rope_scaling_field) IR_MEMBER(rope_scaling_key) IR_MEMBER(rope_scaling_kinds)
    IR_MEMBER(rope_scaling_none_supported) IR_MEMBER(rope_scaling_has_original) IR_MEMBER(rope_scaling_original_field)
    IR_MEMBER(rope_scaling_mscales) IR_MEMBER(rope_ntk_alpha)
    IR_MEMBER(rotary_dimensions) IR_MEMBER(rotary_overridden)
    IR_MEMBER(validates_normalized_head) IR_MEMBER(normalized_head_condition) IR_MEMBER(normalized_head_key)
    IR_MEMBER(validates_rope_parameters) IR_MEMBER(rope_parameters_field) IR_MEMBER(rope_parameters_per_layer_type)
    IR_MEMBER(rope_parameters_partial)
    IR_MEMBER(validates_sliding) IR_MEMBER(layer_types_field) IR_MEMBER(window_field)
    IR_MEMBER(validates_chunked) IR_MEMBER(chunk_layer_types_field) IR_MEMBER(chunk_size_field)
    IR_MEMBER(validates_rope_layers) IR_MEMBER(rope_layers_field) IR_MEMBER(per_layer_int_fields) IR_MEMBER(per_layer_list_fields)
    IR_MEMBER(schedule_checks)
    IR_MEMBER(size_checks) IR_MEMBER(heads_field) IR_MEMBER(kv_heads_field) IR_MEMBER(positive_checks) IR_MEMBER(routing_checks)
    IR_MEMBER(validates_kv_sharing) IR_MEMBER(kv_sharing_field)
    IR_MEMBER(validates_cross_layer) IR_MEMBER(cross_layer_group_field) IR_MEMBER(cross_layer_enabled)
    IR_MEMBER(per_layer_override_fields) IR_MEMBER(validates_layer_kv_heads) IR_MEMBER(layer_kv_heads_field) IR_MEMBER(required_when)
    IR_MEMBER(validates_zeroed_row) IR_MEMBER(zeroed_row_field) IR_MEMBER(zeroed_row_json) IR_MEMBER(vocabulary_field)
}

template <typename F>
void members(F& f, const RoPE& v) {
    IR_MEMBER(traditional) IR_MEMBER(base) IR_MEMBER(scaling) IR_MEMBER(max_positions) IR_MEMBER(original_max_positions)
    IR_MEMBER(partial) IR_MEMBER(fraction) IR_MEMBER(overridden) IR_MEMBER(stated) IR_MEMBER(dimensions) IR_MEMBER(longrope_variant) IR_MEMBER(longrope_options)
    IR_MEMBER(ntk_alpha)
}

template <typename F>
void members(F& f, const Attention& v) {
    IR_MEMBER(block_key) IR_MEMBER(q_key) IR_MEMBER(k_key) IR_MEMBER(v_key) IR_MEMBER(qkv_key) IR_MEMBER(o_key)
    IR_MEMBER(fused_qkv) IR_MEMBER(fused_qkv_grouped) IR_MEMBER(per_layer) IR_MEMBER(scale_head_dim) IR_MEMBER(scale_from_field) IR_MEMBER(scale_field)
    IR_MEMBER(scale_one) IR_MEMBER(scale_switched) IR_MEMBER(scaled_flag) IR_MEMBER(rope_absent) IR_MEMBER(local_rope) IR_MEMBER(local_base)
    IR_MEMBER(nope_layers) IR_MEMBER(rope_layers) IR_MEMBER(qkv_bias) IR_MEMBER(o_bias) IR_MEMBER(qk_norm) IR_MEMBER(qk_norm_per_head) IR_MEMBER(qk_norm_whole)
    IR_MEMBER(qk_norm_type) IR_MEMBER(q_norm_arguments) IR_MEMBER(k_norm_arguments) IR_MEMBER(qk_norm_per_head_after_rope) IR_MEMBER(q_norm_key) IR_MEMBER(k_norm_key)
    IR_MEMBER(qk_norm_switched) IR_MEMBER(qk_norm_enabled) IR_MEMBER(qk_norm_switched_per_head) IR_MEMBER(qk_norm_switched_whole)
    IR_MEMBER(scale_field_value) IR_MEMBER(sinks) IR_MEMBER(softcap) IR_MEMBER(softcap_field) IR_MEMBER(v_norm) IR_MEMBER(output_gate) IR_MEMBER(clip_qkv) IR_MEMBER(clip_limit) IR_MEMBER(kv_sharing)
    IR_MEMBER(shared_layers) IR_MEMBER(full_precision_cache) IR_MEMBER(cross_layer) IR_MEMBER(cross_layer_enabled) IR_MEMBER(cross_layer_group) IR_MEMBER(rope) IR_MEMBER(sliding) IR_MEMBER(layer_types) IR_MEMBER(window)
    IR_MEMBER(query_position_scale) IR_MEMBER(query_scale_beta) IR_MEMBER(query_scale_original)
    IR_MEMBER(query_scale_offset) IR_MEMBER(query_scale_per_layer) IR_MEMBER(query_scale_condition)
    IR_MEMBER(qk_norm_after_rope) IR_MEMBER(qk_norm_after_rope_condition) IR_MEMBER(chunked) IR_MEMBER(chunk_size)
    IR_MEMBER(per_layer_shape) IR_MEMBER(head_dim_init) IR_MEMBER(kv_heads_init) IR_MEMBER(head_dim) IR_MEMBER(kv_heads)
    IR_MEMBER(values_from_keys) IR_MEMBER(values_from_keys_flag) IR_MEMBER(keys_projection) IR_MEMBER(values_projection)
}

template <typename F>
void members(F& f, const LatentAttention& v) {
    IR_MEMBER(used) IR_MEMBER(low_rank_queries) IR_MEMBER(query_rank) IR_MEMBER(latent_rank)
    IR_MEMBER(nope_head_dim) IR_MEMBER(rope_head_dim) IR_MEMBER(value_head_dim) IR_MEMBER(bias)
    IR_MEMBER(query_rank_check) IR_MEMBER(latent_rank_check) IR_MEMBER(nope_head_dim_check) IR_MEMBER(rope_head_dim_check)
    IR_MEMBER(value_head_dim_check)
}

template <typename F>
void members(F& f, const ShortConv& v) {
    IR_MEMBER(used) IR_MEMBER(type) IR_MEMBER(block_key) IR_MEMBER(kernel) IR_MEMBER(bias)
}

template <typename F>
void members(F& f, const SelectiveSSM& v) {
    IR_MEMBER(used) IR_MEMBER(type) IR_MEMBER(block_key) IR_MEMBER(inner) IR_MEMBER(state) IR_MEMBER(time_step_rank)
    IR_MEMBER(kernel) IR_MEMBER(bias) IR_MEMBER(conv_bias) IR_MEMBER(normed) IR_MEMBER(norm_enabled) IR_MEMBER(norm_eps)
    IR_MEMBER(norm_weighted)
}

template <typename F>
void members(F& f, const SSD& v) {
    IR_MEMBER(used) IR_MEMBER(type) IR_MEMBER(block_key) IR_MEMBER(heads) IR_MEMBER(head_dim) IR_MEMBER(state)
    IR_MEMBER(groups) IR_MEMBER(kernel) IR_MEMBER(norm_eps) IR_MEMBER(time_step_limit) IR_MEMBER(bias) IR_MEMBER(out_bias)
    IR_MEMBER(conv_bias) IR_MEMBER(norm_switched) IR_MEMBER(gated_norm) IR_MEMBER(norm_before_gate) IR_MEMBER(norm_before_gate_argument)
    IR_MEMBER(heads_check) IR_MEMBER(groups_check)
}

template <typename F>
void members(F& f, const MuP& v) {
    IR_MEMBER(used) IR_MEMBER(embedding) IR_MEMBER(head) IR_MEMBER(attention_in) IR_MEMBER(key) IR_MEMBER(attention_out)
    IR_MEMBER(ssd_in) IR_MEMBER(ssd_out) IR_MEMBER(ssd_segments) IR_MEMBER(mlp) IR_MEMBER(segments_check) IR_MEMBER(mlp_check)
}

template <typename F>
void members(F& f, const GatedDelta& v) {
    IR_MEMBER(used) IR_MEMBER(type) IR_MEMBER(block_key) IR_MEMBER(key_heads) IR_MEMBER(value_heads)
    IR_MEMBER(key_head_dim) IR_MEMBER(value_head_dim) IR_MEMBER(kernel) IR_MEMBER(separate) IR_MEMBER(key_heads_field)
    IR_MEMBER(value_heads_field) IR_MEMBER(value_heads_key)
}

template <typename F>
void members(F& f, const MLP& v) {
    IR_MEMBER(used) IR_MEMBER(fused) IR_MEMBER(plain) IR_MEMBER(gate_key) IR_MEMBER(up_key) IR_MEMBER(down_key) IR_MEMBER(bias)
    IR_MEMBER(activation) IR_MEMBER(configured_activation) IR_MEMBER(activation_field) IR_MEMBER(clamped) IR_MEMBER(intermediate)
    IR_MEMBER(per_layer) IR_MEMBER(sized) IR_MEMBER(sparse) IR_MEMBER(sparsity) IR_MEMBER(learned_activation)
}

template <typename F>
void members(F& f, const Experts& v) {
    IR_MEMBER(used) IR_MEMBER(router_key) IR_MEMBER(experts_key) IR_MEMBER(shared_key) IR_MEMBER(shared_gate_key)
    IR_MEMBER(router_nested) IR_MEMBER(router_layer_key) IR_MEMBER(count)
    IR_MEMBER(per_token) IR_MEMBER(intermediate) IR_MEMBER(bias) IR_MEMBER(router_bias) IR_MEMBER(clamped) IR_MEMBER(top_k_first)
    IR_MEMBER(weighted_inputs) IR_MEMBER(sparse_mixer) IR_MEMBER(jitter) IR_MEMBER(scored) IR_MEMBER(normalize) IR_MEMBER(sigmoid)
    IR_MEMBER(scores_configured) IR_MEMBER(scores_field) IR_MEMBER(cast_back)
    IR_MEMBER(selection_bias) IR_MEMBER(selection_bias_in_router) IR_MEMBER(selection_bias_apart) IR_MEMBER(selection_bias_beside)
    IR_MEMBER(selection_bias_key) IR_MEMBER(router_nested_biased) IR_MEMBER(selection_bias_custom)
    IR_MEMBER(selection_bias_parameter_key) IR_MEMBER(router_holds_bias) IR_MEMBER(float32_weights) IR_MEMBER(weights_kind) IR_MEMBER(floored) IR_MEMBER(normalize_floor)
    IR_MEMBER(per_layer) IR_MEMBER(router_plain) IR_MEMBER(router_type) IR_MEMBER(grouped) IR_MEMBER(groups)
    IR_MEMBER(selected_groups)
    IR_MEMBER(scaled) IR_MEMBER(scale) IR_MEMBER(routing_lines) IR_MEMBER(shared) IR_MEMBER(shared_gated) IR_MEMBER(shared_intermediate)
    IR_MEMBER(shared_optional) IR_MEMBER(shared_enabled) IR_MEMBER(routed_optional)
    IR_MEMBER(activation) IR_MEMBER(switch_glu) IR_MEMBER(custom_activation) IR_MEMBER(glu_type)
    IR_MEMBER(beside_mlp) IR_MEMBER(beside_flag) IR_MEMBER(per_expert_scale)
    IR_MEMBER(ungated) IR_MEMBER(ungated_activation) IR_MEMBER(input_width) IR_MEMBER(latent) IR_MEMBER(latent_width)
    IR_MEMBER(latent_bias)
}

template <typename F>
void members(F& f, const ScheduledKind& v) {
    IR_MEMBER(name) IR_MEMBER(type) IR_MEMBER(per_layer) IR_MEMBER(sized) IR_MEMBER(width) IR_MEMBER(last)
}

template <typename F>
void members(F& f, const ScheduledMixer& v) {
    IR_MEMBER(name) IR_MEMBER(property) IR_MEMBER(key) IR_MEMBER(type) IR_MEMBER(per_layer) IR_MEMBER(cache) IR_MEMBER(separator) IR_MEMBER(last)
}

template <typename F>
void members(F& f, const Layer& v) {
    IR_MEMBER(feed_forward_key) IR_MEMBER(feed_forward_type) IR_MEMBER(feed_forward_scheduled) IR_MEMBER(feed_forward_listed) IR_MEMBER(feed_forward_schedule) IR_MEMBER(feed_forward_schedule_field)
    IR_MEMBER(feed_forward_kinds)
    IR_MEMBER(per_layer_inputs) IR_MEMBER(extended_tail) IR_MEMBER(residual_sum) IR_MEMBER(result)
    IR_MEMBER(mixer_input) IR_MEMBER(feed_forward_input)
    IR_MEMBER(mixer_call) IR_MEMBER(mixed) IR_MEMBER(mixer_schedule) IR_MEMBER(mixers) IR_MEMBER(mixer_caches)
    IR_MEMBER(feed_forward) IR_MEMBER(attends) IR_MEMBER(single_block) IR_MEMBER(summed) IR_MEMBER(block_key) IR_MEMBER(mixer_schedule_field) IR_MEMBER(mixer_schedule_key)
}

template <typename F>
void members(F& f, const Norm& v) {
    IR_MEMBER(type) IR_MEMBER(eps) IR_MEMBER(bias_argument) IR_MEMBER(pre) IR_MEMBER(post) IR_MEMBER(sandwich) IR_MEMBER(clip_residual)
    IR_MEMBER(residual_scaled) IR_MEMBER(residual_multiplier) IR_MEMBER(input_key) IR_MEMBER(post_attention_key)
    IR_MEMBER(pre_feedforward_key) IR_MEMBER(post_feedforward_key)
}

template <typename F>
void members(F& f, const Embedding& v) {
    IR_MEMBER(tokens_key) IR_MEMBER(scaled) IR_MEMBER(multiplied) IR_MEMBER(multiplier) IR_MEMBER(per_layer) IR_MEMBER(per_layer_width) IR_MEMBER(per_layer_vocabulary)
    IR_MEMBER(positions) IR_MEMBER(positions_key) IR_MEMBER(positions_table) IR_MEMBER(zeroed_row)
    IR_MEMBER(zeroed_row_token) IR_MEMBER(zeroed_row_key)
}

template <typename F>
void members(F& f, const Residual& v) {
    IR_MEMBER(altup) IR_MEMBER(streams) IR_MEMBER(active) IR_MEMBER(correct_scale) IR_MEMBER(laurel)
    IR_MEMBER(laurel_rank) IR_MEMBER(layer_scalar) IR_MEMBER(parallel)
    IR_MEMBER(parallel_always) IR_MEMBER(parallel_switched) IR_MEMBER(parallel_flag)
    IR_MEMBER(parallel_own_norms) IR_MEMBER(parallel_own_norms_switched) IR_MEMBER(float32)
    IR_MEMBER(float32_always) IR_MEMBER(float32_switched) IR_MEMBER(float32_flag)
}

template <typename F>
void members(F& f, const PrefixRename& v) {
    IR_MEMBER(from) IR_MEMBER(to) IR_MEMBER(comma)
}

template <typename F>
void members(F& f, const DispatchCase& v) {
    IR_MEMBER(text_model_type) IR_MEMBER(configuration) IR_MEMBER(model) IR_MEMBER(refused)
}

template <typename F>
void members(F& f, const Head& v) {
    IR_MEMBER(tie) IR_MEMBER(tie_from_config) IR_MEMBER(always_tied) IR_MEMBER(never_tied)
    IR_MEMBER(softcap) IR_MEMBER(softcap_always) IR_MEMBER(softcap_field) IR_MEMBER(divided) IR_MEMBER(divisor) IR_MEMBER(multiplied) IR_MEMBER(multiplier) IR_MEMBER(plain)
    IR_MEMBER(bias) IR_MEMBER(normalized) IR_MEMBER(normalized_condition)
}

template <typename F>
void members(F& f, const DropPattern& v) {
    IR_MEMBER(pattern) IR_MEMBER(last) IR_MEMBER(comma)
}

template <typename F>
void members(F& f, const Sanitize& v) {
    IR_MEMBER(drop) IR_MEMBER(has_drop) IR_MEMBER(transpose) IR_MEMBER(has_transpose) IR_MEMBER(split_gate_up) IR_MEMBER(drop_extra_layers) IR_MEMBER(split_concatenated_gate_up)
    IR_MEMBER(steps_chain) IR_MEMBER(rename) IR_MEMBER(rename_parts) IR_MEMBER(rename_one_line) IR_MEMBER(rename_entries) IR_MEMBER(stack_experts) IR_MEMBER(stack_from)
    IR_MEMBER(stack_into) IR_MEMBER(stack_names) IR_MEMBER(split_fused_experts) IR_MEMBER(fused_gate_up) IR_MEMBER(fused_down)
    IR_MEMBER(fused_into) IR_MEMBER(fused_lines) IR_MEMBER(split_stacked_gate_up) IR_MEMBER(fuse_gate_up) IR_MEMBER(split_experts) IR_MEMBER(split_into)
    IR_MEMBER(shape_learned_activations) IR_MEMBER(converted_norms) IR_MEMBER(converted_marker) IR_MEMBER(converted_suffixes)
}

template <typename F>
void members(F& f, const ModelFile& v) {
    IR_MEMBER(family) IR_MEMBER(swift_name) IR_MEMBER(file_name) IR_MEMBER(description) IR_MEMBER(reference) IR_MEMBER(sources)
    IR_MEMBER(model_types) IR_MEMBER(types) IR_MEMBER(config) IR_MEMBER(attention) IR_MEMBER(latent_attention) IR_MEMBER(short_conv) IR_MEMBER(selective_ssm) IR_MEMBER(ssd) IR_MEMBER(mup) IR_MEMBER(gated_delta)
    IR_MEMBER(mlp) IR_MEMBER(experts) IR_MEMBER(layer) IR_MEMBER(norm) IR_MEMBER(embedding)
    IR_MEMBER(residual) IR_MEMBER(head) IR_MEMBER(per_layer_decoder)
    IR_MEMBER(sanitize) IR_MEMBER(wrappers) IR_MEMBER(refused_model_types)
}

template <typename F>
void members(F& f, const LiteralEntry& v) {
    IR_MEMBER(key) IR_MEMBER(value) IR_MEMBER(comma)
}

template <typename F>
void members(F& f, const RegistryEntry& v) {
    IR_MEMBER(model_type) IR_MEMBER(model_type_literal) IR_MEMBER(family) IR_MEMBER(configuration) IR_MEMBER(model) IR_MEMBER(comma) IR_MEMBER(wrapped)
    IR_MEMBER(from_top_level) IR_MEMBER(defaults) IR_MEMBER(has_from_top_level) IR_MEMBER(has_defaults) IR_MEMBER(text_config_optional)
    IR_MEMBER(top_level_overrides) IR_MEMBER(has_top_level_overrides) IR_MEMBER(dispatches) IR_MEMBER(dispatch) IR_MEMBER(default_configuration)
    IR_MEMBER(default_model) IR_MEMBER(default_refused) IR_MEMBER(weight_prefixes) IR_MEMBER(has_weight_prefixes)
    IR_MEMBER(weight_drops) IR_MEMBER(has_weight_drops)
}

template <typename F>
void members(F& f, const RegistryFamily& v) {
    IR_MEMBER(family) IR_MEMBER(swift_name) IR_MEMBER(file_name) IR_MEMBER(description) IR_MEMBER(model_types)
}

template <typename F>
void members(F& f, const Registry& v) {
    IR_MEMBER(entries) IR_MEMBER(families) IR_MEMBER(supported) IR_MEMBER(refused) IR_MEMBER(has_refused)
}

template <typename F>
void members(F& f, const RefusedModelType& v) {
    IR_MEMBER(model_type) IR_MEMBER(model_type_literal) IR_MEMBER(why) IR_MEMBER(family)
}

template <typename F>
void members(F& f, const Wrapper& v) {
    IR_MEMBER(model_type) IR_MEMBER(from_top_level) IR_MEMBER(defaults) IR_MEMBER(text_config_optional) IR_MEMBER(top_level_overrides) IR_MEMBER(weight_prefixes) IR_MEMBER(weight_drops)
    IR_MEMBER(dispatch) IR_MEMBER(ignored_keys)
}

#undef IR_MEMBER

/// Calls `X(Record)` for every record type, in declaration order.
#define HF2SWIFT_IR_RECORDS(X) \
    X(Argument) \
    X(Source) \
    X(ModelType) \
    X(TypeNames) \
    X(ConfigField) \
    X(Declaration) \
    X(CodingKey) \
    X(KeyCheck) \
    X(IgnoredKey) \
    X(SizeCheck) \
    X(PositiveCheck) \
    X(RoutingCheck) \
    X(RoPEScalingKind) \
    X(RequiredWhen) \
    X(ScheduleCheck) \
    X(Configuration) \
    X(RoPE) \
    X(Attention) \
    X(LatentAttention) \
    X(ShortConv) \
    X(SelectiveSSM) \
    X(SSD) \
    X(MuP) \
    X(GatedDelta) \
    X(MLP) \
    X(Experts) \
    X(ScheduledKind) \
    X(ScheduledMixer) \
    X(Layer) \
    X(Norm) \
    X(Embedding) \
    X(Residual) \
    X(PrefixRename) \
    X(DispatchCase) \
    X(Head) \
    X(DropPattern) \
    X(Sanitize) \
    X(ModelFile) \
    X(LiteralEntry) \
    X(RegistryEntry) \
    X(RegistryFamily) \
    X(Registry) \
    X(RefusedModelType) \
    X(Wrapper)

}  // namespace hf2swift::ir
