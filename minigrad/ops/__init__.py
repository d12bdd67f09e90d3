"""The differentiable operations: one ``Function`` class per operation, grouped by kind."""
