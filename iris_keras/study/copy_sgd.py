"""SGD with momentum where each copy of a stacked model has its own learning rate and momentum.

A stacked model (`stacked_layers`) holds K runs side by side: every weight
has a leading copy axis, a kernel `(K, in, out)`, a bias `(K, out)`.
`CopySGD` is `keras.optimizers.SGD` with `learning_rate` and `momentum`
turned into vectors along that axis, so one model trains a whole grid of
hyperparameters (`sweep`): copy k is updated with Keras's own SGD rule and
its own `learning_rates[k]` and `momenta[k]`,

    velocity[k] = momenta[k] * velocity[k] - learning_rates[k] * g[k]
    w[k] = w[k] + velocity[k]

in the float32 operations, in the order, of `SGD`'s rule as Keras writes
it (with `momentum=0`, `SGD` computes `w - learning_rate * g`, the same
number: `0 * velocity - x` is `-x`): the same numbers on TensorFlow and
JAX. On PyTorch, Keras's `SGD` fuses `velocity - learning_rate * g` into
one rounding (`torch._foreach_add_`), so there a copy drifts from it by an
ulp or so per step, well within the 1e-5 its runs are held to after their
last epoch (`tests/study/test_copy_sgd.py`). A copy whose weights become
NaN or infinite keeps them to itself: nothing here mixes copies.

It is written with `keras.ops` against Keras's optimizer API (`build`,
`update_step`), so `model.compile(optimizer=CopySGD(...))` trains on
TensorFlow, JAX and PyTorch alike.
"""

import keras
import numpy as np
from keras import ops

from iris_keras.errors import check_positive_float, check_unit_interval, invalid


class CopySGD(keras.optimizers.Optimizer):
    """SGD with momentum, one learning rate and one momentum per copy (the leading axis).

    The base class's scalar `learning_rate` is not used: each copy's rate
    comes from `learning_rates`.

    Args:
        learning_rates: one positive learning rate per copy, length K.
        momenta: one momentum in [0, 1) per copy, length K.
        name: the optimizer's name. Defaults to `"copy_sgd"`.
        **kwargs: other `keras.optimizers.Optimizer` arguments.

    Example:
    >>> optimizer = CopySGD([0.1, 0.5], [0.0, 0.9])
    >>> weight = keras.Variable(keras.ops.ones((2, 3)))  # copy 0's weights, then copy 1's
    >>> optimizer.apply([keras.ops.ones((2, 3))], [weight])  # a gradient of 1 everywhere
    >>> keras.ops.convert_to_numpy(weight)[:, 0].tolist()  # 1 - 0.1, 1 - 0.5
    [0.8999999761581421, 0.5]
    """

    def __init__(self, learning_rates, momenta, name="copy_sgd", **kwargs):
        super().__init__(learning_rate=1.0, name=name, **kwargs)
        rates = [check_positive_float("learning_rates", float(rate)) for rate in learning_rates]
        momenta = [
            check_unit_interval("momenta", float(value), closed_low=True, closed_high=False)
            for value in momenta
        ]
        if not rates or len(rates) != len(momenta):
            raise invalid(
                "momenta",
                f"as many momenta as learning rates ({len(rates)}), at least one",
                len(momenta),
            )
        self.learning_rates = np.asarray(rates, dtype=np.float32)
        self.momenta = np.asarray(momenta, dtype=np.float32)

    def build(self, variables):
        """Makes each variable's velocity, and the copies' rates and momenta as variables."""
        if self.built:
            return
        super().build(variables)
        for variable in variables:
            if variable.shape[0] != len(self.learning_rates):
                raise invalid(
                    "variables",
                    f"weights with a leading axis of {len(self.learning_rates)} copies",
                    f"{variable.path} of shape {variable.shape}",
                )
        self.velocities = self.add_optimizer_variables(variables, "momentum")
        self.copy_rates, self.copy_momenta = (
            self.add_variable(
                shape=values.shape,
                initializer=keras.initializers.Constant(values),
                name=name,
            )
            for values, name in ((self.learning_rates, "rates"), (self.momenta, "momenta"))
        )

    def update_step(self, gradient, variable, learning_rate):
        """Keras's SGD step for each copy, with that copy's rate and momentum."""
        velocity = self.velocities[self._get_variable_index(variable)]
        shape = (-1,) + (1,) * (len(variable.shape) - 1)  # broadcast over the copy's weight
        rates = ops.reshape(ops.cast(self.copy_rates, variable.dtype), shape)
        momenta = ops.reshape(ops.cast(self.copy_momenta, variable.dtype), shape)
        gradient = ops.cast(gradient, variable.dtype)
        self.assign(
            velocity,
            ops.subtract(ops.multiply(velocity, momenta), ops.multiply(gradient, rates)),
        )
        self.assign_add(variable, velocity)

    def get_config(self):
        config = super().get_config()
        config.pop("learning_rate", None)
        config.update(learning_rates=self.learning_rates.tolist(), momenta=self.momenta.tolist())
        return config
