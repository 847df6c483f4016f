import numpy as np

from iris_keras.batches import epoch_batches, epoch_permutation, steps_per_epoch


def test_permutation_is_a_function_of_seed_and_epoch():
    first = epoch_permutation(120, seed=5, epoch=3)
    np.testing.assert_array_equal(first, epoch_permutation(120, seed=5, epoch=3))
    assert sorted(first.tolist()) == list(range(120))
    assert not np.array_equal(first, epoch_permutation(120, seed=5, epoch=4))
    assert not np.array_equal(first, epoch_permutation(120, seed=6, epoch=3))


def test_article_batches_are_32_32_32_24():
    batches = epoch_batches(120, batch_size=32, seed=0, epoch=0)
    assert [len(batch) for batch in batches] == [32, 32, 32, 24]
    np.testing.assert_array_equal(np.concatenate(batches), epoch_permutation(120, seed=0, epoch=0))
    assert steps_per_epoch(120, batch_size=32) == 4
    assert steps_per_epoch(96, batch_size=32) == 3
