"""Another philosophy: the start chooses the solution (docs/philosophy.md).

One module per experiment, each its own cache unit:

* :mod:`.implicit`: among many zero-loss solutions, the init scale picks one (a diagonal network
  for sparse regression, a factorized model for matrix completion);
* :mod:`.lazy`: lazy and rich training of a two-layer ReLU network, at a step size stable at every
  scale;
* :mod:`.guess`: when the init *is* a guess (a meta-learned init, a pretrained one, a structured
  state matrix);
* :mod:`.ensemble`: what the randomness of the draw buys (ensembles of differently seeded nets);
* :mod:`.summary`: the closing table.
"""
