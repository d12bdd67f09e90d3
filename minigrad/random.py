"""Random numbers: one seeded generator, the same numbers on every run and platform.

minigrad draws from NumPy's PCG64 generator. ``manual_seed(s)`` makes every later draw
repeatable; the numbers are not PyTorch's (its generator is another algorithm).
"""

from __future__ import annotations

import numpy as np

# PyTorch's default generator starts from a fixed seed too, so an unseeded script is
# repeatable; minigrad does the same with this seed.
DEFAULT_SEED = 67280421310721


class Generator:
    """A source of random numbers, as ``torch.Generator``.

    >>> import minigrad
    >>> g = minigrad.Generator().manual_seed(0)
    >>> g.initial_seed()
    0
    """

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.manual_seed(seed)

    def manual_seed(self, seed: int) -> Generator:
        self._seed = int(seed)
        self._rng = np.random.Generator(np.random.PCG64(self._seed & (2**64 - 1)))
        return self

    def initial_seed(self) -> int:
        return self._seed

    def normal(self, mean: float, std: float, shape: tuple[int, ...]) -> np.ndarray:
        return mean + std * self._rng.standard_normal(shape)

    def uniform(self, low: float, high: float, shape: tuple[int, ...]) -> np.ndarray:
        return low + (high - low) * self._rng.random(shape)

    def integers(self, low: int, high: int, shape: tuple[int, ...]) -> np.ndarray:
        return self._rng.integers(low, high, shape, dtype=np.int64)

    def permutation(self, n: int) -> np.ndarray:
        return self._rng.permutation(n).astype(np.int64)


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator: later random tensors are the same on every run.

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> a = minigrad.randn(3)
    >>> _ = minigrad.manual_seed(0)
    >>> b = minigrad.randn(3)
    >>> minigrad.equal(a, b)
    True
    """
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the default generator from the operating system; returns the seed.

    >>> import minigrad
    >>> s = minigrad.seed()
    >>> minigrad.initial_seed() == s
    True
    """
    new_seed = int(np.random.SeedSequence().entropy % (2**63))
    default_generator.manual_seed(new_seed)
    return new_seed


def initial_seed() -> int:
    """The seed the default generator was last seeded with.

    >>> import minigrad
    >>> _ = minigrad.manual_seed(7)
    >>> minigrad.initial_seed()
    7
    """
    return default_generator.initial_seed()
