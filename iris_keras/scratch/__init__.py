"""The article's §2–3 from scratch in NumPy, proven equal to Keras on each backend.

The article's formulas were lost in publication; here they are as code:

    z = x @ W + b;  a = f(z)                         # §3.1, layer after layer
    dL/dW = a_prev.T @ (dL/da * f'(z))               # §3.2, the chain rule
    velocity = momentum * velocity - learning_rate * g
    w = w + velocity                                 # §3.3, keras.optimizers.SGD

Importing this package imports NumPy only; `params_from_model` imports
Keras when it is called.

>>> from iris_keras import scratch
>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, "relu"),
...                           keras.layers.Dense(1, "sigmoid")])
>>> x = np.ones((2, 4), dtype="float32")
>>> params = scratch.params_from_model(model)
>>> keras_output = keras.ops.convert_to_numpy(model(x))
>>> bool(np.allclose(scratch.forward(params, x), keras_output, rtol=1e-5))
True
>>> [tuple(g.shape) for g in scratch.flatten(scratch.backward(params, x, [0, 1],
...                                                           loss="binary_crossentropy"))]
[(4, 3), (3,), (3, 1), (1,)]
"""

from iris_keras.scratch import activations, descent, layers, losses
from iris_keras.scratch.fit import fit, fit_as_recipe
from iris_keras.scratch.from_keras import params_from_model
from iris_keras.scratch.network import backward, flatten, forward, loss_and_gradients
from iris_keras.scratch.optimizer import sgd_step

__all__ = [
    "activations",
    "backward",
    "descent",
    "fit",
    "fit_as_recipe",
    "flatten",
    "forward",
    "layers",
    "loss_and_gradients",
    "losses",
    "params_from_model",
    "sgd_step",
]
