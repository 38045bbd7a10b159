"""A hint to the processor, from compiled code, to fetch a row of an array into cache ahead of its use.

Placing the starting stock's pending cases visits people in the order they joined
the court docket, which is random in memory: every row read or written is a cache
miss. Asking for the rows of the person a few places ahead lets those misses
overlap. A prefetch never faults and changes no value, only timing.
"""

from __future__ import annotations

import llvmlite.ir as ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic


@intrinsic
def _prefetch_row(typingctx, arr, row):
    """LLVM's prefetch (for writing, high locality) of the first and the last byte of arr[row]'s span of memory
    (its stride along the first axis: a row of a 2-D array, or a whole record under a view of its first field),
    so a span of up to 64 bytes that crosses a cache line is fetched whole."""
    if not isinstance(arr, types.Array) or not isinstance(row, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        aryty = sig.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        index = [context.cast(builder, args[1], sig.args[1], types.intp)]
        index += [context.get_constant(types.intp, 0)] * (aryty.ndim - 1)
        ptr = cgutils.get_item_pointer2(context, builder, ary.data, cgutils.unpack_tuple(builder, ary.shape),
                                        cgutils.unpack_tuple(builder, ary.strides), aryty.layout, index,
                                        wraparound=False, boundscheck=False)
        i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]),
                                            "llvm.prefetch.p0")
        first = builder.bitcast(ptr, i8p)
        span = cgutils.unpack_tuple(builder, ary.strides)[0]
        last = builder.gep(first, [builder.sub(span, context.get_constant(types.intp, 1))])
        for at in (first, last):
            builder.call(fn, [at, ir.Constant(i32, 1), ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return types.void(arr, row), codegen


@njit(cache=True)
def prefetch_row(arr, row):
    """Start fetching arr[row], its whole span of up to 64 bytes (rows outside the array are ignored)."""
    if 0 <= row < arr.shape[0]:
        _prefetch_row(arr, row)
