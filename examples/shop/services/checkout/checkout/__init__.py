"""Checkout: the order API of the demo shop."""
