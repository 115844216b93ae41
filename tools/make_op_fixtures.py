"""Computes the op-parity fixtures (tests/fixtures/ops/) with MLX itself; --check recomputes and compares."""

from __future__ import annotations

import argparse
import json
import math
import os
import struct
import sys
import types
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

# Compiled kernels (mx.compile inside mlx.nn activations) may fuse differently from the op-by-op
# graph the Swift reference evaluates; the fixtures describe the plain ops.
os.environ.setdefault("MLX_DISABLE_COMPILE", "1")

import mlx.core as mx  # noqa: E402  (must follow the environment setting above)
import mlx.nn as nn  # noqa: E402
from mlx.utils import tree_flatten, tree_unflatten  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DIR = ROOT / "tests" / "fixtures" / "ops"
TENSORS_FILE = FIXTURE_DIR / "ops.safetensors"
MANIFEST_FILE = FIXTURE_DIR / "ops.json"
FORMAT = "hf2swift-op-fixtures/1"

INF = float("inf")
NAN = float("nan")

# Safetensors dtype codes, and the numpy dtype each is stored as (bfloat16 travels as its raw bits).
DTYPES: dict[Any, tuple[str, str, Any]] = {
    mx.float32: ("F32", "float32", np.float32),
    mx.float16: ("F16", "float16", np.float16),
    mx.bfloat16: ("BF16", "bfloat16", np.uint16),
    mx.int32: ("I32", "int32", np.int32),
    mx.uint32: ("U32", "uint32", np.uint32),
    mx.uint8: ("U8", "uint8", np.uint8),
    mx.bool_: ("BOOL", "bool", np.bool_),
}
BY_NAME = {name: dt for dt, (_, name, _) in DTYPES.items()}
BY_CODE = {code: np_dt for _, (code, _, np_dt) in DTYPES.items()}

# Tolerances (rtol, atol): |actual - expected| <= atol + rtol * |expected|. Half-precision and
# quantized results are compared bit for bit: MLX's CPU computes them with plain loops that the
# reference reproduces. float32 products go through BLAS (sgemm), whose summation order depends on
# the machine's kernel, and float32 sin/cos/log come from the C library, so those keep a margin.
EXACT = (0.0, 0.0)
F32 = (1e-5, 1e-6)
F32_MATH = (2e-5, 1e-6)
F32_ACC = (1e-5, 1e-5)
F32_MM = (1e-4, 1e-5)


@dataclass
class Case:
    name: str
    op: str
    params: dict[str, Any]
    inputs: dict[str, mx.array]
    outputs: list[mx.array]
    tol: tuple[float, float]
    check: str = "close"
    comment: str = ""


@dataclass
class Suite:
    cases: list[Case] = field(default_factory=list)

    def add(
        self,
        name: str,
        op: str,
        params: dict[str, Any],
        inputs: dict[str, mx.array],
        fn: Callable[..., Any],
        tol: tuple[float, float] = F32,
        check: str = "close",
        comment: str = "",
    ) -> None:
        if any(c.name == name for c in self.cases):
            raise ValueError(f"duplicate case name {name}")
        # MLX's own functions take positional-only arguments, in the order the inputs are listed.
        out = fn(**inputs) if isinstance(fn, types.FunctionType) else fn(*inputs.values())
        outputs = list(out) if isinstance(out, (list, tuple)) else [out]
        mx.eval(*outputs)
        self.cases.append(Case(name, op, params, inputs, outputs, tol, check, comment))


def rng_for(name: str) -> np.random.Generator:
    # A seed per case (from its name) keeps every case's inputs fixed when cases are added or removed.
    return np.random.default_rng(zlib.crc32(name.encode()))


def normal(name: str, shape: tuple[int, ...], dtype: Any = mx.float32, scale: float = 1.0) -> mx.array:
    return mx.array((rng_for(name).standard_normal(shape) * scale).astype(np.float32)).astype(dtype)


def uniform(name: str, shape: tuple[int, ...], lo: float, hi: float, dtype: Any = mx.float32) -> mx.array:
    return mx.array(rng_for(name).uniform(lo, hi, shape).astype(np.float32)).astype(dtype)


def ints(name: str, shape: tuple[int, ...], lo: int, hi: int, dtype: Any = mx.int32) -> mx.array:
    return mx.array(rng_for(name).integers(lo, hi, shape).astype(np.int32)).astype(dtype)


def f32(values: Any) -> mx.array:
    return mx.array(np.asarray(values, dtype=np.float32))


def i32(values: Any) -> mx.array:
    return mx.array(np.asarray(values, dtype=np.int32))


def json_number(value: float | int) -> Any:
    # JSON has no inf/nan; the manifest spells them as strings and the replay decodes them.
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


# ----------------------------------------------------------------------------------------------
# The cases. Op names and parameter keys are the vocabulary of swift/Tests/MLXParityTests.
# ----------------------------------------------------------------------------------------------


def elementwise(s: Suite) -> None:
    binary = {
        "add": lambda a, b: a + b,
        "subtract": lambda a, b: a - b,
        "multiply": lambda a, b: a * b,
        "divide": lambda a, b: a / b,
        "maximum": mx.maximum,
        "minimum": mx.minimum,
    }
    shapes = {"same": ((2, 3, 4), (2, 3, 4)), "bcast": ((2, 1, 4), (3, 1)), "scalar0d": ((3, 4), ())}
    for op, f in binary.items():
        for tag, (sa, sb) in shapes.items():
            n = f"{op}.{tag}"
            a = normal(n + "a", sa)
            b = normal(n + "b", sb)
            if op == "divide":
                b = mx.where(mx.abs(b) < 0.1, 0.5, b)
            s.add(n, op, {}, {"a": a, "b": b}, f)
    s.add("divide.by_zero", "divide", {}, {"a": f32([1.0, -1.0, 0.0, 2.0]), "b": f32([0.0, 0.0, 0.0, -0.0])},
          lambda a, b: a / b, comment="x/0 = ±inf, 0/0 = nan")
    s.add("maximum.nan", "maximum", {}, {"a": f32([NAN, 1.0, -INF]), "b": f32([1.0, NAN, 2.0])}, mx.maximum,
          comment="MLX propagates nan through maximum")
    s.add("add.bf16", "add", {}, {"a": normal("add.bf16a", (3, 5), mx.bfloat16), "b": normal("add.bf16b", (5,), mx.bfloat16)},
          lambda a, b: a + b, tol=EXACT)
    s.add("multiply.bf16_f32", "multiply", {}, {"a": normal("mbf.a", (2, 3), mx.bfloat16), "b": normal("mbf.b", (2, 3))},
          lambda a, b: a * b, comment="bf16 array x f32 array promotes to f32")
    s.add("add.bf16_f16", "add", {}, {"a": normal("abf.a", (4,), mx.bfloat16), "b": normal("abf.b", (4,), mx.float16)},
          lambda a, b: a + b, comment="bf16 + f16 promotes to f32")
    s.add("add.int32_f32", "add", {}, {"a": ints("aif.a", (4,), -5, 5), "b": normal("aif.b", (4,))},
          lambda a, b: a + b)
    s.add("divide.int32", "divide", {}, {"a": i32([7, -7, 1, 0]), "b": i32([2, 2, 3, 5])},
          lambda a, b: a / b, comment="int32 / int32 is a true division to float32")
    s.add("add.int32", "add", {}, {"a": ints("ai.a", (2, 3), -50, 50), "b": ints("ai.b", (3,), -50, 50)},
          lambda a, b: a + b, tol=EXACT)
    s.add("pow.same", "pow", {}, {"a": uniform("pow.a", (3, 4), 0.1, 3.0), "b": normal("pow.b", (3, 4))},
          mx.power, tol=F32_MATH)
    s.add("pow.bcast", "pow", {}, {"a": uniform("powb.a", (2, 3), 0.1, 2.0), "b": f32([2.0, 0.5, -1.0])},
          mx.power, tol=F32_MATH)
    s.add("pow.edge", "pow", {}, {"a": f32([0.0, 0.0, -2.0, -2.0, 4.0]), "b": f32([0.0, -1.0, 2.0, 0.5, 0.5])},
          mx.power, tol=F32_MATH, comment="0^0 = 1, 0^-1 = inf, (-2)^0.5 = nan")

    # Scalars take the array's dtype when it is floating point (Float) or any (Int); a Float scalar
    # makes an integer array float32.
    scalar_cases = [
        ("bf16_times_float", "*", 0.5, "Float", "right", normal("sp1", (2, 4), mx.bfloat16), EXACT),
        ("float_times_bf16", "*", 0.5, "Float", "left", normal("sp2", (2, 4), mx.bfloat16), EXACT),
        ("bf16_plus_int", "+", 3, "Int", "right", normal("sp3", (2, 4), mx.bfloat16), EXACT),
        ("f16_plus_float", "+", 1.5, "Float", "right", normal("sp4", (2, 4), mx.float16), EXACT),
        ("int32_times_float", "*", 0.5, "Float", "right", ints("sp5", (2, 4), -9, 9), F32),
        ("int32_plus_int", "+", 3, "Int", "right", ints("sp6", (2, 4), -9, 9), EXACT),
        ("f32_div_int", "/", 3, "Int", "right", normal("sp7", (2, 4)), F32),
        ("int_minus_f32", "-", 2, "Int", "left", normal("sp8", (2, 4)), F32),
        ("float_div_f32", "/", 1.0, "Float", "left", uniform("sp9", (2, 4), 0.5, 2.0), F32),
        ("f32_minus_float", "-", 0.25, "Float", "right", normal("sp10", (2, 4)), F32),
        ("f32_pow_int", "**", 3, "Int", "right", normal("sp11", (2, 4)), F32_MATH),
        ("bf16_pow_float", "**", 0.5, "Float", "right", uniform("sp12", (2, 4), 0.1, 4.0, mx.bfloat16), EXACT),
        ("int32_pow_int", "**", 2, "Int", "right", ints("sp13", (2, 4), -9, 9), EXACT),
    ]
    ops = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y, "/": lambda x, y: x / y,
           "**": lambda x, y: x**y}
    for tag, sym, scalar, stype, side, a, tol in scalar_cases:
        py_scalar = float(scalar) if stype == "Float" else int(scalar)
        f = ops[sym]
        fn = (lambda a, f=f, v=py_scalar: f(a, v)) if side == "right" else (lambda a, f=f, v=py_scalar: f(v, a))
        s.add(f"scalar.{tag}", "binary_scalar", {"op": sym, "scalar": scalar, "scalar_type": stype, "side": side},
              {"a": a}, fn, tol=tol)

    comparisons = {
        "equal": mx.equal, "not_equal": mx.not_equal, "less": mx.less,
        "less_equal": mx.less_equal, "greater": mx.greater, "greater_equal": mx.greater_equal,
    }
    for op, f in comparisons.items():
        # Small integers stored as float32 make ties (and so ==, <=, >= on equal values) common.
        a = mx.array(rng_for(op + "a").integers(-2, 3, (3, 4)).astype(np.float32))
        b = mx.array(rng_for(op + "b").integers(-2, 3, (4,)).astype(np.float32))
        s.add(f"compare.{op}", op, {}, {"a": a, "b": b}, f, tol=EXACT)
        s.add(f"compare.{op}.scalar", op, {"scalar": 0.0}, {"a": a}, lambda a, f=f: f(a, 0.0), tol=EXACT)
    s.add("compare.less.int_float_scalar", "less", {"scalar": 0.5}, {"a": i32([-1, 0, 1, 2])},
          lambda a: a < 0.5, tol=EXACT, comment="a Float scalar makes the int32 comparison a float32 one")
    s.add("compare.less.nan", "less", {}, {"a": f32([NAN, 1.0, -INF]), "b": f32([1.0, NAN, 0.0])}, mx.less, tol=EXACT)
    s.add("compare.equal.int32", "equal", {}, {"a": ints("cei.a", (6,), 0, 3), "b": ints("cei.b", (6,), 0, 3)},
          mx.equal, tol=EXACT)
    ba = mx.array(rng_for("la").random((2, 5)) > 0.5)
    bb = mx.array(rng_for("lb").random((5,)) > 0.5)
    s.add("logical_and", "logical_and", {}, {"a": ba, "b": bb}, mx.logical_and, tol=EXACT)
    s.add("logical_or", "logical_or", {}, {"a": ba, "b": bb}, mx.logical_or, tol=EXACT)
    s.add("logical_not", "logical_not", {}, {"a": ba}, mx.logical_not, tol=EXACT)

    cond = mx.array(rng_for("wc").random((2, 3, 4)) > 0.4)
    s.add("where.bcast", "where", {}, {"cond": cond, "a": normal("wa", (3, 4)), "b": normal("wb", (2, 1, 4))},
          mx.where, tol=EXACT)
    s.add("where.scalar_neg_inf", "where", {"scalar": "-inf"}, {"cond": cond, "a": normal("wsa", (2, 3, 4))},
          lambda cond, a: mx.where(cond, a, -INF), tol=EXACT)
    s.add("where.scalar_bf16", "where", {"scalar": -1e9}, {"cond": cond, "a": normal("wsb", (2, 3, 4), mx.bfloat16)},
          lambda cond, a: mx.where(cond, a, -1e9), tol=EXACT, comment="the Float scalar takes the bf16 array's dtype")


def unary(s: Suite) -> None:
    spec: dict[str, tuple[Callable[[mx.array], mx.array], mx.array, tuple[float, float]]] = {
        "exp": (mx.exp, f32([-100.0, -3.0, -1.0, 0.0, 0.5, 1.0, 10.0, 88.0, 100.0, -INF, INF, NAN]), F32_MATH),
        "log": (mx.log, f32([0.0, 1e-30, 0.1, 1.0, 2.718281828, 1e4, 3e38, -1.0, INF, NAN]), F32_MATH),
        "sqrt": (mx.sqrt, f32([0.0, -0.0, 1e-30, 0.25, 2.0, 1e30, -1.0, INF]), F32),
        "rsqrt": (mx.rsqrt, f32([0.0, 1e-30, 0.25, 2.0, 1e30, -1.0, INF]), F32_MATH),
        "tanh": (mx.tanh, f32([-20.0, -2.0, -0.5, -1e-4, 0.0, 1e-4, 0.5, 2.0, 20.0, INF, -INF]), F32_MATH),
        "sigmoid": (mx.sigmoid, f32([-100.0, -20.0, -2.0, 0.0, 1e-4, 2.0, 20.0, 100.0, INF, -INF]), F32_MATH),
        "erf": (mx.erf, f32([-5.0, -1.5, -0.5, -1e-4, 0.0, 0.3, 1.0, 2.5, 5.0, INF, -INF]), F32_MATH),
        "erfinv": (mx.erfinv, f32([-0.999, -0.9, -0.5, -0.1, 0.0, 0.1, 0.5, 0.9, 0.999, 1.0, -1.0, 1.5]), (1e-4, 1e-5)),
        "abs": (mx.abs, f32([-3.5, -0.0, 0.0, 2.0, -INF, NAN]), EXACT),
        "square": (mx.square, f32([-3.0, -0.5, 0.0, 1.5, 1e20, 2e19]), F32),
        "floor": (mx.floor, f32([-2.5, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.7, 1e10, -INF]), EXACT),
        "negative": (mx.negative, f32([-1.0, 0.0, 2.5, INF]), EXACT),
    }
    for op, (f, edge, tol) in spec.items():
        s.add(f"unary.{op}.edge", op, {}, {"x": edge}, f, tol=tol)
        if op in ("log", "sqrt", "rsqrt"):
            x = uniform(op, (3, 5), 0.01, 5.0)
        elif op == "erfinv":
            x = uniform(op, (3, 5), -0.99, 0.99)
        else:
            x = normal(op, (3, 5), scale=2.0)
        s.add(f"unary.{op}", op, {}, {"x": x}, f, tol=tol)
    # The method forms (x.exp() and so on) of the ops that have one in mlx-swift.
    for op, f in {"exp": mx.exp, "sqrt": mx.sqrt, "square": mx.square, "abs": mx.abs, "rsqrt": mx.rsqrt}.items():
        x = uniform(op + "m", (2, 3), 0.1, 3.0)
        s.add(f"unary.{op}.method", op, {"form": "method"}, {"x": x}, f, tol=F32_MATH)
    s.add("unary.exp.bf16", "exp", {}, {"x": normal("expbf", (2, 6), mx.bfloat16)}, mx.exp, tol=EXACT)
    s.add("unary.sigmoid.bf16", "sigmoid", {}, {"x": normal("sigbf", (2, 6), mx.bfloat16, 3.0)}, mx.sigmoid, tol=EXACT)


def reductions(s: Suite) -> None:
    fns: dict[str, Callable[..., mx.array]] = {
        "sum": mx.sum, "mean": mx.mean, "max": mx.max, "min": mx.min, "logsumexp": mx.logsumexp,
    }
    variants: list[tuple[list[int] | None, bool, str]] = [
        ([-1], False, "free"), ([0], True, "free"), ([-2], False, "method"), ([1, -1], False, "free"),
        ([0, 2], True, "method"), (None, False, "free"), (None, True, "method"),
    ]
    for op, f in fns.items():
        x = normal("red." + op, (2, 3, 4), scale=2.0)
        for axes, keep, form in variants:
            tag = "all" if axes is None else "_".join(str(a) for a in axes)
            name = f"reduce.{op}.axes{tag}{'.keep' if keep else ''}.{form}"
            s.add(name, op, {"axes": axes, "keepdims": keep, "form": form}, {"x": x},
                  lambda x, f=f, axes=axes, keep=keep: f(x, axis=axes, keepdims=keep), tol=F32_ACC)
    s.add("reduce.sum.int32", "sum", {"axes": [-1], "keepdims": False, "form": "free"},
          {"x": ints("rsi", (3, 4), -100, 100)}, lambda x: mx.sum(x, axis=-1), tol=EXACT)
    s.add("reduce.mean.int32", "mean", {"axes": [0], "keepdims": False, "form": "free"},
          {"x": ints("rmi", (3, 4), -100, 100)}, lambda x: mx.mean(x, axis=0), tol=F32,
          comment="mean of int32 is float32")
    s.add("reduce.sum.bf16", "sum", {"axes": [-1], "keepdims": True, "form": "free"},
          {"x": normal("rsb", (3, 16), mx.bfloat16)}, lambda x: mx.sum(x, axis=-1, keepdims=True), tol=EXACT)
    s.add("reduce.max.bf16", "max", {"axes": [-1], "keepdims": False, "form": "method"},
          {"x": normal("rmb", (3, 8), mx.bfloat16)}, lambda x: mx.max(x, axis=-1), tol=EXACT)
    lse = f32([[1000.0, 1000.0, -INF], [-INF, -INF, -INF], [-1000.0, -1000.5, -999.0], [0.0, INF, 1.0]])
    s.add("reduce.logsumexp.edge", "logsumexp", {"axes": [-1], "keepdims": False, "form": "free"}, {"x": lse},
          lambda x: mx.logsumexp(x, axis=-1), tol=F32_ACC,
          comment="large magnitudes must not overflow; an all -inf row gives -inf; +inf gives +inf")
    s.add("reduce.max.inf", "max", {"axes": [-1], "keepdims": False, "form": "free"},
          {"x": f32([[-INF, -INF], [-INF, 3.0]])}, lambda x: mx.max(x, axis=-1), tol=EXACT)

    x = mx.array(rng_for("argmax").integers(0, 4, (3, 4, 5)).astype(np.float32))
    for axis, keep in [(-1, False), (0, False), (1, True), (None, False), (None, True)]:
        tag = "all" if axis is None else str(axis)
        s.add(f"reduce.argmax.axis{tag}{'.keep' if keep else ''}", "argmax",
              {"axes": None if axis is None else [axis], "keepdims": keep, "form": "free"}, {"x": x},
              lambda x, axis=axis, keep=keep: mx.argmax(x, axis=axis, keepdims=keep), tol=EXACT,
              comment="ties (small integers) resolve to the first index")
    s.add("reduce.argmax.method", "argmax", {"axes": [-1], "keepdims": False, "form": "method"},
          {"x": normal("argmaxm", (4, 6))}, lambda x: mx.argmax(x, axis=-1), tol=EXACT)
    s.add("reduce.argmax.bf16", "argmax", {"axes": [-1], "keepdims": False, "form": "free"},
          {"x": normal("argmaxbf", (3, 9), mx.bfloat16)}, lambda x: mx.argmax(x, axis=-1), tol=EXACT)


def softmaxes(s: Suite) -> None:
    x = normal("softmax", (2, 3, 5), scale=3.0)
    for axes, precise in [([-1], False), ([-1], True), ([0], False), ([1], True), ([1, 2], False), (None, False)]:
        tag = "all" if axes is None else "_".join(str(a) for a in axes)
        s.add(f"softmax.axes{tag}{'.precise' if precise else ''}", "softmax", {"axes": axes, "precise": precise},
              {"x": x}, lambda x, axes=axes, precise=precise: mx.softmax(x, axis=axes, precise=precise), tol=F32_MATH)
    xb = normal("softmaxbf", (3, 7), mx.bfloat16, 3.0)
    for precise in (False, True):
        s.add(f"softmax.bf16{'.precise' if precise else ''}", "softmax", {"axes": [-1], "precise": precise},
              {"x": xb}, lambda x, precise=precise: mx.softmax(x, axis=-1, precise=precise), tol=EXACT)
    # A row of only -inf is left out: MLX itself gives zeros or nans there depending on the row length.
    masked = f32([[-INF, 1.0, 2.0, -INF], [-INF, -INF, 3.0, -INF], [1000.0, 1000.0, -1000.0, 0.0]])
    for precise in (False, True):
        s.add(f"softmax.masked{'.precise' if precise else ''}", "softmax", {"axes": [-1], "precise": precise},
              {"x": masked}, lambda x, precise=precise: mx.softmax(x, axis=-1, precise=precise), tol=F32_MATH,
              comment="-inf entries get 0; large logits must not overflow")


def matmuls(s: Suite) -> None:
    shapes = {
        "2d": ((3, 4), (4, 5)),
        "batched": ((2, 3, 4), (2, 4, 5)),
        "bcast_batch": ((2, 1, 3, 4), (3, 4, 2)),
        "2d_x_batched": ((5, 4), (2, 4, 3)),
        "vec_x_mat": ((4,), (4, 3)),
        "mat_x_vec": ((3, 4), (4,)),
    }
    for tag, (sa, sb) in shapes.items():
        s.add(f"matmul.{tag}", "matmul", {}, {"a": normal(f"mm{tag}a", sa), "b": normal(f"mm{tag}b", sb)},
              mx.matmul, tol=F32_MM)
    s.add("matmul.bf16", "matmul", {}, {"a": normal("mmbfa", (4, 16), mx.bfloat16), "b": normal("mmbfb", (16, 3), mx.bfloat16)},
          mx.matmul, tol=EXACT)


def shapes(s: Suite) -> None:
    x = mx.arange(24, dtype=mx.float32).reshape(2, 3, 4)
    s.add("reshape.infer", "reshape", {"shape": [4, -1]}, {"x": x}, lambda x: x.reshape(4, -1), tol=EXACT)
    s.add("reshape.rank4", "reshape", {"shape": [2, 3, 2, 2]}, {"x": x}, lambda x: x.reshape(2, 3, 2, 2), tol=EXACT)
    s.add("transpose.default", "transpose", {"axes": None}, {"x": x}, lambda x: x.T, tol=EXACT)
    s.add("transpose.perm", "transpose", {"axes": [1, 2, 0]}, {"x": x}, lambda x: x.transpose(1, 2, 0), tol=EXACT)
    x4 = mx.arange(48, dtype=mx.float32).reshape(2, 3, 4, 2)
    s.add("transpose.heads", "transpose", {"axes": [0, 2, 1, 3]}, {"x": x4}, lambda x: x.transpose(0, 2, 1, 3), tol=EXACT)
    s.add("swapaxes.neg", "swapaxes", {"axis1": -1, "axis2": -3}, {"x": x4}, lambda x: mx.swapaxes(x, -1, -3), tol=EXACT)
    s.add("swapaxes.pos", "swapaxes", {"axis1": 1, "axis2": 2}, {"x": x4}, lambda x: mx.swapaxes(x, 1, 2), tol=EXACT)
    s.add("expand_dims.neg", "expand_dims", {"axes": [-1]}, {"x": x}, lambda x: mx.expand_dims(x, -1), tol=EXACT)
    s.add("expand_dims.mid", "expand_dims", {"axes": [1]}, {"x": x}, lambda x: mx.expand_dims(x, 1), tol=EXACT)
    s.add("expand_dims.multi", "expand_dims", {"axes": [0, -2]}, {"x": x}, lambda x: mx.expand_dims(x, [0, -2]), tol=EXACT)
    y = mx.arange(6, dtype=mx.float32).reshape(1, 2, 1, 3, 1)
    s.add("squeeze.all", "squeeze", {"axes": None}, {"x": y}, mx.squeeze, tol=EXACT)
    s.add("squeeze.axis", "squeeze", {"axes": [-1]}, {"x": y}, lambda x: mx.squeeze(x, -1), tol=EXACT)
    s.add("squeeze.axes", "squeeze", {"axes": [0, 2]}, {"x": y}, lambda x: mx.squeeze(x, [0, 2]), tol=EXACT)

    a = normal("cat.a", (2, 3))
    b = normal("cat.b", (2, 1))
    c = normal("cat.c", (2, 2))
    s.add("concatenate.last", "concatenate", {"axis": -1}, {"x0": a, "x1": b, "x2": c},
          lambda x0, x1, x2: mx.concatenate([x0, x1, x2], axis=-1), tol=EXACT)
    s.add("concatenate.first", "concatenate", {"axis": 0}, {"x0": a, "x1": normal("cat.d", (1, 3))},
          lambda x0, x1: mx.concatenate([x0, x1], axis=0), tol=EXACT)
    s.add("concatenate.kv", "concatenate", {"axis": 2},
          {"x0": normal("catkv.a", (1, 2, 3, 4)), "x1": normal("catkv.b", (1, 2, 1, 4))},
          lambda x0, x1: mx.concatenate([x0, x1], axis=2), tol=EXACT)
    p = normal("stack.p", (2, 3))
    q = normal("stack.q", (2, 3))
    s.add("stack.first", "stack", {"axis": 0}, {"x0": p, "x1": q}, lambda x0, x1: mx.stack([x0, x1]), tol=EXACT)
    s.add("stack.last", "stack", {"axis": -1}, {"x0": p, "x1": q, "x2": normal("stack.r", (2, 3))},
          lambda x0, x1, x2: mx.stack([x0, x1, x2], axis=-1), tol=EXACT)

    z = mx.arange(30, dtype=mx.float32).reshape(3, 10)
    s.add("split.parts", "split", {"parts": 2, "axis": -1}, {"x": z}, lambda x: mx.split(x, 2, axis=-1), tol=EXACT)
    s.add("split.parts_axis0", "split", {"parts": 3, "axis": 0}, {"x": z}, lambda x: mx.split(x, 3, axis=0), tol=EXACT)
    s.add("split.indices", "split", {"indices": [2, 7], "axis": 1}, {"x": z}, lambda x: mx.split(x, [2, 7], axis=1), tol=EXACT)
    s.add("split.indices_neg", "split", {"indices": [-3], "axis": -1}, {"x": z}, lambda x: mx.split(x, [-3], axis=-1), tol=EXACT)

    t = normal("take.x", (4, 5))
    s.add("take.axis0", "take", {"axis": 0}, {"x": t, "indices": i32([3, 0, 3])},
          lambda x, indices: mx.take(x, indices, axis=0), tol=EXACT)
    s.add("take.axis_neg", "take", {"axis": -1}, {"x": t, "indices": i32([[4, 0], [-1, 2]])},
          lambda x, indices: mx.take(x, indices, axis=-1), tol=EXACT, comment="a negative index counts from the end")
    s.add("take.flat", "take", {"axis": None}, {"x": t, "indices": i32([0, 7, 19])},
          lambda x, indices: mx.take(x, indices), tol=EXACT)
    s.add("take.uint32", "take", {"axis": 1}, {"x": t, "indices": mx.array(np.array([4, 1], dtype=np.uint32))},
          lambda x, indices: mx.take(x, indices, axis=1), tol=EXACT)
    u = normal("along.x", (3, 6))
    idx = ints("along.i", (3, 2), 0, 6)
    s.add("take_along.last", "take_along", {"axis": -1}, {"x": u, "indices": idx},
          lambda x, indices: mx.take_along_axis(x, indices, axis=-1), tol=EXACT)
    s.add("take_along.first", "take_along", {"axis": 0}, {"x": u, "indices": ints("along.j", (2, 6), 0, 3)},
          lambda x, indices: mx.take_along_axis(x, indices, axis=0), tol=EXACT)
    s.add("take_along.bcast", "take_along", {"axis": -1}, {"x": u, "indices": ints("along.k", (1, 4), 0, 6)},
          lambda x, indices: mx.take_along_axis(x, indices, axis=-1), tol=EXACT, comment="indices broadcast against x")
    perm = mx.array(np.stack([rng_for(f"put{r}").permutation(6)[:2] for r in range(3)]).astype(np.int32))
    s.add("put_along.last", "put_along", {"axis": -1}, {"x": u, "indices": perm, "values": normal("put.v", (3, 2))},
          lambda x, indices, values: mx.put_along_axis(x, indices, values, axis=-1), tol=EXACT)
    s.add("put_along.bcast_values", "put_along", {"axis": 1}, {"x": u, "indices": perm, "values": f32([[-7.0]])},
          lambda x, indices, values: mx.put_along_axis(x, indices, values, axis=1), tol=EXACT)

    ties = mx.array(rng_for("partition").integers(0, 5, (3, 8)).astype(np.float32))
    s.add("argpartition.last", "argpartition", {"kth": 3, "axis": -1}, {"x": ties},
          lambda x: mx.argpartition(x, 3, axis=-1), check="partition", tol=EXACT)
    s.add("argpartition.neg_kth", "argpartition", {"kth": -2, "axis": -1}, {"x": ties},
          lambda x: mx.argpartition(x, -2, axis=-1), check="partition", tol=EXACT,
          comment="kth = -2 (top-k routing uses argpartition(-x, kth: k - 1) or kth: -k)")
    s.add("argpartition.axis0", "argpartition", {"kth": 1, "axis": 0}, {"x": normal("partition0", (4, 3))},
          lambda x: mx.argpartition(x, 1, axis=0), check="partition", tol=EXACT)
    s.add("argsort.distinct", "argsort", {"axis": -1}, {"x": normal("argsort", (3, 7))},
          lambda x: mx.argsort(x, axis=-1), tol=EXACT)
    s.add("argsort.axis0", "argsort", {"axis": 0}, {"x": normal("argsort0", (5, 2))},
          lambda x: mx.argsort(x, axis=0), tol=EXACT)
    s.add("argsort.ties", "argsort", {"axis": -1}, {"x": ties}, lambda x: mx.argsort(x, axis=-1),
          check="sort", tol=EXACT, comment="with ties only the sorted values are the contract")

    w = mx.arange(1, 13, dtype=mx.float32).reshape(3, 4)
    for axis, rev, incl in [(-1, False, True), (0, False, True), (1, True, True), (-1, False, False), (-1, True, False)]:
        s.add(f"cumsum.axis{axis}{'.reverse' if rev else ''}{'.exclusive' if not incl else ''}", "cumsum",
              {"axis": axis, "reverse": rev, "inclusive": incl}, {"x": w},
              lambda x, axis=axis, rev=rev, incl=incl: mx.cumsum(x, axis=axis, reverse=rev, inclusive=incl), tol=F32_ACC)
    s.add("cumsum.int32", "cumsum", {"axis": -1, "reverse": False, "inclusive": True},
          {"x": ints("cumsumi", (2, 5), -5, 5)}, lambda x: mx.cumsum(x, axis=-1), tol=EXACT)
    sq = normal("tri", (4, 5))
    for k in (0, 1, -1):
        s.add(f"tril.k{k}", "tril", {"k": k}, {"x": sq}, lambda x, k=k: mx.tril(x, k), tol=EXACT)
        s.add(f"triu.k{k}", "triu", {"k": k}, {"x": sq}, lambda x, k=k: mx.triu(x, k), tol=EXACT)
    s.add("tril.batched", "tril", {"k": 0}, {"x": normal("trib", (2, 3, 3))}, lambda x: mx.tril(x), tol=EXACT)

    c = normal("clip", (3, 5), scale=3.0)
    s.add("clip.both", "clip", {"min": -1.0, "max": 2.0}, {"x": c}, lambda x: mx.clip(x, -1.0, 2.0), tol=EXACT)
    s.add("clip.min", "clip", {"min": 0.0, "max": None}, {"x": c}, lambda x: mx.clip(x, 0.0, None), tol=EXACT)
    s.add("clip.max", "clip", {"min": None, "max": 0.5}, {"x": c}, lambda x: mx.clip(x, None, 0.5), tol=EXACT)
    s.add("clip.arrays", "clip", {}, {"x": c, "lo": normal("clip.lo", (5,)), "hi": f32([[1.0], [2.0], [3.0]])},
          lambda x, lo, hi: mx.clip(x, lo, hi), tol=EXACT)
    s.add("clip.bf16", "clip", {"min": -1.0, "max": 1.0}, {"x": normal("clipbf", (2, 4), mx.bfloat16, 2.0)},
          lambda x: mx.clip(x, -1.0, 1.0), tol=EXACT, comment="float bounds keep the bf16 dtype")

    aranges = [
        ("int_stop", {"kind": "int", "start": None, "stop": 7, "step": None, "dtype": None}, lambda: mx.arange(7)),
        ("int_range_step", {"kind": "int", "start": 2, "stop": 11, "step": 3, "dtype": None}, lambda: mx.arange(2, 11, 3)),
        ("int_neg_step", {"kind": "int", "start": 5, "stop": -3, "step": -2, "dtype": None}, lambda: mx.arange(5, -3, -2)),
        ("int_dtype_f32", {"kind": "int", "start": 0, "stop": 6, "step": 2, "dtype": "float32"},
         lambda: mx.arange(0, 6, 2, dtype=mx.float32)),
        ("int_stop_dtype_bf16", {"kind": "int", "start": None, "stop": 5, "step": None, "dtype": "bfloat16"},
         lambda: mx.arange(5, dtype=mx.bfloat16)),
        ("double_step", {"kind": "double", "start": 0.0, "stop": 2.0, "step": 0.25, "dtype": "float32"},
         lambda: mx.arange(0.0, 2.0, 0.25, dtype=mx.float32)),
        ("double_neg_step", {"kind": "double", "start": 5.0, "stop": 1.0, "step": -1.5, "dtype": "float32"},
         lambda: mx.arange(5.0, 1.0, -1.5, dtype=mx.float32)),
        ("double_stop", {"kind": "double", "start": None, "stop": 4.0, "step": None, "dtype": "float32"},
         lambda: mx.arange(4.0, dtype=mx.float32)),
        ("rope_freqs", {"kind": "double", "start": 0.0, "stop": 8.0, "step": 2.0, "dtype": "float32"},
         lambda: mx.arange(0.0, 8.0, 2.0, dtype=mx.float32)),
    ]
    for tag, params, fn in aranges:
        s.add(f"arange.{tag}", "arange", params, {}, fn, tol=EXACT)


def py_index(spec: list[Any], arrays: dict[str, mx.array]) -> tuple[Any, ...]:
    parts: list[Any] = []
    for c in spec:
        if isinstance(c, int):
            parts.append(c)
        elif c == "...":
            parts.append(Ellipsis)
        elif c == "newaxis":
            parts.append(None)
        elif "slice" in c:
            parts.append(slice(*c["slice"]))
        elif "through" in c:
            lo, hi = c["through"]
            parts.append(slice(lo, None if hi == -1 else hi + 1))
        elif "array" in c:
            parts.append(arrays[c["array"]])
        else:
            raise ValueError(c)
    return tuple(parts)


def indexing(s: Suite) -> None:
    x = mx.arange(60, dtype=mx.float32).reshape(3, 4, 5)
    v = mx.arange(10, dtype=mx.float32)
    gets: list[tuple[str, mx.array, list[Any], dict[str, mx.array]]] = [
        ("int", x, [1], {}),
        ("int_neg", x, [-1], {}),
        ("int_int", x, [0, -2], {}),
        ("slice_neg_bounds", v, [{"slice": [-3, -1, None]}], {}),
        ("slice_from_neg", v, [{"slice": [-4, None, None]}], {}),
        ("slice_upto_neg", v, [{"slice": [None, -2, None]}], {}),
        ("slice_start_gt_negstop", v, [{"slice": [2, -1, None]}], {}),
        ("slice_reverse", v, [{"slice": [None, None, -1]}], {}),
        ("slice_neg_step_bounds", v, [{"slice": [8, 2, -2]}], {}),
        ("slice_neg_step_neg_bounds", v, [{"slice": [-2, -9, -3]}], {}),
        ("slice_step2", v, [{"slice": [None, None, 2]}], {}),
        ("slice_step3_start", v, [{"slice": [1, None, 3]}], {}),
        ("slice_empty", v, [{"slice": [5, 5, None]}], {}),
        ("slice_clamped", v, [{"slice": [-20, 30, None]}], {}),
        ("through", v, [{"through": [2, 5]}], {}),
        ("through_upto", v, [{"through": [None, -3]}], {}),
        ("full_then_slice", x, [{"slice": [None, None, None]}, {"slice": [1, 3, None]}], {}),
        ("ellipsis_last", x, ["...", {"slice": [None, 2, None]}], {}),
        ("ellipsis_int", x, ["...", -1], {}),
        ("ellipsis_mid", x, [0, "...", 1], {}),
        ("newaxis_front", x, ["newaxis"], {}),
        ("newaxis_mid", x, [{"slice": [None, None, None]}, "newaxis", 2], {}),
        ("ellipsis_newaxis", x, ["...", "newaxis"], {}),
        ("newaxis_ellipsis_stride", x, ["newaxis", "...", {"slice": [None, None, 2]}], {}),
        ("array_axis0", x, [{"array": "i0"}], {"i0": i32([2, 0, 2])}),
        ("array_2d", x, [{"array": "i0"}], {"i0": i32([[0, 1], [2, 2]])}),
        ("slice_array", x, [{"slice": [None, None, None]}, {"array": "i0"}], {"i0": i32([3, -1])}),
        ("array_array", x, [{"array": "i0"}, {"array": "i1"}], {"i0": i32([0, 2]), "i1": i32([1, 3])}),
        ("array_array_bcast", x, [{"array": "i0"}, {"array": "i1"}], {"i0": i32([[0], [2]]), "i1": i32([1, 3, 0])}),
        ("int_array", x, [1, {"array": "i0"}], {"i0": i32([0, 3])}),
        ("ellipsis_array", x, ["...", {"array": "i0"}], {"i0": i32([4, 0])}),
        ("array_uint32", x, [{"array": "i0"}], {"i0": mx.array(np.array([1, 0], dtype=np.uint32))}),
    ]
    for tag, base, spec, arrays in gets:
        inputs = {"x": base, **arrays}
        s.add(f"index.{tag}", "index", {"index": spec}, inputs,
              lambda x, spec=spec, **arr: x[py_index(spec, arr)], tol=EXACT)

    sets: list[tuple[str, tuple[int, ...], list[Any], mx.array, dict[str, mx.array]]] = [
        ("slices_stride", (4, 6), [{"slice": [1, 3, None]}, {"slice": [None, None, 2]}], f32([1.0, 2.0, 3.0]), {}),
        ("ellipsis_tail_scalar", (4, 6), ["...", {"slice": [-2, None, None]}], f32(5.0), {}),
        ("kv_cache_write", (1, 2, 6, 3), ["...", {"slice": [2, 4, None]}, {"slice": [None, None, None]}],
         normal("kvw", (1, 2, 2, 3)), {}),
        ("int_row", (3, 4), [-1], f32([9.0, 8.0, 7.0, 6.0]), {}),
        ("array_rows", (4, 6), [{"array": "i0"}], f32(np.ones(6)), {"i0": i32([0, 2])}),
        ("neg_stride", (8,), [{"slice": [None, None, -3]}], f32([1.0, 2.0, 3.0]), {}),
        ("newaxis", (2, 3), ["newaxis", 1], f32([4.0, 5.0, 6.0]), {}),
    ]
    for tag, shape, spec, value, arrays in sets:
        base = mx.arange(int(np.prod(shape)), dtype=mx.float32).reshape(shape) * -1.0

        def update(x: mx.array, value: mx.array, spec: list[Any] = spec, **arr: mx.array) -> mx.array:
            y = mx.array(x)
            y[py_index(spec, arr)] = value
            return y

        s.add(f"index_update.{tag}", "index_update", {"index": spec}, {"x": base, "value": value, **arrays},
              update, tol=EXACT)


def casts(s: Suite) -> None:
    # 1 + 2^-8 and 1 + 3 * 2^-8 are ties between two bfloat16 values (round half to even);
    # 3.4e38 is above the largest bfloat16 and rounds to inf; 1e-40 is subnormal.
    bf_edge = f32([1.0 + 2**-8, 1.0 + 3 * 2**-8, 1.0 + 2**-9, -(1.0 + 2**-8), 1.0 / 3.0, -2.718281828,
                   65504.0, 3.4e38, -3.4e38, 1e-40, 1e-45, 0.0, -0.0, INF, -INF, NAN])
    f16_edge = f32([65504.0, 65519.0, 65520.0, 70000.0, -70000.0, 1e-8, 6e-8, 3e-5, 1.0 / 3.0,
                    1.0 + 2**-11, 1.0 + 3 * 2**-11, -0.0, INF, NAN])
    cases: list[tuple[str, mx.array, str]] = [
        ("f32_to_bf16.edge", bf_edge, "bfloat16"),
        ("f32_to_bf16.random", normal("cast.bf", (4, 8), scale=10.0), "bfloat16"),
        ("bf16_to_f32", normal("cast.bf2", (3, 5), mx.bfloat16), "float32"),
        ("f32_to_f16.edge", f16_edge, "float16"),
        ("f16_to_f32", normal("cast.f16", (3, 5), mx.float16), "float32"),
        ("bf16_to_f16", f32([1.0 / 3.0, 70000.0, 1e-6, -2.5, NAN]).astype(mx.bfloat16), "float16"),
        ("f16_to_bf16", f32([1.0 / 3.0, 65504.0, 6e-8, -2.5]).astype(mx.float16), "bfloat16"),
        ("f32_to_int32", f32([1.5, -1.5, 2.7, -2.7, 0.0, -0.0, 1e6, -1e6, 2147483520.0]), "int32"),
        ("bf16_to_int32", f32([1.5, -1.5, 200.7, -3.9]).astype(mx.bfloat16), "int32"),
        ("int32_to_f32", i32([0, -1, 7, 16777216, 16777217, 16777219, -2147483648, 2147483647]), "float32"),
        ("int32_to_bf16", i32([0, 1, 257, 259, -129, 65536, 65537]), "bfloat16"),
        ("f32_to_uint32", f32([0.0, 1.9, 3e9, 4294967040.0]), "uint32"),
        ("uint32_to_f32", mx.array(np.array([0, 1, 16777217, 4294967295], dtype=np.uint32)), "float32"),
        ("uint32_to_int32", mx.array(np.array([0, 5, 2147483647], dtype=np.uint32)), "int32"),
        ("int32_to_uint32", i32([0, 5, 2147483647, -1, -2147483648]), "uint32"),
        ("f32_to_bool", f32([0.0, -0.0, 0.5, -3.0, 1e-40, INF, NAN]), "bool"),
        ("bool_to_f32", mx.array([True, False, True]), "float32"),
        ("bool_to_int32", mx.array([True, False]), "int32"),
        ("int32_to_bool", i32([0, 1, -5, 0]), "bool"),
        ("bf16_to_bool", f32([0.0, 0.25, -1.0]).astype(mx.bfloat16), "bool"),
        ("f32_to_f32", normal("cast.same", (4,)), "float32"),
    ]
    for tag, x, dtype in cases:
        s.add(f"astype.{tag}", "astype", {"dtype": dtype}, {"x": x},
              lambda x, dtype=dtype: x.astype(BY_NAME[dtype]), tol=EXACT)


def fast_ops(s: Suite) -> None:
    for tag, shape, eps, dtype, tol in [
        ("basic", (2, 3, 8), 1e-5, mx.float32, F32_MATH),
        ("eps_large", (3, 8), 1e-1, mx.float32, F32_MATH),
        ("eps_1e-6", (4, 16), 1e-6, mx.float32, F32_MATH),
        ("tiny_input", (2, 8), 1e-5, mx.float32, F32_MATH),
        ("bf16", (2, 3, 16), 1e-5, mx.bfloat16, EXACT),
    ]:
        x = normal("rms" + tag, shape, dtype)
        if tag == "tiny_input":
            x = x * 1e-4
        w = (1.0 + normal("rmsw" + tag, (shape[-1],), scale=0.2)).astype(dtype)
        s.add(f"rms_norm.{tag}", "rms_norm", {"eps": eps}, {"x": x, "weight": w},
              lambda x, weight, eps=eps: mx.fast.rms_norm(x, weight, eps), tol=tol)

    # RoPE: [B, heads, L, D]; positions start at `offset` along axis -2.
    rope_cases: list[tuple[str, tuple[int, ...], dict[str, Any], Any]] = [
        ("default", (1, 2, 5, 8), {"dims": 8, "traditional": False, "base": 10000.0, "scale": 1.0}, 0),
        ("traditional", (1, 2, 5, 8), {"dims": 8, "traditional": True, "base": 10000.0, "scale": 1.0}, 0),
        ("offset", (2, 2, 3, 8), {"dims": 8, "traditional": False, "base": 10000.0, "scale": 1.0}, 7),
        ("offset_traditional", (2, 2, 3, 8), {"dims": 8, "traditional": True, "base": 10000.0, "scale": 1.0}, 7),
        ("partial", (1, 2, 4, 12), {"dims": 6, "traditional": False, "base": 10000.0, "scale": 1.0}, 3),
        ("partial_traditional", (1, 2, 4, 12), {"dims": 6, "traditional": True, "base": 10000.0, "scale": 1.0}, 3),
        ("base_500k", (1, 1, 4, 16), {"dims": 16, "traditional": False, "base": 500000.0, "scale": 1.0}, 2),
        ("scale", (1, 2, 4, 8), {"dims": 8, "traditional": False, "base": 10000.0, "scale": 0.25}, 5),
        ("decode_step", (2, 4, 1, 8), {"dims": 8, "traditional": False, "base": 10000.0, "scale": 1.0}, 37),
        ("rank3", (2, 4, 8), {"dims": 8, "traditional": False, "base": 10000.0, "scale": 1.0}, 1),
        ("freqs", (1, 2, 4, 8), {"dims": 8, "traditional": False, "base": None, "scale": 1.0}, 2),
        ("freqs_traditional_partial", (1, 2, 4, 12),
         {"dims": 8, "traditional": True, "base": None, "scale": 0.5}, 1),
        ("array_offset_scalar", (1, 2, 3, 8), {"dims": 8, "traditional": False, "base": 10000.0, "scale": 1.0}, "array0d"),
        ("array_offset_batch", (2, 2, 3, 8), {"dims": 8, "traditional": False, "base": 10000.0, "scale": 1.0}, "array1d"),
        ("bf16", (1, 2, 4, 8), {"dims": 8, "traditional": False, "base": 10000.0, "scale": 1.0}, 4),
    ]
    for tag, shape, params, offset in rope_cases:
        dtype = mx.bfloat16 if tag == "bf16" else mx.float32
        inputs: dict[str, mx.array] = {"x": normal("rope" + tag, shape, dtype)}
        if params["base"] is None:
            inputs["freqs"] = uniform("ropef" + tag, (params["dims"] // 2,), 0.05, 1.5)
        if offset == "array0d":
            inputs["offset"] = i32(6)
        elif offset == "array1d":
            inputs["offset"] = i32([0, 9])
        p = dict(params, offset=offset if isinstance(offset, int) else None)

        def rope(x: mx.array, freqs: mx.array | None = None, offset: mx.array | None = None,
                 p: dict[str, Any] = p) -> mx.array:
            off = p["offset"] if offset is None else offset
            return mx.fast.rope(x, p["dims"], traditional=p["traditional"], base=p["base"], scale=p["scale"],
                                offset=off, freqs=freqs)

        s.add(f"rope.{tag}", "rope", p, inputs, rope, tol=EXACT if dtype == mx.bfloat16 else (1e-4, 1e-5))
    for tag, params in [("default", (8, False, 10000.0, 1.0, 3)), ("traditional_partial", (4, True, 1000.0, 2.0, 0))]:
        dims, trad, base, scale, off = params
        x = normal("nnrope" + tag, (1, 2, 3, 8))
        s.add(f"nn_rope.{tag}", "nn_rope",
              {"dims": dims, "traditional": trad, "base": base, "scale": scale, "offset": off}, {"x": x},
              lambda x, dims=dims, trad=trad, base=base, scale=scale, off=off:
              nn.RoPE(dims, traditional=trad, base=base, scale=scale)(x, offset=off), tol=(1e-4, 1e-5))

    # Attention: q [B, Hq, Lq, D], k/v [B, Hkv, Lk, D]; Hq / Hkv is the GQA ratio.
    sdpa_cases: list[tuple[str, int, int, int, int, str, bool, str]] = [
        # tag, Hq, Hkv, Lq, Lk, mask, sinks, api
        ("mha_nomask", 2, 2, 3, 3, "none", False, "optional"),
        ("mha_nomask_mode", 2, 2, 3, 3, "none", False, "mode"),
        ("mha_causal_square", 2, 2, 4, 4, "causal", False, "mode"),
        ("gqa2_causal_longer_keys", 4, 2, 3, 7, "causal", False, "mode"),
        ("gqa4_causal_decode", 8, 2, 1, 6, "causal", False, "mode"),
        ("gqa4_nomask_decode", 4, 1, 1, 5, "none", False, "optional"),
        ("gqa2_bool_mask", 4, 2, 3, 5, "bool", False, "mode"),
        ("gqa2_bool_mask_optional", 4, 2, 3, 5, "bool", False, "optional"),
        ("mha_additive_mask", 2, 2, 3, 5, "additive", False, "mode"),
        ("gqa4_additive_mask_optional", 4, 1, 2, 4, "additive", False, "optional"),
        ("mha_sinks_nomask", 2, 2, 3, 4, "none", True, "mode"),
        ("gqa2_sinks_causal", 4, 2, 3, 6, "causal", True, "mode"),
        ("gqa2_sinks_bool", 4, 2, 2, 5, "bool", True, "mode"),
        ("gqa4_sinks_optional_additive", 4, 1, 2, 3, "additive", True, "optional"),
    ]
    for tag, hq, hkv, lq, lk, mask, sinks, api in sdpa_cases:
        b, d = (2 if lq > 1 else 1), 8
        n = "sdpa" + tag
        inputs = {
            "q": normal(n + "q", (b, hq, lq, d)),
            "k": normal(n + "k", (b, hkv, lk, d)),
            "v": normal(n + "v", (b, hkv, lk, d)),
        }
        if mask == "bool":
            m = rng_for(n + "m").random((b, 1, lq, lk)) > 0.35
            m[..., -1] = True  # every query sees at least one key
            inputs["mask"] = mx.array(m)
        elif mask == "additive":
            inputs["mask"] = normal(n + "m", (lq, lk), scale=2.0)
        if sinks:
            inputs["sinks"] = normal(n + "s", (hq,))
        scale = 1.0 / math.sqrt(d)

        def sdpa(q: mx.array, k: mx.array, v: mx.array, mask: mx.array | None = None,
                 sinks: mx.array | None = None, kind: str = mask, scale: float = scale) -> mx.array:
            m: Any = "causal" if kind == "causal" else mask
            return mx.fast.scaled_dot_product_attention(q, k, v, scale=scale, mask=m, sinks=sinks)

        s.add(f"sdpa.{tag}", "sdpa", {"scale": scale, "mask": mask, "api": api}, inputs, sdpa, tol=(1e-4, 1e-5))
    n = "sdpabf16"
    s.add("sdpa.bf16_causal", "sdpa", {"scale": 0.25, "mask": "causal", "api": "mode"},
          {"q": normal(n + "q", (1, 4, 2, 16), mx.bfloat16), "k": normal(n + "k", (1, 2, 5, 16), mx.bfloat16),
           "v": normal(n + "v", (1, 2, 5, 16), mx.bfloat16)},
          lambda q, k, v: mx.fast.scaled_dot_product_attention(q, k, v, scale=0.25, mask="causal"), tol=EXACT)


def nn_ops(s: Suite) -> None:
    acts = {
        "silu": nn.silu, "gelu": nn.gelu, "gelu_approx": nn.gelu_approx,
        "gelu_fast_approx": nn.gelu_fast_approx, "relu": nn.relu, "softplus": nn.softplus,
    }
    edge = f32([-30.0, -6.0, -1.0, -1e-3, 0.0, 1e-3, 1.0, 6.0, 30.0])
    for op, f in acts.items():
        s.add(f"act.{op}", op, {}, {"x": normal("act" + op, (3, 6), scale=3.0)}, f, tol=F32_MATH)
        s.add(f"act.{op}.edge", op, {}, {"x": edge}, f, tol=F32_MATH)
    s.add("act.silu.bf16", "silu", {}, {"x": normal("actsilubf", (2, 8), mx.bfloat16, 3.0)}, nn.silu, tol=EXACT)
    s.add("act.gelu_approx.bf16", "gelu_approx", {}, {"x": normal("actgabf", (2, 8), mx.bfloat16, 3.0)},
          nn.gelu_approx, tol=EXACT)

    def linear(x: mx.array, weight: mx.array, bias: mx.array | None = None) -> mx.array:
        layer = nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None)
        layer.weight = weight
        if bias is not None:
            layer.bias = bias
        return layer(x)

    s.add("linear.bias", "linear", {}, {"x": normal("lin.x", (2, 3, 6)), "weight": normal("lin.w", (4, 6)),
                                         "bias": normal("lin.b", (4,))}, linear, tol=F32_MM)
    s.add("linear.nobias", "linear", {}, {"x": normal("linn.x", (5, 6)), "weight": normal("linn.w", (3, 6))},
          linear, tol=F32_MM)
    s.add("linear.bf16", "linear", {}, {"x": normal("linb.x", (2, 8), mx.bfloat16),
                                         "weight": normal("linb.w", (3, 8), mx.bfloat16),
                                         "bias": normal("linb.b", (3,), mx.bfloat16)}, linear, tol=EXACT)

    def embedding(weight: mx.array, indices: mx.array) -> mx.array:
        layer = nn.Embedding(weight.shape[0], weight.shape[1])
        layer.weight = weight
        return layer(indices)

    def as_linear(weight: mx.array, x: mx.array) -> mx.array:
        layer = nn.Embedding(weight.shape[0], weight.shape[1])
        layer.weight = weight
        return layer.as_linear(x)

    table = normal("emb.w", (7, 4))
    s.add("embedding.1d", "embedding", {}, {"weight": table, "indices": i32([6, 0, 3, 3])}, embedding, tol=EXACT)
    s.add("embedding.2d", "embedding", {}, {"weight": table, "indices": i32([[1, 2, 5], [0, 0, 6]])}, embedding, tol=EXACT)
    s.add("embedding.as_linear", "embedding_as_linear", {}, {"weight": table, "x": normal("emb.x", (2, 3, 4))},
          as_linear, tol=F32_MM)

    def gather_mm(a: mx.array, b: mx.array, lhs_indices: mx.array | None = None,
                  rhs_indices: mx.array | None = None, sorted_indices: bool = False) -> mx.array:
        return mx.gather_mm(a, b, lhs_indices, rhs_indices, sorted_indices=sorted_indices)

    # The MoE shape: tokens [N, 1, 1, D] against experts [E, D, F], two experts per token.
    s.add("gather_mm.rhs", "gather_mm", {"sorted": False},
          {"a": normal("gmm.a", (5, 1, 1, 6)), "b": normal("gmm.b", (4, 6, 3)), "rhs_indices": ints("gmm.r", (5, 2), 0, 4)},
          gather_mm, tol=F32_MM)
    s.add("gather_mm.lhs_rhs", "gather_mm", {"sorted": False},
          {"a": normal("gmm2.a", (3, 2, 4)), "b": normal("gmm2.b", (5, 4, 3)),
           "lhs_indices": i32([[0, 1], [2, 0]]), "rhs_indices": i32([[4, 0], [1, 1]])},
          gather_mm, tol=F32_MM)
    s.add("gather_mm.lhs_only", "gather_mm", {"sorted": False},
          {"a": normal("gmm3.a", (3, 2, 4)), "b": normal("gmm3.b", (4, 5)), "lhs_indices": i32([2, 2, 0, 1])},
          gather_mm, tol=F32_MM)
    s.add("gather_mm.sorted", "gather_mm", {"sorted": True},
          {"a": normal("gmm4.a", (8, 1, 6)), "b": normal("gmm4.b", (4, 6, 3)),
           "rhs_indices": i32([0, 0, 1, 1, 1, 3, 3, 3])},
          lambda a, b, rhs_indices: mx.gather_mm(a, b, rhs_indices=rhs_indices, sorted_indices=True), tol=F32_MM)


# ----------------------------------------------------------------------------------------------
# bfloat16 / float16: the ops models use, in each half type, compared bit for bit. MLX's CPU
# computes each primitive in float32 and rounds its result once (elementwise ops, the half-type
# gemm, the precise softmax), while its composed fallbacks (rms_norm, rope, attention) and the
# non-precise softmax round after each step; the reference must round at the same places.
# ----------------------------------------------------------------------------------------------

HALF = {"bf16": mx.bfloat16, "f16": mx.float16}
# MLX's CPU gather_mm refuses every dtype but float32 ("[GatherMM::eval] Currently only supports
# float32"); its half-type meaning is the half-type matmul of the gathered operands, which is what
# these cases record (and what the GPU computes).
GATHER_HALF = "MLX CPU's gather_mm is float32-only; expected = matmul of the gathered matrices"


def low_precision(s: Suite) -> None:
    binary = {
        "add": lambda a, b: a + b, "subtract": lambda a, b: a - b, "multiply": lambda a, b: a * b,
        "divide": lambda a, b: a / b, "maximum": mx.maximum, "minimum": mx.minimum,
    }
    for tag, dt in HALF.items():
        for op, f in binary.items():
            n = f"half.{op}.{tag}"
            b = normal(n + "b", (5,), dt)
            if op == "divide":
                b = mx.where(mx.abs(b) < 0.1, 0.5, b).astype(dt)
            s.add(n, op, {}, {"a": normal(n + "a", (3, 5), dt, 3.0), "b": b}, f, tol=EXACT)
        for sym, scalar, stype in (("*", 0.125, "Float"), ("+", 3, "Int"), ("/", 3.0, "Float")):
            n = f"half.scalar{sym}.{tag}"
            py = float(scalar) if stype == "Float" else int(scalar)
            op = {"*": lambda x, y: x * y, "+": lambda x, y: x + y, "/": lambda x, y: x / y}[sym]
            s.add(n, "binary_scalar", {"op": sym, "scalar": scalar, "scalar_type": stype, "side": "right"},
                  {"a": normal(n, (2, 6), dt, 4.0)}, lambda a, op=op, v=py: op(a, v), tol=EXACT)

        unary_ops: dict[str, tuple[Callable[[mx.array], mx.array], mx.array]] = {
            "exp": (mx.exp, normal(f"half.exp.{tag}", (3, 6), dt, 3.0)),
            "log": (mx.log, uniform(f"half.log.{tag}", (3, 6), 0.01, 20.0, dt)),
            "sqrt": (mx.sqrt, uniform(f"half.sqrt.{tag}", (3, 6), 0.0, 20.0, dt)),
            "rsqrt": (mx.rsqrt, uniform(f"half.rsqrt.{tag}", (3, 6), 0.01, 20.0, dt)),
            "tanh": (mx.tanh, normal(f"half.tanh.{tag}", (3, 6), dt, 2.0)),
            "sigmoid": (mx.sigmoid, normal(f"half.sigmoid.{tag}", (3, 6), dt, 4.0)),
            "erf": (mx.erf, normal(f"half.erf.{tag}", (3, 6), dt, 1.5)),
            "square": (mx.square, normal(f"half.square.{tag}", (3, 6), dt, 4.0)),
            "negative": (mx.negative, normal(f"half.negative.{tag}", (3, 6), dt)),
        }
        for op, (f, x) in unary_ops.items():
            s.add(f"half.unary.{op}.{tag}", op, {}, {"x": x}, f, tol=EXACT)

        acts = {"silu": nn.silu, "gelu": nn.gelu, "gelu_approx": nn.gelu_approx,
                "gelu_fast_approx": nn.gelu_fast_approx, "relu": nn.relu, "softplus": nn.softplus}
        for op, f in acts.items():
            s.add(f"half.act.{op}.{tag}", op, {}, {"x": normal(f"half.act.{op}.{tag}", (3, 8), dt, 3.0)}, f, tol=EXACT,
                  comment="the activation's composing ops, each rounded to the half type")

        # Reductions accumulate in the half type itself (MLX's SumReduce over bfloat16_t), mean is
        # that sum times 1/n in the half type, max is exact.
        for op, f in {"sum": mx.sum, "mean": mx.mean, "max": mx.max, "logsumexp": mx.logsumexp}.items():
            n = f"half.reduce.{op}.{tag}"
            s.add(n, op, {"axes": [-1], "keepdims": False, "form": "free"}, {"x": normal(n, (3, 24), dt, 2.0)},
                  lambda x, f=f: f(x, axis=-1), tol=EXACT)

        # Products: the half-type gemm accumulates in float32 along k (16-wide blocks, in order)
        # and rounds once; addmm folds alpha·AB + beta·C into that single rounding.
        n = f"half.matmul.{tag}"
        s.add(n, "matmul", {}, {"a": normal(n + "a", (3, 40), dt), "b": normal(n + "b", (40, 5), dt)}, mx.matmul,
              tol=EXACT, comment="k = 40 crosses two 16-wide blocks and a tail")
        n = f"half.matmul.batched_transposed.{tag}"
        s.add(n, "matmul", {}, {"a": normal(n + "a", (2, 3, 20), dt), "b": normal(n + "b", (6, 20), dt).T},
              mx.matmul, tol=EXACT, comment="a transposed operand (x @ W.T)")
        n = f"half.matmul.vector.{tag}"
        s.add(n, "matmul", {}, {"a": normal(n + "a", (17,), dt), "b": normal(n + "b", (17, 4), dt)}, mx.matmul,
              tol=EXACT)
        for label, alpha, beta in (("", 1.0, 1.0), (".alpha_beta", 0.5, 2.0)):
            n = f"half.addmm{label}.{tag}"
            s.add(n, "addmm", {"alpha": alpha, "beta": beta},
                  {"c": normal(n + "c", (4,), dt), "a": normal(n + "a", (3, 24), dt), "b": normal(n + "b", (24, 4), dt)},
                  lambda c, a, b, alpha=alpha, beta=beta: mx.addmm(c, a, b, alpha=alpha, beta=beta), tol=EXACT,
                  comment="one rounding of alpha * (a @ b) + beta * c")
        for label, with_bias in (("bias", True), ("nobias", False)):
            n = f"half.linear.{label}.{tag}"
            inputs = {"x": normal(n + "x", (2, 3, 24), dt), "weight": normal(n + "w", (5, 24), dt)}
            if with_bias:
                inputs["bias"] = normal(n + "b", (5,), dt)

            def linear(x: mx.array, weight: mx.array, bias: mx.array | None = None) -> mx.array:
                layer = nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None)
                layer.update({"weight": weight, **({"bias": bias} if bias is not None else {})})
                return layer(x)

            s.add(n, "linear", {}, inputs, linear, tol=EXACT, comment="nn.Linear with a bias is addmm")
        n = f"half.gather_mm.{tag}"
        s.add(n, "gather_mm", {"sorted": False},
              {"a": normal(n + "a", (4, 1, 1, 20), dt), "b": normal(n + "b", (3, 20, 6), dt),
               "rhs_indices": ints(n + "r", (4, 2), 0, 3)},
              lambda a, b, rhs_indices: mx.matmul(a, b[rhs_indices]), tol=EXACT, comment=GATHER_HALF)
        n = f"half.gather_mm.lhs_rhs.{tag}"
        s.add(n, "gather_mm", {"sorted": False},
              {"a": normal(n + "a", (3, 2, 20), dt), "b": normal(n + "b", (4, 20, 3), dt),
               "lhs_indices": i32([[0, 2], [1, 1]]), "rhs_indices": i32([[3, 0], [2, 2]])},
              lambda a, b, lhs_indices, rhs_indices: mx.matmul(a[lhs_indices], b[rhs_indices]), tol=EXACT,
              comment=GATHER_HALF)

        table = normal(f"half.emb.{tag}", (7, 24), dt)
        s.add(f"half.embedding.{tag}", "embedding", {}, {"weight": table, "indices": i32([[6, 0], [3, 3]])},
              lambda weight, indices: weight[indices], tol=EXACT)

        def as_linear(weight: mx.array, x: mx.array) -> mx.array:
            layer = nn.Embedding(weight.shape[0], weight.shape[1])
            layer.weight = weight
            return layer.as_linear(x)

        s.add(f"half.embedding.as_linear.{tag}", "embedding_as_linear", {},
              {"weight": table, "x": normal(f"half.embx.{tag}", (2, 24), dt)}, as_linear, tol=EXACT)

        # Softmax: the precise one is float32 throughout with one rounding; the default one keeps
        # the maximum, x - max, exp, the running sum and 1/sum in the half type.
        xs = normal(f"half.softmax.{tag}", (3, 33), dt, 3.0)
        xs = mx.where(mx.arange(33) == 7, -INF, xs).astype(dt)
        for precise in (False, True):
            s.add(f"half.softmax{'.precise' if precise else ''}.{tag}", "softmax", {"axes": [-1], "precise": precise},
                  {"x": xs}, lambda x, precise=precise: mx.softmax(x, axis=-1, precise=precise), tol=EXACT)

        for label, shape, eps, wdt in (("", (2, 3, 48), 1e-5, dt), (".eps_1e-6", (2, 24), 1e-6, dt),
                                       (".f32_weight", (2, 24), 1e-5, mx.float32)):
            n = f"half.rms_norm{label}.{tag}"
            w = (1.0 + normal(n + "w", (shape[-1],), scale=0.2)).astype(wdt)
            s.add(n, "rms_norm", {"eps": eps}, {"x": normal(n, shape, dt, 2.0), "weight": w},
                  lambda x, weight, eps=eps: mx.fast.rms_norm(x, weight, eps), tol=EXACT,
                  comment="float32 statistics, the normalized x rounded to the output type, then times the weight")

        rope_cases: list[tuple[str, tuple[int, ...], dict[str, Any], Any]] = [
            ("", (1, 2, 5, 16), {"dims": 16, "traditional": False, "base": 10000.0, "scale": 1.0}, 3),
            ("traditional", (1, 2, 5, 16), {"dims": 16, "traditional": True, "base": 10000.0, "scale": 1.0}, 3),
            ("partial_decode", (2, 2, 1, 16), {"dims": 8, "traditional": False, "base": 500000.0, "scale": 1.0}, 41),
            ("freqs_scale", (1, 2, 3, 16), {"dims": 16, "traditional": False, "base": None, "scale": 0.5}, 2),
            ("array_offset", (2, 2, 3, 8), {"dims": 8, "traditional": False, "base": 10000.0, "scale": 1.0}, "array1d"),
        ]
        for label, shape, params, offset in rope_cases:
            n = f"half.rope{'.' + label if label else ''}.{tag}"
            inputs: dict[str, mx.array] = {"x": normal(n, shape, dt, 2.0)}
            if params["base"] is None:
                inputs["freqs"] = uniform(n + "f", (params["dims"] // 2,), 1.0, 100.0)
            if offset == "array1d":
                inputs["offset"] = i32([0, 9])
            p = dict(params, offset=offset if isinstance(offset, int) else None)

            def rope(x: mx.array, freqs: mx.array | None = None, offset: mx.array | None = None,
                     p: dict[str, Any] = p) -> mx.array:
                off = p["offset"] if offset is None else offset
                return mx.fast.rope(x, p["dims"], traditional=p["traditional"], base=p["base"], scale=p["scale"],
                                    offset=off, freqs=freqs)

            s.add(n, "rope", p, inputs, rope, tol=EXACT,
                  comment="cos and sin rounded to the half type, each product and sum rounded")

        # Attention: scale·q rounded, q kᵀ through the half-type gemm, mask, a precise softmax,
        # then the product with v through the gemm again.
        sdpa_cases: list[tuple[str, int, int, int, int, str, bool]] = [
            ("causal_gqa", 4, 2, 3, 5, "causal", False),
            ("decode", 4, 1, 1, 6, "none", False),
            ("bool_mask", 2, 2, 3, 4, "bool", False),
            ("additive_mask", 4, 2, 2, 5, "additive", False),
            ("sinks_causal", 4, 2, 3, 4, "causal", True),
        ]
        for label, hq, hkv, lq, lk, mask, sinks in sdpa_cases:
            n = f"half.sdpa.{label}.{tag}"
            d = 16
            inputs = {"q": normal(n + "q", (1, hq, lq, d), dt), "k": normal(n + "k", (1, hkv, lk, d), dt),
                      "v": normal(n + "v", (1, hkv, lk, d), dt)}
            if mask == "bool":
                m = rng_for(n + "m").random((1, 1, lq, lk)) > 0.35
                m[..., 0] = True
                inputs["mask"] = mx.array(m)
            elif mask == "additive":
                inputs["mask"] = normal(n + "m", (lq, lk), dt, 2.0)
            if sinks:
                inputs["sinks"] = normal(n + "s", (hq,), dt)
            scale = 1.0 / math.sqrt(d)

            def sdpa(q: mx.array, k: mx.array, v: mx.array, mask: mx.array | None = None,
                     sinks: mx.array | None = None, kind: str = mask, scale: float = scale) -> mx.array:
                m: Any = "causal" if kind == "causal" else mask
                return mx.fast.scaled_dot_product_attention(q, k, v, scale=scale, mask=m, sinks=sinks)

            s.add(n, "sdpa", {"scale": scale, "mask": mask, "api": "mode"}, inputs, sdpa, tol=EXACT)


# ----------------------------------------------------------------------------------------------
# Quantization: mx.quantize / dequantize / quantized_matmul / gather_qmm and the quantized layers.
# MLX's CPU kernels are plain sequential loops (no SIMD on x86-64: simd::max_size is 1), so every
# case here is deterministic and compared bit for bit.
# ----------------------------------------------------------------------------------------------

QUANT_DTYPES = {"f32": mx.float32, "bf16": mx.bfloat16, "f16": mx.float16}


def qparams(group_size: int | None, bits: int | None, **extra: Any) -> dict[str, Any]:
    return {"group_size": group_size, "bits": bits, **extra}


def quantized_weight(name: str, shape: tuple[int, ...], group_size: int, bits: int,
                     dtype: Any = mx.float32) -> tuple[mx.array, mx.array, mx.array]:
    w = normal(name, shape, dtype, scale=0.5)
    wq, scales, biases = mx.quantize(w, group_size, bits)
    return wq, scales, biases


def quantization(s: Suite) -> None:
    # quantize: packing, scales and biases, one or two groups per row.
    for bits in (2, 3, 4, 5, 6, 8):
        for gs in (32, 64, 128):
            n = f"quantize.b{bits}.g{gs}"
            s.add(n, "quantize", qparams(gs, bits), {"w": normal(n, (2, 64) if gs < 128 else (1, 128))},
                  lambda w, gs=gs, bits=bits: mx.quantize(w, gs, bits), tol=EXACT)
    s.add("quantize.defaults", "quantize", qparams(None, None), {"w": normal("qdef", (3, 64))},
          lambda w: mx.quantize(w), tol=EXACT, comment="group size 64 and 4 bits when not given")
    for tag, dt in (("bf16", mx.bfloat16), ("f16", mx.float16)):
        for bits, gs in ((4, 64), (8, 32), (3, 32)):
            n = f"quantize.{tag}.b{bits}.g{gs}"
            s.add(n, "quantize", qparams(gs, bits), {"w": normal(n, (2, 64), dt)},
                  lambda w, gs=gs, bits=bits: mx.quantize(w, gs, bits), tol=EXACT,
                  comment="computed in float32 from the half values; scales and biases rounded once")
    # Groups that exercise the scale/bias rules: constant groups (scale falls back to 1e-7),
    # all zeros, a zero edge (q0 == 0 keeps bias 0), one-signed groups, an outlier, exact ties.
    edge = np.zeros((8, 32), dtype=np.float32)
    r = rng_for("quantize.edge")
    edge[0] = 0.75
    edge[1] = 0.0
    edge[2] = -3.0
    edge[3] = r.uniform(0.0, 1.0, 32)
    edge[3, 5] = 0.0
    edge[4] = r.uniform(-2.0, -0.5, 32)
    edge[5] = r.standard_normal(32) * 0.01
    edge[5, 17] = 40.0
    edge[6] = np.linspace(-1.0, 1.0, 32)
    edge[7] = np.append(np.arange(31) / 2, 15.0)  # q lands on .5 ties: rint rounds them to even
    for bits in (2, 4, 8):
        s.add(f"quantize.edge.b{bits}", "quantize", qparams(32, bits), {"w": f32(edge)},
              lambda w, bits=bits: mx.quantize(w, 32, bits), tol=EXACT)
    s.add("quantize.batched", "quantize", qparams(32, 4), {"w": normal("qbatch", (2, 3, 64))},
          lambda w: mx.quantize(w, 32, 4), tol=EXACT, comment="stacked expert weights: every leading axis kept")

    # dequantize: scale * q + bias in the scales' dtype (each op rounded), cast to `dtype` if given.
    for bits in (2, 3, 4, 5, 6, 8):
        n = f"dequantize.b{bits}.g64"
        wq, sc, bi = quantized_weight(n, (2, 64), 64, bits)
        s.add(n, "dequantize", qparams(64, bits), {"wq": wq, "scales": sc, "biases": bi},
              lambda wq, scales, biases, bits=bits: mx.dequantize(wq, scales, biases, 64, bits), tol=EXACT)
    for tag in ("bf16", "f16"):
        for bits, gs in ((4, 64), (8, 32), (6, 128)):
            n = f"dequantize.{tag}.b{bits}.g{gs}"
            wq, sc, bi = quantized_weight(n, (1, 128) if gs == 128 else (2, 64), gs, bits, QUANT_DTYPES[tag])
            s.add(n, "dequantize", qparams(gs, bits), {"wq": wq, "scales": sc, "biases": bi},
                  lambda wq, scales, biases, gs=gs, bits=bits: mx.dequantize(wq, scales, biases, gs, bits), tol=EXACT)
    wq, sc, bi = quantized_weight("dequantize.dtype", (2, 64), 32, 4, mx.bfloat16)
    s.add("dequantize.bf16_to_f32", "dequantize", qparams(32, 4, dtype="float32"), {"wq": wq, "scales": sc, "biases": bi},
          lambda wq, scales, biases: mx.dequantize(wq, scales, biases, 32, 4, dtype=mx.float32), tol=EXACT,
          comment="computed in bfloat16, then cast")
    wq, sc, bi = quantized_weight("dequantize.defaults", (2, 3, 64), 64, 4)
    s.add("dequantize.defaults_batched", "dequantize", qparams(None, None), {"wq": wq, "scales": sc, "biases": bi},
          lambda wq, scales, biases: mx.dequantize(wq, scales, biases), tol=EXACT)

    # quantized_matmul: x [.., M, K] against W [N, K] (transpose) or [K, N], accumulated over k in
    # the compute dtype with every multiply and add rounded (MLX's _qmm / _qmm_t loops).
    def qmm(x: mx.array, wq: mx.array, scales: mx.array, biases: mx.array, transpose: bool = True,
            gs: int | None = 64, bits: int | None = 4) -> mx.array:
        return mx.quantized_matmul(x, wq, scales, biases, transpose=transpose, group_size=gs, bits=bits)

    qmm_cases: list[tuple[str, int, int, bool, str, str, tuple[int, ...], int]] = [
        # tag, bits, group size, transpose, x dtype, weight dtype, x shape, N
        *[(f"b{b}.g64", b, 64, True, "f32", "f32", (2, 128), 4) for b in (2, 3, 4, 5, 6, 8)],
        ("b4.g32", 4, 32, True, "f32", "f32", (2, 64), 4),
        ("b4.g128", 4, 128, True, "f32", "f32", (2, 128), 4),
        ("b8.g128", 8, 128, True, "f32", "f32", (1, 128), 4),
        ("b2.g32", 2, 32, True, "f32", "f32", (2, 64), 4),
        ("b4.g64.notrans", 4, 64, False, "f32", "f32", (2, 16), 64),
        ("b8.g32.notrans", 8, 32, False, "f32", "f32", (2, 8), 64),
        ("b3.g32.notrans", 3, 32, False, "f32", "f32", (2, 16), 32),
        ("b4.g64.batched_x", 4, 64, True, "f32", "f32", (2, 2, 64), 4),
        ("b4.g64.vector_x", 4, 64, True, "f32", "f32", (64,), 4),
        ("bf16.b4.g64", 4, 64, True, "bf16", "bf16", (3, 128), 4),
        ("bf16.b8.g32", 8, 32, True, "bf16", "bf16", (2, 128), 4),
        ("bf16.b3.g64", 3, 64, True, "bf16", "bf16", (2, 64), 4),
        ("bf16.b4.g32.notrans", 4, 32, False, "bf16", "bf16", (2, 16), 64),
        ("bf16.b4.g64.decode", 4, 64, True, "bf16", "bf16", (1, 1, 256), 8),
        ("f16.b4.g64", 4, 64, True, "f16", "f16", (3, 128), 4),
        ("f16.b8.g64.notrans", 8, 64, False, "f16", "f16", (2, 16), 64),
        ("mixed.bf16_x.f32_w", 4, 64, True, "bf16", "f32", (2, 64), 4),
        ("mixed.f32_x.bf16_w", 4, 64, True, "f32", "bf16", (2, 64), 4),
        ("mixed.f16_x.bf16_w", 8, 32, True, "f16", "bf16", (2, 64), 4),
    ]
    for tag, bits, gs, transpose, xdt, wdt, xshape, n_out in qmm_cases:
        name = f"qmm.{tag}"
        k = xshape[-1]
        wq, sc, bi = quantized_weight(name + "w", (n_out, k) if transpose else (k, n_out), gs, bits, QUANT_DTYPES[wdt])
        x = normal(name + "x", xshape, QUANT_DTYPES[xdt])
        s.add(name, "quantized_matmul", qparams(gs, bits, transpose=transpose),
              {"x": x, "wq": wq, "scales": sc, "biases": bi},
              lambda x, wq, scales, biases, t=transpose, gs=gs, bits=bits: qmm(x, wq, scales, biases, t, gs, bits),
              tol=EXACT, comment="" if xdt == wdt else "x and the scales promote to a common type")
    wq, sc, bi = quantized_weight("qmm.batched_w", (2, 4, 64), 64, 4)
    s.add("qmm.batched_w", "quantized_matmul", qparams(64, 4, transpose=True),
          {"x": normal("qmm.batched_wx", (3, 1, 2, 64)), "wq": wq, "scales": sc, "biases": bi},
          lambda x, wq, scales, biases: qmm(x, wq, scales, biases), tol=EXACT,
          comment="batch axes of x and w broadcast together")
    wq, sc, bi = quantized_weight("qmm.defaults", (4, 64), 64, 4)
    s.add("qmm.defaults", "quantized_matmul", qparams(None, None, transpose=None),
          {"x": normal("qmm.defaultsx", (2, 64)), "wq": wq, "scales": sc, "biases": bi},
          lambda x, wq, scales, biases: mx.quantized_matmul(x, wq, scales, biases), tol=EXACT,
          comment="transpose true, group size 64, 4 bits by default")

    # gather_qmm: the quantized switch layers of MoE models (x [tokens, 1, 1, K] against the
    # experts [E, N, K] picked by rhs_indices [tokens, top_k]).
    def gather_qmm(x: mx.array, wq: mx.array, scales: mx.array, biases: mx.array,
                   lhs_indices: mx.array | None = None, rhs_indices: mx.array | None = None,
                   transpose: bool = True, gs: int = 64, bits: int = 4, sorted_indices: bool = False) -> mx.array:
        return mx.gather_qmm(x, wq, scales, biases, lhs_indices, rhs_indices, transpose=transpose,
                             group_size=gs, bits=bits, sorted_indices=sorted_indices)

    gq_cases: list[tuple[str, int, int, bool, str, tuple[int, ...], tuple[int, ...], dict[str, mx.array], bool]] = [
        # tag, bits, gs, transpose, dtype, x shape, w float shape, indices, sorted
        ("moe.b4", 4, 64, True, "f32", (5, 1, 1, 64), (4, 4, 64), {"rhs_indices": ints("gq1.r", (5, 2), 0, 4)}, False),
        ("moe.b8.g32", 8, 32, True, "f32", (3, 1, 1, 64), (4, 4, 64), {"rhs_indices": ints("gq2.r", (3, 2), 0, 4)}, False),
        ("moe.bf16.b4", 4, 64, True, "bf16", (5, 1, 1, 128), (4, 4, 128), {"rhs_indices": ints("gq3.r", (5, 2), 0, 4)}, False),
        ("moe.f16.b4", 4, 64, True, "f16", (3, 1, 1, 64), (3, 4, 64), {"rhs_indices": ints("gq4.r", (3, 2), 0, 3)}, False),
        ("lhs_rhs.notrans", 4, 32, False, "f32", (3, 2, 8), (5, 8, 32),
         {"lhs_indices": i32([[0, 1], [2, 0]]), "rhs_indices": i32([[4, 0], [1, 1]])}, False),
        ("sorted", 4, 64, True, "f32", (8, 1, 64), (4, 4, 64), {"rhs_indices": i32([0, 0, 1, 1, 1, 3, 3, 3])}, True),
        ("lhs_only", 8, 64, True, "bf16", (3, 2, 64), (4, 64), {"lhs_indices": i32([2, 2, 0, 1])}, False),
    ]
    for tag, bits, gs, transpose, dt, xshape, wshape, idx, sorted_idx in gq_cases:
        name = f"gather_qmm.{tag}"
        wq, sc, bi = quantized_weight(name + "w", wshape, gs, bits, QUANT_DTYPES[dt])
        inputs = {"x": normal(name + "x", xshape, QUANT_DTYPES[dt]), "wq": wq, "scales": sc, "biases": bi, **idx}
        s.add(name, "gather_qmm", qparams(gs, bits, transpose=transpose, sorted=sorted_idx), inputs,
              lambda t=transpose, gs=gs, bits=bits, so=sorted_idx, **kw: gather_qmm(**kw, transpose=t, gs=gs, bits=bits,
                                                                                  sorted_indices=so),
              tol=EXACT)

    # The quantized layers, with the parameters MLX writes (weight uint32, scales, biases, bias).
    def qlinear(x: mx.array, wq: mx.array, scales: mx.array, biases: mx.array, bias: mx.array | None = None,
                gs: int = 64, bits: int = 4) -> mx.array:
        layer = nn.QuantizedLinear(wq.shape[1] * 32 // bits, wq.shape[0], bias=bias is not None, group_size=gs, bits=bits)
        layer.update({"weight": wq, "scales": scales, "biases": biases, **({"bias": bias} if bias is not None else {})})
        return layer(x)

    for tag, dt, bits, gs, with_bias in (("f32.b4", "f32", 4, 64, True), ("f32.b8.nobias", "f32", 8, 32, False),
                                         ("bf16.b4", "bf16", 4, 64, True), ("f16.b8", "f16", 8, 64, True)):
        name = f"quantized_linear.{tag}"
        wq, sc, bi = quantized_weight(name + "w", (4, 64), gs, bits, QUANT_DTYPES[dt])
        inputs = {"x": normal(name + "x", (2, 2, 64), QUANT_DTYPES[dt]), "wq": wq, "scales": sc, "biases": bi}
        if with_bias:
            inputs["bias"] = normal(name + "b", (4,), QUANT_DTYPES[dt])
        s.add(name, "quantized_linear", qparams(gs, bits), inputs,
              lambda gs=gs, bits=bits, **kw: qlinear(**kw, gs=gs, bits=bits), tol=EXACT,
              comment="quantized_matmul, then + bias (not fused)")

    def qlinear_fp(x: mx.array, wq: mx.array, scales: mx.array, bias: mx.array, mode: str) -> mx.array:
        layer = nn.QuantizedLinear(wq.shape[1] * 8, wq.shape[0], bias=True, mode=mode)
        layer.update({"weight": wq, "scales": scales, "bias": bias})
        return layer(x)

    def qlinear_from(x: mx.array, weight: mx.array, bias: mx.array, gs: int = 64, bits: int = 4) -> list[mx.array]:
        lin = nn.Linear(weight.shape[1], weight.shape[0])
        lin.update({"weight": weight, "bias": bias})
        q = nn.QuantizedLinear.from_linear(lin, gs, bits)
        return [q(x), q.weight, q.scales, q.biases]

    for tag, dt in (("f32", mx.float32), ("bf16", mx.bfloat16)):
        name = f"quantized_linear_from.{tag}"
        s.add(name, "quantized_linear_from", qparams(32, 4),
              {"x": normal(name + "x", (2, 64), dt), "weight": normal(name + "w", (4, 64), dt, 0.3),
               "bias": normal(name + "b", (4,), dt)},
              lambda **kw: qlinear_from(**kw, gs=32, bits=4), tol=EXACT,
              comment="QuantizedLinear(linear) quantizes the float weight itself")

    def qembedding(wq: mx.array, scales: mx.array, biases: mx.array, indices: mx.array | None = None,
                   x: mx.array | None = None, gs: int = 64, bits: int = 4) -> mx.array:
        layer = nn.QuantizedEmbedding(wq.shape[0], wq.shape[1] * 32 // bits, gs, bits)
        layer.update({"weight": wq, "scales": scales, "biases": biases})
        return layer(indices) if indices is not None else layer.as_linear(x)

    for tag, dt, bits, gs in (("f32.b4", "f32", 4, 64), ("bf16.b4", "bf16", 4, 64), ("bf16.b8", "bf16", 8, 32),
                              ("f16.b6", "f16", 6, 64)):
        name = f"quantized_embedding.{tag}"
        wq, sc, bi = quantized_weight(name + "w", (10, 64), gs, bits, QUANT_DTYPES[dt])
        s.add(name, "quantized_embedding", qparams(gs, bits),
              {"wq": wq, "scales": sc, "biases": bi, "indices": i32([[3, 0, 9], [3, 7, 1]])},
              lambda gs=gs, bits=bits, **kw: qembedding(**kw, gs=gs, bits=bits), tol=EXACT,
              comment="the selected rows dequantized")
        s.add(name + ".as_linear", "quantized_embedding_as_linear", qparams(gs, bits),
              {"wq": wq, "scales": sc, "biases": bi, "x": normal(name + "x", (2, 1, 64), QUANT_DTYPES[dt])},
              lambda gs=gs, bits=bits, **kw: qembedding(**kw, gs=gs, bits=bits), tol=EXACT,
              comment="a tied output head: quantized_matmul against the table")

    # Microscaled formats (gpt-oss checkpoints ship mxfp4 experts): 32-wide groups sharing a
    # power-of-two scale stored as a biased exponent (uint8), no biases. MLX quantizes and
    # dequantizes them with composed ops (rounded in the input / output dtype), and multiplies
    # with group sums scaled once per group.
    for mode in ("mxfp4", "mxfp8"):
        for tag, dt in QUANT_DTYPES.items():
            n = f"quantize.{mode}.{tag}"
            w = normal(n, (2, 64), dt, 3.0)
            if tag == "f32":
                # exact fp4 ties (0.25, 0.75, 2.5 once scaled), a zero group, values past the fp8 range
                w = mx.concatenate([w[:1], f32(np.concatenate([np.array([0.25, 0.75, 2.5, -0.25, -0.75, -2.5, 6.0, 5.0]),
                                                               np.linspace(-1.0, 1.0, 24), np.zeros(32)]))[None]], 0)
            s.add(n, "quantize", qparams(None, None, mode=mode), {"w": w},
                  lambda w, mode=mode: mx.quantize(w, mode=mode), tol=EXACT)
        for tag, out in (("bf16", None), ("f32", "float32"), ("f16", "float16")):
            n = f"dequantize.{mode}.{tag}"
            wq, sc = mx.quantize(normal(n, (2, 64), scale=2.0), mode=mode)
            s.add(n, "dequantize", qparams(None, None, mode=mode, **({"dtype": out} if out else {})),
                  {"wq": wq, "scales": sc},
                  lambda wq, scales, mode=mode, out=out: mx.dequantize(wq, scales, mode=mode,
                                                                        dtype=BY_NAME[out] if out else None),
                  tol=EXACT, comment="bfloat16 unless a dtype is given")
        for tag, transpose, xshape, wshape in (("f32", True, (2, 64), (4, 64)), ("bf16", True, (3, 64), (4, 64)),
                                               ("f16.notrans", False, (2, 8), (8, 64)),
                                               ("bf16.notrans", False, (2, 8), (8, 64))):
            n = f"qmm.{mode}.{tag}"
            dt = QUANT_DTYPES[tag.split(".")[0]]
            wq, sc = mx.quantize(normal(n + "w", wshape, dt), mode=mode)
            s.add(n, "quantized_matmul", qparams(None, None, transpose=transpose, mode=mode),
                  {"x": normal(n + "x", xshape, dt), "wq": wq, "scales": sc},
                  lambda x, wq, scales, mode=mode, t=transpose: mx.quantized_matmul(x, wq, scales, transpose=t, mode=mode),
                  tol=EXACT, comment="the output keeps x's dtype")
    for tag, dt in (("f32", mx.float32), ("bf16", mx.bfloat16)):
        n = f"gather_qmm.mxfp4.moe.{tag}"
        wq, sc = mx.quantize(normal(n + "w", (4, 4, 64), dt), mode="mxfp4")
        s.add(n, "gather_qmm", qparams(None, None, transpose=True, sorted=False, mode="mxfp4"),
              {"x": normal(n + "x", (3, 1, 1, 64), dt), "wq": wq, "scales": sc, "rhs_indices": ints(n + "r", (3, 2), 0, 4)},
              lambda x, wq, scales, rhs_indices: mx.gather_qmm(x, wq, scales, rhs_indices=rhs_indices, mode="mxfp4"),
              tol=EXACT)
    n = "quantized_linear.mxfp4.bf16"
    wq, sc = mx.quantize(normal(n + "w", (4, 64), mx.bfloat16), mode="mxfp4")
    s.add(n, "quantized_linear", qparams(32, 4, mode="mxfp4"),
          {"x": normal(n + "x", (2, 64), mx.bfloat16), "wq": wq, "scales": sc, "bias": normal(n + "b", (4,), mx.bfloat16)},
          lambda x, wq, scales, bias: qlinear_fp(x, wq, scales, bias, "mxfp4"), tol=EXACT)

    # Hugging Face gpt-oss checkpoints store mxfp4 experts as uint8 blocks [E, N, K/32, 16];
    # mlx-lm reads them as the packed weight with view(uint32) and a flatten of the last two axes.
    blocks = mx.array(rng_for("view.blocks").integers(0, 256, (2, 3, 2, 16)).astype(np.uint8))
    s.add("view.uint8_to_uint32", "view", {"dtype": "uint32"}, {"x": blocks},
          lambda x: x.view(mx.uint32), tol=EXACT, comment="little-endian: byte 0 is the low byte of word 0")
    s.add("view.uint32_to_uint8", "view", {"dtype": "uint8"},
          {"x": mx.array(np.array([[0x01020304, 0xFFEE0080]], dtype=np.uint32))}, lambda x: x.view(mx.uint8), tol=EXACT)

    # Odd corners of the affine ops: a 2-D x against a stacked w uses w's first matrix (MLX
    # broadcasts batch axes only when both operands have them); mixed scale and bias types.
    wq, sc, bi = quantized_weight("qmm.x2d_w3d", (2, 4, 64), 64, 4)
    s.add("qmm.x2d_w3d", "quantized_matmul", qparams(64, 4, transpose=True),
          {"x": normal("qmm.x2d_w3dx", (2, 64)), "wq": wq, "scales": sc, "biases": bi},
          lambda x, wq, scales, biases: qmm(x, wq, scales, biases), tol=EXACT,
          comment="MLX's output has x's shape and uses the first matrix of w")
    wq, sc, bi = quantized_weight("dequantize.mixed", (2, 64), 32, 4)
    s.add("dequantize.bf16_scales_f32_biases", "dequantize", qparams(32, 4),
          {"wq": wq, "scales": sc.astype(mx.bfloat16), "biases": bi},
          lambda wq, scales, biases: mx.dequantize(wq, scales, biases, 32, 4), tol=EXACT,
          comment="q * scales rounds to bfloat16, + biases to float32")

    # A module quantized the way mlx_lm.convert writes checkpoints (nn.quantize with a per-layer
    # override, one layer left in float), loaded in Swift by quantize(model:filter:) on the layers
    # whose `.scales` exist, then update(parameters:verify: .all).
    for tag, dt in (("f32", mx.float32), ("bf16", mx.bfloat16)):
        name = f"quantized_module.{tag}"
        model = TinyQuantModel()
        model.update(tree_unflatten([(k, normal(f"{name}.{k}", v.shape, dt, 0.5))
                                     for k, v in tree_flatten(model.parameters())]))
        overrides = {"proj": {"group_size": 64, "bits": 8}}

        def predicate(path: str, module: nn.Module) -> bool | dict[str, Any]:
            if path in overrides:
                return overrides[path]
            return path != "head" and hasattr(module, "to_quantized")

        nn.quantize(model, group_size=32, bits=4, class_predicate=predicate)
        params = dict(tree_flatten(model.parameters()))
        s.add(name, "quantized_module", {"group_size": 32, "bits": 4, "layers": overrides},
              {**params, "tokens": i32([[1, 11, 4], [0, 5, 5]])},
              lambda model=model, **kw: list(model(kw["tokens"])), tol=EXACT,
              comment="per-layer quantization as in config.json's quantization block; head stays float")


class TinyQuantModel(nn.Module):
    """embed -> proj (+ bias) -> head, and the embedding reused as a tied head (as_linear)."""

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(12, 64)
        self.proj = nn.Linear(64, 64, bias=True)
        self.head = nn.Linear(64, 6, bias=False)

    def __call__(self, tokens: mx.array) -> tuple[mx.array, mx.array]:
        h = self.proj(self.embed(tokens))
        return self.head(h), self.embed.as_linear(h)


def build_suite() -> Suite:
    s = Suite()
    for group in (elementwise, unary, reductions, softmaxes, matmuls, shapes, indexing, casts, fast_ops, nn_ops,
                  low_precision, quantization):
        group(s)
    return s


# ----------------------------------------------------------------------------------------------
# Serialization: safetensors written by hand so that key order and header bytes are fixed.
# ----------------------------------------------------------------------------------------------


def to_numpy(a: mx.array) -> np.ndarray:
    if a.dtype == mx.bfloat16:
        return np.array(a.view(mx.uint16))
    return np.array(a)


def tensor_names(case: Case) -> tuple[dict[str, str], list[str]]:
    inputs = {role: f"{case.name}/{role}" for role in case.inputs}
    outputs = [f"{case.name}/out" if len(case.outputs) == 1 else f"{case.name}/out{i}" for i in range(len(case.outputs))]
    return inputs, outputs


def tensors_and_manifest(s: Suite) -> tuple[dict[str, mx.array], dict[str, Any]]:
    tensors: dict[str, mx.array] = {}
    cases = []
    for c in s.cases:
        inputs, outputs = tensor_names(c)
        for role, a in c.inputs.items():
            tensors[inputs[role]] = a
        for name, a in zip(outputs, c.outputs):
            tensors[name] = a
        entry: dict[str, Any] = {
            "name": c.name,
            "op": c.op,
            "params": {k: json_number(v) if isinstance(v, float) else v for k, v in c.params.items()},
            "inputs": inputs,
            "outputs": outputs,
            "rtol": c.tol[0],
            "atol": c.tol[1],
            "check": c.check,
        }
        if c.comment:
            entry["comment"] = c.comment
        cases.append(entry)
    for name, a in tensors.items():
        if a.dtype not in DTYPES:
            raise TypeError(f"{name}: dtype {a.dtype} has no fixture encoding")
    manifest = {
        "format": FORMAT,
        "mlx_version": mx.__version__,
        "generator": "tools/make_op_fixtures.py",
        "tensors": "ops.safetensors",
        "tolerance_rule": "|actual - expected| <= atol + rtol * |expected|; nan matches nan, inf matches inf of the same sign; dtype and shape must match exactly",
        "checks": {
            "close": "element-wise within tolerance",
            "partition": "argPartition contract: each row is a permutation, the value at kth equals the expected one, no smaller value after it and no larger before it",
            "sort": "argSort contract: each row is a permutation and the gathered values equal the expected gathered values",
        },
        "cases": cases,
    }
    return tensors, manifest


def encode_safetensors(tensors: dict[str, mx.array]) -> bytes:
    header: dict[str, Any] = {"__metadata__": {"format": FORMAT}}
    blobs: list[bytes] = []
    offset = 0
    for name in sorted(tensors):
        a = tensors[name]
        raw = np.ascontiguousarray(to_numpy(a)).tobytes()
        header[name] = {"dtype": DTYPES[a.dtype][0], "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def decode_safetensors(data: bytes) -> dict[str, tuple[str, np.ndarray]]:
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    base = 8 + n
    out: dict[str, tuple[str, np.ndarray]] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        arr = np.frombuffer(data[base + start : base + end], dtype=BY_CODE[info["dtype"]]).reshape(info["shape"])
        out[name] = (info["dtype"], arr)
    return out


def manifest_text(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=1, sort_keys=False, allow_nan=False) + "\n"


# ----------------------------------------------------------------------------------------------
# --check: the committed fixtures must be what this MLX computes, within each case's tolerance.
# ----------------------------------------------------------------------------------------------


def as_float(code: str, a: np.ndarray) -> np.ndarray:
    if code == "BF16":
        return (a.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return a.astype(np.float64)


def close_mismatch(exp: np.ndarray, act: np.ndarray, rtol: float, atol: float) -> str | None:
    both_nan = np.isnan(exp) & np.isnan(act)
    same_inf = np.isinf(exp) & (exp == act)
    with np.errstate(invalid="ignore"):
        ok = both_nan | same_inf | (np.abs(act - exp) <= atol + rtol * np.abs(exp))
    if ok.all():
        return None
    worst = np.where(ok, 0.0, np.nan_to_num(np.abs(act - exp), nan=np.inf, posinf=np.inf))
    i = np.unravel_index(int(np.argmax(worst)), exp.shape)
    return f"at index {list(map(int, i))}: expected {float(exp[i])!r}, actual {float(act[i])!r} (rtol {rtol}, atol {atol})"


def contract_mismatch(check: str, x: np.ndarray, exp: np.ndarray, act: np.ndarray, params: dict[str, Any]) -> str | None:
    axis = params.get("axis", -1)
    xs = np.moveaxis(x, axis, -1).reshape(-1, x.shape[axis])
    es = np.moveaxis(exp, axis, -1).reshape(xs.shape).astype(np.int64)
    acts = np.moveaxis(act, axis, -1).reshape(xs.shape).astype(np.int64)
    n = xs.shape[1]
    for row in range(xs.shape[0]):
        if sorted(acts[row].tolist()) != list(range(n)):
            return f"row {row}: {acts[row].tolist()} is not a permutation of 0..<{n}"
        got = xs[row][acts[row]]
        want = xs[row][es[row]]
        if check == "sort":
            if not np.array_equal(got, want):
                return f"row {row}: gathered values {got.tolist()} != expected {want.tolist()}"
        else:
            k = params["kth"] % n
            if got[k] != want[k] or (got[:k] > got[k]).any() or (got[k + 1 :] < got[k]).any():
                return f"row {row}: gathered values {got.tolist()} do not partition at kth={k} around {want[k]}"
    return None


def check(s: Suite) -> int:
    tensors, manifest = tensors_and_manifest(s)
    problems: list[str] = []
    try:
        committed_manifest = json.loads(MANIFEST_FILE.read_text())
        committed = decode_safetensors(TENSORS_FILE.read_bytes())
    except FileNotFoundError as e:
        print(f"make_op_fixtures --check: missing {e.filename}; run tools/make_op_fixtures.py", file=sys.stderr)
        return 1
    if committed_manifest.get("mlx_version") != manifest["mlx_version"]:
        print(f"make_op_fixtures --check: note: fixtures were made with MLX {committed_manifest.get('mlx_version')}, "
              f"this is MLX {manifest['mlx_version']}; comparing within tolerance", file=sys.stderr)
    want_cases = {c["name"]: c for c in manifest["cases"]}
    have_cases = {c["name"]: c for c in committed_manifest.get("cases", [])}
    for name in sorted(want_cases.keys() - have_cases.keys()):
        problems.append(f"case {name}: missing from the committed manifest")
    for name in sorted(have_cases.keys() - want_cases.keys()):
        problems.append(f"case {name}: in the committed manifest but no longer generated")
    extra = committed.keys() - tensors.keys()
    if extra:
        problems.append(f"the committed safetensors has tensors no case names: {sorted(extra)[:5]}")

    for c in s.cases:
        name = c.name
        if name not in have_cases:
            continue
        want = want_cases[name]
        have = have_cases[name]
        if {k: v for k, v in want.items()} != have:
            problems.append(f"case {name}: manifest entry differs: committed {json.dumps(have)} vs computed {json.dumps(want)}")
            continue
        inputs, outputs = tensor_names(c)
        for tname in list(inputs.values()) + outputs:
            if tname not in committed:
                problems.append(f"case {name}: tensor {tname} missing from ops.safetensors")
        if any(t not in committed for t in list(inputs.values()) + outputs):
            continue
        for role, tname in inputs.items():
            code, arr = committed[tname]
            mine = to_numpy(c.inputs[role])
            if code != DTYPES[c.inputs[role].dtype][0] or arr.shape != mine.shape or arr.tobytes() != mine.tobytes():
                problems.append(f"case {name}: input {role} differs from the generated one")
        for i, tname in enumerate(outputs):
            code, arr = committed[tname]
            mine_mx = c.outputs[i]
            mine = to_numpy(mine_mx)
            my_code = DTYPES[mine_mx.dtype][0]
            if code != my_code or arr.shape != mine.shape:
                problems.append(f"case {name}: output {i}: committed {code}{list(arr.shape)} vs MLX {my_code}{list(mine.shape)}")
                continue
            if c.check in ("partition", "sort"):
                x = as_float(*committed[inputs["x"]])
                msg = contract_mismatch(c.check, x, arr, mine, c.params)
            else:
                msg = close_mismatch(as_float(code, arr), as_float(my_code, mine), c.tol[0], c.tol[1])
            if msg:
                problems.append(f"case {name}: output {i} {msg}")
    for p in problems:
        print(f"make_op_fixtures --check: MISMATCH {p}", file=sys.stderr)
    if problems:
        print(f"make_op_fixtures --check: {len(problems)} problem(s) in {len(s.cases)} cases; "
              "regenerate with tools/make_op_fixtures.py if MLX is right", file=sys.stderr)
        return 1
    print(f"make_op_fixtures --check: {len(s.cases)} cases match MLX {mx.__version__}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="recompute and compare with the committed fixtures")
    args = parser.parse_args()
    mx.set_default_device(mx.cpu)
    suite = build_suite()
    if args.check:
        return check(suite)
    tensors, manifest = tensors_and_manifest(suite)
    FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
    TENSORS_FILE.write_bytes(encode_safetensors(tensors))
    MANIFEST_FILE.write_text(manifest_text(manifest))
    print(f"wrote {len(suite.cases)} cases, {len(tensors)} tensors: "
          f"{TENSORS_FILE.relative_to(ROOT)} ({TENSORS_FILE.stat().st_size} bytes), "
          f"{MANIFEST_FILE.relative_to(ROOT)} ({MANIFEST_FILE.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
