"""What a verdict is made of: the rule and check catalogues, the stateful oracle, what
each answer shows, and the tally of one test.
"""
