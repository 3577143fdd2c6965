"""DML006 convert-to-devm: probe memory freed on every error path and in remove."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator

from analyzer import drivers, ir
from analyzer.drivers import PROBE, REMOVE, DriverModel
from analyzer.findings import Finding, Related
from analyzer.ownership import FreeCall, Site
from analyzer.plugins import Context, Rule
from rules._shared import finding

# kmalloc-family allocator -> its devm_ variant (same arguments, device first).
DEVM = {
    "kzalloc": "devm_kzalloc",
    "kmalloc": "devm_kmalloc",
    "kcalloc": "devm_kcalloc",
    "kmalloc_array": "devm_kmalloc_array",
    "krealloc": "devm_krealloc",
    "kstrdup": "devm_kstrdup",
    "kstrdup_const": "devm_kstrdup_const",
    "kmemdup": "devm_kmemdup",
    "kasprintf": "devm_kasprintf",
    "kvasprintf": "devm_kvasprintf",
}
# The only free the fix removes: devres frees with kfree() (not kfree_sensitive()).
_FREE = "kfree"
# A file that calls any of these keeps objects alive past unbind (character
# devices, misc devices, reference-counted objects, DRM objects needing drmm_):
# devm is wrong for memory they may reach, so the rule says nothing there.
_OUTLIVES = frozenset(
    {
        "cdev_init",
        "cdev_add",
        "cdev_device_add",
        "cdev_alloc",
        "misc_register",
        "kref_init",
        "kref_get",
        "kref_put",
        "drm_dev_alloc",
        "drm_dev_register",
        "devm_drm_dev_alloc",
        "drmm_kzalloc",
        "register_chrdev",
        "__register_chrdev",
        "video_register_device",
    }
)
# A file defining one of these hands objects to open files (`file->private_data`),
# which may outlive unbind: silent there too.
_FILE_OPS = frozenset({"file_operations", "v4l2_file_operations", "proc_ops"})
_MAX_COLUMNS = 100
# A parameter's type as the frontends spell it: `struct foo` (tree-sitter) or
# `struct foo *` (clang), maybe const.
_STRUCT = re.compile(r"(?:const\s+)?struct\s+(\w+)(?:\s*\*)?")
# Bus device types that embed their `struct device dev` (so `&x->dev` is the bound
# device), read from the 6.1 headers; phy_device, hv_device, ssb_device, usb_serial,
# spi_mem and hda_codec do not (`dev` is a pointer, or the member has another name).
_EMBEDS_DEV = frozenset(
    """
    acpi_device amba_device anybuss_client apr_device auxiliary_device bcma_device
    ccw_device dfl_device fsi_device fsl_mc_device gameport gb_bundle gbphy_device
    hid_device host1x_device i2c_client i3c_device ipack_device ishtp_cl_device
    locomo_dev mcb_device mdio_device mei_cl_device mipi_dsi_device moxtet_device
    ntb_dev pci_dev pcmcia_device peci_device platform_device rpmsg_device sa1111_dev
    sdio_func sdw_slave serdev_device serio siox_device slim_device spi_device
    spmi_device ssam_device superhyway_device tb_service tee_client_device
    typec_altmode ulpi usb_device usb_interface vio_dev virtio_device vme_dev
    wmi_device zorro_dev
    """.split()
)


class ConvertToDevm(Rule):
    code = "DML006"
    name = "convert-to-devm"
    severity = "warning"
    summary = "allocation in probe freed on every error path and in remove: use the devm_ variant"
    # A plain allocation that kfree() frees.
    needs = (("allocator:plain", "free:plain"), ("reallocator:plain", "free:plain"))
    doc = """\
## What it finds
A plain kmalloc-family allocation (`kzalloc`, `kmalloc`, `kcalloc`,
`kmalloc_array`, `krealloc`, `kstrdup`, `kstrdup_const`, `kmemdup`,
`kasprintf`, `kvasprintf`) made in probe, or in a helper only probe calls,
kept in the drvdata object (`priv->buf = kzalloc(...)`), that is freed with
`kfree()` on every error path of probe after it and directly in
remove/disconnect, and nowhere else in the file.

Also the drvdata object itself (`priv = kzalloc(sizeof(*priv), ...)`,
handed to `platform_set_drvdata()` or a bus variant in probe): when it is
the only object the driver sets as drvdata, made by one allocation outside
loops, freed with `kfree()` in probe only where probe does not succeed and
directly in remove, and no other free in the file may take a `struct` of
its type (a helper, a runtime path, a release callback, `container_of()`).
devres frees it after remove returns, later than the `kfree()` it replaces.

It stays silent, to be precise, when: the memory is freed anywhere else
(a helper, a runtime path, a release callback), a free reaches other memory
too, no bound-device expression is in scope where the allocation is made
(`&pdev->dev`, `&client->dev`, `&spi->dev`, `&intf->dev`, or a `dev`
variable set from one of them), the allocation sits inside a loop, or the
file manages objects that outlive unbind (`cdev`, `miscdevice`, `kref`,
DRM devices, character or video devices, a `file_operations` table whose
open files may hold the memory).

## Why it matters
Device-managed memory is freed by devres when probe fails or after remove
returns, so the error-path and remove-path frees go away, and with them the
unwind code where leaks and double frees are usually introduced.

## Example
```c
priv->buf = kzalloc(64, GFP_KERNEL);    /* DML006 */
if (!priv->buf)
        return -ENOMEM;
ret = foo_init(priv);
if (ret) {
        kfree(priv->buf);
        return ret;
}
...
static void foo_remove(struct platform_device *pdev)
{
        struct foo *priv = platform_get_drvdata(pdev);

        kfree(priv->buf);
}
```

## Fix
```c
priv->buf = devm_kzalloc(&pdev->dev, 64, GFP_KERNEL);
```
and delete each `kfree(priv->buf);` (the finding's fix is a unified diff
doing both; labels are left in place).
"""

    def check(self, ctx: Context) -> Iterator[Finding]:
        result = ctx.result
        if any(fn.may_name(_OUTLIVES) and fn.calls & _OUTLIVES for fn in result.unit.functions):
            return
        if any(init.struct_type in _FILE_OPS for init in result.unit.initializers):
            return
        m = drivers.model(result, ctx.apis)
        frees = [(fr.function, fc) for fr in result.functions for fc in fr.frees]
        # (a member lost in a release function says nothing of probe's paths)
        leaked = {
            leak.site.rid
            for fr in result.functions
            for leak in fr.leaks
            if not leak.reason.startswith("member-")
        }
        seen: set[int] = set()
        for function, chain, site in m.lifetime_stores():
            if site.rid in seen or site.rid in leaked:
                continue
            seen.add(site.rid)
            found = self._candidate(ctx, m, frees, function, chain, site)
            if found is not None:
                yield found
        for binding in m.bindings:
            for probe in binding.probe:
                found = self._object(ctx, m, frees, binding, probe, leaked)
                if found is not None:
                    yield found

    def _object(self, ctx: Context, m: DriverModel, frees, binding, probe: str, leaked):
        """The drvdata object itself: `priv = kzalloc(...)`, handed to the drvdata setter
        in probe, freed with kfree() on probe's error exits and directly in remove, and
        nowhere else in the file."""
        fn = m.functions.get(probe)
        if fn is None or m.context(probe) != {PROBE} or not binding.remove:
            return None
        var = _drvdata_variable(m, binding, fn)
        if var is None:
            return None
        values = list(drivers._assigned_values(fn, var))
        if len(values) != 1:
            return None  # several allocations (or other values) may become the object
        call = _strip(values[0])
        if not isinstance(call, ir.Call) or call.func not in DEVM:
            return None
        site = next(
            (s for s in ctx.result.sites.values() if s.span == call.span and s.api == call.func),
            None,
        )
        if site is None or site.rid in leaked or site.via_summary or site.origin is not None:
            return None
        if site.param is not None or m.is_managed(site) or _in_loop(fn, call):
            return None
        device = _device(m, fn, call)
        if device is None:
            return None
        struct = _pointee_struct(ctx, fn, var)
        if struct is None:
            return None
        removed: list[tuple[ir.Function, FreeCall]] = []
        for owner, fc in frees:
            arg = _pointer(fc)
            if arg is None or site.family not in fc.api.families:
                continue  # (`free_netdev(ndev)` frees no kzalloc() block)
            sites = {s.rid for s, _ in fc.reached}
            target = _strip(arg)
            rooted = isinstance(target, ir.Name) and target.name in m.roots.get(owner.name, ())
            mine = owner is fn and isinstance(target, ir.Name) and target.name == var
            if site.rid in sites or mine:
                if owner is not fn or fc.api.name != _FREE or not sites <= {site.rid}:
                    return None
                if not mine and fc.unresolved:
                    return None  # the free may release other memory too
                if not m.exit_classes(fn, fc) <= {"error", "unknown"}:
                    return None  # freed where probe succeeds: not (only) an unwind
            elif owner.name in binding.remove and m.context(owner.name) == {REMOVE} and rooted:
                if fc.api.name != _FREE or _reassigned(owner, target.name):
                    return None
            else:
                continue
            removed.append((owner, fc))
        if not any(owner is not fn for owner, _ in removed):
            return None  # remove does not free it directly
        if _freed_elsewhere(ctx, m, struct, {fc.call.span for _, fc in removed}, site.family):
            return None  # a helper, a runtime path or a release callback may free it
        message = (
            f"`{var}` ({site.api}() at line {site.span.line}) is the drvdata object, freed on "
            f"the error paths of probe and in remove: allocate it with "
            f"{DEVM[site.api]}({device}, ...) and drop the {len(removed)} kfree() "
            f"call{'s' if len(removed) > 1 else ''}"
        )
        return self._conversion(ctx, probe, site, message, var, call, device, removed)

    def _candidate(self, ctx, m: DriverModel, frees, function: str, chain: str, site: Site):
        if site.api not in DEVM or site.via_summary or site.origin is not None:
            return None
        if m.context(function) != {PROBE}:
            return None
        binding = m.binding_of(function)
        if binding is None or not binding.remove:
            return None
        fn = m.functions[function]
        if function not in binding.probe and not m.failure_fails_probe(function):
            return None  # a helper whose failure probe survives: its error frees are runtime
        found = m.allocation_call(site)
        if found is None or found[0] is not fn or found[1].func != site.api:
            return None
        call = found[1]
        if _in_loop(fn, call):
            return None
        device = _device(m, fn, call)
        if device is None:
            return None
        if m.field_released(chain, frees=False):
            return None  # copied, handed to a callee that may keep or free it, or torn down
        last = chain.split(">")[-1].split(".")[-1]
        removed: list[tuple[ir.Function, FreeCall]] = []
        for owner, fc in frees:
            sites = {s.rid for s, _ in fc.reached}
            arg = _pointer(fc)
            named = arg is not None and _ends_with_field(arg, last)
            if site.rid not in sites and not named:
                continue
            if fc.api.name != _FREE or arg is None:
                return None
            if owner is fn:
                if sites != {site.rid} or fc.unresolved:
                    return None  # the free may release other memory too
                classes = m.exit_classes(fn, fc)
                if classes != {"error"}:
                    return None  # freed on success too: a temporary, not device memory
            elif owner.name in binding.remove and m.context(owner.name) == {REMOVE}:
                fact = m.drvdata_field(owner, arg)
                if (
                    fact is None
                    or fact.chain != chain
                    or not all(
                        s.rid == site.rid or (s.origin is not None and s.origin[0] == function)
                        for s in fact.sites
                    )
                ):
                    return None  # the field may hold other memory too
            else:
                return None  # freed elsewhere (a helper, a runtime path): not only probe/remove
            removed.append((owner, fc))
        if not any(owner is not fn for owner, _ in removed):
            return None  # remove does not free it directly
        what = chain.lstrip("-.>")
        message = (
            f"`{what}` ({site.api}() at line {site.span.line}) is freed on every error path "
            f"of probe and in remove: allocate it with {DEVM[site.api]}({device}, ...) and "
            f"drop the {len(removed)} kfree() call{'s' if len(removed) > 1 else ''}"
        )
        return self._conversion(ctx, function, site, message, chain, call, device, removed)

    def _conversion(
        self, ctx, function: str, site: Site, message: str, key: str, call, device: str, removed
    ) -> Finding:
        """The suggestion, the kfree() calls it removes as related locations, and its fix."""
        related = [
            Related(ctx.path, fc.call.span.line, f"kfree() the fix removes (in `{owner.name}()`)")
            for owner, fc in sorted(removed, key=lambda x: x[1].call.span.line)
        ]
        f = finding(self, ctx, function, site.span, message, related, "medium", key, site.api)
        f.fix = make_fix(ctx, call, device, removed)
        return f

    @classmethod
    def tidy(cls, original: list[str], lines: list[str], apis) -> list[str]:
        """Several fixes applied together can leave a drvdata local unused that each
        alone kept in use (remove freeing two converted fields): delete it.  And a label
        the fixes emptied, right in front of the next one, goes: its gotos jump there."""
        lines = drop_locals_left_unused(original, lines, apis.drvdata_getters)
        return close_gaps(original, merge_emptied_labels(original, lines))


# ------------------------------------------------------------------ helpers


def _pointer(fc: FreeCall) -> ir.Expr | None:
    if fc.api.pointer is None or fc.api.pointer >= len(fc.call.args):
        return None
    return fc.call.args[fc.api.pointer]


def _drvdata_variable(m: DriverModel, binding, fn: ir.Function) -> str | None:
    """The local that probe hands to the drvdata setter, when it is the only object any
    function of this driver sets as drvdata (other setters may only clear it)."""
    found: set[str] = set()
    for other in m.functions.values():
        if m.binding_of(other.name) is not binding and other is not fn:
            continue
        for node in other.nodes:
            if node.expr is None:
                continue
            for e in ir.walk(node.expr):
                if not isinstance(e, ir.Call):
                    continue
                for api in m.apis.lookup(e.func):
                    if not api.drvdata or api.pointer is None or api.pointer >= len(e.args):
                        continue
                    arg = _strip(e.args[api.pointer])
                    if arg.text in ("NULL", "0"):
                        continue
                    if (
                        isinstance(arg, ir.Unary)
                        and arg.op == "&"
                        and isinstance(arg.operand, ir.Field)
                        and isinstance(arg.operand.base, ir.Name)
                    ):
                        # `v4l2_i2c_subdev_init(&dev->sd, client, ..)` and then
                        # `i2c_set_clientdata(client, dev)`: one object
                        arg = arg.operand.base
                    if other is not fn or not isinstance(arg, ir.Name):
                        return None
                    found.add(arg.name)
    return found.pop() if len(found) == 1 else None


def _pointee_struct(ctx: Context, fn: ir.Function, name: str) -> str | None:
    """`foo` for a `struct foo *priv` local or parameter."""
    for p in fn.params:
        if p.name == name:
            m = _STRUCT.fullmatch(p.type_text.strip())
            return m.group(1) if m and p.pointer else None
    for node in fn.nodes:
        if node.kind is ir.Kind.DECL and node.name == name:
            line = ctx.result.unit.lines[node.span.line - 1]
            m = re.search(rf"\bstruct\s+(\w+)\s*\*\s*{re.escape(name)}\b", line)
            return m.group(1) if m else None
    return None


def _frees(m: DriverModel, name: str, family: str) -> list:
    """The free entries of `name` that release memory of `family` (not free_netdev())."""
    return [a for a in m.apis.lookup(name) if a.role == "free" and family in a.families]


def _freed_elsewhere(ctx: Context, m: DriverModel, struct: str, removed: set, family: str) -> bool:
    """Does any other free call of the file (of the object's family) take an
    expression that may be an object of `struct <struct>`?  Also on the raw
    lines, for statements the parser lost (`kfree(container_of(dev, struct foo, dev))`)."""
    lines = {span.line for span in removed}
    named = re.compile(rf"\b{re.escape(struct)}\b")
    for k, text in enumerate(ctx.result.unit.lines, 1):
        if k in lines or not named.search(text):
            continue
        for word in re.findall(r"\b(\w+)\s*\(", text):
            if _frees(m, word, family):
                return True
    for fn in m.functions.values():
        for call in drivers._calls(fn):
            if call.span in removed:
                continue
            for api in _frees(m, call.func, family):
                if api.pointer is None or api.pointer >= len(call.args):
                    continue
                if _may_be(ctx, fn, _strip(call.args[api.pointer]), struct):
                    return True
    return False


def _may_be(ctx: Context, fn: ir.Function, arg: ir.Expr, struct: str) -> bool:
    """Could this freed expression be an object of `struct <struct>` (its type, a cast,
    a container_of() or an accessor naming it)?"""
    if re.search(rf"\b{re.escape(struct)}\b", arg.text):
        return True
    if isinstance(arg, ir.Name):
        return _pointee_struct(ctx, fn, arg.name) in (struct, None)
    return not isinstance(arg, ir.Field)  # a call or cast: unknown, so maybe


def _reassigned(fn: ir.Function, name: str) -> bool:
    """Does the local get any value but its initialising drvdata getter?"""
    return len(list(drivers._assigned_values(fn, name))) != 1


def _strip(e: ir.Expr) -> ir.Expr:
    while isinstance(e, ir.Cast):
        e = e.operand
    return e


def _ends_with_field(e: ir.Expr, last: str) -> bool:
    e = _strip(e)
    return isinstance(e, ir.Field) and e.field == last


def _in_loop(fn: ir.Function, call: ir.Call) -> bool:
    """Is the node evaluating `call` inside a loop body (the CFG's loop ranges)?"""
    nid = next(
        (n.id for n in fn.nodes if n.expr is not None and any(e is call for e in ir.walk(n.expr))),
        None,
    )
    if nid is None:
        return True  # not found: do not guess
    return any(n.loop_end >= 0 and n.id < nid <= n.loop_end for n in fn.nodes)


def _device(m: DriverModel, fn: ir.Function, call: ir.Call) -> str | None:
    """The bound device, spelled as this function can reach it at the allocation."""
    span = call.span
    for node in fn.nodes:
        # A `dev` local initialised before the allocation, or a `dev` parameter.
        if node.kind is ir.Kind.DECL and node.name == "dev" and node.expr is not None:
            if node.span.line < span.line and m.bound_device(fn, _name("dev", span)):
                return "dev"
    if any(p.name == "dev" for p in fn.params) and m.bound_device(fn, _name("dev", span)):
        return "dev"
    for p in fn.params:
        kind = _STRUCT.fullmatch(p.type_text.strip())
        if not p.pointer or kind is None or kind.group(1) not in _EMBEDS_DEV:
            continue  # `&x->dev` would not be the struct device (or not compile)
        expr = ir.Unary(
            span,
            f"&{p.name}->dev",
            "&",
            ir.Field(span, f"{p.name}->dev", _name(p.name, span), "dev", True),
        )
        if m.bound_device(fn, expr):
            return expr.text
    return None


def _name(name: str, span: ir.Span) -> ir.Name:
    return ir.Name(span, name, name)


def _columns(line: str) -> int:
    return len(line.rstrip("\n").expandtabs(8))


def make_fix(
    ctx: Context, call: ir.Call, device: str, removed: list[tuple[ir.Function, FreeCall]]
) -> str | None:
    """The unified diff: the devm_ call, and each now-redundant kfree() line deleted
    (with a drvdata local that nothing else in its function uses any more)."""
    old = [line if line.endswith("\n") else line + "\n" for line in ctx.result.unit.lines]
    if not old:
        return None
    new = list(old)
    if call.span.end_line != call.span.line:
        return None  # continuation lines aligned to the old parenthesis: no realignment yet
    i = call.span.line - 1
    line = new[i]
    col = call.span.col - 1
    if not line.startswith(f"{call.func}(", col):
        return None
    replaced = f"{DEVM[call.func]}({device}, "
    new[i] = line[:col] + replaced + line[col + len(call.func) + 1 :]
    if _columns(new[i]) > _MAX_COLUMNS:
        return None
    drop: set[int] = set()
    for _, fc in removed:
        j = fc.call.span.line - 1
        arg = re.escape(_pointer(fc).text)
        text = old[j].strip()
        if re.fullmatch(rf"kfree\(\s*{arg}\s*\);", text):
            prev = old[j - 1].strip() if j > 0 else ""
            if _braceless_body(prev):
                # The kfree() is all a braceless `if`/`else`/loop runs: the whole statement
                # goes, or the next statement would become its body.
                cond = re.fullmatch(r"if \((.*)\)", prev)
                if cond is None or not _pure(cond.group(1)) or _braceless_body(old[j - 2].strip()):
                    return None
                drop.add(j - 1)  # `if (x)` / `kfree(x);`
            drop.add(j)
        elif re.fullmatch(rf"if \(\s*{arg}\s*\)\s*kfree\(\s*{arg}\s*\);", text):
            drop.add(j)
        else:
            return None  # shares its line with other code: no safe edit
    _unbrace(old, new, drop)
    for owner in {id(o): o for o, _ in removed}.values():
        _drop_unused_local(old, drop, owner, ctx.apis.drvdata_getters)
    new = close_gaps(old, [text for k, text in enumerate(new) if k not in drop])
    path = os.path.normpath(ctx.path)
    if os.path.isabs(path):
        path = os.path.relpath(path)
    diff = difflib.unified_diff(old, new, f"a/{path}", f"b/{path}")
    return "".join(diff) or None


def _braceless_body(line: str) -> bool:
    """Does the statement on the next line belong to this line's `if`/`else`/loop?"""
    if line in ("else", "} else", "do"):
        return True
    return bool(re.match(r"(\} )?(if|else if|for|while)\b", line)) and line.endswith(")")


def _pure(cond: str) -> bool:
    """A condition with no call, assignment or increment: deleting it changes nothing."""
    if not re.fullmatch(r"[\w\s!<>=&|.\[\]-]*", cond):
        return False
    return not re.search(r"(?<![=!<>])=(?!=)|\+\+|--(?!>)", cond)


def _unbrace(old: list[str], new: list[str], drop: set[int]) -> None:
    """`if (c) {` / one statement left / `}`: drop the braces (kernel style)."""
    for j in sorted(drop):
        start = j - 1
        while start in drop:
            start -= 1
        if start < 0 or not re.fullmatch(r"\s*(if|else if) \(.*\) \{\n", old[start]):
            continue
        if old[start].lstrip().startswith("}"):
            continue
        indent = old[start][: len(old[start]) - len(old[start].lstrip())]
        end = start + 1
        while end < len(old) and old[end] != indent + "}\n":
            if old[end].strip() and not old[end].startswith(indent + "\t"):
                end = len(old)
            end += 1
        if end >= len(old) or start in drop or end in drop:
            continue
        body = [k for k in range(start + 1, end) if k not in drop and old[k].strip()]
        if len(body) != 1 or not old[body[0]].rstrip().endswith(";"):
            continue
        if start > 0 and old[start - 1].strip().startswith("} else"):
            continue
        new[start] = new[start][: -len(" {\n")] + "\n"
        drop.add(end)


def _uses(name: str) -> re.Pattern:
    """The variable `name`, not a member of that name (`&client->dev`, `x.dev`)."""
    return re.compile(rf"(?<!->)(?<!\.)\b{re.escape(name)}\b")


_LOCAL = re.compile(r"\t(?:const )?struct \w+ \*(\w+) = (\w+)\(.*\);\n")


def _drop_unused_local(old: list[str], drop: set[int], fn: ir.Function, getters) -> None:
    """`struct foo *priv = platform_get_drvdata(pdev);` left unused: delete it (and the
    blank line after it when it opened the body), or -Wunused-variable breaks -Werror."""
    lines = range(fn.span.line, min(fn.span.end_line, len(old)))  # 0-based: after the `{` line
    if not any(k in drop for k in lines):
        return
    for k in lines:
        m = _LOCAL.fullmatch(old[k])
        if k in drop or m is None or m.group(2) not in getters:
            continue
        used = _uses(m.group(1))
        if any(used.search(old[i]) for i in lines if i != k and i not in drop):
            continue
        drop.add(k)
        if k + 1 < len(old) and not old[k + 1].strip() and old[k - 1].strip() == "{":
            drop.add(k + 1)


def _body(lines: list[str], k: int) -> tuple[int, int] | None:
    """The 0-based lines strictly inside the top-level function around line k
    (kernel style: its body opens with `{` and closes with `}` in column 0)."""
    start = k
    while start >= 0 and lines[start] != "{\n":
        if lines[start] == "}\n":
            return None
        start -= 1
    end = k
    while end < len(lines) and lines[end] != "}\n":
        end += 1
    if start <= 0 or end >= len(lines):
        return None
    return start + 1, end


def drop_locals_left_unused(original: list[str], lines: list[str], getters) -> list[str]:
    """Each `struct foo *p = <drvdata getter>(...);` local used in its function before
    the fixes and unused after them is deleted (with the blank line after it when it
    opened the body): -Wunused-variable is an error under CONFIG_WERROR."""
    drop: set[int] = set()
    for k, text in enumerate(lines):
        m = _LOCAL.fullmatch(text)
        if m is None or m.group(2) not in getters:
            continue
        span = _body(lines, k)
        if span is None:
            continue
        used = _uses(m.group(1))
        if any(used.search(lines[i]) for i in range(*span) if i != k):
            continue
        # The same function in the original text (same signature line, same local).
        sig = lines[span[0] - 2]
        was_used = False
        for j, old in enumerate(original):
            if old != text:
                continue
            ospan = _body(original, j)
            if ospan is None or original[ospan[0] - 2] != sig:
                continue
            was_used = any(used.search(original[i]) for i in range(*ospan) if i != j)
        if not was_used:
            continue  # unused before the fixes too: not ours to touch
        drop.add(k)
        if k + 1 < len(lines) and not lines[k + 1].strip() and lines[k - 1] == "{\n":
            drop.add(k + 1)
    return [text for k, text in enumerate(lines) if k not in drop]


def close_gaps(old: list[str], new: list[str]) -> list[str]:
    """Where lines were deleted, no blank line is left doubled, after an opening brace
    or before a closing one (checkpatch style)."""
    out = list(new)
    cuts = [
        j1
        for tag, _, _, j1, j2 in difflib.SequenceMatcher(
            None, old, new, autojunk=False
        ).get_opcodes()
        if tag == "delete"
    ]
    drop: set[int] = set()
    for j in cuts:  # new[j - 1] and new[j] met where lines were deleted
        if j <= 0 or j >= len(out):
            continue
        before, after = out[j - 1], out[j]
        opens = before.rstrip().endswith("{") or _LABEL.fullmatch(before)
        if not after.strip() and (not before.strip() or opens):
            drop.add(j)
        elif not before.strip() and after.strip().startswith("}"):
            drop.add(j - 1)
    return [text for k, text in enumerate(out) if k not in drop]


_LABEL = re.compile(r" ?(\w+):\s*\n?")


def merge_emptied_labels(old: list[str], new: list[str]) -> list[str]:
    """`err_free:` emptied by the fixes, right before `err_out:`: each `goto err_free;`
    of that function becomes `goto err_out;` and the empty label goes.  Only labels
    that had code under them in the original, and only when the name is used by
    nothing but gotos."""
    out = list(new)
    changed = True
    while changed:
        changed = False
        for k in range(len(out) - 1):
            here, after = _LABEL.fullmatch(out[k]), _LABEL.fullmatch(out[k + 1])
            if here is None or after is None or here.group(1) == "default":
                continue
            span = _body(out, k)
            if span is None or not _emptied(old, out, k, span):
                continue
            name, target = here.group(1), after.group(1)
            used = re.compile(rf"\b{re.escape(name)}\b")
            goto = re.compile(rf"\bgoto\s+{re.escape(name)}\s*;")
            lines = [i for i in range(*span) if i != k and used.search(out[i])]
            if any(len(used.findall(out[i])) != len(goto.findall(out[i])) for i in lines):
                continue  # named by something else than a goto
            for i in lines:
                out[i] = goto.sub(f"goto {target};", out[i])
            del out[k]
            changed = True
            break
    return out


def _emptied(old: list[str], new: list[str], k: int, span: tuple[int, int]) -> bool:
    """Did the label at new[k] have a statement under it in the original function?"""
    sig = new[span[0] - 2]
    for j, text in enumerate(old):
        if text != new[k]:
            continue
        ospan = _body(old, j)
        if ospan is None or old[ospan[0] - 2] != sig:
            continue
        nxt = next((old[i] for i in range(j + 1, ospan[1]) if old[i].strip()), "")
        return bool(nxt) and _LABEL.fullmatch(nxt) is None
    return False
