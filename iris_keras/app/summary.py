"""The short text summaries the `iris-keras` command prints after training and evaluating."""


def training_summary(metrics):
    """The end-of-training summary: scores, the reload check, backend, device, seed, time."""
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


def evaluation_summary(model_path, model, data=None):
    """Evaluates a saved model on its test split (of `data`, for a table's model) and formats it."""
    from iris_keras.app.loading import load_test_split
    from iris_keras.evaluate import evaluate_model

    (x_test, y_test), names = load_test_split(model_path, model, data)
    scores = evaluate_model(model, x_test, y_test, class_names=names)
    lines = [
        f"model           {model_path}",
        f"test accuracy   {scores['test_accuracy']:.4f}",
        f"test loss       {scores['test_loss']:.4f}",
    ]
    for name in names:
        lines.append(
            f"{name:<15} precision {scores['precision'][name]:.3f}  "
            f"recall {scores['recall'][name]:.3f}"
        )
    return "\n".join(lines)
