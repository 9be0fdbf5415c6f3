"""Households (issue 16): the register, its process and the resettlement-housing pool."""
