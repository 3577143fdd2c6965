"""Per-function facts, computed bottom-up over a file's call graph.

A summary says what calling a function does to the memory its arguments
reach (frees it, stores it somewhere longer-lived, or stores new memory
into one of its fields), split by the class of the return value, since
kernel helpers often take ownership only when they succeed.  It also says
whether the function returns fresh memory, so same-file wrappers around
kmalloc act as allocators in their callers.
"""

from __future__ import annotations

from collections import Counter

from analyzer import ir
from analyzer.ownership import (
    DROP,
    KEPT,
    P_ESCAPED,
    P_FREED,
    Analysis,
    Effect,
    Summary,
    path_of,
)


def call_order(functions: list[ir.Function]) -> list[ir.Function]:
    """Callees before callers (a DFS post-order; cycles are cut anywhere)."""
    by_name = {f.name: f for f in functions}
    order: list[ir.Function] = []
    state: dict[str, int] = {}

    def callees(fn: ir.Function):
        # Only names in by_name are followed: a function that names none of
        # them (by its text) needs no CFG to say so.
        return iter(sorted(fn.calls)) if fn.may_name(by_name.keys()) else iter(())

    for root in functions:
        if root.name in state:
            continue
        stack = [(root, callees(root))]
        state[root.name] = 1
        while stack:
            fn, it = stack[-1]
            nxt = next((c for c in it if c in by_name and c not in state), None)
            if nxt is None:
                stack.pop()
                state[fn.name] = 2
                order.append(fn)
            else:
                state[nxt] = 1
                stack.append((by_name[nxt], callees(by_name[nxt])))
    # A name defined twice (#ifdef variants): the first definition wins.
    seen: set[int] = set()
    return [f for f in order if id(f) not in seen and not seen.add(id(f))]


def _effect_of(outcomes: list[str | None], failing: bool) -> str | None:
    if not outcomes:
        return None
    if all(o == "freed" for o in outcomes):
        return "freed"
    if failing and None in outcomes:
        # Some failure exit leaves the argument to the caller: a caller's error
        # path must still free it (ioat3_dma_probe registers the device on one
        # failure path and not on the others).
        return None
    if any(o is not None for o in outcomes):
        return "escaped"  # taken on some path: the caller may not free it again
    return None


def _freed_in_text(a: Analysis) -> set[tuple[int, str]]:
    """(parameter, chain) of what the function's free calls name, on any path,
    directly or through an accessor (`kfree(TO_DCN30_DWBC(pool->base.dwbc[i]))`)."""
    out: set[tuple[int, str]] = set()
    for call in ir.call_exprs(a.fn):
        arg = a.freed_arg(call, "free")
        if arg is None:
            continue
        arg = ir.uncast(arg)
        if isinstance(arg, ir.Call):
            arg = a.accessed_arg(arg)  # (as `Analysis._freed_through_accessor` reads it)
        p = path_of(arg) if arg is not None else None
        if p is not None and p[0] in a.params:
            out.add((a.params[p[0]], "".join(p[1])))
    return out


def _freed_rings(a: Analysis) -> set[int]:
    """Parameters on a ring the function frees whole.

    `list_add_tail(&head, &mlist->dma.list); list_for_each_safe(cur, n, &head)
    kfree(list_entry(cur, ..));` (lpfc's `diag_cmd_data_free()`): a list head
    of the stack spliced into the parameter's own ring makes a walk from it
    visit every element, the parameter's block among them, and the loop frees
    each one it visits. The dataflow sees a walk of a local list.
    """
    spliced: dict[str, int] = {}  # local head -> the parameter whose ring it joined
    for call in ir.call_exprs(a.fn):
        api = next((x for x in a.apis.lookup(call.func) if x.role == "sink" and x.mutual), None)
        if api is None or api.pointer != 0 or len(call.args) != 2:
            continue
        head, ring = (ir.uncast(x) for x in call.args)
        p = path_of(ring.operand) if isinstance(ring, ir.Unary) and ring.op == "&" else None
        if (
            _address_of_name(head)
            and head.operand.name in a.locals  # (a list head of the stack)
            and head.operand.name not in a.params
            and p is not None
            and p[1]
            and p[0] in a.params
        ):
            spliced[head.operand.name] = a.params[p[0]]
    out: set[int] = set()
    nodes = a.fn.nodes
    for loop in nodes if spliced else ():
        if loop.loop_end < 0 or loop.expr is None:
            continue
        walked = [e.operand.name for e in ir.walk(loop.expr) if _address_of_name(e)]
        owner = next((spliced[w] for w in walked if w in spliced), None)
        if owner is None:
            continue
        body = [n.expr for n in nodes[loop.id + 1 : loop.loop_end + 1] if n.expr is not None]
        # the cursor and what the loop derives from it each pass (`mlast =
        # list_entry(cur, ..)`); with macros expanded (clang), the names the
        # loop assigns
        rebound = {a.cursor_of(loop)} | {
            e.target.name
            for x in body
            for e in ir.walk(x)
            if isinstance(e, ir.Assign) and isinstance(e.target, ir.Name)
        }
        calls = (e for x in body for e in ir.walk(x) if isinstance(e, ir.Call))
        if any(_names_one(a.freed_arg(call, "free"), rebound) for call in calls):
            out.add(owner)
    return out


def _address_of_name(e: ir.Expr) -> bool:
    """`&head`: the address of a variable."""
    return isinstance(e, ir.Unary) and e.op == "&" and isinstance(e.operand, ir.Name)


def _names_one(e: ir.Expr | None, names: set[str]) -> bool:
    e = ir.uncast(e) if e is not None else None
    return isinstance(e, ir.Name) and e.name in names


def summarize(a: Analysis) -> Summary:
    fn = a.fn
    summary = Summary(
        fn.name,
        returns_pointer=fn.returns_pointer,
        error_class="zero" if fn.returns_pointer or fn.returns_bool else "nonzero",
    )
    param_sites = {s.rid: s for s in a.rid_sites.values() if s.param is not None}
    roots = {s.param[0]: rid for rid, s in param_sites.items() if not s.param[1]}
    by_class: dict[str, dict[tuple[int, str], list[str | None]]] = {"zero": {}, "nonzero": {}}
    into: dict[tuple[int, str], tuple[Counter, str]] = {}
    foreign_into: set[tuple[int, str]] = set()  # (see Effect.foreign)
    counts = {"zero": 0, "nonzero": 0}
    lent: set[tuple[int, str]] = set()
    fresh_families: set[str] = set()
    foreign = False
    err_ptr = False
    # Exits whose return value is unknown speak for a class only when no exit
    # is known to be of it: `return ch->ok ? true : false` must not blur the
    # plain `return false` paths of the same function.
    # A pointer function's plain `return file;` successes, whose value is
    # unknown, count as non-zero beside any known one (its ERR_PTR exits are
    # failures, "zero" with its NULLs: Analysis.err_ptr_exit).
    # Parameters given whole to a release-named call (`put_device(&x->dev)`)
    # on some exit of each class.
    handed_in: dict[str, Counter] = {"zero": Counter(), "nonzero": Counter()}
    dropped_in: dict[str, Counter] = {"zero": Counter(), "nonzero": Counter()}
    # Parameters some exit frees: for these, an exit taken because the
    # parameter was NULL (`if (!p) return;`) did all there was to do.
    frees = {
        site.param
        for world, _, _ in a.exits
        for rid, site in param_sites.items()
        if world.status.get(rid) == P_FREED
    }
    for c in ("zero", "nonzero"):
        chosen = [e for e in a.exits if e[1] == c]
        if not chosen or (c == "nonzero" and fn.returns_pointer):
            chosen += [e for e in a.exits if e[1] == "unknown"]
        for world, _, _ in chosen:
            counts[c] += 1
            for rid, site in param_sites.items():
                st = world.status.get(rid)
                # (an exit taken because the parameter was NULL, `if (!p) return;`,
                # had nothing to free or hand over, of it or of its members)
                name = fn.params[site.param[0]].name
                root = roots.get(site.param[0])
                null = (
                    root is not None
                    and world.env.get(name) == root
                    and world.vals.get(name) == "zero"
                )
                freed = st == P_FREED or null and site.param in frees
                outcome = "freed" if freed else "escaped" if st == P_ESCAPED else None
                by_class[c].setdefault(site.param, []).append(outcome)
                if site.param[1]:
                    continue
                gone = st == P_FREED or null
                if rid in world.handed or gone:
                    handed_in[c][site.param] += 1
                if world.handed.get(rid) == DROP or gone:
                    dropped_in[c][site.param] += 1  # (pps_register_cdev: kfree or put)
            seen_blocks: set[int] = set()
            # (an out-parameter `*p` first: that is the pointer the caller holds;
            # then the field the block was stored in first, its home: mtu3's
            # `mtu->ep_array = ep_array; .. mtu->ep0 = mtu->in_eps;`)
            order = sorted(world.into.items(), key=lambda kv: kv[0][1] != "*")
            for key, (family, container, at) in order:
                if family:
                    # `*p_mem = mem; *p_req = (struct cprb *)mem;`: one block left
                    # in two out-parameters is one allocation, the first one's
                    block = world.heap.get((container, at))
                    if block is not None:
                        if block in seen_blocks:
                            continue
                        seen_blocks.add(block)
                        if a.rid_sites[block].foreign:
                            foreign_into.add(key)
                elif world.vals.get(fn.params[key[0]].name + key[1]) == "zero":
                    continue  # `wa->address = dma_pool_zalloc(..)` found NULL: nothing left
                entry = into.setdefault(key, (Counter(), family))
                entry[0][c if family else "other " + c] += 1
                if family:
                    into[key] = (entry[0], family)
    handed: set[tuple[int, str]] = set()
    null_params: set[int] | None = None  # NULL on every exit returning new memory
    for world, cls, fresh in a.exits:
        for rid, site in param_sites.items():
            if world.lent.get(rid) == KEPT:
                lent.add(site.param)
            if rid in world.handed and not site.param[1]:
                handed.add(site.param)
        if fresh is not None:
            nulls = {
                i
                for i, prm in enumerate(fn.params)
                if prm.pointer and world.vals.get(prm.name) == "zero"
            }
            null_params = nulls if null_params is None else null_params & nulls
            fresh_families.add(fresh.family)
            foreign = foreign or fresh.foreign
            if fresh.failure == "err_ptr":
                err_ptr = True
        elif fn.returns_pointer and (cls == "nonzero" or a.err_ptr_exit):
            err_ptr = True
    for key in sorted(set(by_class["zero"]) | set(by_class["nonzero"])):
        outcomes = {c: by_class[c].get(key, []) for c in by_class}
        # A class whose exits never touched the parameter leaves it borrowed.
        effects = {}
        for c in ("zero", "nonzero"):
            got = outcomes[c] + [None] * (counts[c] - len(outcomes[c]))
            effects[c] = _effect_of(got, c == summary.error_class)
        if counts["zero"] == 0:
            effects["zero"] = effects["nonzero"]
        if counts["nonzero"] == 0:
            effects["nonzero"] = effects["zero"]
        if effects["zero"] or effects["nonzero"]:
            # `ret = device_register(&x->dev); if (ret) { put_device(&x->dev);
            # return ret; } return 0;`: kept on success, handed to a release
            # on every failing exit ("dropped" when each exit freed it or put
            # its reference, which other files may rely on too). So is a block
            # every failing exit gave a reference count
            # (`device_initialize(&x->dev)`) and then put.
            for c in ("zero", "nonzero"):
                if not counts[c]:
                    continue
                dropped = dropped_in[c][key] == counts[c]
                if effects[c] is None and handed_in[c][key] == counts[c]:
                    effects[c] = "dropped" if dropped else "handed"
                elif c == summary.error_class and effects[c] == "escaped" and dropped:
                    effects[c] = "dropped"
            summary.effects.append(Effect(key[0], key[1], effects["zero"], effects["nonzero"]))
            lent.discard(key)
    # Handed to a release-named function is the stronger fact: the callee
    # may have dropped the block (`vmw_resource_unreference(&res)` after
    # `vmw_resource_init()` kept a pointer into it).
    for key in sorted(lent - handed):
        summary.effects.append(Effect(key[0], key[1], "lent", "lent"))
    for key in sorted(handed - {(e.index, e.chain) for e in summary.effects}):
        summary.effects.append(Effect(key[0], key[1], "handed", "handed"))
    for index in sorted(_freed_rings(a) - {e.index for e in summary.effects if not e.chain}):
        summary.effects.append(Effect(index, "", "freed", "freed"))
    if a.truncated:
        # The paths analysed were the shortest (the worklist is breadth-first):
        # a long teardown's frees in its later loops may be on none of them.
        # What its text frees of a parameter is at least taken on some path.
        known = {(e.index, e.chain) for e in summary.effects}
        for key in sorted(_freed_in_text(a) - known):
            summary.effects.append(Effect(key[0], key[1], "escaped", "escaped"))
    # New memory in a parameter's field counts for a class when some exit of
    # it leaves it there and no exit writes anything else there: a helper
    # that allocates on one flag and reuses the caller's block on another
    # (`if (first) p = kzalloc(..); else p = *out; *out = p;`) gives its
    # caller nothing certain to free, while `if (cond) cq->dim = kzalloc(..)`
    # may. A failing helper that leaves memory behind hands it to its
    # caller's error path, which then has to free it.
    for key, (hits, family) in sorted(into.items()):
        if not family:
            continue
        # (per class: `wa->address = dma_pool_zalloc(..)` on the success exits
        # of one branch says nothing of the kzalloc() a failure leaves there)
        on_zero = "alloc" if hits["zero"] and not hits["other zero"] else None
        on_nonzero = "alloc" if hits["nonzero"] and not hits["other nonzero"] else None
        if on_zero or on_nonzero:
            summary.effects.append(
                Effect(key[0], key[1], on_zero, on_nonzero, family, key in foreign_into)
            )
    if fresh_families and fn.returns_pointer:
        summary.returns_alloc = (sorted(fresh_families)[0], "err_ptr" if err_ptr else "null")
        summary.foreign_alloc = foreign
        summary.alloc_if_null = min(null_params) if null_params else None
        summary.returns_linked = a.returns_linked
        summary.private_fields = tuple(sorted(a.private_fields or ()))
        summary.self_fields = tuple(sorted(a.self_fields or ()))
    summary.returns_errno = a.returns_errno
    return summary
