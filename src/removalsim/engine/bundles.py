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
from .world import PARAM_FIELDS, SIM_FIELDS, World


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


@njit(cache=True)
def _bundle(t, q, keys):
    """A bundle of the state `t` (a Sim), the parameters `q` (a Params) and the keys."""
    return RunBundle(
        borrowed(t.group), borrowed(t.channel), borrowed(t.state), borrowed(t.epoch), borrowed(t.state_day),
        borrowed(t.entry_day), borrowed(t.filed_day), borrowed(t.arrest_day), borrowed(t.criminal),
        borrowed(t.usc_family), borrowed(t.noncoop), borrowed(t.represented), borrowed(t.atd),
        borrowed(t.stranded), borrowed(t.in_absentia), borrowed(t.via_er), borrowed(t.unrep_order),
        borrowed(t.counts), borrowed(t.stocks), borrowed(t.flows), borrowed(t.costs), borrowed(t.extra_stocks),
        borrowed(t.atd_counts), borrowed(t.stranded_counts), _borrowed_dlist(t.line), _borrowed_dlist(t.exits),
        _borrowed_dlist(t.custody), _borrowed_pools(t.pools), borrowed(t.scratch), borrowed(t.order),
        borrowed(t.flag), borrowed(t.seat_fraction), borrowed(t.tally), borrowed(t.wait_kind),
        borrowed(t.wait_day), borrowed(t.wait_group), borrowed(t.wait_len), borrowed(t.stay_state),
        borrowed(t.stay_from), borrowed(t.stay_to), borrowed(q.arrivals), borrowed(q.arrest_capacity),
        borrowed(q.arrest_weights), borrowed(q.noncoop_factor), borrowed(q.beds), borrowed(q.atd_capacity),
        borrowed(q.court_capacity), borrowed(q.referrals), borrowed(q.absent_share), borrowed(q.closure),
        borrowed(q.appeal_capacity), borrowed(q.er_arrival_share), borrowed(q.er_recent_share),
        borrowed(q.stipend_cost), borrowed(q.doc_capacity), borrowed(q.doc_refusal),
        borrowed(q.arrivals_protected), borrowed(q.representation_share), borrowed(q.grant_rate_unrepresented),
        borrowed(q.grant_rate_represented), borrowed(q.doc_lag_median_days), borrowed(q.doc_lag_sigma),
        borrowed(q.protection_end), borrowed(q.group_region), borrowed(q.region_is_air),
        borrowed(q.land_capacity), borrowed(q.flights), borrowed(q.seats), borrowed(q.min_load),
        borrowed(q.flight_cost), borrowed(q.land_cost), borrowed(q.death_cum), borrowed(q.adjust_cum),
        borrowed(q.sd_cum), borrowed(q.death_unseen), borrowed(q.adjust_unseen), borrowed(q.sd_unseen),
        q.court_detained_min, q.court_at_large_min, q.appeal_min, q.custody_limit, q.er_recent_window,
        q.rep_share_detained, q.absent_factor_represented, q.absent_factor_atd, q.vd_share, q.vd_compliance,
        q.appeal_share_represented, q.appeal_share_unrepresented, q.reversal_share, q.fear_claim_share,
        q.fear_pass_share, q.cost_arrest, q.cost_completion, q.cost_appeal, q.cost_document, q.bed_day_cost,
        q.atd_day_cost, borrowed(keys))


def bundle_of(w: World) -> RunBundle:
    """The World as one bundle, borrowing its arrays (make a new one after any of them is replaced)."""
    return _bundle(w.sim(), w.params, w.keys)
