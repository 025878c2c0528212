"""The recording proxy (`python -m emulator proxy`): forwards a client's traffic to a tenant
unchanged and judges each exchange both ways with the gate's and the suite's code.

`recording_proxy` (the command and the forwarding), `upstream` (its client to the tenant),
`traffic_judge` (judging an exchange), `observation` and `har` (its run folder).
"""
