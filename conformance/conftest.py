"""`pytest conformance`: the suite's plugins, one concern per module (conformance/plugins/).

pytest conformance                         # the embedded emulator
pytest conformance --target URL            # a tenant or a separately started emulator
                                           # (SAIL_CLIENT_ID / SAIL_CLIENT_SECRET)
options: --read-only  --strict  --profile ci|fail-fast|thorough|tenant  --rate-limit 100/10s|off
         --seed N  --report-dir reports/out
"""

from conformance.plugins import PLUGINS

pytest_plugins = PLUGINS
