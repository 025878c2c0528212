"""What the hand-written tests say in domain terms: operations by id, polling transitions,
and each operation's documented example request.
"""
