"""The short text summaries the `iris-keras` command prints after training and evaluating."""


def training_summary(metrics, *, standing=None):
    """The end-of-training summary: scores, the reload check, backend, device, seed, time.

    Args:
        metrics: the run's metrics, as `train_recipe` returns them.
        standing: where the test accuracy falls among the seed study's
            recorded seeds, one line (`study.reference.standing`), or `None`
            to leave it out. Defaults to `None`.

    Returns:
        A `str`, one `label  value` line each.
    """
    reload = (
        "identical (test loss and accuracy match exactly)"
        if metrics["reload_matches"]
        else "DIFFERENT from the trained model: this is a bug, please report it"
    )
    distribution = metrics.get("distribution", {"strategy": "none", "worker": 0})
    artifacts = (
        f"{metrics['output_dir']}/"
        if distribution["worker"] == 0
        else "written by the chief, worker 0 (this worker's copies are deleted)"
    )
    lines = [
        f"recipe          {metrics['recipe']}",
        *([f"data            {_table_text(metrics['data'])}"] if "data" in metrics else []),
        f"test accuracy   {metrics['test_accuracy']:.4f}",
        f"test loss       {metrics['test_loss']:.4f}",
        *([f"seed study      {standing}"] if standing else []),
        f"reloaded model  {reload}",
        f"backend         {metrics['backend']} (Keras {metrics['versions']['keras']})",
        f"device          {metrics['device']}",
        *(
            [f"distributed     {_distribution_text(distribution)}"]
            if distribution["strategy"] != "none"
            else []
        ),
        f"seed            {metrics['seed']}",
        *(
            [f"resumed         from epoch {metrics['resumed_from_epoch']} (backup)"]
            if metrics.get("resumed_from_epoch")
            else []
        ),
        f"elapsed         {_elapsed_text(metrics['timings'])}",
        f"artifacts       {artifacts}",
        *(
            [f"tensorboard     {metrics['tensorboard_logs']}/ (make tensorboard)"]
            if metrics.get("tensorboard_logs")
            else []
        ),
    ]
    return "\n".join(lines)


def _table_text(data):
    """A table run's data: the file, the column predicted and how many classes and measurements."""
    return (
        f"{data['path']}: {data['target']} ({len(data['classes'])} classes, "
        f"{len(data['feature_names'])} measurements)"
    )


def _elapsed_text(timings):
    """The run's time and what it covers: since the command started, imports and fit inside."""
    return (
        f"{timings['total_seconds']:.1f} s since the command started "
        f"(imports {timings['imports_seconds']:.1f} s, fit {timings['fit_seconds']:.1f} s)"
    )


def _distribution_text(distribution):
    text = f"{distribution['strategy']}, {distribution['replicas']} replicas"
    if distribution["strategy"] == "multi-worker":
        text += f" (this is worker {distribution['worker']} of {distribution['workers']})"
    return text


def evaluation_summary(model_path, scores, class_names, *, standing=None):
    """The summary of a saved model's evaluation on its test split.

    Args:
        model_path: the model file.
        scores: `evaluate_model`'s scores of the model on its test split.
        class_names: one name per class, in label order.
        standing: as in `training_summary`. Defaults to `None`.

    Returns:
        A `str`: the scores, the standing, each class's precision and recall,
        then the confusion matrix (`confusion_text`).
    """
    lines = [
        f"model           {model_path}",
        f"test accuracy   {scores['test_accuracy']:.4f}",
        f"test loss       {scores['test_loss']:.4f}",
        *([f"seed study      {standing}"] if standing else []),
    ]
    for name in class_names:
        lines.append(
            f"{name:<15} precision {scores['precision'][name]:.3f}  "
            f"recall {scores['recall'][name]:.3f}"
        )
    return "\n".join([*lines, "", confusion_text(scores["confusion_matrix"], class_names)])


def confusion_text(matrix, class_names):
    """The confusion matrix as an aligned table: rows true classes, columns predicted.

    Args:
        matrix: counts, `matrix[true][predicted]`.
        class_names: one name per class, in label order.

    Returns:
        A `str`: a title line, the header of predicted classes, a row per
        true class.

    Example:
    >>> print(confusion_text([[19, 1], [0, 10]], ["not virginica", "virginica"]))
    confusion matrix (rows: true class, columns: predicted)
                   not virginica  virginica
    not virginica             19          1
    virginica                  0         10
    """
    first = max(len(name) for name in class_names)
    widths = [
        max(len(name), *(len(str(row[column])) for row in matrix))
        for column, name in enumerate(class_names)
    ]
    header = "  ".join(f"{name:>{width}}" for name, width in zip(class_names, widths, strict=True))
    lines = ["confusion matrix (rows: true class, columns: predicted)", f"{'':<{first}}  {header}"]
    for name, row in zip(class_names, matrix, strict=True):
        counts = "  ".join(f"{count:>{width}}" for count, width in zip(row, widths, strict=True))
        lines.append(f"{name:<{first}}  {counts}")
    return "\n".join(lines)
