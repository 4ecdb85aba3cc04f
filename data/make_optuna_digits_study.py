"""Writes data/optuna_digits_study.db: the Optuna study notebook 06 imports.

A random-search study (Optuna's RandomSampler, seed 0, 200 trials) of
scikit-learn's MLPClassifier on the 8x8 digits (scikit-learn's copy of the UCI
set that data/digits.csv.gz also holds), minimising the validation error after
30 epochs. Random sampling and no pruner, because HSIC's p-values assume
independent draws of the hyperparameters, which a model-based sampler or a
pruner (keeping only the trials that looked good early) would break. A trial
whose weights diverge is recorded as failed. Parameters: learning_rate_init (log), alpha (log), units
(int), layers (int), activation and solver (categorical), and momentum, drawn
only when solver == "sgd" (a conditional parameter).

Usage: /usr/bin/python3 data/make_optuna_digits_study.py [OUT.db]
Needs python3-optuna and python3-sklearn (Debian). Takes a few minutes.
"""
import os
import sys
import warnings

import numpy as np
import optuna
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

warnings.filterwarnings("ignore", category=ConvergenceWarning)
optuna.logging.set_verbosity(optuna.logging.WARNING)
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "optuna_digits_study.db")
if os.path.exists(out):
    os.remove(out)

x, y = load_digits(return_X_y=True)
x = x / 16.0
x_train, x_val, y_train, y_val = train_test_split(
    x, y, test_size=0.3, random_state=0, stratify=y)
classes = np.unique(y)


def objective(trial):
    lr = trial.suggest_float("learning_rate_init", 1e-5, 1e-0, log=True)
    alpha = trial.suggest_float("alpha", 1e-6, 1e-1, log=True)
    units = trial.suggest_int("units", 4, 128, log=True)
    layers = trial.suggest_int("layers", 1, 3)
    activation = trial.suggest_categorical("activation", ["relu", "tanh", "logistic"])
    solver = trial.suggest_categorical("solver", ["adam", "sgd"])
    extra = {}
    if solver == "sgd":
        extra["momentum"] = trial.suggest_float("momentum", 0.0, 0.99)
    net = MLPClassifier(
        hidden_layer_sizes=(units,) * layers, activation=activation,
        solver=solver, alpha=alpha, learning_rate_init=lr, batch_size=64,
        random_state=trial.number, **extra)
    error = 1.0
    for epoch in range(1, 31):
        net.partial_fit(x_train, y_train, classes=classes)
        if not np.all(np.isfinite(net.coefs_[0])):
            raise FloatingPointError(f"weights diverged at epoch {epoch}")
        error = 1.0 - net.score(x_val, y_val)
        trial.report(error, epoch)
    return error


study = optuna.create_study(
    storage="sqlite:///" + out, study_name="digits-mlp", direction="minimize",
    sampler=optuna.samplers.RandomSampler(seed=0))
study.optimize(objective, n_trials=200, catch=(FloatingPointError,))
done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
print(f"{out}: {len(study.trials)} trials, {len(done)} complete, best {study.best_value:.4f}")
