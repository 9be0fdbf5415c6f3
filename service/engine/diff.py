"""What changed between two versions of a process: tasks, time limits, roles, forms and flows."""
from .graph import process_graphs
from .xmlsafe import parse_xml

TASK_FIELDS = (("time_limit_days", "time_limits_changed"), ("yellow_days", "yellow_changed"),
               ("role", "roles_changed"), ("form", "forms_changed"))


def _flows(xml, process_id):
    graph = process_graphs(parse_xml(xml)).get(process_id)
    if graph is None:
        return {}
    return {f.id: {"id": f.id, "source": f.source, "target": f.target, "name": f.name,
                   "condition": f.condition} for f in graph.flows.values()}


def _renames(removed, added, old, new):
    """Pairs (old id, new id) of tasks whose id changed but whose form and name or role match."""
    pairs = []
    for old_id in sorted(removed):
        o = old[old_id]
        candidates = [n for n in sorted(added) if new[n]["form"] == o["form"]
                      and (new[n]["name"] == o["name"] or new[n]["role"] == o["role"])]
        if len(candidates) == 1:
            pairs.append((old_id, candidates[0]))
            added.discard(candidates[0])
    return pairs


def _task_changes(old, new):
    removed, added = set(old) - set(new), set(new) - set(old)
    pairs = _renames(removed, added, old, new)
    removed -= {a for a, _ in pairs}
    result = {"tasks_added": [{"id": t, "name": new[t]["name"]} for t in sorted(added)],
              "tasks_removed": [{"id": t, "name": old[t]["name"]} for t in sorted(removed)],
              "tasks_renamed": [], **{key: [] for _, key in TASK_FIELDS}}
    for a, b in [(t, t) for t in sorted(set(old) & set(new))] + pairs:
        if a != b or old[a]["name"] != new[b]["name"]:
            result["tasks_renamed"].append({"from_id": a, "to_id": b, "from_name": old[a]["name"],
                                            "to_name": new[b]["name"]})
        for field, key in TASK_FIELDS:
            if old[a].get(field) != new[b].get(field):
                result[key].append({"id": b, "from": old[a].get(field), "to": new[b].get(field)})
    return result


def _flow_changes(old, new):
    return {"flows_added": [new[f] for f in sorted(set(new) - set(old))],
            "flows_removed": [old[f] for f in sorted(set(old) - set(new))],
            "flows_changed": [{"id": f, "from": old[f], "to": new[f]}
                              for f in sorted(set(old) & set(new)) if old[f] != new[f]]}


def diff(old, new):
    """Differences from `old` to `new`; each is a dict with xml, meta, forms and key."""
    old_tasks, new_tasks = old["meta"]["user_tasks"], new["meta"]["user_tasks"]
    result = _task_changes(old_tasks, new_tasks)
    result.update(_flow_changes(_flows(old["xml"], old["key"]), _flows(new["xml"], new["key"])))
    result["form_definitions_changed"] = sorted(
        k for k in set(old["forms"]) & set(new["forms"]) if old["forms"][k] != new["forms"][k])
    result["form_definitions_added"] = sorted(set(new["forms"]) - set(old["forms"]))
    result["form_definitions_removed"] = sorted(set(old["forms"]) - set(new["forms"]))
    result["suggested_mapping"] = {r["from_id"]: r["to_id"] for r in result["tasks_renamed"]
                                   if r["from_id"] != r["to_id"]}
    result["unchanged"] = not any(v for k, v in result.items() if k != "suggested_mapping")
    return result
