"""The run's arrays as one compiled struct passed by reference, so a stage call costs a pointer, not 100 arrays.

`Sim` and `Params` (see `world`) are tuples of arrays; passed to compiled code as
they are, every call would copy and reference-count each array. A bundle is a
Numba StructRef holding the same arrays (state, parameters and random-stream
keys in one, so a call passes and counts one reference), *borrowed*: their memory stays owned
by the `World` (and its NumPy arrays), and the bundle's copies carry no
reference count, so reading `S.counts` in a stage costs a load and nothing
else. The price is a rule: a bundle must not outlive the World it was made
from. The day loop makes one per block of days and drops it after.
"""

from __future__ import annotations

from numba import njit, types
from numba.core import cgutils
from numba.experimental import structref
from numba.extending import intrinsic

from .links import DList
from .pools import Pools
from .registry import PARAM_FIELDS
from .world import SIM_FIELDS, World


class _Fields(types.StructRef):
    def preprocess_fields(self, fields):
        return tuple((name, types.unliteral(t)) for name, t in fields)


@structref.register
class RunType(_Fields):
    """The compiled type of a run: its state, its parameters and its random-stream keys."""


class RunBundle(structref.StructRefProxy):
    """A run's state (fields of `world.Sim`), parameters (of `world.Params`) and `keys`, by reference."""


RUN_FIELDS = SIM_FIELDS + PARAM_FIELDS + ("keys",)
assert len(set(RUN_FIELDS)) == len(RUN_FIELDS), "a state field and a parameter share a name"
structref.define_proxy(RunBundle, RunType, list(RUN_FIELDS))


@intrinsic
def borrowed(typingctx, arr):
    """The same array (same data, shape and strides) without an owner: no reference counting on it."""

    def codegen(context, builder, sig, args):
        a = context.make_array(sig.args[0])(context, builder, value=args[0])
        a.meminfo = cgutils.get_null_value(a.meminfo.type)
        a.parent = cgutils.get_null_value(a.parent.type)
        return a._getvalue()

    return arr(arr), codegen


@njit(cache=True)
def _borrowed_dlist(d):
    return DList(borrowed(d.head), borrowed(d.tail), borrowed(d.node))


@njit(cache=True)
def _borrowed_pools(p):
    return Pools(borrowed(p.members), borrowed(p.off), borrowed(p.size), borrowed(p.place))


def bundle_of(w: World) -> RunBundle:
    """The World as one bundle, borrowing its arrays (make a new one after any of them is replaced)."""
    from .generated import make_bundle  # generated from the declarations, after this module's types

    return make_bundle(w.sim(), w.params, w.keys)
