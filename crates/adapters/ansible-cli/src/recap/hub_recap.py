# control-hub's recap callback: at the end of a playbook it writes each host's counts of the
# PLAY RECAP as JSON to the file named by CONTROL_HUB_RECAP_FILE, so the hub does not have to
# parse the human output. It adds nothing to that output: the default stdout callback stays.
from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
    name: hub_recap
    type: aggregate
    short_description: writes the play recap as JSON for control-hub
    description:
      - Writes per-host ok, changed, unreachable, failed, skipped, rescued and ignored counts.
    requirements:
      - the CONTROL_HUB_RECAP_FILE environment variable
"""

RECAP_FILE_VAR = "CONTROL_HUB_RECAP_FILE"


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "hub_recap"
    CALLBACK_NEEDS_ENABLED = True

    def v2_playbook_on_stats(self, stats):
        target = os.environ.get(RECAP_FILE_VAR)
        if not target:
            return
        hosts = {}
        for host in sorted(stats.processed.keys()):
            counts = stats.summarize(host)
            hosts[host] = {
                "ok": counts.get("ok", 0),
                "changed": counts.get("changed", 0),
                "unreachable": counts.get("unreachable", 0),
                # summarize() calls them failures; the hub's recap calls them failed.
                "failed": counts.get("failures", 0),
                "skipped": counts.get("skipped", 0),
                "rescued": counts.get("rescued", 0),
                "ignored": counts.get("ignored", 0),
            }
        # Written whole under another name, then renamed: the hub never reads half a file.
        partial = target + ".partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"version": 1, "hosts": hosts}, out)
        os.replace(partial, target)
