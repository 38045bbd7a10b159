"""The run's arrays as one compiled struct passed by reference, so a stage call costs a pointer, not 100 arrays.

`Sim` and `Params` (see `world`) are tuples of arrays; passed to compiled code as
they are, every call would copy and reference-count each array. A bundle is a
Numba StructRef holding the same arrays (state, parameters and random-stream
keys in one, so a call passes one pointer), *borrowed*: their memory stays owned
by the `World` (and its NumPy arrays). Neither the bundle nor its arrays carry a
reference count in compiled code (`_UncountedModel`, `BorrowedArray`), so a call
into a stage or a read of `S.counts` costs a load and nothing else. The price is
a rule: a bundle must not outlive the World it was made from (its Python proxy
holds its one reference). The day loop makes one per block of days and drops it after.
"""

from __future__ import annotations

from numba import njit, types
from numba.core import cgutils
from numba.core.datamodel import default_manager, models
from numba.experimental import structref
from numba.core.imputils import lower_cast
from numba.extending import NativeValue, box, intrinsic, register_model, unbox

from .agenda import Agenda
from .links import DList
from .pools import Pools
from .registry import PARAM_FIELDS
from .world import SIM_FIELDS, World


class _Fields(types.StructRef):
    def preprocess_fields(self, fields):
        return tuple((name, types.unliteral(t)) for name, t in fields)


class RunType(_Fields):
    """The compiled type of a run: its state, its parameters and its random-stream keys."""


class _Uncounted:
    """A data model that reports no reference count in its values, so compiled code takes and drops none."""

    def has_nrt_meminfo(self):
        return False

    def traverse(self, builder):
        return []

    def inner_models(self):
        return []


class _UncountedModel(_Uncounted, models.StructRefModel):
    """A bundle's reference without reference counting: compiled code never takes or drops a reference to it.

    Every stage and helper that is not inlined takes the bundle as an argument, and Numba counts a reference
    to each argument on entry and exit: two atomic operations a call, several calls a state change. A bundle
    is made once (`make_bundle`, whose one reference its Python proxy takes over) and reaches compiled code
    only as an argument from Python, where the proxy keeps it alive for the whole call, so the proxy's one
    reference is all it needs (see `_box_run` and `_unbox_run`).
    """


structref.register(RunType)
default_manager.register(RunType, _UncountedModel)  # after register(), which installs the counted model


class RunBundle(structref.StructRefProxy):
    """A run's state (fields of `world.Sim`), parameters (of `world.Params`) and `keys`, by reference."""


RUN_FIELDS = SIM_FIELDS + PARAM_FIELDS + ("keys",)
assert len(set(RUN_FIELDS)) == len(RUN_FIELDS), "a state field and a parameter share a name"
structref.define_constructor(RunBundle, RunType, list(RUN_FIELDS))
_MEMINFO = types.MemInfoPointer(types.voidptr)


@box(RunType)
def _box_run(typ, val, c):
    """A bundle leaving compiled code (only `make_bundle` returns one): its proxy takes over the reference."""
    meminfo_obj = c.box(_MEMINFO, cgutils.create_struct_proxy(typ)(c.context, c.builder, value=val).meminfo)
    make = c.pyapi.unserialize(c.pyapi.serialize_object(RunBundle._numba_box_))
    typ_obj = c.pyapi.unserialize(c.pyapi.serialize_object(typ))
    proxy = c.pyapi.call_function_objargs(make, [typ_obj, meminfo_obj])
    for obj in (make, typ_obj, meminfo_obj):
        c.pyapi.decref(obj)
    return proxy


@unbox(RunType)
def _unbox_run(typ, obj, c):
    """A proxy's bundle as an argument of compiled code: borrowed, since the caller's proxy outlives the call
    (unboxing a MemInfo takes a reference, handed straight back: nothing would release it)."""
    meminfo_obj = c.pyapi.object_getattr_string(obj, "_meminfo")
    meminfo = c.unbox(_MEMINFO, meminfo_obj).value
    c.context.nrt.decref(c.builder, _MEMINFO, meminfo)
    c.pyapi.decref(meminfo_obj)
    ref = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    ref.meminfo = meminfo
    return NativeValue(ref._getvalue())


class BorrowedArray(types.Array):
    """The type of an array whose memory its World keeps: compiled code counts no references to it.

    A bundle's arrays have no owner in compiled code (their meminfo is null), but as plain arrays every read
    of one (`S.counts`) would still call the runtime's reference counting, a call that does nothing and stops
    the compiler from keeping loaded values in registers across it.
    """

    def __init__(self, dtype, ndim, layout, readonly=False, aligned=True):
        super().__init__(dtype, ndim, layout, readonly=readonly, aligned=aligned,
                         name=f"borrowed array({dtype}, {ndim}d, {layout})")


@register_model(BorrowedArray)
class _BorrowedArrayModel(_Uncounted, models.ArrayModel):
    """An array's layout, reported as holding no reference count."""


@lower_cast(BorrowedArray, types.Array)
def _as_plain_array(context, builder, fromty, toty, val):
    """A borrowed array where a plain one is expected (the same layout; its null meminfo counts nothing)."""
    return val


@intrinsic
def borrowed(typingctx, arr):
    """The same array (same data, shape and strides) without an owner: no reference counting on it."""
    out = BorrowedArray(arr.dtype, arr.ndim, arr.layout, readonly=not arr.mutable, aligned=arr.aligned)

    def codegen(context, builder, sig, args):
        a = context.make_array(sig.args[0])(context, builder, value=args[0])
        a.meminfo = cgutils.get_null_value(a.meminfo.type)
        a.parent = cgutils.get_null_value(a.parent.type)
        return a._getvalue()

    return out(arr), codegen


@njit(cache=True)
def _borrowed_dlist(d):
    return DList(borrowed(d.head), borrowed(d.tail), borrowed(d.node))


@njit(cache=True)
def _borrowed_agenda(a):
    return Agenda(borrowed(a.first), borrowed(a.last), borrowed(a.after), borrowed(a.fill), borrowed(a.tokens),
                  borrowed(a.spare))


@njit(cache=True)
def _borrowed_pools(p):
    return Pools(borrowed(p.members), borrowed(p.off), borrowed(p.size), borrowed(p.place))


def bundle_of(w: World) -> RunBundle:
    """The World as one bundle, borrowing its arrays (make a new one after any of them is replaced)."""
    from .generated import make_bundle  # generated from the declarations, after this module's types

    return make_bundle(w.sim(), w.params, w.keys)
